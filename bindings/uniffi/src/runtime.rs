//! Running the core's futures on the library runtime.

use std::future::Future;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use crate::error::GcError;

/// Awaits `fut` from any executor (the foreign language's event loop or
/// coroutine dispatcher), polling it on the thread that awaits, inside the
/// library runtime's context: the command's frame is written from that
/// thread (spawning it onto a runtime worker cost a thread wake-up per
/// command), while the runtime still drives the I/O and timers it waits
/// on. Dropping the await (a cancelled asyncio task or Kotlin coroutine)
/// drops `fut`, and with it the command's pending request.
pub(crate) async fn run<T, F>(fut: F) -> Result<T, GcError>
where
    F: Future<Output = gcclient::Result<T>> + Send + 'static,
    T: Send + 'static,
{
    let mut fut = std::pin::pin!(fut);
    relayed(std::future::poll_fn(move |cx| {
        let _runtime = gcclient::blocking::runtime().enter();
        fut.as_mut().poll(cx)
    }))
    .await
    .map_err(GcError::from)
}

/// Blocks the calling (foreign, non-runtime) thread on `fut`.
pub(crate) fn block_on<T>(fut: impl Future<Output = T>) -> Result<T, GcError> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(GcError::Config {
            detail: "blocking gcclient call made from a library thread; use the async API".into(),
        });
    }
    Ok(gcclient::blocking::runtime().block_on(fut))
}

/// Asked by a thread blocked in a `*_blocking` method whether it should
/// stop waiting. The JVM answers from `Thread.isInterrupted()`, so an
/// interrupted thread leaves a blocking command as it leaves `Thread.sleep`.
#[uniffi::export(with_foreign)]
pub trait Interruption: Send + Sync {
    /// Called on the blocked thread itself, every [`INTERRUPT_POLL`].
    fn interrupted(&self) -> bool;
}

/// How often a blocked call asks [`Interruption::interrupted`]: short for
/// a person, long against a round trip (one timer per call, no callback
/// for a command answered within it).
const INTERRUPT_POLL: Duration = Duration::from_millis(50);

static INTERRUPTION: RwLock<Option<Arc<dyn Interruption>>> = RwLock::new(None);

/// Installs the check blocking calls make while they wait (one per process;
/// a later call replaces it).
#[uniffi::export]
pub fn set_interruption(check: Arc<dyn Interruption>) {
    *INTERRUPTION.write().unwrap_or_else(|p| p.into_inner()) = Some(check);
}

/// Runs `fut` to completion on the calling (foreign) thread, the library
/// runtime driving its I/O and timers: the reply wakes this thread
/// directly, with no hop through a foreign event loop or executor. Foreign
/// callers hold no interpreter lock meanwhile (ctypes releases the GIL;
/// JNA is a plain call). With an [`Interruption`] installed, an interrupt
/// drops `fut` (the command's pending request with it) and fails with
/// [`GcError::Interrupted`].
pub(crate) fn block<T>(fut: impl Future<Output = gcclient::Result<T>>) -> Result<T, GcError> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(GcError::Config {
            detail: "blocking gcclient call made from a library thread; use the async API".into(),
        });
    }
    let check = INTERRUPTION
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    let Some(check) = check else {
        return gcclient::blocking::runtime()
            .block_on(fut)
            .map_err(GcError::from);
    };
    match block_checking(fut, check.as_ref()) {
        Some(result) => result.map_err(GcError::from),
        None => Err(GcError::Interrupted {
            detail: "the waiting thread was interrupted; the command's reply is no longer awaited"
                .into(),
        }),
    }
}

/// Polls `fut` on this thread (inside the runtime's context) and parks
/// between polls, asking `check` every [`INTERRUPT_POLL`] of waiting;
/// `None` when it says the thread was interrupted. The thread's own park
/// timeout keeps the time: a runtime timer per call could land before the
/// runtime's next timer and wake a runtime thread just to re-arm its wait.
fn block_checking<F: Future>(fut: F, check: &dyn Interruption) -> Option<F::Output> {
    use std::task::{Context, Poll};

    let _runtime = gcclient::blocking::runtime().enter();
    let waker = Unpark::current();
    let mut cx = Context::from_waker(&waker);
    let mut fut = std::pin::pin!(fut);
    let mut asked = std::time::Instant::now();
    loop {
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return Some(out);
        }
        std::thread::park_timeout(INTERRUPT_POLL);
        if asked.elapsed() >= INTERRUPT_POLL {
            if check.interrupted() {
                return None;
            }
            asked = std::time::Instant::now();
        }
    }
}

/// A waker that unparks the thread that made it.
struct Unpark(std::thread::Thread);

impl Unpark {
    fn current() -> std::task::Waker {
        std::task::Waker::from(Arc::new(Unpark(std::thread::current())))
    }
}

impl std::task::Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// Wake-ups of foreign-polled futures, delivered from one relay thread.
///
/// Waking a future that foreign code awaits calls into the foreign
/// language (Python: a ctypes callback taking the GIL). Done from a tokio
/// worker, that call can race with interpreter exit: Python then ends the
/// calling thread with a forced unwind, which tokio's `catch_unwind` turns
/// into an abort. Relaying wake-ups through one thread behind a gate lets
/// [`shutdown_callbacks`] wait for the wake-up in progress and drop the rest.
///
/// Once a [`WakeQueue`](crate::wake::WakeQueue) exists (Python's asyncio
/// layer makes one per event loop and polls with its callback), wake-ups
/// are plain Rust calls that take no interpreter lock, and they skip the
/// relay, unless foreign code has said it also polls with a callback of
/// its own ([`crate::wake::wake_through_relay`]).
mod relay {
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::mpsc::{channel, Sender};
    use std::sync::{Arc, Mutex, OnceLock};
    use std::task::{Context, Poll, Wake, Waker};

    /// True once the foreign side is gone: wake-ups are dropped.
    pub(super) static GATE: Mutex<bool> = Mutex::new(false);

    /// Set by a foreign runtime whose continuation callback may run on any
    /// thread (see [`super::wake_on_library_threads`]).
    pub(super) static CALLBACKS_ON_ANY_THREAD: AtomicBool = AtomicBool::new(false);

    fn relay() -> Option<&'static Sender<Waker>> {
        static RELAY: OnceLock<Option<Sender<Waker>>> = OnceLock::new();
        RELAY
            .get_or_init(|| {
                let (tx, rx) = channel::<Waker>();
                std::thread::Builder::new()
                    .name("gcclient-wake".into())
                    .spawn(move || {
                        for waker in rx {
                            let gone = GATE.lock().unwrap_or_else(|p| p.into_inner());
                            if !*gone {
                                waker.wake();
                            }
                        }
                    })
                    .ok()
                    .map(|_| tx)
            })
            .as_ref()
    }

    struct RelayWaker(Waker);

    impl Wake for RelayWaker {
        fn wake(self: Arc<Self>) {
            self.wake_by_ref()
        }

        fn wake_by_ref(self: &Arc<Self>) {
            match relay() {
                Some(tx) if tx.send(self.0.clone()).is_ok() => {}
                // No relay thread could be started: wake directly.
                _ => self.0.wake_by_ref(),
            }
        }
    }

    /// Whether a wake-up may call the foreign callback on the waking
    /// thread: the foreign runtime said its callback may run anywhere, or
    /// foreign code polls with the wake queue's callback, a plain Rust call.
    fn wakes_without_relay() -> bool {
        #[cfg(unix)]
        let queue = crate::wake::wakes_directly();
        #[cfg(not(unix))]
        let queue = false;
        queue || CALLBACKS_ON_ANY_THREAD.load(Ordering::Acquire)
    }

    /// A future whose wake-ups go through the relay thread.
    pub(crate) struct Relayed<F>(pub(crate) Pin<Box<F>>);

    impl<F: Future> Future for Relayed<F> {
        type Output = F::Output;

        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
            if wakes_without_relay() {
                return self.0.as_mut().poll(cx);
            }
            let waker = Waker::from(Arc::new(RelayWaker(cx.waker().clone())));
            self.0.as_mut().poll(&mut Context::from_waker(&waker))
        }
    }
}

/// Wraps a future that foreign code awaits (see [`relay`]).
pub(crate) fn relayed<F: Future>(fut: F) -> relay::Relayed<F> {
    relay::Relayed(Box::pin(fut))
}

/// Says that the foreign runtime's continuation callback may be called on
/// any thread and only schedules the await's continuation: the JVM's, once
/// JNA keeps the calling thread attached and the Kotlin layer resumes
/// every await on a dispatcher. Async commands are then woken from the
/// library thread that completes them, without the relay thread's hop.
/// Not for Python, whose callback takes the interpreter's lock.
#[uniffi::export]
pub fn wake_on_library_threads() {
    relay::CALLBACKS_ON_ANY_THREAD.store(true, std::sync::atomic::Ordering::Release);
}

/// Stops every call from library threads into foreign code (async
/// wake-ups, log records) and waits for the ones in progress. For the
/// foreign runtime's exit (Python's `atexit`); the library is unusable
/// from async code afterwards.
#[uniffi::export]
pub fn shutdown_callbacks() {
    *relay::GATE.lock().unwrap_or_else(|p| p.into_inner()) = true;
    crate::logging::remove_sink();
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::task::{Context, Poll};

    /// A foreign executor: polls on this thread, parks it until woken.
    fn foreign_block_on<F: Future>(fut: F) -> F::Output {
        let waker = Unpark::current();
        let mut cx = Context::from_waker(&waker);
        let mut fut = std::pin::pin!(fut);
        loop {
            if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
                return out;
            }
            std::thread::park();
        }
    }

    struct AskedAfter(std::sync::atomic::AtomicUsize, usize);
    impl Interruption for AskedAfter {
        fn interrupted(&self) -> bool {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1 >= self.1
        }
    }

    #[test]
    fn a_blocked_call_is_woken_by_the_runtime_and_asks_about_interrupts_while_it_waits() {
        let never = AskedAfter(Default::default(), usize::MAX);
        let done = block_checking(
            async {
                tokio::time::sleep(INTERRUPT_POLL * 3).await;
                7
            },
            &never,
        );
        assert_eq!(done, Some(7));
        let asked = never.0.load(std::sync::atomic::Ordering::SeqCst);
        assert!(asked >= 1, "never asked while waiting 3 intervals");
        // A reply that comes at once is never held up by the check.
        assert_eq!(block_checking(async { 1 }, &never), Some(1));
    }

    #[test]
    fn an_interrupted_call_drops_its_future() {
        struct Dropped(Arc<std::sync::atomic::AtomicBool>);
        impl Drop for Dropped {
            fn drop(&mut self) {
                self.0.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        }
        let dropped = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let guard = Dropped(dropped.clone());
        let second = AskedAfter(Default::default(), 2);
        let out = block_checking(
            async move {
                let _guard = guard;
                std::future::pending::<()>().await
            },
            &second,
        );
        assert!(out.is_none());
        assert!(dropped.load(std::sync::atomic::Ordering::SeqCst));
    }

    #[test]
    fn a_command_runs_on_the_awaiting_thread_inside_the_runtime() {
        let here = std::thread::current().id();
        let (ran_on, in_runtime) = foreign_block_on(run(async {
            let seen = (
                std::thread::current().id(),
                tokio::runtime::Handle::try_current().is_ok(),
            );
            // A timer of the runtime's still wakes the foreign executor.
            tokio::time::sleep(Duration::from_millis(5)).await;
            Ok(seen)
        }))
        .unwrap();
        assert_eq!(ran_on, here, "the command was moved to a runtime thread");
        assert!(in_runtime, "polled outside the runtime's context");
    }

    #[test]
    fn with_callbacks_on_any_thread_a_wake_up_is_delivered_by_the_waking_thread() {
        #[derive(Default)]
        struct Record(std::sync::Mutex<Option<std::thread::ThreadId>>);
        impl std::task::Wake for Record {
            fn wake(self: Arc<Self>) {
                *self.0.lock().unwrap() = Some(std::thread::current().id());
            }
        }
        wake_on_library_threads();
        let slot = Arc::new(std::sync::Mutex::new(None::<std::task::Waker>));
        let mut fut = relayed(std::future::poll_fn({
            let slot = slot.clone();
            move |cx| {
                *slot.lock().unwrap() = Some(cx.waker().clone());
                Poll::<()>::Pending
            }
        }));
        let record = Arc::new(Record::default());
        let waker = std::task::Waker::from(record.clone());
        let polled = std::pin::Pin::new(&mut fut).poll(&mut Context::from_waker(&waker));
        assert!(polled.is_pending());
        let library_thread = std::thread::spawn(move || {
            slot.lock().unwrap().take().unwrap().wake();
            std::thread::current().id()
        })
        .join()
        .unwrap();
        assert_eq!(
            *record.0.lock().unwrap(),
            Some(library_thread),
            "the wake-up went through the relay thread"
        );
    }
}
