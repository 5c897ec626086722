//! The driver: a thin loop that feeds transport news and the clock to the
//! pure [`SessionState`](super::state::SessionState) and wakes it when its
//! next timer (Hello, Beat, a request's deadline, a re-login retry) is due.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

use super::shared::{now_ms, Shared};
use super::Notification;
use crate::protocol::Event;
use crate::stomp::{StompMessage, TransportEvent};

pub(crate) async fn run(
    shared: Arc<Shared>,
    mut rx: mpsc::UnboundedReceiver<TransportEvent>,
    first_connect: oneshot::Sender<Result<(), String>>,
) {
    let mut first_connect = Some(first_connect);
    loop {
        let wake_at = {
            let mut inner = shared.lock();
            inner.driver_wakes_at = inner.machine.next_wakeup();
            inner.driver_wakes_at.map(Instant::from_std)
        };
        tokio::select! {
            ev = rx.recv() => match ev {
                Some(TransportEvent::Closed) | None => break,
                Some(ev) => on_transport(&shared, ev, &mut first_connect),
            },
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

fn on_transport(
    shared: &Shared,
    ev: TransportEvent,
    first_connect: &mut Option<oneshot::Sender<Result<(), String>>>,
) {
    match ev {
        TransportEvent::Connecting { broker } => {
            tracing::debug!(%broker, "connecting to broker");
        }
        TransportEvent::Connected { broker, .. } => {
            tracing::info!(%broker, "broker connected");
            // The status first: `connect()` returns on the signal, and its
            // caller must find the client connected.
            shared.drive(|m, now| m.on_connected(broker.to_string(), now));
            if let Some(tx) = first_connect.take() {
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
