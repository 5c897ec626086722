use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::sync::broadcast;

use super::bus::BusReceiver;
use super::ConnectionStatus;
use crate::protocol::Event;

/// What a subscriber receives: GC events plus the client's own news.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "notification", rename_all = "snake_case")]
pub enum Notification {
    /// An event from GC (including `Unknown` and `Malformed` ones).
    // `GcEvent`: Kotlin nests variants in the sealed class, where `Event`
    // would shadow the record.
    #[cfg_attr(feature = "uniffi", uniffi(name = "GcEvent"))]
    Event(#[cfg_attr(feature = "uniffi", uniffi(name = "event"))] Event),
    /// The connection status changed.
    Status {
        status: ConnectionStatus,
        detail: Option<String>,
    },
    /// Local clock minus the broker's, when it exceeds the warning level
    /// (commands carry an absolute `expires`, so skew can drop them).
    ClockSkew { skew_ms: i64 },
    /// An automatic re-login finished (`error` is None on success).
    Relogin {
        agent: String,
        error: Option<String>,
    },
    /// This subscriber fell behind and `dropped` notifications were lost.
    Lagged { dropped: u64 },
    /// An inbound frame over `max_inbound_frame_bytes` was dropped unread;
    /// the connection and every agent carry on. `destination` is None when
    /// even its headers were over the limit.
    OversizedFrame {
        size: u64,
        destination: Option<String>,
    },
    /// The broker refused the client's login (user or passcode); unless
    /// `retry_on_auth_failure` is set the client stops trying.
    BrokerAuth { broker: String, message: String },
}

impl Notification {
    /// The kind's name in every binding: the event's
    /// ([`crate::protocol::EventData::kind_name`]) or the notification's
    /// (`status`, `relogin`, ...: a row of
    /// [`EVENT_KINDS`](crate::protocol::event_kinds::EVENT_KINDS) each, and
    /// the `notification` tag of the JSON form).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Notification::Event(e) => e.kind_name(),
            Notification::Status { .. } => "status",
            Notification::ClockSkew { .. } => "clock_skew",
            Notification::Relogin { .. } => "relogin",
            Notification::Lagged { .. } => "lagged",
            Notification::OversizedFrame { .. } => "oversized_frame",
            Notification::BrokerAuth { .. } => "broker_auth",
        }
    }

    pub fn event(&self) -> Option<&Event> {
        match self {
            Notification::Event(e) => Some(e),
            _ => None,
        }
    }
}

/// A subscription to a client's notifications, optionally for one agent.
///
/// Overflow policy: each receiver buffers `Config::event_buffer`
/// notifications and at most `Config::event_buffer_bytes` of them (the
/// newest one always, however large); a receiver that falls further behind
/// loses the oldest ones, is told how many with `Notification::Lagged`, and the client's
/// `dropped_events()` counter grows. The socket and heart-beats never wait
/// for a slow receiver.
pub struct EventReceiver {
    rx: BusReceiver,
    agent: Option<String>,
    dropped: Arc<AtomicU64>,
    closed: bool,
}

impl EventReceiver {
    pub(crate) fn new(rx: BusReceiver, agent: Option<String>, dropped: Arc<AtomicU64>) -> Self {
        EventReceiver {
            rx,
            agent,
            dropped,
            closed: false,
        }
    }

    /// A receiver that yields nothing (the client was already closed).
    pub(crate) fn ended(mut self) -> Self {
        self.closed = true;
        self
    }

    /// Remembers the Closed status so the next call ends the subscription.
    fn seen(&mut self, n: Notification) -> Option<Notification> {
        if matches!(
            n,
            Notification::Status {
                status: ConnectionStatus::Closed,
                ..
            }
        ) {
            self.closed = true;
        }
        Some(n)
    }

    fn wanted(&self, n: &Notification) -> bool {
        match (&self.agent, n) {
            (None, _) => true,
            (Some(agent), Notification::Event(e)) => e.agent.as_deref() == Some(agent.as_str()),
            (Some(agent), Notification::Relogin { agent: a, .. }) => a == agent,
            (Some(_), _) => true,
        }
    }

    fn lagged(&self, n: u64) -> Notification {
        self.dropped.fetch_add(n, Ordering::Relaxed);
        Notification::Lagged { dropped: n }
    }

    /// The next notification; `None` once the client is closed and drained.
    pub async fn recv(&mut self) -> Option<Notification> {
        if self.closed {
            return None;
        }
        loop {
            match self.rx.recv().await {
                Ok(n) if self.wanted(&n) => return self.seen(n),
                Ok(_) => continue,
                Err(broadcast::error::RecvError::Lagged(n)) => return Some(self.lagged(n)),
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    }

    /// The next GC event, skipping the client's own notifications.
    pub async fn next_event(&mut self) -> Option<Event> {
        loop {
            if let Notification::Event(e) = self.recv().await? {
                return Some(e);
            }
        }
    }

    /// For callers without an async runtime (must not be called from one).
    pub fn blocking_recv(&mut self) -> Option<Notification> {
        if self.closed {
            return None;
        }
        loop {
            match self.rx.blocking_recv() {
                Ok(n) if self.wanted(&n) => return self.seen(n),
                Ok(_) => continue,
                Err(broadcast::error::RecvError::Lagged(n)) => return Some(self.lagged(n)),
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    }

    /// Non-blocking poll: `Ok(None)` when nothing is waiting,
    /// `Err(Error::Closed)` once the client is closed and drained.
    pub fn try_recv(&mut self) -> Result<Option<Notification>, crate::Error> {
        if self.closed {
            return Err(crate::Error::Closed);
        }
        loop {
            match self.rx.try_recv() {
                Ok(n) if self.wanted(&n) => return Ok(self.seen(n)),
                Ok(_) => continue,
                Err(broadcast::error::TryRecvError::Empty) => return Ok(None),
                Err(broadcast::error::TryRecvError::Lagged(n)) => return Ok(Some(self.lagged(n))),
                Err(broadcast::error::TryRecvError::Closed) => return Err(crate::Error::Closed),
            }
        }
    }

    /// As a `futures::Stream`.
    pub fn into_stream(self) -> impl futures::Stream<Item = Notification> + Send + Unpin {
        Box::pin(futures::stream::unfold(self, |mut rx| async move {
            rx.recv().await.map(|n| (n, rx))
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::event_kinds::event_kind;

    #[test]
    fn every_notification_names_a_row_of_the_event_table_and_its_json_tag() {
        let all = [
            Notification::Status {
                status: ConnectionStatus::Closed,
                detail: None,
            },
            Notification::ClockSkew { skew_ms: 1 },
            Notification::Relogin {
                agent: "1001".into(),
                error: None,
            },
            Notification::Lagged { dropped: 1 },
            Notification::OversizedFrame {
                size: 1,
                destination: None,
            },
            Notification::BrokerAuth {
                broker: "b".into(),
                message: "m".into(),
            },
        ];
        for n in all {
            let row = event_kind(n.kind_name()).expect("a row of EVENT_KINDS");
            assert!(!row.from_gc, "{}", row.name);
            let json = serde_json::to_value(&n).unwrap();
            assert_eq!(json["notification"], n.kind_name());
        }
        let e = Notification::Event(Event::parse("System#IN_SERVICE"));
        assert_eq!(e.kind_name(), "system");
    }
}
