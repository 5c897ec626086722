//! The notification fan-out: one queue shared by every subscriber of a
//! client, bounded in count **and** bytes.
//!
//! `tokio::sync::broadcast` bounds only the count, so 40 buffered 10 MB
//! events held 400 MB and more for a subscriber that was alive but not
//! reading. Here the oldest notifications go once either bound is passed
//! (the newest one always stays, however large), and a subscriber that
//! missed some is told how many, as with `broadcast`'s `Lagged`.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::sync::Notify;

use super::Notification;

/// What a notification is counted as: its text roughly twice (the raw
/// body plus the fields parsed from it) and a fixed overhead.
pub(crate) fn weight(n: &Notification) -> usize {
    const OVERHEAD: usize = 128;
    match n {
        Notification::Event(e) => OVERHEAD + e.raw.len() * 2,
        Notification::Status { detail, .. } => OVERHEAD + detail.as_ref().map_or(0, String::len),
        Notification::Relogin { agent, error } => {
            OVERHEAD + agent.len() + error.as_ref().map_or(0, String::len)
        }
        Notification::OversizedFrame { destination, .. } => {
            OVERHEAD + destination.as_ref().map_or(0, String::len)
        }
        Notification::BrokerAuth { broker, message } => OVERHEAD + broker.len() + message.len(),
        Notification::ClockSkew { .. } | Notification::Lagged { .. } => OVERHEAD,
    }
}

struct State {
    queue: VecDeque<(Notification, usize)>,
    /// Sequence number of `queue[0]`.
    head: u64,
    bytes: usize,
    max_count: usize,
    max_bytes: usize,
    /// Each live receiver's next sequence number.
    receivers: Vec<Weak<AtomicU64>>,
    closed: bool,
}

impl State {
    fn tail(&self) -> u64 {
        self.head + self.queue.len() as u64
    }

    fn pop_front(&mut self) {
        if let Some((_, w)) = self.queue.pop_front() {
            self.bytes -= w;
            self.head += 1;
        }
    }
}

struct Inner {
    state: Mutex<State>,
    notify: Notify,
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The sending side; dropping it ends every subscription once drained.
pub(crate) struct Bus {
    inner: Arc<Inner>,
}

impl Bus {
    pub fn new(max_count: usize, max_bytes: usize) -> Bus {
        Bus {
            inner: Arc::new(Inner {
                state: Mutex::new(State {
                    queue: VecDeque::new(),
                    head: 0,
                    bytes: 0,
                    max_count: max_count.max(1),
                    max_bytes,
                    receivers: Vec::new(),
                    closed: false,
                }),
                notify: Notify::new(),
            }),
        }
    }

    /// Queues `n` for every current subscriber; without any it is dropped.
    #[cfg(test)]
    pub fn send(&self, n: Notification) {
        self.send_all([n], || {});
    }

    /// Queues `notes` in order as [`Bus::send`] does, as one step, and runs
    /// `alongside` within it: a subscription is taken before or after all
    /// of them, and whoever `alongside` wakes (the status watch's waiters)
    /// and subscribes at once starts after them, so it does not receive
    /// what it was woken for, or what came with it, as news. `alongside`
    /// must not touch the bus.
    pub fn send_all(
        &self,
        notes: impl IntoIterator<Item = Notification>,
        alongside: impl FnOnce(),
    ) {
        let mut s = self.inner.lock();
        alongside();
        s.receivers.retain(|r| r.strong_count() > 0);
        let Some(slowest) = s
            .receivers
            .iter()
            .filter_map(Weak::upgrade)
            .map(|p| p.load(Ordering::Acquire))
            .min()
        else {
            return;
        };
        // Everything every subscriber has read goes first.
        while s.head < slowest && !s.queue.is_empty() {
            s.pop_front();
        }
        for n in notes {
            let w = weight(&n);
            s.queue.push_back((n, w));
            s.bytes += w;
            while s.queue.len() > s.max_count || (s.bytes > s.max_bytes && s.queue.len() > 1) {
                s.pop_front();
            }
        }
        drop(s);
        self.inner.notify.notify_waiters();
    }

    /// A subscription that sees what is sent from now on.
    pub fn subscribe(&self) -> BusReceiver {
        let mut s = self.inner.lock();
        let next = Arc::new(AtomicU64::new(s.tail()));
        s.receivers.push(Arc::downgrade(&next));
        BusReceiver {
            inner: self.inner.clone(),
            next,
        }
    }

    #[cfg(test)]
    fn buffered_bytes(&self) -> usize {
        self.inner.lock().bytes
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        self.inner.lock().closed = true;
        self.inner.notify.notify_waiters();
    }
}

pub(crate) struct BusReceiver {
    inner: Arc<Inner>,
    next: Arc<AtomicU64>,
}

impl BusReceiver {
    pub fn try_recv(&mut self) -> Result<Notification, TryRecvError> {
        let s = self.inner.lock();
        let next = self.next.load(Ordering::Acquire);
        if next < s.head {
            self.next.store(s.head, Ordering::Release);
            return Err(TryRecvError::Lagged(s.head - next));
        }
        match s.queue.get((next - s.head) as usize) {
            Some((n, _)) => {
                let n = n.clone();
                self.next.store(next + 1, Ordering::Release);
                Ok(n)
            }
            None if s.closed => Err(TryRecvError::Closed),
            None => Err(TryRecvError::Empty),
        }
    }

    pub async fn recv(&mut self) -> Result<Notification, RecvError> {
        let inner = self.inner.clone();
        loop {
            let notified = inner.notify.notified();
            tokio::pin!(notified);
            // Registered before looking, so a send in between is not missed.
            notified.as_mut().enable();
            match self.try_recv() {
                Ok(n) => return Ok(n),
                Err(TryRecvError::Lagged(k)) => return Err(RecvError::Lagged(k)),
                Err(TryRecvError::Closed) => return Err(RecvError::Closed),
                Err(TryRecvError::Empty) => notified.await,
            }
        }
    }

    /// For callers without an async runtime (must not be called from one).
    pub fn blocking_recv(&mut self) -> Result<Notification, RecvError> {
        futures::executor::block_on(self.recv())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Event;

    fn big(kb: usize) -> Notification {
        Notification::Event(Event::parse(&format!("Unknown#{}", "x".repeat(kb * 1024))))
    }

    /// Issue 24: 40 events of 10 MB for a subscriber alive but not reading
    /// reached 883 MB. Now the buffer stays within its byte bound and the
    /// subscriber learns how many it lost.
    #[test]
    fn bytes_are_bounded_and_losses_counted() {
        let bus = Bus::new(4096, 4 << 20);
        let mut slow = bus.subscribe();
        for _ in 0..40 {
            bus.send(big(512)); // just over 1 MiB each by weight: 3 fit
            assert!(bus.buffered_bytes() <= 4 << 20, "{}", bus.buffered_bytes());
        }
        match slow.try_recv() {
            Err(TryRecvError::Lagged(k)) => assert_eq!(k, 37),
            other => panic!("expected Lagged, got {other:?}"),
        }
        for _ in 0..3 {
            assert!(slow.try_recv().is_ok());
        }
        assert!(matches!(slow.try_recv(), Err(TryRecvError::Empty)));
    }

    #[test]
    fn one_notification_over_the_bound_still_arrives() {
        let bus = Bus::new(16, 4096);
        let mut rx = bus.subscribe();
        bus.send(big(64));
        assert!(matches!(rx.try_recv(), Ok(Notification::Event(_))));
    }

    #[test]
    fn count_bound_and_fan_out_and_close() {
        let bus = Bus::new(2, 1 << 20);
        let mut a = bus.subscribe();
        let mut b = bus.subscribe();
        for i in 0..3 {
            bus.send(Notification::ClockSkew { skew_ms: i });
        }
        assert!(matches!(a.try_recv(), Err(TryRecvError::Lagged(1))));
        assert_eq!(
            a.try_recv().unwrap(),
            Notification::ClockSkew { skew_ms: 1 }
        );
        assert!(matches!(b.try_recv(), Err(TryRecvError::Lagged(1))));
        let late = bus.subscribe();
        drop(late);
        drop(bus);
        assert_eq!(
            a.try_recv().unwrap(),
            Notification::ClockSkew { skew_ms: 2 }
        );
        assert!(matches!(a.try_recv(), Err(TryRecvError::Closed)));
        assert_eq!(
            b.blocking_recv().unwrap(),
            Notification::ClockSkew { skew_ms: 1 }
        );
    }

    #[tokio::test]
    async fn recv_wakes_on_send() {
        let bus = Arc::new(Bus::new(8, 1 << 20));
        let mut rx = bus.subscribe();
        let sender = bus.clone();
        let t = tokio::spawn(async move { rx.recv().await });
        tokio::task::yield_now().await;
        sender.send(Notification::Lagged { dropped: 7 });
        let got = tokio::time::timeout(std::time::Duration::from_secs(10), t)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(got.unwrap(), Notification::Lagged { dropped: 7 });
    }

    #[test]
    fn a_subscription_taken_by_whoever_alongside_wakes_starts_after_the_notes() {
        let bus = Arc::new(Bus::new(16, 1 << 20));
        let _early = bus.subscribe();
        let mut late = None;
        bus.send_all(
            [
                Notification::ClockSkew { skew_ms: 1 },
                Notification::ClockSkew { skew_ms: 2 },
            ],
            || {
                let bus = bus.clone();
                late = Some(std::thread::spawn(move || bus.subscribe()));
                // Gives the subscriber time to get in, if it may.
                std::thread::sleep(std::time::Duration::from_millis(20));
            },
        );
        let mut late = late.unwrap().join().unwrap();
        assert!(matches!(late.try_recv(), Err(TryRecvError::Empty)));
    }
}
