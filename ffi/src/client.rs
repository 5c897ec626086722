//! `gc_client`: one broker connection, its callback and its dispatcher thread.

use std::ffi::{c_char, c_void};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use gcclient_core::blocking;
use gcclient_core::{Config, ConnectionStatus};

use crate::config::{from_json, from_struct, gc_config};
use crate::entry::{entry, Failure, Outcome};
use crate::event::{gc_event, lend};
use crate::registry::Registry;
use crate::status::gc_status;
use crate::text::{arg, put, write_str};

/// A connection to GC through the broker. Thread-safe.
pub struct gc_client {
    _private: [u8; 0],
}

/// Where the client stands with the broker and GC.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum gc_connection_status {
    GC_STATUS_CONNECTING = 0,
    GC_STATUS_WAITING_FOR_GC = 1,
    GC_STATUS_IN_SERVICE = 2,
    GC_STATUS_OUT_OF_SERVICE = 3,
    GC_STATUS_RECONNECTING = 4,
    GC_STATUS_CLOSED = 5,
}

impl From<ConnectionStatus> for gc_connection_status {
    fn from(s: ConnectionStatus) -> Self {
        use gc_connection_status::*;
        match s {
            ConnectionStatus::Connecting => GC_STATUS_CONNECTING,
            ConnectionStatus::WaitingForGc => GC_STATUS_WAITING_FOR_GC,
            ConnectionStatus::InService => GC_STATUS_IN_SERVICE,
            ConnectionStatus::OutOfService => GC_STATUS_OUT_OF_SERVICE,
            ConnectionStatus::Reconnecting => GC_STATUS_RECONNECTING,
            ConnectionStatus::Closed => GC_STATUS_CLOSED,
        }
    }
}

/// Receives every notification of a client, on the client's dispatcher
/// thread, in order. `event` is valid until the callback returns.
pub type gc_event_callback =
    Option<unsafe extern "C" fn(userdata: *mut c_void, event: *const gc_event)>;

#[derive(Clone, Copy)]
struct Callback {
    f: unsafe extern "C" fn(*mut c_void, *const gc_event),
    userdata: *mut c_void,
}

// SAFETY: the caller hands us the userdata to be used on the dispatcher
// thread; that is the documented contract of gc_client_set_callback.
unsafe impl Send for Callback {}

pub(crate) struct ClientHandle {
    pub client: blocking::Client,
    /// Held while the callback runs, so replacing it waits for that call.
    callback: Arc<Mutex<Option<Callback>>>,
    dispatcher: Mutex<Option<JoinHandle<()>>>,
    /// Set by `gc_client_free_nowait`: the callback is not called again.
    detached: Arc<AtomicBool>,
}

thread_local! {
    /// On a dispatcher thread: the identity (callback slot address) of the
    /// client it serves; set before any callback can run.
    static DISPATCHING_FOR: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every critical section here is a plain read or assignment.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn on_any_dispatcher_thread() -> bool {
    DISPATCHING_FOR.with(|d| d.get()) != 0
}

impl ClientHandle {
    fn on_dispatcher_thread(&self) -> bool {
        DISPATCHING_FOR.with(|d| d.get()) == Arc::as_ptr(&self.callback) as usize
    }

    fn reentrancy_check(&self, what: &str) -> Outcome {
        if self.on_dispatcher_thread() {
            return Err(Failure::new(
                gc_status::GC_ERR_REENTRANT,
                format!("{what} cannot be called from this client's own callback"),
            ));
        }
        Ok(())
    }

    /// Closes the connection and waits until the callback has seen the
    /// final `closed` status and will never run again; except on a
    /// dispatcher thread (inside any client's callback), where waiting could
    /// close a cycle (two clients whose callbacks close each other would
    /// each wait for the other's thread). There it only closes: this
    /// client's dispatcher ends by itself after delivering `closed`.
    fn close(&self) {
        self.client.close();
        if on_any_dispatcher_thread() {
            return;
        }
        let dispatcher = lock(&self.dispatcher).take();
        if let Some(handle) = dispatcher {
            let _ = handle.join();
        }
        *lock(&self.callback) = None;
    }

    /// Stops calling the callback without waiting for a call in progress,
    /// and closes in the background.
    fn detach(&self) {
        self.detached.store(true, Ordering::SeqCst);
        // Free now: clear the slot. Busy: the dispatcher checks the flag
        // under this lock before its next call.
        match self.callback.try_lock() {
            Ok(mut slot) => *slot = None,
            Err(std::sync::TryLockError::Poisoned(e)) => *e.into_inner() = None,
            Err(std::sync::TryLockError::WouldBlock) => {}
        }
        self.close_in_background();
    }

    fn close_in_background(&self) {
        let client = self.client.as_async().clone();
        blocking::runtime().spawn(async move { client.close().await });
    }
}

pub(crate) static CLIENTS: Registry<ClientHandle> = Registry::new(1, "gc_client");

pub(crate) fn get(client: *const gc_client) -> Result<Arc<ClientHandle>, Failure> {
    CLIENTS.get(client as usize)
}

fn connect_with(config: Result<Config, Failure>, out: *mut *mut gc_client) -> Outcome {
    open_with(config, out, blocking::Client::connect)
}

fn open_with(
    config: Result<Config, Failure>,
    out: *mut *mut gc_client,
    open: fn(Config) -> gcclient_core::Result<blocking::Client>,
) -> Outcome {
    if out.is_null() {
        return Err(Failure::null("out"));
    }
    let client = open(config?)?;
    let id = CLIENTS.insert(Arc::new(ClientHandle {
        client,
        callback: Arc::new(Mutex::new(None)),
        dispatcher: Mutex::new(None),
        detached: Arc::new(AtomicBool::new(false)),
    }));
    put(out, id as *mut gc_client, "out")
}

/// Connects to the first reachable broker and starts the GC handshake.
/// Returns once the broker connection is up; GC may not be in service yet
/// (`gc_client_wait_in_service`). `*out` receives the client.
#[no_mangle]
pub extern "C" fn gc_client_connect(
    config: *const gc_config,
    out: *mut *mut gc_client,
) -> gc_status {
    entry(|| {
        if config.is_null() {
            return Err(Failure::null("config"));
        }
        // SAFETY: non-NULL, points to a gc_config per the header.
        connect_with(from_struct(unsafe { &*config }), out)
    })
}

/// Like `gc_client_connect` but returns at once: the client keeps trying
/// the broker list (status `GC_STATUS_CONNECTING`, later
/// `GC_STATUS_RECONNECTING`) until a broker answers, as a service started
/// before its broker needs. Only a bad config fails here; a refused broker
/// login arrives as a `GC_EVENT_BROKER_AUTH` notification.
#[no_mangle]
pub extern "C" fn gc_client_start(config: *const gc_config, out: *mut *mut gc_client) -> gc_status {
    entry(|| {
        if config.is_null() {
            return Err(Failure::null("config"));
        }
        // SAFETY: non-NULL, points to a gc_config per the header.
        open_with(
            from_struct(unsafe { &*config }),
            out,
            blocking::Client::start,
        )
    })
}

/// Like `gc_client_connect` with the configuration as TOML text (the
/// format of the Rust crate's `Config`, see docs/ffi.md).
#[no_mangle]
pub extern "C" fn gc_client_connect_toml(
    toml: *const c_char,
    out: *mut *mut gc_client,
) -> gc_status {
    entry(|| {
        let text = arg(toml, "toml")?;
        connect_with(Config::from_toml_str(text).map_err(Failure::from), out)
    })
}

/// Like `gc_client_connect` with the configuration as a JSON object.
#[no_mangle]
pub extern "C" fn gc_client_connect_json(
    json: *const c_char,
    out: *mut *mut gc_client,
) -> gc_status {
    entry(|| connect_with(from_json(arg(json, "json")?), out))
}

/// Waits until GC says `System#IN_SERVICE`; `GC_ERR_NOT_IN_SERVICE` after
/// `timeout_ms`.
#[no_mangle]
pub extern "C" fn gc_client_wait_in_service(client: *mut gc_client, timeout_ms: u32) -> gc_status {
    entry(|| {
        let c = get(client)?;
        c.client
            .wait_in_service(Duration::from_millis(u64::from(timeout_ms)))?;
        Ok(())
    })
}

/// The connection status now.
#[no_mangle]
pub extern "C" fn gc_client_status(
    client: *const gc_client,
    out: *mut gc_connection_status,
) -> gc_status {
    entry(|| put(out, get(client)?.client.status().into(), "out"))
}

/// This client's topic (the guide's `<Client_Destination>`).
#[no_mangle]
pub extern "C" fn gc_client_destination(
    client: *const gc_client,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> gc_status {
    entry(|| write_str(get(client)?.client.destination(), buf, len, out_len))
}

/// Notifications the callback lost because it fell behind.
#[no_mangle]
pub extern "C" fn gc_client_dropped_events(client: *const gc_client, out: *mut u64) -> gc_status {
    entry(|| put(out, get(client)?.client.dropped_events(), "out"))
}

/// Sets (or, with NULL, removes) the callback that receives every
/// notification of this client: GC events for all its agents and status
/// changes. The first call starts the client's dispatcher thread,
/// `gcclient-dispatch`, which calls `callback(userdata, event)` for each
/// notification in order; notifications before the first call are not
/// delivered. When this returns, the previous callback is not running and
/// will not run again. Not callable from the callback itself
/// (`GC_ERR_REENTRANT`).
#[no_mangle]
pub extern "C" fn gc_client_set_callback(
    client: *mut gc_client,
    callback: gc_event_callback,
    userdata: *mut c_void,
) -> gc_status {
    entry(|| {
        let c = get(client)?;
        c.reentrancy_check("gc_client_set_callback")?;
        // Checked first: a client closed from another client's callback
        // still has its (ending) dispatcher thread.
        if callback.is_some() && c.client.status() == ConnectionStatus::Closed {
            return Err(Failure::new(
                gc_status::GC_ERR_CLOSED,
                "the client is closed",
            ));
        }
        *lock(&c.callback) = callback.map(|f| Callback { f, userdata });
        let mut dispatcher = lock(&c.dispatcher);
        if dispatcher.is_some() || callback.is_none() {
            return Ok(());
        }
        let mut rx = c.client.events();
        let slot = c.callback.clone();
        let detached = c.detached.clone();
        let handle = std::thread::Builder::new()
            .name("gcclient-dispatch".into())
            .spawn(move || {
                DISPATCHING_FOR.with(|d| d.set(Arc::as_ptr(&slot) as usize));
                while let Some(n) = rx.blocking_recv() {
                    let guard = lock(&slot);
                    if detached.load(Ordering::SeqCst) {
                        continue;
                    }
                    if let Some(cb) = *guard {
                        // SAFETY: the caller's callback and userdata, as registered.
                        lend(n, |ev| unsafe { (cb.f)(cb.userdata, ev) });
                    }
                }
            })
            .map_err(|e| {
                Failure::new(
                    gc_status::GC_ERR_INTERNAL,
                    format!("cannot start the dispatcher thread: {e}"),
                )
            })?;
        *dispatcher = Some(handle);
        Ok(())
    })
}

/// Closes the connection: pending requests fail with `GC_ERR_CLOSED`, the
/// callback receives the final `closed` status and is never called again
/// once this returns. The handle stays valid (calls give `GC_ERR_CLOSED`)
/// until `gc_client_free`. Idempotent. Not callable from the client's own
/// callback (`GC_ERR_REENTRANT`). From another client's callback it does
/// not wait for this client's callback to finish (two clients whose
/// callbacks close each other would wait for each other forever); that
/// callback still receives `closed` and then stops.
#[no_mangle]
pub extern "C" fn gc_client_close(client: *mut gc_client) -> gc_status {
    entry(|| {
        let c = get(client)?;
        c.reentrancy_check("gc_client_close")?;
        c.close();
        Ok(())
    })
}

/// Closes the client (as `gc_client_close`) and frees the handle; using it
/// afterwards gives `GC_ERR_INVALID_HANDLE`. Agent handles obtained from it
/// stay valid until freed, but their commands give `GC_ERR_CLOSED`. NULL is
/// accepted and does nothing. Not callable from the client's own callback
/// (`GC_ERR_REENTRANT`); from another client's callback it does not wait
/// (see `gc_client_close`), so the freed client's userdata must stay valid
/// until its callback has received the `closed` status.
#[no_mangle]
pub extern "C" fn gc_client_free(client: *mut gc_client) -> gc_status {
    entry(|| {
        if client.is_null() {
            return Ok(());
        }
        get(client)?.reentrancy_check("gc_client_free")?;
        let c = CLIENTS.remove(client as usize)?;
        c.close();
        Ok(())
    })
}

/// Starts closing and returns at once, from any thread, including this
/// client's own callback: pending requests fail with `GC_ERR_CLOSED`, the
/// callback still receives the notifications before the final `closed`
/// status and that status, then never runs again. The handle stays valid
/// until freed. Idempotent.
#[no_mangle]
pub extern "C" fn gc_client_close_nowait(client: *mut gc_client) -> gc_status {
    entry(|| {
        get(client)?.close_in_background();
        Ok(())
    })
}

/// Frees the handle at once and closes the client in the background,
/// never waiting for anything: callable from any thread, including the
/// client's own callback, a thread that callback is waiting for, and a
/// garbage collector's finalizer. The callback is not called again, except
/// for a call already running at that moment, which may still be running
/// when this returns (so `userdata` must outlive it). Pending requests fail
/// with `GC_ERR_CLOSED`. NULL is accepted and does nothing.
#[no_mangle]
pub extern "C" fn gc_client_free_nowait(client: *mut gc_client) -> gc_status {
    entry(|| {
        if client.is_null() {
            return Ok(());
        }
        CLIENTS.remove(client as usize)?.detach();
        Ok(())
    })
}
