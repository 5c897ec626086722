//! The background task: reads transport events, keeps the GC handshake
//! alive (Hello until IN_SERVICE, then Beats), re-logs agents in, and
//! routes events to requests, caches and subscribers.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

use super::shared::{now_ms, Shared};
use super::{ConnectionStatus, Notification};
use crate::error::Error;
use crate::protocol::{Command, ErrorCode, Event, EventData, SystemStatus};
use crate::stomp::{StompMessage, TransportEvent};

struct Engine {
    shared: Arc<Shared>,
    connected: bool,
    ever_connected: bool,
    needs_relogin: bool,
    next_tick: Option<Instant>,
    last_system: Instant,
    first_connect: Option<oneshot::Sender<Result<(), String>>>,
}

pub(crate) async fn run(
    shared: Arc<Shared>,
    mut rx: mpsc::UnboundedReceiver<TransportEvent>,
    first_connect: oneshot::Sender<Result<(), String>>,
) {
    let mut engine = Engine {
        shared,
        connected: false,
        ever_connected: false,
        needs_relogin: false,
        next_tick: None,
        last_system: Instant::now(),
        first_connect: Some(first_connect),
    };
    loop {
        let tick = engine.next_tick;
        tokio::select! {
            ev = rx.recv() => match ev {
                Some(TransportEvent::Closed) | None => break,
                Some(ev) => engine.on_transport(ev),
            },
            _ = sleep_until(tick) => engine.on_tick(),
        }
    }
    engine.shared.set_status(ConnectionStatus::Closed, None);
    engine.shared.fail_pending(|_| Error::Closed);
}

async fn sleep_until(t: Option<Instant>) {
    match t {
        Some(t) => tokio::time::sleep_until(t).await,
        None => std::future::pending().await,
    }
}

impl Engine {
    fn on_transport(&mut self, ev: TransportEvent) {
        match ev {
            TransportEvent::Connecting { broker } => {
                tracing::debug!(%broker, "connecting to broker");
            }
            TransportEvent::Connected { broker, .. } => {
                tracing::info!(%broker, "broker connected");
                self.connected = true;
                if self.ever_connected && self.shared.cfg.relogin_after_reconnect {
                    self.needs_relogin = true;
                }
                self.ever_connected = true;
                if let Some(tx) = self.first_connect.take() {
                    let _ = tx.send(Ok(()));
                }
                self.shared
                    .set_status(ConnectionStatus::WaitingForGc, Some(broker.to_string()));
                self.say_hello();
            }
            TransportEvent::Disconnected { broker, reason } => {
                tracing::warn!(%broker, %reason, "broker connection lost");
                self.connected = false;
                self.next_tick = None;
                if self.ever_connected {
                    self.shared
                        .set_status(ConnectionStatus::Reconnecting, Some(reason.clone()));
                }
                self.shared.fail_pending(|kind| Error::ConnectionLost {
                    command: kind.api_name(),
                });
                self.shared.lock().last_transport_error = Some(reason);
            }
            TransportEvent::Message(msg) => self.on_message(msg),
            TransportEvent::BrokerError { message, body } => {
                tracing::warn!(%message, %body, "broker ERROR frame");
            }
            TransportEvent::Closed => {}
            // issue 24 (limits): forwarded as notifications, nothing else.
            TransportEvent::OversizedFrame { size, destination } => {
                self.shared.notify(Notification::OversizedFrame {
                    size: size as u64,
                    destination,
                })
            }
            TransportEvent::AuthRefused { broker, message } => {
                self.shared.notify(Notification::BrokerAuth {
                    broker: broker.to_string(),
                    message,
                })
            }
        }
    }

    fn say_hello(&mut self) {
        self.send_background(Command::Hello);
        self.next_tick = Some(Instant::now() + self.shared.cfg.hello_interval());
    }

    fn send_background(&self, command: Command) {
        let shared = self.shared.clone();
        tokio::spawn(async move {
            let dest = shared.destination.clone();
            if let Err(e) = shared.send_raw(&dest, &command).await {
                tracing::debug!(command = command.kind().api_name(), error = %e, "keep-alive not sent");
            }
        });
    }

    fn on_tick(&mut self) {
        if !self.connected {
            self.next_tick = None;
            return;
        }
        if self.shared.status() == ConnectionStatus::InService {
            let beat = self.shared.cfg.beat_interval();
            // GC answers every Beat; three missed answers mean it is gone.
            if self.last_system.elapsed() > beat * 3 + Duration::from_millis(500) {
                self.shared.set_status(
                    ConnectionStatus::WaitingForGc,
                    Some("GC stopped answering Beats".into()),
                );
                self.say_hello();
            } else {
                self.send_background(Command::Beat);
                self.next_tick = Some(Instant::now() + beat);
            }
        } else {
            self.say_hello();
        }
    }

    fn on_message(&mut self, msg: StompMessage) {
        self.track_skew(msg.timestamp());
        let event = Event::parse_with(&msg.body, &self.shared.parse);
        let correlation_id = msg.correlation_id().map(str::to_owned);
        match &event.data {
            EventData::System { status } => {
                self.last_system = Instant::now();
                match status {
                    SystemStatus::InService => {
                        if self.shared.status() != ConnectionStatus::InService {
                            self.shared.set_status(ConnectionStatus::InService, None);
                            self.next_tick = Some(Instant::now() + self.shared.cfg.beat_interval());
                            if std::mem::take(&mut self.needs_relogin) {
                                self.relogin_all();
                            }
                        }
                    }
                    SystemStatus::OutOfService => {
                        self.shared.set_status(ConnectionStatus::OutOfService, None);
                        self.shared.fail_pending(|_| Error::GcOutOfService);
                        self.next_tick = Some(Instant::now() + self.shared.cfg.hello_interval());
                    }
                }
            }
            EventData::DestinationReconnect { destination } => {
                self.last_system = Instant::now();
                if *destination == self.shared.destination {
                    tracing::info!("GC lost this destination; logging every agent in again");
                    self.relogin_all();
                }
            }
            EventData::ReLogin => {
                if let Some(agent) = &event.agent {
                    tracing::info!(agent, "GC asked for a re-login");
                    self.relogin(agent.clone());
                }
            }
            EventData::Error {
                code: ErrorCode::SessionInvalidated,
                ..
            } => {
                if let Some(agent) = &event.agent {
                    tracing::warn!(
                        agent,
                        "session invalidated: logged in elsewhere; no automatic re-login"
                    );
                    if let Some(entry) = self.shared.lock().agents.get_mut(agent) {
                        entry.credentials = None;
                    }
                }
            }
            _ => {}
        }
        if let Some(agent) = &event.agent {
            if let Some(entry) = self.shared.lock().agents.get_mut(agent) {
                entry.snapshot.apply(&event);
            }
        }
        self.shared.complete(correlation_id.as_deref(), &event);
        self.shared.notify(Notification::Event(event));
    }

    fn track_skew(&self, broker_ts: Option<i64>) {
        let Some(ts) = broker_ts.filter(|t| *t > 0) else {
            return;
        };
        let skew = now_ms() - ts;
        let warn_at = self.shared.cfg.clock_skew_warn_ms as i64;
        let mut inner = self.shared.lock();
        inner.skew_ms = Some(skew);
        let over = skew.abs() > warn_at;
        if over && !inner.skew_warned {
            inner.skew_warned = true;
            drop(inner);
            tracing::warn!(
                skew_ms = skew,
                "local clock differs from the broker's by more than {warn_at} ms; commands carry an absolute expiry and may be dropped or run late"
            );
            self.shared
                .notify(Notification::ClockSkew { skew_ms: skew });
        } else if !over {
            inner.skew_warned = false;
        }
    }

    fn relogin_all(&self) {
        let agents: Vec<String> = self
            .shared
            .lock()
            .agents
            .iter()
            .filter(|(_, a)| a.credentials.is_some())
            .map(|(id, _)| id.clone())
            .collect();
        for agent in agents {
            self.relogin(agent);
        }
    }

    /// Connect + Login back to back, as the guide asks, from the
    /// credentials kept in memory.
    fn relogin(&self, agent: String) {
        let shared = self.shared.clone();
        tokio::spawn(async move {
            let creds = shared
                .lock()
                .agents
                .get(&agent)
                .and_then(|a| a.credentials.clone());
            let Some(creds) = creds else { return };
            let connect = Command::Connect {
                destination: shared.destination.clone(),
                password: creds.password.clone(),
                sso: creds.sso,
            };
            let result = match shared.send_raw(&agent, &connect).await {
                Ok(_) => shared
                    .execute(&agent, &creds.login, shared.cfg.request_timeout())
                    .await
                    .map(|_| ()),
                Err(e) => Err(e),
            };
            let error = result.err().map(|e| e.to_string());
            match &error {
                None => tracing::info!(agent, "re-login done"),
                Some(e) => tracing::warn!(agent, error = %e, "re-login failed"),
            }
            shared.notify(Notification::Relogin { agent, error });
        });
    }
}
