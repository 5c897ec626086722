//! Commands that complete through a callback instead of holding the
//! caller's thread: `gc_agent_command_async`, `gc_agent_login_async`, and
//! `gc_request_cancel`.
//!
//! A binding with a thread pool (.NET, the JVM) cannot afford a blocked
//! thread per command in flight: with GC silent, a few dozen pending
//! commands would starve every other task of the process. Here a command is
//! a task on the library's runtime, first polled on the caller's thread (so
//! the caller writes its own frame); its completion runs the caller's
//! callback once, on one of the library's completion threads.
//!
//! Those threads, `gcclient-complete`, are started when a completion finds
//! none idle and end after a moment idle: a host runtime that waits at exit
//! for every thread that ever called into it (Mono does) is not kept
//! waiting, a slow or blocking callback holds up no other completion, and
//! no callback ever runs on the runtime's threads.
//!
//! Ownership of `userdata` is handed over exactly once: either the callback
//! runs (and owns it), or `gc_request_cancel` reports that it cancelled the
//! request (and the caller owns it again). The request's registry entry is
//! the token both sides race for; whoever removes it wins.

use std::collections::VecDeque;
use std::ffi::{c_char, c_void};
use std::future::Future;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::task::{Context, Waker};
use std::time::Duration;

use gcclient_core::blocking;
use gcclient_core::protocol::Target;
use gcclient_core::session;
use gcclient_core::{Command, CommandKind, ConnectionStatus, Error, Event, Notification};

use crate::agent::{self, gc_agent};
use crate::client::{self, gc_client};
use crate::entry::{entry, Failure};
use crate::event::{gc_event, lend};
use crate::registry::Registry;
use crate::status::{gc_status, set_last_error};
use crate::text::{arg, put};

/// A command in flight, returned by the `_async` functions. It needs no
/// freeing: it ends when its callback starts or when `gc_request_cancel`
/// cancels it.
pub struct gc_request {
    _private: [u8; 0],
}

/// Receives the outcome of an asynchronous command, once, on a library
/// thread. `status` is what the blocking function would have returned;
/// `reply` is the reply event (GC's `Error` event with `GC_ERR_GC`), or
/// NULL when there is none, lent until the callback returns
/// (`gc_event_clone` keeps it). When `status` is not `GC_OK`,
/// `gc_last_error` called first thing in the callback gives the message.
/// Callbacks run on the library's completion threads (`gcclient-complete`),
/// never on its runtime's. A callback may block, even until another
/// command completes: a completion that finds every completion thread busy
/// gets a new one. So callbacks of different commands may run at the same
/// time, on different threads.
pub type gc_command_callback =
    Option<unsafe extern "C" fn(userdata: *mut c_void, status: gc_status, reply: *const gc_event)>;

#[derive(Clone, Copy)]
struct Completion {
    f: unsafe extern "C" fn(*mut c_void, gc_status, *const gc_event),
    userdata: *mut c_void,
}

// SAFETY: the caller hands the userdata over for use on a library thread;
// that is the documented contract of the `_async` functions.
unsafe impl Send for Completion {}

/// Set once the request's task has been dropped, i.e. the core has
/// forgotten the request (its pending entry is removed by the drop).
#[derive(Default)]
struct Finished {
    done: Mutex<bool>,
    cv: Condvar,
}

impl Finished {
    fn wait(&self, limit: Duration) {
        let done = lock(&self.done);
        let _ = self
            .cv
            .wait_timeout_while(done, limit, |d| !*d)
            .unwrap_or_else(|e| e.into_inner());
    }
}

struct FinishOnDrop(Arc<Finished>);

impl Drop for FinishOnDrop {
    fn drop(&mut self) {
        *lock(&self.0.done) = true;
        self.0.cv.notify_all();
    }
}

struct RequestHandle {
    task: Mutex<Option<tokio::task::AbortHandle>>,
    finished: Arc<Finished>,
}

static REQUESTS: Registry<RequestHandle> = Registry::new(0, "gc_request");

type Job = Box<dyn FnOnce() + Send>;

/// The completion threads. A callback may block, even on another
/// command's completion (a C# continuation that waits for a second
/// command runs in its callback), so a completion that finds no idle
/// thread starts one, and one thread's slow callback holds up no other.
/// A thread idle for `LINGER` ends: a host runtime that waits at exit for
/// every thread that ever called into it (Mono does) is not kept waiting,
/// and a stream of commands reuses the threads.
struct Pool {
    jobs: VecDeque<Job>,
    idle: usize,
}

static POOL: Mutex<Pool> = Mutex::new(Pool {
    jobs: VecDeque::new(),
    idle: 0,
});
static JOB_READY: Condvar = Condvar::new();

const LINGER: Duration = Duration::from_millis(20);

/// Hands a completion to an idle completion thread, or to a new one.
fn dispatch(job: Job) {
    let mut pool = lock(&POOL);
    pool.jobs.push_back(job);
    if pool.jobs.len() <= pool.idle {
        drop(pool);
        JOB_READY.notify_one();
        return;
    }
    drop(pool);
    let started = std::thread::Builder::new()
        .name("gcclient-complete".into())
        .spawn(deliver);
    if started.is_err() {
        // Run it here rather than lose the callback (or wait for a busy
        // thread that may be waiting for this very completion).
        let job = lock(&POOL).jobs.pop_front();
        if let Some(job) = job {
            job();
        }
    }
}

fn deliver() {
    let mut pool = lock(&POOL);
    loop {
        if let Some(job) = pool.jobs.pop_front() {
            drop(pool);
            job();
            pool = lock(&POOL);
            continue;
        }
        pool.idle += 1;
        let (guard, waited) = JOB_READY
            .wait_timeout(pool, LINGER)
            .unwrap_or_else(|e| e.into_inner());
        pool = guard;
        pool.idle -= 1;
        if waited.timed_out() && pool.jobs.is_empty() {
            return;
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every critical section here is a plain read or assignment.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Calls the completion with the outcome, the way the blocking functions
/// report it: status, last error, reply event.
fn complete(done: Completion, result: Result<Option<Event>, Error>) {
    let (status, reply) = match result {
        Ok(reply) => (gc_status::GC_OK, reply),
        Err(Error::Gc { agent, code, event }) => {
            let reply = Some((*event).clone());
            let failure = Failure::from(Error::Gc { agent, code, event });
            set_last_error(failure.message);
            (failure.status, reply)
        }
        Err(e) => {
            let failure = Failure::from(e);
            set_last_error(failure.message);
            (failure.status, None)
        }
    };
    // A panic must not unwind into the runtime's worker (it would take the
    // worker down with the other clients' tasks).
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match reply {
        // SAFETY: the caller's callback and userdata, as registered.
        Some(e) => lend(Notification::Event(e), |ev| unsafe {
            (done.f)(done.userdata, status, ev)
        }),
        None => unsafe { (done.f)(done.userdata, status, std::ptr::null()) },
    }));
}

/// Starts `work` on the runtime; returns the request handle.
fn start<F>(
    client: session::Client,
    callback: gc_command_callback,
    userdata: *mut c_void,
    work: F,
) -> Result<usize, Failure>
where
    F: Future<Output = Result<Option<Event>, Error>> + Send + 'static,
{
    let f = callback.ok_or_else(|| Failure::null("callback"))?;
    let done = Completion { f, userdata };
    let finished = Arc::new(Finished::default());
    let request = Arc::new(RequestHandle {
        task: Mutex::new(None),
        finished: finished.clone(),
    });
    let id = REQUESTS.insert(request.clone());
    let marker = FinishOnDrop(finished);
    let mut task = Box::pin(async move {
        let _marker = marker;
        let result = match work.await {
            // A close racing the send: the caller closed the client, so
            // say so rather than blame the transport.
            Err(Error::Transport(_)) if client.status() == ConnectionStatus::Closed => {
                Err(Error::Closed)
            }
            other => other,
        };
        // Whoever removes the entry owns the userdata; a cancel that won
        // means the callback must not run.
        if REQUESTS.remove(id).is_ok() {
            dispatch(Box::new(move || complete(done, result)));
        }
    });
    // The first poll runs here, on the caller's thread, in the runtime's
    // context: the command's frame is written now, with no runtime thread
    // woken to write it. A noop waker is enough: the spawned task polls
    // again at once, and every future on the way checks its state before
    // it waits.
    {
        let _runtime = blocking::runtime().enter();
        let mut cx = Context::from_waker(Waker::noop());
        if task.as_mut().poll(&mut cx).is_ready() {
            return Ok(id);
        }
    }
    let task = blocking::runtime().spawn(task);
    *lock(&request.task) = Some(task.abort_handle());
    Ok(id)
}

fn give_request(out: *mut *mut gc_request, id: usize) {
    if !out.is_null() {
        // SAFETY: non-NULL out-pointer per the header's contract.
        unsafe { *out = id as *mut gc_request };
    }
}

/// The command and its arguments as `gc_agent_command` reads them.
fn parse(
    command: *const c_char,
    args: *const *const c_char,
    nargs: usize,
) -> Result<(CommandKind, Command), Failure> {
    let name = arg(command, "command")?;
    let kind = CommandKind::from_api_name(name).ok_or_else(|| {
        Failure::new(
            gc_status::GC_ERR_UNKNOWN_COMMAND,
            format!("`{name}` is not a command of the guide"),
        )
    })?;
    if nargs > 0 && args.is_null() {
        return Err(Failure::null("args"));
    }
    let mut values = Vec::with_capacity(nargs);
    for i in 0..nargs {
        // SAFETY: `args` has `nargs` entries per the header's contract.
        let p = unsafe { *args.add(i) };
        values.push(arg(p, &format!("args[{i}]"))?);
    }
    let cmd =
        Command::from_user_args(kind, &values).map_err(|e| Failure::invalid(e.to_string()))?;
    Ok((kind, cmd))
}

/// Like `gc_agent_command`, without waiting: returns at once and calls
/// `callback(userdata, status, reply)` once with the outcome (on a library
/// thread, see `gc_command_callback`). `*out_request` (when not NULL)
/// receives the request, for `gc_request_cancel`. When this function itself
/// fails (a bad handle, a NULL or non-UTF-8 argument, an unknown command),
/// nothing was sent and the callback is never called; a value the protocol
/// cannot carry (a `,` in a number) is refused, unsent, through the callback
/// with `GC_ERR_INVALID_ARGUMENT`. The commands whose typed C function runs
/// the session's own method (`logout`, `logout_with_reason`,
/// `mobile_agent_login`) run it here too; `timeout_ms` does not apply to them.
#[no_mangle]
pub extern "C" fn gc_agent_command_async(
    agent: *mut gc_agent,
    command: *const c_char,
    args: *const *const c_char,
    nargs: usize,
    timeout_ms: u32,
    callback: gc_command_callback,
    userdata: *mut c_void,
    out_request: *mut *mut gc_request,
) -> gc_status {
    entry(|| {
        let (kind, cmd) = parse(command, args, nargs)?;
        let h = agent::get(agent)?;
        let timeout = (timeout_ms > 0).then(|| Duration::from_millis(u64::from(timeout_ms)));
        let a = h.agent.as_async().clone();
        let c = h.client.as_async().clone();
        let id = start(c.clone(), callback, userdata, async move {
            match cmd {
                // The session's own methods, as their typed C functions run
                // them: credentials are remembered or forgotten.
                Command::Logout => a.logout().await.map(Some),
                Command::LogoutWithReason { reason_code } => {
                    a.logout_with_reason(&reason_code).await.map(Some)
                }
                Command::MobileAgentLogin {
                    password,
                    extension,
                    dial_number,
                    call_by_call,
                } => a
                    .mobile_agent_login(password.expose(), &extension, &dial_number, call_by_call)
                    .await
                    .map(Some),
                cmd => match (kind.spec().target, timeout) {
                    (Target::Destination, _) => c.execute(c.destination(), &cmd).await,
                    (Target::Agent, Some(t)) => a.execute_with_timeout(cmd, t).await,
                    (Target::Agent, None) => a.execute(cmd).await,
                },
            }
        })?;
        give_request(out_request, id);
        Ok(())
    })
}

/// Like `gc_agent_login` (Connect + Login, remembered for re-login),
/// without waiting; the outcome goes to `callback` as for
/// `gc_agent_command_async`. The password is copied before this returns.
#[no_mangle]
pub extern "C" fn gc_agent_login_async(
    agent: *mut gc_agent,
    password: *const c_char,
    extension: *const c_char,
    callback: gc_command_callback,
    userdata: *mut c_void,
    out_request: *mut *mut gc_request,
) -> gc_status {
    entry(|| {
        let password = arg(password, "password")?.to_owned();
        let extension = arg(extension, "extension")?.to_owned();
        let h = agent::get(agent)?;
        let a = h.agent.as_async().clone();
        let id = start(
            h.client.as_async().clone(),
            callback,
            userdata,
            async move { a.login(&password, &extension).await.map(Some) },
        )?;
        give_request(out_request, id);
        Ok(())
    })
}

/// Cancels a request of `gc_agent_command_async` / `gc_agent_login_async`.
/// `*out_cancelled` (when not NULL) says who owns `userdata` now: true:
/// this call cancelled the request, the library has forgotten it (the
/// client no longer waits for its reply) and the callback will never run;
/// false: too late, the callback has run or is running (a request that
/// ended is no longer known, so that is also the answer for one cancelled
/// before). A command already sent may still be carried out by GC.
/// Callable from any thread, including callbacks.
#[no_mangle]
pub extern "C" fn gc_request_cancel(
    request: *mut gc_request,
    out_cancelled: *mut bool,
) -> gc_status {
    entry(|| {
        if request.is_null() {
            return Err(Failure::new(
                gc_status::GC_ERR_INVALID_HANDLE,
                "the gc_request handle is NULL",
            ));
        }
        let cancelled = match REQUESTS.remove(request as usize) {
            Ok(r) => {
                if let Some(task) = lock(&r.task).take() {
                    task.abort();
                }
                // The abort drops the task on a runtime thread, which also
                // removes the core's pending entry; wait for it so the
                // request is gone when this returns. On a runtime thread
                // that could wait for itself, so only elsewhere; the bound
                // keeps a wedged runtime from hanging the caller.
                if tokio::runtime::Handle::try_current().is_err() {
                    r.finished.wait(Duration::from_secs(1));
                }
                true
            }
            Err(_) => false,
        };
        if !out_cancelled.is_null() {
            // SAFETY: non-NULL out-pointer per the header's contract.
            unsafe { *out_cancelled = cancelled };
        }
        Ok(())
    })
}

/// Commands of this client sent and still waiting for GC's reply (blocking
/// and asynchronous ones).
#[no_mangle]
pub extern "C" fn gc_client_pending_requests(
    client: *const gc_client,
    out: *mut usize,
) -> gc_status {
    entry(|| {
        put(
            out,
            client::get(client)?.client.as_async().pending_requests(),
            "out",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use gcclient_core::protocol::MethodShape;
    use std::sync::mpsc;

    /// The session commands `gc_agent_command_async` runs through the
    /// session's method; a new Session row of the table must be added there.
    const SESSION_HANDLED: [CommandKind; 3] = [
        CommandKind::Logout,
        CommandKind::LogoutWithReason,
        CommandKind::MobileAgentLogin,
    ];

    /// Sends the status to the `mpsc::Sender<gc_status>` boxed as userdata.
    unsafe extern "C" fn send_status(userdata: *mut c_void, status: gc_status, _: *const gc_event) {
        // SAFETY: the sender the test boxed for this one call. The callback
        // owns it: a sender borrowed from the test's stack could be freed
        // while `send` still runs (the test returns as soon as it has
        // received), which crashed a test 7 times in 100.
        let tx = unsafe { Box::from_raw(userdata as *mut mpsc::Sender<gc_status>) };
        let _ = tx.send(status);
    }

    /// A client whose broker never answers: commands here run the test's
    /// own futures.
    fn offline_client() -> session::Client {
        let _runtime = blocking::runtime().enter();
        session::Client::start(gcclient_core::Config::new("tcp://127.0.0.1:9")).unwrap()
    }

    #[test]
    fn a_command_is_first_polled_on_the_callers_thread() {
        use std::thread::ThreadId;

        let client = offline_client();
        let (polled_tx, polled) = mpsc::channel::<ThreadId>();
        let (status_tx, status) = mpsc::channel::<gc_status>();
        let work = async move {
            let _ = polled_tx.send(std::thread::current().id());
            // Waits once, so the rest runs in the spawned task.
            tokio::task::yield_now().await;
            Ok(None)
        };
        let userdata = Box::into_raw(Box::new(status_tx)) as *mut c_void;
        start(client, Some(send_status), userdata, work).unwrap();
        assert_eq!(
            polled.recv_timeout(Duration::from_secs(5)).unwrap(),
            std::thread::current().id(),
            "the command's first poll ran on a runtime thread"
        );
        assert_eq!(
            status.recv_timeout(Duration::from_secs(5)).unwrap(),
            gc_status::GC_OK
        );
    }

    /// Issue 23: .NET runs a command's continuation in its callback (a hop
    /// to the thread pool cost about 35 µs a command). A continuation that
    /// then waits for a second command must not wait forever for the
    /// thread it is blocking.
    #[test]
    fn a_callback_may_wait_for_another_commands_completion() {
        struct Outer {
            client: session::Client,
            inner_done: mpsc::Receiver<gc_status>,
            inner_tx: Option<mpsc::Sender<gc_status>>,
            result: mpsc::Sender<Option<gc_status>>,
        }
        unsafe extern "C" fn outer(userdata: *mut c_void, _: gc_status, _: *const gc_event) {
            // SAFETY: the state boxed for this one call; the callback owns it.
            let mut o = unsafe { Box::from_raw(userdata as *mut Outer) };
            let tx = Box::into_raw(Box::new(o.inner_tx.take().unwrap())) as *mut c_void;
            start(o.client.clone(), Some(send_status), tx, async { Ok(None) }).unwrap();
            // Blocks this completion thread until the second command's
            // callback has run.
            let got = o.inner_done.recv_timeout(Duration::from_secs(5)).ok();
            let _ = o.result.send(got);
        }
        let client = offline_client();
        let (inner_tx, inner_done) = mpsc::channel();
        let (result_tx, result) = mpsc::channel();
        let state = Box::new(Outer {
            client: client.clone(),
            inner_done,
            inner_tx: Some(inner_tx),
            result: result_tx,
        });
        let work = async {
            tokio::task::yield_now().await;
            Ok(None)
        };
        start(
            client,
            Some(outer),
            Box::into_raw(state) as *mut c_void,
            work,
        )
        .unwrap();
        assert_eq!(
            result.recv_timeout(Duration::from_secs(10)).unwrap(),
            Some(gc_status::GC_OK),
            "the second command's callback never ran while the first one waited for it"
        );
    }

    #[test]
    fn every_session_command_runs_the_session_method() {
        for k in CommandKind::ALL {
            if k.spec().method == MethodShape::Session {
                assert!(
                    SESSION_HANDLED.contains(k),
                    "{} is a Session row: handle it in gc_agent_command_async",
                    k.api_name()
                );
            }
        }
    }
}
