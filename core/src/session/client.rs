use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{oneshot, watch};

use super::agent::Agent;
use super::engine;
use super::notification::EventReceiver;
use super::shared::{AgentEntry, Shared};
use super::snapshot::AgentSnapshot;
use super::ConnectionStatus;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::protocol::{Command, Event};
use crate::stomp::{Transport, TransportConfig};

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
    pub async fn connect(mut config: Config) -> Result<Client> {
        config.validate()?;
        // Fix the destination once: the default is derived per call.
        config.destination = Some(config.resolved_destination());
        let mut transport_cfg = TransportConfig::from_client_config(&config)?;
        // The topic is subscribed (and confirmed) on every connection before
        // the transport reports Connected, so the first Hello's reply is heard.
        transport_cfg.subscriptions = vec![format!("/topic/{}", config.resolved_destination())];
        let (transport, rx) = Transport::start(transport_cfg);
        let shared = Arc::new(Shared::new(config, transport)?);
        let (first_tx, first_rx) = oneshot::channel();
        tokio::spawn(engine::run(shared.clone(), rx, first_tx));
        let client = Client { shared };
        let timeout = client.shared.cfg.connect_timeout();
        let outcome = tokio::time::timeout(timeout, async {
            first_rx
                .await
                .map_err(|_| Error::Closed)?
                .map_err(|e| Error::BrokerUnreachable {
                    after_ms: timeout.as_millis() as u64,
                    last_error: e,
                })
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
        let result = tokio::time::timeout(timeout, rx.wait_for(|s| *s == wanted)).await;
        match result {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(_)) => Err(Error::Closed),
            Err(_) => Err(Error::NotInService(self.status())),
        }
    }

    /// The handle of one agent; the first call registers it with the client
    /// so its events are cached and it is re-logged in automatically.
    pub fn agent(&self, agent_id: &str) -> Agent {
        self.shared
            .lock()
            .agents
            .entry(agent_id.to_owned())
            .or_insert_with(|| AgentEntry {
                credentials: None,
                snapshot: AgentSnapshot::new(agent_id),
            });
        Agent::new(self.clone(), agent_id.to_owned())
    }

    /// Agents registered on this client.
    pub fn agent_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.shared.lock().agents.keys().cloned().collect();
        ids.sort();
        ids
    }

    /// A new subscription to every event and status change.
    pub fn events(&self) -> EventReceiver {
        EventReceiver::new(
            self.shared.events_tx.subscribe(),
            None,
            self.shared.dropped.clone(),
        )
    }

    pub(crate) fn agent_events(&self, agent: &str) -> EventReceiver {
        EventReceiver::new(
            self.shared.events_tx.subscribe(),
            Some(agent.to_owned()),
            self.shared.dropped.clone(),
        )
    }

    /// Sends any command for `target` and waits for its reply if GC sends one.
    pub async fn execute(&self, target: &str, command: &Command) -> Result<Option<Event>> {
        self.shared
            .execute(target, command, self.shared.cfg.request_timeout())
            .await
    }

    /// Commands sent and still waiting for GC's reply.
    pub fn pending_requests(&self) -> usize {
        self.shared.lock().pending.len()
    }

    /// Notifications dropped because subscribers fell behind.
    pub fn dropped_events(&self) -> u64 {
        self.shared.dropped.load(Ordering::Relaxed)
    }

    /// Last measured local-minus-broker clock difference.
    pub fn clock_skew_ms(&self) -> Option<i64> {
        self.shared.lock().skew_ms
    }

    /// Fails pending requests, unsubscribes, disconnects. Idempotent.
    pub async fn close(&self) {
        if self.status() == ConnectionStatus::Closed {
            return;
        }
        self.shared.set_status(ConnectionStatus::Closed, None);
        self.shared.fail_pending(|_| Error::Closed);
        self.shared.transport.close().await;
    }
}
