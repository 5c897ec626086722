//! The broker's answer to one frame (RECEIPT or why not), from the
//! transport task to the sender.
//!
//! Unlike a oneshot channel, the waiting side chooses whether a success
//! wakes it: a command that waits for GC's reply anyway asks only for a
//! failure ([`Receipt::poll_failure`]) and looks at the receipt once the
//! reply is in, so a RECEIPT costs no thread wake-up (with many commands in
//! flight, wake-ups between runtime threads were the client's largest cost,
//! docs/benchmarks.md).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use super::transport::TransportError;

type Outcome = Result<(), TransportError>;

#[derive(Default)]
struct State {
    outcome: Option<Outcome>,
    waker: Option<Waker>,
    /// The waiter wants to hear of a success too.
    wake_on_ok: bool,
}

#[derive(Default)]
struct Slot(Mutex<State>);

impl Slot {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // Nothing panics while holding the lock; a poisoned one still holds
        // a consistent state.
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The transport's end: answered exactly once, `Closed` when dropped
/// unanswered (the task ended).
pub(crate) struct ReceiptSender(Option<Arc<Slot>>);

/// The sender's end: a future of the outcome.
pub struct Receipt(Arc<Slot>);

pub(crate) fn receipt() -> (ReceiptSender, Receipt) {
    let slot = Arc::new(Slot::default());
    (ReceiptSender(Some(slot.clone())), Receipt(slot))
}

impl ReceiptSender {
    pub(crate) fn send(mut self, outcome: Outcome) {
        if let Some(slot) = self.0.take() {
            complete(&slot, outcome);
        }
    }
}

impl Drop for ReceiptSender {
    fn drop(&mut self) {
        if let Some(slot) = self.0.take() {
            complete(&slot, Err(TransportError::Closed));
        }
    }
}

fn complete(slot: &Slot, outcome: Outcome) {
    let waker = {
        let mut st = slot.lock();
        let wake = outcome.is_err() || st.wake_on_ok;
        st.outcome = Some(outcome);
        if wake {
            st.waker.take()
        } else {
            None
        }
    };
    if let Some(w) = waker {
        w.wake();
    }
}

impl Receipt {
    /// Ready with the error if the broker refused the frame (or it was
    /// lost); stays pending on a success, which does not wake the task.
    pub fn poll_failure(&self, cx: &mut Context<'_>) -> Poll<TransportError> {
        let mut st = self.0.lock();
        match &st.outcome {
            Some(Err(e)) => Poll::Ready(e.clone()),
            Some(Ok(())) => Poll::Pending,
            None => {
                register(&mut st, cx);
                Poll::Pending
            }
        }
    }
}

fn register(st: &mut State, cx: &mut Context<'_>) {
    match &st.waker {
        Some(w) if w.will_wake(cx.waker()) => {}
        _ => st.waker = Some(cx.waker().clone()),
    }
}

impl Future for Receipt {
    type Output = Outcome;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Outcome> {
        let mut st = self.0.lock();
        match &st.outcome {
            Some(outcome) => Poll::Ready(outcome.clone()),
            None => {
                st.wake_on_ok = true;
                register(&mut st, cx);
                Poll::Pending
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::Wake;

    struct Count(AtomicUsize);
    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn counting() -> (Arc<Count>, Waker) {
        let c = Arc::new(Count(AtomicUsize::new(0)));
        (c.clone(), Waker::from(c))
    }

    #[test]
    fn a_success_does_not_wake_a_waiter_for_failures_only() {
        let (tx, rx) = receipt();
        let (count, waker) = counting();
        let mut cx = Context::from_waker(&waker);
        assert!(rx.poll_failure(&mut cx).is_pending());
        tx.send(Ok(()));
        assert_eq!(count.0.load(Ordering::SeqCst), 0);
        assert!(rx.poll_failure(&mut cx).is_pending());
        let mut rx = rx;
        assert_eq!(Pin::new(&mut rx).poll(&mut cx), Poll::Ready(Ok(())));
    }

    #[test]
    fn a_failure_wakes_a_waiter_for_failures() {
        let (tx, rx) = receipt();
        let (count, waker) = counting();
        let mut cx = Context::from_waker(&waker);
        assert!(rx.poll_failure(&mut cx).is_pending());
        tx.send(Err(TransportError::NotConnected));
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
        assert_eq!(
            rx.poll_failure(&mut cx),
            Poll::Ready(TransportError::NotConnected)
        );
    }

    #[test]
    fn a_success_wakes_the_future_and_a_dropped_sender_is_closed() {
        let (count, waker) = counting();
        let mut cx = Context::from_waker(&waker);
        let (tx, mut rx) = receipt();
        assert!(Pin::new(&mut rx).poll(&mut cx).is_pending());
        tx.send(Ok(()));
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
        assert_eq!(Pin::new(&mut rx).poll(&mut cx), Poll::Ready(Ok(())));

        let (tx, mut rx) = receipt();
        assert!(rx.poll_failure(&mut cx).is_pending());
        drop(tx);
        assert_eq!(count.0.load(Ordering::SeqCst), 2);
        assert_eq!(
            Pin::new(&mut rx).poll(&mut cx),
            Poll::Ready(Err(TransportError::Closed))
        );
    }
}
