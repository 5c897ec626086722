//! Wake-ups of foreign awaits that need no interpreter lock.
//!
//! uniffi's async protocol has the foreign side pass a C callback with each
//! poll; waking the future calls it. Python's own callback takes the GIL
//! and schedules onto its event loop, so it cannot run on a tokio worker
//! (a worker would wait for the GIL while other agents' I/O waits for the
//! worker) and goes through the relay thread: two thread hops per reply.
//! Python instead passes [`gcclient_wake_continuation`], a Rust function
//! that records the poll's token in a [`WakeQueue`] and makes the queue's
//! file descriptor readable; the event loop watches that descriptor
//! (`add_reader`) and drains the tokens. One hop, no GIL taken off the
//! loop's thread, and at many requests in flight one wake-up serves all the
//! replies that arrived together.
//!
//! A poll's token is `queue id << SEQ_BITS | seq`; [`WakeQueue::drain`]
//! returns `seq << 1 | poll code` for each wake-up.
//!
//! A future that is ready when polled calls its continuation at once, on
//! the polling thread. Polled through [`gcclient_wake_poll`], that answer
//! is returned to the caller instead of queued, so the loop does not go
//! round once more (a socket write, a wake of its selector, a drain) to
//! learn what the poll already knew.

use std::cell::Cell;
use std::io::{ErrorKind, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use crate::error::GcError;

/// Bits of a token that are the poll's sequence number; the rest is the
/// queue's id.
const SEQ_BITS: u32 = 40;

/// Set once a queue exists: foreign futures are then woken by a plain Rust
/// call (see [`crate::runtime::relayed`]).
static IN_USE: AtomicBool = AtomicBool::new(false);

/// Set when foreign code also awaits with a callback of its own (uniffi's
/// path, for a loop that cannot watch a descriptor): such a callback takes
/// the interpreter's lock, so wake-ups go through the relay again.
static RELAY_NEEDED: AtomicBool = AtomicBool::new(false);

/// Whether a wake-up may be a plain call on the waking thread.
pub(crate) fn wakes_directly() -> bool {
    IN_USE.load(Ordering::Acquire) && !RELAY_NEEDED.load(Ordering::Acquire)
}

/// Called by foreign code before it polls a future with a callback of its
/// own (not [`gcclient_wake_continuation`]): from then on every wake-up
/// goes through the relay thread.
#[uniffi::export]
pub fn wake_through_relay() {
    RELAY_NEEDED.store(true, Ordering::Release);
}

struct Queue {
    ready: Mutex<Vec<u64>>,
    /// A byte is in the socket (or on its way) since the last drain.
    signalled: AtomicBool,
    notify: UnixStream,
    watch: UnixStream,
}

impl Queue {
    /// Empties the socket, then lets `take` remove wake-ups in order; any it
    /// leaves keep the descriptor readable.
    fn drain_with<R>(&self, take: impl FnOnce(&mut Vec<u64>) -> R) -> R {
        let mut sink = [0u8; 64];
        loop {
            match (&self.watch).read(&mut sink) {
                // A full read may have left more; a short one emptied it.
                Ok(n) if n == sink.len() => continue,
                Ok(_) => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
        // After emptying the socket: a push from now on writes a new byte.
        self.signalled.store(false, Ordering::Release);
        let mut ready = self.ready.lock().unwrap_or_else(|p| p.into_inner());
        let taken = take(&mut ready);
        let left = !ready.is_empty();
        drop(ready);
        if left {
            self.signal();
        }
        taken
    }

    fn signal(&self) {
        if !self.signalled.swap(true, Ordering::AcqRel) {
            // WouldBlock: the socket is full of earlier bytes, so the
            // loop is already woken.
            let _ = (&self.notify).write(&[1]);
        }
    }

    fn push(&self, seq: u64, poll: i8) {
        self.ready
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(seq << 1 | u64::from(poll != 0));
        self.signal();
    }
}

/// uniffi's `rust_future_poll_*`: (future handle, continuation, its data).
type PollFn = extern "C" fn(u64, extern "C" fn(u64, i8), u64);

thread_local! {
    /// The token this thread is polling through [`gcclient_wake_poll`], and
    /// whether its future answered ready during the poll.
    static POLLING: Cell<Option<(u64, bool)>> = const { Cell::new(None) };
}

/// Polls a uniffi future with [`gcclient_wake_continuation`] and token
/// `data`. Returns 0 when the future was ready during the poll (nothing is
/// queued for it), 1 when its wake-up will come through the queue, -1 when
/// `poll` is null (nothing was polled).
#[no_mangle]
pub extern "C" fn gcclient_wake_poll(poll: Option<PollFn>, handle: u64, data: u64) -> i8 {
    let Some(poll) = poll else {
        return -1;
    };
    let outer = POLLING
        .try_with(|p| p.replace(Some((data, false))))
        .ok()
        .flatten();
    poll(handle, gcclient_wake_continuation, data);
    let ready = POLLING
        .try_with(|p| p.replace(outer))
        .ok()
        .flatten()
        .is_some_and(|(_, ready)| ready);
    if ready {
        0
    } else {
        1
    }
}

/// Whether `data`'s ready answer is the one [`gcclient_wake_poll`] is
/// waiting for on this thread (then it is noted there, not queued).
fn answered_in_poll(data: u64, poll: i8) -> bool {
    poll == 0
        && POLLING
            .try_with(|p| match p.get() {
                Some((token, false)) if token == data => {
                    p.set(Some((token, true)));
                    true
                }
                _ => false,
            })
            .unwrap_or(false)
}

/// Live queues by id (a slot is emptied by [`WakeQueue::retire`]).
static QUEUES: RwLock<Vec<Option<Arc<Queue>>>> = RwLock::new(Vec::new());

/// The continuation callback foreign code passes to uniffi's future poll
/// in place of its own: `data` is a token from [`WakeQueue::token_base`].
/// Never unwinds (it is called from C and from tokio's workers).
#[no_mangle]
pub extern "C" fn gcclient_wake_continuation(data: u64, poll: i8) {
    if answered_in_poll(data, poll) {
        return;
    }
    // No queue: its event loop is gone, and nothing awaits the future.
    if let Some(q) = queue_of(data) {
        q.push(data & ((1 << SEQ_BITS) - 1), poll);
    }
}

/// The live queue a token (or a queue's token base) names.
fn queue_of(token: u64) -> Option<Arc<Queue>> {
    QUEUES
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .get((token >> SEQ_BITS) as usize)
        .cloned()
        .flatten()
}

/// [`WakeQueue::drain`] for the event loop's hot path, with no uniffi call
/// around it (a handle clone, a buffer to lift and free): moves up to `cap`
/// of the wake-ups of the queue whose token base is `base` into `out`, in
/// order, and returns how many. Wake-ups left over keep the descriptor
/// readable. Returns 0, draining nothing, when `out` is null, `cap` is 0 or
/// the queue is retired. Never unwinds.
///
/// # Safety
/// `out` must be valid for writes of `cap` values.
#[no_mangle]
pub unsafe extern "C" fn gcclient_wake_drain(base: u64, out: *mut u64, cap: usize) -> usize {
    if out.is_null() || cap == 0 {
        return 0;
    }
    let Some(q) = queue_of(base) else {
        return 0;
    };
    // SAFETY: the caller's buffer, valid for `cap` writes (this function's contract).
    let out = unsafe { std::slice::from_raw_parts_mut(out, cap) };
    q.drain_with(|ready| {
        let n = ready.len().min(cap);
        for (slot, wake) in out.iter_mut().zip(ready.drain(..n)) {
            *slot = wake;
        }
        n
    })
}

/// The wake-ups of one foreign event loop.
#[derive(uniffi::Object)]
pub struct WakeQueue {
    id: usize,
    queue: Arc<Queue>,
}

impl std::fmt::Debug for WakeQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WakeQueue").field("id", &self.id).finish()
    }
}

#[uniffi::export]
impl WakeQueue {
    #[uniffi::constructor]
    pub fn new() -> Result<Arc<Self>, GcError> {
        let internal = |e: std::io::Error| GcError::Internal {
            detail: format!("cannot create a wake-up socket: {e}"),
        };
        let (notify, watch) = UnixStream::pair().map_err(internal)?;
        notify.set_nonblocking(true).map_err(internal)?;
        watch.set_nonblocking(true).map_err(internal)?;
        let queue = Arc::new(Queue {
            ready: Mutex::new(Vec::new()),
            signalled: AtomicBool::new(false),
            notify,
            watch,
        });
        let mut queues = QUEUES.write().unwrap_or_else(|p| p.into_inner());
        let id = match queues.iter().position(Option::is_none) {
            Some(free) => free,
            None => {
                queues.push(None);
                queues.len() - 1
            }
        };
        queues[id] = Some(queue.clone());
        IN_USE.store(true, Ordering::Release);
        Ok(Arc::new(WakeQueue { id, queue }))
    }

    /// The descriptor that turns readable when tokens are ready.
    pub fn fd(&self) -> i32 {
        self.queue.watch.as_raw_fd()
    }

    /// OR a poll's sequence number (below 2^40) into this to make its token.
    pub fn token_base(&self) -> u64 {
        (self.id as u64) << SEQ_BITS
    }

    /// The wake-ups since the last drain, each `seq << 1 | poll code`
    /// (0: ready, 1: poll again), in the order they came.
    pub fn drain(&self) -> Vec<u64> {
        self.queue.drain_with(std::mem::take)
    }

    /// Stops this queue (its event loop is gone): later wake-ups for it
    /// are dropped and its id can be reused. (Not `close`: uniffi's Kotlin
    /// objects have a `close()` of their own.)
    pub fn retire(&self) {
        let mut queues = QUEUES.write().unwrap_or_else(|p| p.into_inner());
        if let Some(slot) = queues.get_mut(self.id) {
            if slot.as_ref().is_some_and(|q| Arc::ptr_eq(q, &self.queue)) {
                *slot = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wake_up_is_drained_once_in_order_and_signals_the_descriptor() {
        let q = WakeQueue::new().unwrap();
        let base = q.token_base();
        gcclient_wake_continuation(base | 7, 1);
        gcclient_wake_continuation(base | 9, 0);
        let mut byte = [0u8; 1];
        assert_eq!((&q.queue.watch).read(&mut byte).unwrap(), 1);
        assert_eq!(q.drain(), vec![7 << 1 | 1, 9 << 1]);
        assert!(q.drain().is_empty());
        // Signalled again after a drain.
        gcclient_wake_continuation(base | 3, 0);
        assert_eq!(q.drain(), vec![3 << 1]);
        q.retire();
        gcclient_wake_continuation(base | 4, 0);
        assert!(q.drain().is_empty(), "a retired queue takes no wake-ups");
    }

    extern "C" fn ready_at_once(_handle: u64, cb: extern "C" fn(u64, i8), data: u64) {
        cb(data, 0);
    }

    extern "C" fn pending(_handle: u64, _cb: extern "C" fn(u64, i8), _data: u64) {}

    extern "C" fn woken_from_another_thread(_handle: u64, cb: extern "C" fn(u64, i8), data: u64) {
        std::thread::spawn(move || cb(data, 1)).join().unwrap();
    }

    #[test]
    fn a_future_ready_during_the_poll_is_answered_there_and_not_queued() {
        let q = WakeQueue::new().unwrap();
        let base = q.token_base();
        assert_eq!(gcclient_wake_poll(Some(ready_at_once), 1, base | 5), 0);
        assert!(q.drain().is_empty(), "a ready poll queues nothing");
        assert_eq!(gcclient_wake_poll(Some(pending), 1, base | 6), 1);
        assert!(q.drain().is_empty());
        // A wake-up from another thread during the poll is queued as usual.
        assert_eq!(
            gcclient_wake_poll(Some(woken_from_another_thread), 1, base | 7),
            1
        );
        assert_eq!(q.drain(), vec![7 << 1 | 1]);
        // Outside a poll, a ready answer is queued.
        gcclient_wake_continuation(base | 8, 0);
        assert_eq!(q.drain(), vec![8 << 1]);
        assert_eq!(gcclient_wake_poll(None, 1, base | 9), -1);
        q.retire();
    }

    /// Whether the descriptor is readable (takes the byte that made it so).
    fn readable(q: &WakeQueue) -> bool {
        let mut byte = [0u8; 1];
        matches!((&q.queue.watch).read(&mut byte), Ok(1))
    }

    #[test]
    fn the_raw_drain_hands_over_at_most_cap_in_order_and_keeps_the_rest_signalled() {
        let q = WakeQueue::new().unwrap();
        let base = q.token_base();
        for seq in 1..=5 {
            gcclient_wake_continuation(base | seq, (seq % 2) as i8);
        }
        let mut out = [0u64; 3];
        // SAFETY: `out` holds 3 values.
        assert_eq!(unsafe { gcclient_wake_drain(base, out.as_mut_ptr(), 3) }, 3);
        assert_eq!(out, [1 << 1 | 1, 2 << 1, 3 << 1 | 1]);
        assert!(
            readable(&q),
            "two wake-ups are left: the loop must come back for them"
        );
        // SAFETY: as above.
        assert_eq!(unsafe { gcclient_wake_drain(base, out.as_mut_ptr(), 3) }, 2);
        assert_eq!(out[..2], [4 << 1, 5 << 1 | 1]);
        assert!(!readable(&q), "nothing left, nothing signalled");
        // Null or empty buffers drain nothing.
        gcclient_wake_continuation(base | 6, 0);
        // SAFETY: null and zero-length buffers are refused before any write.
        unsafe {
            assert_eq!(gcclient_wake_drain(base, std::ptr::null_mut(), 3), 0);
            assert_eq!(gcclient_wake_drain(base, out.as_mut_ptr(), 0), 0);
        }
        assert_eq!(q.drain(), vec![6 << 1]);
        q.retire();
        gcclient_wake_continuation(base | 7, 0);
        // SAFETY: as above.
        assert_eq!(unsafe { gcclient_wake_drain(base, out.as_mut_ptr(), 3) }, 0);
    }

    #[test]
    fn a_token_of_an_unknown_queue_is_ignored() {
        gcclient_wake_continuation(u64::MAX, 0);
    }
}
