//! The driver: the session's sink, through which the connection task feeds
//! what it reads to the pure [`SessionState`](super::state::SessionState)
//! on its own thread, and a thin loop that wakes the machine when its next
//! timer (Hello, Beat, a request's deadline, a re-login retry) is due.
//!
//! Replies are handled where they are read: handing each one to a driver
//! task first cost every command one more task switch, and on this crate's
//! 2-core benchmark machine often a thread wake-up (docs/benchmarks.md).

use std::sync::{Arc, Mutex, Weak};

use tokio::sync::oneshot;
use tokio::time::Instant;

use super::shared::{now_ms, Shared};
use super::Notification;
use crate::protocol::Event;
use crate::stomp::{StompMessage, TransportEvent, TransportSink};

type FirstConnect = oneshot::Sender<Result<(), String>>;

/// What the connection task reports, fed to the machine as it comes.
pub(crate) struct SessionSink {
    /// Weak: the driver keeps the session alive until the transport ends.
    shared: Weak<Shared>,
    first_connect: Mutex<Option<FirstConnect>>,
    /// Dropped when the transport ends (its `Closed`, or the task gone),
    /// which ends the driver.
    transport_open: Mutex<Option<oneshot::Sender<()>>>,
}

impl SessionSink {
    /// The sink, and what the driver waits on for the transport's end.
    pub(crate) fn new(
        shared: &Arc<Shared>,
        first_connect: FirstConnect,
    ) -> (SessionSink, oneshot::Receiver<()>) {
        let (open_tx, open_rx) = oneshot::channel();
        let sink = SessionSink {
            shared: Arc::downgrade(shared),
            first_connect: Mutex::new(Some(first_connect)),
            transport_open: Mutex::new(Some(open_tx)),
        };
        (sink, open_rx)
    }
}

impl TransportSink for SessionSink {
    fn deliver(&self, ev: TransportEvent) {
        if let TransportEvent::Closed = ev {
            take(&self.transport_open);
            return;
        }
        if let Some(shared) = self.shared.upgrade() {
            on_transport(&shared, ev, &self.first_connect);
            shared.rearm_driver();
        }
    }
}

/// Takes what a slot holds; a poisoned lock only means a panic elsewhere.
fn take<T>(slot: &Mutex<Option<T>>) -> Option<T> {
    slot.lock().unwrap_or_else(|e| e.into_inner()).take()
}

/// Runs until the transport ends, then closes the machine.
pub(crate) async fn run(shared: Arc<Shared>, mut transport_ended: oneshot::Receiver<()>) {
    loop {
        let wake_at = {
            let mut inner = shared.lock();
            inner.driver_wakes_at = inner.machine.next_wakeup();
            inner.driver_wakes_at.map(Instant::from_std)
        };
        tokio::select! {
            _ = &mut transport_ended => break,
            _ = sleep_until(wake_at) => shared.drive(|m, now| m.on_tick(now)),
            _ = shared.wake.notified() => {}
        }
    }
    shared.drive(|m, _| m.close());
}

async fn sleep_until(t: Option<Instant>) {
    match t {
        Some(t) => tokio::time::sleep_until(t).await,
        None => std::future::pending().await,
    }
}

fn on_transport(shared: &Shared, ev: TransportEvent, first_connect: &Mutex<Option<FirstConnect>>) {
    match ev {
        TransportEvent::Connecting { broker } => {
            tracing::debug!(%broker, "connecting to broker");
        }
        TransportEvent::Connected { broker, .. } => {
            tracing::info!(%broker, "broker connected");
            // The status first: `connect()` returns on the signal, and its
            // caller must find the client connected.
            shared.drive(|m, now| m.on_connected(broker.to_string(), now));
            if let Some(tx) = take(first_connect) {
                let _ = tx.send(Ok(()));
            }
        }
        TransportEvent::Disconnected { broker, reason } => {
            tracing::warn!(%broker, %reason, "broker connection lost");
            shared.lock().last_transport_error = Some(reason.clone());
            shared.drive(|m, now| m.on_disconnected(reason, now));
        }
        TransportEvent::Message(msg) => on_message(shared, msg),
        TransportEvent::BrokerError { message, body } => {
            tracing::warn!(%message, %body, "broker ERROR frame");
        }
        TransportEvent::Closed => {}
        TransportEvent::OversizedFrame { size, destination } => {
            shared.notify(Notification::OversizedFrame {
                size: size as u64,
                destination,
            })
        }
        TransportEvent::AuthRefused { broker, message } => {
            shared.notify(Notification::BrokerAuth {
                broker: broker.to_string(),
                message,
            })
        }
    }
}

fn on_message(shared: &Shared, msg: StompMessage) {
    let event = Event::parse_with(&msg.body, &shared.parse);
    let correlation_id = msg.correlation_id();
    tracing::trace!(
        correlation_id,
        kind = event.data.kind_name(),
        agent = event.agent.as_deref(),
        "event"
    );
    let broker_ms = msg.timestamp();
    shared.drive(|m, now| {
        if let Some(ts) = broker_ms {
            m.on_broker_clock(ts, now_ms());
        }
        m.on_event(event, correlation_id, now)
    });
}
