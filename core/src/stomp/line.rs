//! The live broker connection as every sender shares it.
//!
//! A sender writes its own frame: it takes the lock, encodes the frame into
//! the connection's write buffer, files its receipt and writes the buffer
//! out, all on its own thread. Handing the frame to the connection task
//! instead cost a thread wake-up per command for every caller outside the
//! runtime (every binding), which on a busy 2-core machine is 20-50 µs
//! (docs/benchmarks.md). The task still reads, keeps heart-beats, times
//! receipts out, and finishes any write a sender could not finish at once
//! (the socket's buffer was full), so a sender never waits for the socket.
//!
//! One lock orders everything written, so frames go out in the order their
//! senders took it.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use futures::{Sink, Stream};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::Notify;
use tokio::time::Instant;
use tokio_util::codec::Framed;

use super::codec::{CodecError, Incoming, Outgoing, StompCodec};
use super::frame::Frame;
use super::receipt::{receipt, Receipt, ReceiptSender};
use super::transport::TransportError;

pub(crate) trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}
pub(crate) type Conn = Framed<Box<dyn Io>, StompCodec>;

/// The frames written on this connection that await the broker's answer.
pub(crate) type Receipts = HashMap<String, (ReceiptSender, Instant)>;

/// An established connection, published once its subscriptions are
/// confirmed.
pub(crate) struct Link {
    pub conn: Conn,
    pub receipts: Receipts,
    pub last_write: Instant,
    /// Since when bytes wait in the write buffer that a sender could not
    /// write at once; the task writes them, or gives the connection up
    /// after its write timeout.
    pub unflushed_since: Option<Instant>,
    /// A sender's write failed: the connection is lost.
    pub failed: Option<String>,
    receipt_timeout: Duration,
}

#[derive(Default)]
struct Slot {
    link: Option<Link>,
    /// After [`Line::close`]: sends fail with `Closed`, not `NotConnected`.
    closed: bool,
}

#[derive(Default)]
pub(crate) struct Line {
    slot: Mutex<Slot>,
    /// Tells the task that the write buffer or the link's state needs it.
    pub needs_task: Notify,
    next_id: AtomicU64,
}

impl Line {
    fn lock(&self) -> MutexGuard<'_, Slot> {
        // Nothing panics while holding the lock; a poisoned one still holds
        // a consistent connection.
        self.slot.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A receipt id unique on this transport.
    pub fn id(&self, prefix: &str) -> String {
        format!(
            "{prefix}-{}",
            self.next_id.fetch_add(1, Ordering::Relaxed) + 1
        )
    }

    pub fn publish(&self, conn: Conn, receipt_timeout: Duration) {
        self.lock().link = Some(Link {
            conn,
            receipts: HashMap::new(),
            last_write: Instant::now(),
            unflushed_since: None,
            failed: None,
            receipt_timeout,
        });
    }

    /// Takes the connection back: from now on sends fail at once.
    pub fn take(&self) -> Option<Link> {
        self.lock().link.take()
    }

    /// Sends fail with `Closed` from now on (what was written stays written).
    pub fn close(&self) {
        self.lock().closed = true;
    }

    pub fn with<R>(&self, f: impl FnOnce(&mut Link) -> R) -> Option<R> {
        self.lock().link.as_mut().map(f)
    }

    /// Writes `frame` with a `receipt` header and returns the wait for the
    /// broker's answer. Fails at once, with nothing written, when offline.
    pub fn send(&self, frame: Frame, prefix: &str) -> Result<Receipt, TransportError> {
        let (reply, rx) = receipt();
        self.send_with(frame, prefix, reply)?;
        Ok(rx)
    }

    /// As [`Line::send`], answering an existing receipt. On an error the
    /// receipt is dropped unanswered (which answers it `Closed`), so callers
    /// that need the error itself use the returned one.
    pub fn send_with(
        &self,
        mut frame: Frame,
        prefix: &str,
        reply: ReceiptSender,
    ) -> Result<(), TransportError> {
        let mut slot = self.lock();
        if slot.closed {
            return Err(TransportError::Closed);
        }
        let Some(link) = slot.link.as_mut() else {
            return Err(TransportError::NotConnected);
        };
        let id = self.id(prefix);
        frame.headers.push(("receipt".into(), id.clone()));
        if let Err(e) = Pin::new(&mut link.conn).start_send(Outgoing::Frame(frame)) {
            return Err(TransportError::InvalidFrame(e.to_string()));
        }
        let deadline = Instant::now() + link.receipt_timeout;
        link.receipts.insert(id, (reply, deadline));
        let wake_task = link.write_out();
        drop(slot);
        if wake_task {
            self.needs_task.notify_one();
        }
        Ok(())
    }

    /// The task's read: the next frame, or why the connection ended.
    pub fn poll_next(&self, cx: &mut Context<'_>) -> Poll<Option<Result<Incoming, CodecError>>> {
        match self.lock().link.as_mut() {
            Some(link) => Pin::new(&mut link.conn).poll_next(cx),
            None => Poll::Ready(None),
        }
    }

    /// The task's write of what senders left in the buffer.
    pub fn poll_flush(&self, cx: &mut Context<'_>) -> Poll<Result<(), String>> {
        let mut slot = self.lock();
        let Some(link) = slot.link.as_mut() else {
            return Poll::Ready(Ok(()));
        };
        match Sink::<Outgoing>::poll_flush(Pin::new(&mut link.conn), cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Ok(())) => {
                link.unflushed_since = None;
                link.last_write = Instant::now();
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(format!("write failed: {e}"))),
        }
    }
}

impl Link {
    /// The task's heart-beat: what the socket cannot take now is left in
    /// `unflushed_since` (or `failed`), which the task looks at next.
    pub fn heartbeat(&mut self) {
        if Pin::new(&mut self.conn)
            .start_send(Outgoing::HeartBeat)
            .is_ok()
        {
            self.write_out();
        }
    }

    /// Writes the buffer without waiting for the socket. `true` when the
    /// task must take over: the write is unfinished or failed.
    fn write_out(&mut self) -> bool {
        if self.unflushed_since.is_some() {
            // The task is writing (its waker is registered with the socket,
            // which a poll from here would replace); it writes these bytes too.
            return false;
        }
        let mut cx = Context::from_waker(Waker::noop());
        match Sink::<Outgoing>::poll_flush(Pin::new(&mut self.conn), &mut cx) {
            Poll::Ready(Ok(())) => {
                self.last_write = Instant::now();
                false
            }
            Poll::Pending => {
                self.unflushed_since = Some(Instant::now());
                true
            }
            Poll::Ready(Err(e)) => {
                self.failed = Some(format!("write failed: {e}"));
                true
            }
        }
    }
}
