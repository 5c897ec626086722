use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{oneshot, watch};

use super::agent::Agent;
use super::engine;
use super::notification::{EventReceiver, Notification};
use super::shared::Shared;
use super::ConnectionStatus;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::protocol::{Command, Event};
use crate::stomp::Transport;

/// A connection to GC through the broker. Cheap to clone; all clones share
/// one broker connection, one client destination and one set of agents.
#[derive(Clone)]
pub struct Client {
    pub(crate) shared: Arc<Shared>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("destination", &self.shared.destination)
            .field("status", &self.status())
            .finish()
    }
}

impl Client {
    /// Connects to the first reachable broker, subscribes to the client
    /// topic and starts saying Hello. Returns once the broker connection is
    /// up; GC may still be out of service (see [`Client::wait_in_service`]).
    /// Fails with `BrokerUnreachable` after `connect_timeout_ms`, or
    /// `BrokerAuth` as soon as the broker refuses the login.
    pub async fn connect(config: Config) -> Result<Client> {
        let (client, first_rx, mut events) = Self::launch(config)?;
        let timeout = client.shared.cfg.connect_timeout();
        let refused = async {
            loop {
                match events.recv().await {
                    Some(Notification::BrokerAuth { broker, message }) => {
                        return Error::BrokerAuth { broker, message }
                    }
                    Some(_) => continue,
                    None => return Error::Closed,
                }
            }
        };
        let outcome = tokio::time::timeout(timeout, async {
            tokio::select! {
                first = first_rx => first.map_err(|_| Error::Closed)?.map_err(|e| Error::BrokerUnreachable {
                    after_ms: timeout.as_millis() as u64,
                    last_error: e,
                }),
                e = refused => Err(e),
            }
        })
        .await;
        match outcome {
            Ok(Ok(())) => Ok(client),
            Ok(Err(e)) => {
                client.close().await;
                Err(e)
            }
            Err(_) => {
                let last_error = client
                    .shared
                    .lock()
                    .last_transport_error
                    .clone()
                    .unwrap_or_else(|| "no answer".into());
                client.close().await;
                Err(Error::BrokerUnreachable {
                    after_ms: timeout.as_millis() as u64,
                    last_error,
                })
            }
        }
    }

    /// Starts the client and returns at once: it keeps trying the broker
    /// list (status `Connecting`, later `Reconnecting`) until one answers,
    /// as a service started before its broker needs. Only a bad config
    /// fails here; a refused broker login is reported as
    /// `Notification::BrokerAuth`. Must be called inside a tokio runtime.
    pub fn start(config: Config) -> Result<Client> {
        Self::launch(config).map(|(client, _, _)| client)
    }

    /// Also returns the first-connection signal and a subscription taken
    /// before the engine runs, so nothing it reports can be missed.
    #[allow(clippy::type_complexity)]
    fn launch(
        mut config: Config,
    ) -> Result<(Client, oneshot::Receiver<Result<(), String>>, EventReceiver)> {
        config.validate()?;
        // Fix the destination once: the default is derived per call.
        config.destination = Some(config.resolved_destination());
        let mut transport_cfg = config.transport_config()?;
        // The topic is subscribed (and confirmed) on every connection before
        // the transport reports Connected, so the first Hello's reply is heard.
        transport_cfg.subscriptions = vec![format!("/topic/{}", config.resolved_destination())];
        let (transport, task) = Transport::prepare(transport_cfg);
        let shared = Shared::new(config, transport)?;
        let (first_tx, first_rx) = oneshot::channel();
        let (sink, transport_ended) = engine::SessionSink::new(&shared, first_tx);
        let client = Client { shared };
        let events = client.events();
        tokio::spawn(engine::run(client.shared.clone(), transport_ended));
        task.start(sink);
        Ok((client, first_rx, events))
    }

    /// This client's topic name (the `<Client_Destination>` of the guide).
    pub fn destination(&self) -> &str {
        &self.shared.destination
    }

    pub fn config(&self) -> &Config {
        &self.shared.cfg
    }

    pub fn status(&self) -> ConnectionStatus {
        self.shared.status()
    }

    /// A watch on the status, for UIs.
    pub fn status_watch(&self) -> watch::Receiver<ConnectionStatus> {
        self.shared.status_tx.subscribe()
    }

    /// Waits until GC is in service, or fails after `timeout`.
    pub async fn wait_in_service(&self, timeout: Duration) -> Result<()> {
        self.wait_for(ConnectionStatus::InService, timeout).await
    }

    /// Waits until the status is `wanted`.
    pub async fn wait_for(&self, wanted: ConnectionStatus, timeout: Duration) -> Result<()> {
        let mut rx = self.status_watch();
        // close() wakes this at once, whatever `wanted` is.
        let reached = async {
            rx.wait_for(|s| *s == wanted || *s == ConnectionStatus::Closed)
                .await
                .map(|s| *s)
        };
        match tokio::time::timeout(timeout, reached).await {
            Ok(Ok(s)) if s == wanted => Ok(()),
            Ok(_) => Err(Error::Closed),
            Err(_) => Err(Error::NotInService(self.status())),
        }
    }

    /// The handle of one agent; the first call registers it with the client
    /// so its events are cached and it is re-logged in automatically.
    pub fn agent(&self, agent_id: &str) -> Agent {
        self.shared.lock().machine.register_agent(agent_id);
        Agent::new(self.clone(), agent_id.to_owned())
    }

    /// Agents registered on this client.
    pub fn agent_ids(&self) -> Vec<String> {
        self.shared.lock().machine.agent_ids()
    }

    /// A new subscription to every event and status change.
    pub fn events(&self) -> EventReceiver {
        self.receiver(None)
    }

    pub(crate) fn agent_events(&self, agent: &str) -> EventReceiver {
        self.receiver(Some(agent.to_owned()))
    }

    fn receiver(&self, agent: Option<String>) -> EventReceiver {
        let rx = EventReceiver::new(
            self.shared.events_tx.subscribe(),
            agent,
            self.shared.dropped.clone(),
        );
        // Subscribed after close(): nothing will ever come, so end at once.
        if self.status() == ConnectionStatus::Closed {
            rx.ended()
        } else {
            rx
        }
    }

    /// Requests waiting for GC's answer (callers' and automatic re-logins).
    pub fn pending_requests(&self) -> usize {
        self.shared.lock().machine.pending_count()
    }

    /// Prefix-less events that could not be attributed to one agent (they
    /// are delivered on `events()` with `agent = None`).
    pub fn unattributed_events(&self) -> u64 {
        self.shared.lock().machine.unattributed_events()
    }

    /// Sends any command for `target` and waits for its reply if GC sends one.
    pub async fn execute(&self, target: &str, command: &Command) -> Result<Option<Event>> {
        self.shared
            .execute(target, command, self.shared.cfg.request_timeout())
            .await
    }

    /// Notifications dropped because subscribers fell behind.
    pub fn dropped_events(&self) -> u64 {
        self.shared.dropped.load(Ordering::Relaxed)
    }

    /// Last measured local-minus-broker clock difference.
    pub fn clock_skew_ms(&self) -> Option<i64> {
        self.shared.lock().machine.clock_skew_ms()
    }

    /// Ends every waiter at once (pending commands with `Closed`,
    /// `wait_in_service`, event iterators), then disconnects. Idempotent.
    pub async fn close(&self) {
        if self.status() == ConnectionStatus::Closed {
            return;
        }
        self.shared.drive(|m, _| m.close());
        self.shared.transport.close().await;
    }
}
