//! The `Client` object and its event streams.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;

use crate::agent::Agent;
use crate::config::ClientConfig;
use crate::error::GcError;
use crate::events::Notification;
use crate::runtime::{block_on, relayed, run};
use crate::types::ConnectionStatus;

/// Connects to the first reachable broker, subscribes to the client topic
/// and starts saying Hello. GC may still be out of service: see
/// [`Client::wait_in_service`].
#[uniffi::export]
pub async fn connect(config: ClientConfig) -> Result<Arc<Client>, GcError> {
    let inner = run(gcclient::Client::connect(config.try_into()?)).await?;
    Ok(Arc::new(Client { inner }))
}

/// Starts a client and returns at once: it keeps trying the broker list
/// (status `Connecting`, later `Reconnecting`) until a broker answers, as a
/// service started before its broker needs. Only a bad config fails here.
#[uniffi::export]
pub fn start(config: ClientConfig) -> Result<Arc<Client>, GcError> {
    let _runtime = gcclient::blocking::runtime().enter();
    let inner = gcclient::Client::start(config.try_into()?)?;
    Ok(Arc::new(Client { inner }))
}

/// A connection to GC through the broker: one topic, any number of agents.
#[derive(uniffi::Object)]
pub struct Client {
    inner: gcclient::Client,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.fmt(f)
    }
}

#[uniffi::export]
impl Client {
    /// This client's topic name.
    pub fn destination(&self) -> String {
        self.inner.destination().to_owned()
    }

    pub fn status(&self) -> ConnectionStatus {
        self.inner.status()
    }

    /// Waits until GC is in service; `NotInService` after `timeout_ms`.
    pub async fn wait_in_service(&self, timeout_ms: u64) -> Result<(), GcError> {
        let c = self.inner.clone();
        run(async move { c.wait_in_service(Duration::from_millis(timeout_ms)).await }).await
    }

    /// Waits until the status is `status`.
    pub async fn wait_for(&self, status: ConnectionStatus, timeout_ms: u64) -> Result<(), GcError> {
        let c = self.inner.clone();
        run(async move { c.wait_for(status, Duration::from_millis(timeout_ms)).await }).await
    }

    /// The handle of one agent; the first call registers it (events cached,
    /// automatic re-login).
    pub fn agent(&self, agent_id: String) -> Arc<Agent> {
        Arc::new(Agent::new(self.inner.agent(&agent_id)))
    }

    /// Agents registered on this client, sorted.
    pub fn agent_ids(&self) -> Vec<String> {
        self.inner.agent_ids()
    }

    /// A new subscription to every event and status change.
    pub fn events(&self) -> Arc<EventStream> {
        EventStream::new(self.inner.events())
    }

    /// Notifications dropped because subscribers fell behind.
    pub fn dropped_events(&self) -> u64 {
        self.inner.dropped_events()
    }

    /// Requests waiting for GC's answer (callers' and automatic re-logins).
    pub fn pending_requests(&self) -> u64 {
        self.inner.pending_requests() as u64
    }

    /// Last measured local-minus-broker clock difference.
    pub fn clock_skew_ms(&self) -> Option<i64> {
        self.inner.clock_skew_ms()
    }

    /// Fails pending requests, unsubscribes, disconnects. Idempotent.
    pub async fn close(&self) {
        let c = self.inner.clone();
        // Closing cannot fail; a failed task has nothing left to close.
        let _ = run(async move {
            c.close().await;
            Ok(())
        })
        .await;
    }
}

/// A subscription to notifications, read with `next`/`next_batch` (async)
/// or `next_batch_blocking`. Each stream buffers `event_buffer`
/// notifications; one that falls further behind receives `Lagged`.
#[derive(uniffi::Object)]
pub struct EventStream {
    rx: Mutex<gcclient::EventReceiver>,
}

impl EventStream {
    pub(crate) fn new(rx: gcclient::EventReceiver) -> Arc<Self> {
        Arc::new(EventStream { rx: Mutex::new(rx) })
    }
}

/// The notifications waiting after `first`, up to `max` in all.
fn drain(
    rx: &mut gcclient::EventReceiver,
    first: gcclient::Notification,
    max: u32,
) -> Vec<Notification> {
    let mut out = vec![first];
    while out.len() < max.max(1) as usize {
        match rx.try_recv() {
            Ok(Some(n)) => out.push(n),
            _ => break,
        }
    }
    out
}

#[uniffi::export]
impl EventStream {
    /// The next notification; None once the client is closed and drained.
    /// Cancelling the call loses nothing.
    pub async fn next(&self) -> Option<Notification> {
        // Polled on the caller's executor: a broadcast receive is cancel-safe
        // and needs no reactor, so a cancelled wait drops no notification.
        relayed(async { self.rx.lock().await.recv().await }).await
    }

    /// Waits for at least one notification and returns it with those already
    /// waiting, up to `max`: one foreign call per burst instead of per event.
    /// `Closed` once the client is closed and drained.
    pub async fn next_batch(&self, max: u32) -> Result<Vec<Notification>, GcError> {
        relayed(async {
            let mut rx = self.rx.lock().await;
            match rx.recv().await {
                Some(first) => Ok(drain(&mut rx, first, max)),
                None => Err(gcclient::Error::Closed.into()),
            }
        })
        .await
    }

    /// Like `next_batch`, blocking the calling thread for up to
    /// `timeout_ms`; an empty list when nothing arrived in time.
    pub fn next_batch_blocking(
        &self,
        max: u32,
        timeout_ms: u64,
    ) -> Result<Vec<Notification>, GcError> {
        block_on(async {
            let mut rx = self.rx.lock().await;
            match tokio::time::timeout(Duration::from_millis(timeout_ms), rx.recv()).await {
                Ok(Some(first)) => Ok(drain(&mut rx, first, max)),
                Ok(None) => Err(gcclient::Error::Closed.into()),
                Err(_) => Ok(vec![]),
            }
        })?
    }
}
