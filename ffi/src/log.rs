//! The library's log records, handed to a C callback (and through it to
//! .NET's `Trace`). What is forwarded, and that passwords never are, is
//! `gcclient::log_bridge`'s business; this is the C face of it.

use std::cell::Cell;
use std::ffi::{c_char, c_void, CString};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, TrySendError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

use gcclient_core::log_bridge as bridge;

use crate::entry::{entry, Failure};
use crate::status::gc_status;

/// A log record's level, most detailed first.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum gc_log_level {
    GC_LOG_TRACE = 0,
    GC_LOG_DEBUG = 1,
    GC_LOG_INFO = 2,
    GC_LOG_WARN = 3,
    GC_LOG_ERROR = 4,
    /// Nothing is forwarded.
    GC_LOG_OFF = 5,
}

impl From<gc_log_level> for bridge::LogLevel {
    fn from(l: gc_log_level) -> Self {
        match l {
            gc_log_level::GC_LOG_TRACE => bridge::LogLevel::Trace,
            gc_log_level::GC_LOG_DEBUG => bridge::LogLevel::Debug,
            gc_log_level::GC_LOG_INFO => bridge::LogLevel::Info,
            gc_log_level::GC_LOG_WARN => bridge::LogLevel::Warn,
            gc_log_level::GC_LOG_ERROR => bridge::LogLevel::Error,
            gc_log_level::GC_LOG_OFF => bridge::LogLevel::Off,
        }
    }
}

impl From<bridge::LogLevel> for gc_log_level {
    fn from(l: bridge::LogLevel) -> Self {
        match l {
            bridge::LogLevel::Trace => gc_log_level::GC_LOG_TRACE,
            bridge::LogLevel::Debug => gc_log_level::GC_LOG_DEBUG,
            bridge::LogLevel::Info => gc_log_level::GC_LOG_INFO,
            bridge::LogLevel::Warn => gc_log_level::GC_LOG_WARN,
            bridge::LogLevel::Error => gc_log_level::GC_LOG_ERROR,
            bridge::LogLevel::Off => gc_log_level::GC_LOG_OFF,
        }
    }
}

/// Receives one log record: `target` is the Rust module path
/// (`gcclient::session::engine`), `message` the text followed by its
/// fields (`key=value`). Both are NUL-terminated UTF-8, valid only during
/// the call. Called on one thread of the library's, `gcclient-log`, in the
/// order the records were made.
pub type gc_log_callback = Option<
    unsafe extern "C" fn(
        userdata: *mut c_void,
        level: gc_log_level,
        target: *const c_char,
        message: *const c_char,
    ),
>;

struct Target {
    callback: unsafe extern "C" fn(*mut c_void, gc_log_level, *const c_char, *const c_char),
    userdata: *mut c_void,
}

// SAFETY: the documented contract of gc_log_set_callback is that the
// callback is called on the library's log thread with this userdata.
unsafe impl Send for Target {}

/// Records waiting for the log thread; beyond this they are dropped (and
/// counted), so a slow logger never holds up the connection.
const QUEUE: usize = 4096;

type Record = (bridge::LogLevel, String, String);

/// The thread that calls the C callback. One thread, not the runtime's:
/// a managed runtime (.NET) attaches every thread that calls into it, and
/// must be able to see them all end (an AppDomain unload waits for that).
static LOG_THREAD: Mutex<Option<JoinHandle<()>>> = Mutex::new(None);

thread_local! {
    /// On the log thread: replacing the callback from there would wait for
    /// the very thread that asks.
    static IN_LOG_CALLBACK: Cell<bool> = const { Cell::new(false) };
}

fn c_text(s: &str) -> CString {
    // Interior NULs would cut the text short; none are expected.
    CString::new(s.replace('\0', "\u{FFFD}")).unwrap_or_default()
}

impl Target {
    fn call(&self, level: bridge::LogLevel, target: &str, message: &str) {
        let (target, message) = (c_text(target), c_text(message));
        // SAFETY: the pointers live until the call returns, as documented.
        unsafe {
            (self.callback)(
                self.userdata,
                level.into(),
                target.as_ptr(),
                message.as_ptr(),
            )
        };
    }

    fn run(self, records: Receiver<Record>, dropped: Arc<AtomicU64>) {
        IN_LOG_CALLBACK.with(|f| f.set(true));
        // Ends when the sink (the only sender) is removed, after the rest.
        while let Ok((level, target, message)) = records.recv() {
            self.call(level, &target, &message);
            let lost = dropped.swap(0, Ordering::Relaxed);
            if lost > 0 {
                let note = format!("{lost} log records dropped: the log callback fell behind");
                self.call(bridge::LogLevel::Warn, "gcclient::log", &note);
            }
        }
    }
}

fn not_from_callback(what: &str) -> Result<(), Failure> {
    if IN_LOG_CALLBACK.with(|f| f.get()) {
        return Err(Failure::new(
            gc_status::GC_ERR_REENTRANT,
            format!("{what} cannot be called from the log callback"),
        ));
    }
    Ok(())
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes the sink and waits for the log thread to forward what it has.
fn stop_thread(thread: &mut Option<JoinHandle<()>>) {
    bridge::remove_sink();
    if let Some(t) = thread.take() {
        let _ = t.join();
    }
}

/// Sends the library's log records at `level` and above to `callback`,
/// replacing any earlier one; a NULL `callback` stops forwarding and
/// returns once the records already made are forwarded. Records are queued
/// for the log thread (4096 at most; a callback that falls behind loses
/// records and then gets a WARN saying how many). Passwords never appear in
/// the records. Fails with `GC_ERR_CONFIG` if the process already has another
/// Rust `tracing` subscriber, and with `GC_ERR_REENTRANT` from inside the
/// log callback.
#[no_mangle]
pub extern "C" fn gc_log_set_callback(
    callback: gc_log_callback,
    userdata: *mut c_void,
    level: gc_log_level,
) -> gc_status {
    entry(|| {
        not_from_callback("gc_log_set_callback")?;
        let mut thread = lock(&LOG_THREAD);
        stop_thread(&mut thread);
        let Some(callback) = callback else {
            return Ok(());
        };
        let target = Target { callback, userdata };
        let (tx, rx) = sync_channel::<Record>(QUEUE);
        let dropped = Arc::new(AtomicU64::new(0));
        let counter = dropped.clone();
        let handle = std::thread::Builder::new()
            .name("gcclient-log".into())
            .spawn(move || target.run(rx, dropped))
            .map_err(|e| Failure::new(gc_status::GC_ERR_INTERNAL, format!("log thread: {e}")))?;
        *thread = Some(handle);
        let sink: bridge::LogSink = Arc::new(move |level, t: &str, message| {
            if let Err(TrySendError::Full(_)) = tx.try_send((level, t.to_owned(), message)) {
                counter.fetch_add(1, Ordering::Relaxed);
            }
        });
        bridge::install_sink(sink, level.into()).map_err(|e| {
            stop_thread(&mut thread);
            Failure::new(gc_status::GC_ERR_CONFIG, e.to_string())
        })
    })
}

/// Changes the level forwarded to the log callback; `GC_LOG_OFF` stops
/// forwarding without removing the callback.
#[no_mangle]
pub extern "C" fn gc_log_set_level(level: gc_log_level) -> gc_status {
    entry(|| {
        bridge::set_level(level.into());
        Ok(())
    })
}
