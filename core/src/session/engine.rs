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
        let wake_at = shared.lock().machine.next_wakeup().map(Instant::from_std);
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
            if let Some(tx) = first_connect.take() {
                let _ = tx.send(Ok(()));
            }
            shared.drive(|m, now| m.on_connected(broker.to_string(), now));
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
    }
}

fn on_message(shared: &Shared, msg: StompMessage) {
    track_skew(shared, msg.timestamp());
    let event = Event::parse_with(&msg.body, &shared.parse);
    let correlation_id = msg.correlation_id();
    tracing::trace!(
        correlation_id,
        kind = event.data.kind_name(),
        agent = event.agent.as_deref(),
        "event"
    );
    shared.drive(|m, now| m.on_event(event, correlation_id, now));
}

/// The broker stamps every MESSAGE; commands carry an absolute expiry, so a
/// skewed local clock silently drops or delays them: warn once per episode.
fn track_skew(shared: &Shared, broker_ts: Option<i64>) {
    let Some(ts) = broker_ts.filter(|t| *t > 0) else {
        return;
    };
    let skew = now_ms() - ts;
    let warn_at = shared.cfg.clock_skew_warn_ms.min(i64::MAX as u64) as i64;
    let mut inner = shared.lock();
    inner.skew_ms = Some(skew);
    let over = skew.abs() > warn_at;
    if over && !inner.skew_warned {
        inner.skew_warned = true;
        drop(inner);
        tracing::warn!(
            skew_ms = skew,
            "local clock differs from the broker's by more than {warn_at} ms; commands carry an absolute expiry and may be dropped or run late"
        );
        shared.notify(Notification::ClockSkew { skew_ms: skew });
    } else if !over {
        inner.skew_warned = false;
    }
}
