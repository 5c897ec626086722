//! `gc_event`: one notification (a GC event or the client's own news) and
//! its accessors.

use std::ffi::c_char;
use std::sync::{Arc, OnceLock};

use gcclient_core::Notification;
use serde_json::Value;

use crate::entry::{entry, Failure, Outcome};
use crate::registry::Registry;
use crate::status::gc_status;
use crate::text::{arg, put, write_str};

/// A notification. Events passed to a callback are valid until it returns;
/// events returned by requests or `gc_event_clone` until `gc_event_free`.
pub struct gc_event {
    _private: [u8; 0],
}

// `gc_event_kind`, generated from core's event-kind table.
#[rustfmt::skip]
mod kind;
pub use kind::gc_event_kind;

fn kind_of(n: &Notification) -> gc_event_kind {
    gc_event_kind::from_name(n.kind_name()).unwrap_or(gc_event_kind::GC_EVENT_UNKNOWN)
}

pub(crate) struct EventHandle {
    pub notification: Notification,
    /// Lent to a callback: the dispatcher frees it, not the caller.
    borrowed: bool,
    /// The JSON form, built on the first field access only.
    json: OnceLock<Value>,
}

impl EventHandle {
    fn json(&self) -> &Value {
        self.json.get_or_init(|| {
            serde_json::to_value(&self.notification).unwrap_or_else(|e| {
                // Notification's Serialize has no failing path; keep a
                // readable value if that ever changes.
                Value::String(format!("unserializable event: {e}"))
            })
        })
    }
}

pub(crate) static EVENTS: Registry<EventHandle> = Registry::new(3, "gc_event");

/// Registers an owned event (a reply, a clone) and returns its handle.
pub(crate) fn new_owned(notification: Notification) -> *mut gc_event {
    EVENTS.insert(Arc::new(EventHandle {
        notification,
        borrowed: false,
        json: OnceLock::new(),
    })) as *mut gc_event
}

/// Lends `notification` to `f` as a handle that dies when `f` returns.
pub(crate) fn lend<R>(notification: Notification, f: impl FnOnce(*const gc_event) -> R) -> R {
    let id = EVENTS.insert(Arc::new(EventHandle {
        notification,
        borrowed: true,
        json: OnceLock::new(),
    }));
    struct Unlend(usize);
    impl Drop for Unlend {
        fn drop(&mut self) {
            let _ = EVENTS.remove(self.0);
        }
    }
    let _unlend = Unlend(id);
    f(id as *const gc_event)
}

fn get(ev: *const gc_event) -> Result<Arc<EventHandle>, Failure> {
    EVENTS.get(ev as usize)
}

fn gc_event_of(ev: &EventHandle) -> Option<&gcclient_core::Event> {
    ev.notification.event()
}

/// Text of a JSON value: strings as is, numbers and booleans as text,
/// arrays and objects as JSON; null and empty strings are "not found".
fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(_) | Value::Number(_) | Value::Array(_) | Value::Object(_) => {
            Some(v.to_string())
        }
    }
}

/// `a.b.0.c`: object keys and array indexes, separated by dots.
fn lookup<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(root, |v, key| match v {
        Value::Object(m) => m.get(key),
        Value::Array(a) => key.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    })
}

fn not_found(what: &str) -> Failure {
    Failure::new(
        gc_status::GC_ERR_NOT_FOUND,
        format!("the event has no {what}"),
    )
}

/// The event's kind.
#[no_mangle]
pub extern "C" fn gc_event_get_kind(event: *const gc_event, out: *mut gc_event_kind) -> gc_status {
    entry(|| put(out, kind_of(&get(event)?.notification), "out"))
}

/// The kind as text: `agent_state`, `inbound_call`, `error`, `status`, ...
/// (the `type` or `notification` field of `gc_event_to_json`).
#[no_mangle]
pub extern "C" fn gc_event_kind_name(
    event: *const gc_event,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> gc_status {
    entry(|| {
        let name = get(event)?.notification.kind_name();
        write_str(name, buf, len, out_len)
    })
}

/// The agent the event is for. `GC_ERR_NOT_FOUND` for system-wide events.
#[no_mangle]
pub extern "C" fn gc_event_agent(
    event: *const gc_event,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> gc_status {
    entry(|| {
        let ev = get(event)?;
        let agent = match &ev.notification {
            Notification::Event(e) => e.agent.as_deref(),
            Notification::Relogin { agent, .. } => Some(agent.as_str()),
            _ => None,
        };
        write_str(agent.ok_or_else(|| not_found("agent"))?, buf, len, out_len)
    })
}

/// One field by name, as named in `gc_event_to_json` (`state`,
/// `dialog_id`, `from_address`, `status`, ...); nested fields and list
/// items by a dotted path (`dialog.dialog.dialog_id`, `codes.0.label`).
/// Strings are copied as is, numbers and booleans as text, lists and
/// objects as JSON. `GC_ERR_NOT_FOUND` when the field is absent or empty.
#[no_mangle]
pub extern "C" fn gc_event_field(
    event: *const gc_event,
    name: *const c_char,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> gc_status {
    entry(|| {
        let ev = get(event)?;
        let name = arg(name, "name")?;
        let text = lookup(ev.json(), name)
            .and_then(value_text)
            .ok_or_else(|| not_found(&format!("field `{name}`")))?;
        write_str(&text, buf, len, out_len)
    })
}

/// The GC error code of an `Error` event (`SESSION_INVALIDATED`, ...).
#[no_mangle]
pub extern "C" fn gc_event_error_code(
    event: *const gc_event,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> gc_status {
    entry(|| {
        let ev = get(event)?;
        let code = gc_event_of(&ev)
            .and_then(|e| e.error_code())
            .ok_or_else(|| not_found("error code"))?;
        write_str(code.as_str(), buf, len, out_len)
    })
}

/// The event body exactly as GC sent it. `GC_ERR_NOT_FOUND` for the
/// client's own notifications.
#[no_mangle]
pub extern "C" fn gc_event_raw(
    event: *const gc_event,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> gc_status {
    entry(|| {
        let ev = get(event)?;
        let raw = gc_event_of(&ev).ok_or_else(|| not_found("raw body"))?;
        write_str(&raw.raw, buf, len, out_len)
    })
}

/// The whole event as one JSON object.
#[no_mangle]
pub extern "C" fn gc_event_to_json(
    event: *const gc_event,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> gc_status {
    entry(|| {
        let ev = get(event)?;
        write_str(&ev.json().to_string(), buf, len, out_len)
    })
}

/// An owned copy of `event` (for keeping one past its callback); free it
/// with `gc_event_free`.
#[no_mangle]
pub extern "C" fn gc_event_clone(event: *const gc_event, out: *mut *mut gc_event) -> gc_status {
    entry(|| {
        if out.is_null() {
            return Err(Failure::null("out"));
        }
        let ev = get(event)?;
        put(out, new_owned(ev.notification.clone()), "out")
    })
}

/// Frees an owned event. Events lent to a callback are not the caller's:
/// freeing one gives `GC_ERR_INVALID_ARGUMENT` and leaves it alone. NULL is
/// accepted and does nothing.
#[no_mangle]
pub extern "C" fn gc_event_free(event: *mut gc_event) -> gc_status {
    entry(|| -> Outcome {
        if event.is_null() {
            return Ok(());
        }
        let ev = get(event)?;
        if ev.borrowed {
            return Err(Failure::invalid(
                "this event belongs to the callback that received it; clone it to keep it",
            ));
        }
        EVENTS.remove(event as usize).map(|_| ())
    })
}

#[doc(hidden)]
pub mod bench_support {
    //! What the dispatcher does per notification, for the benchmark.
    use std::ffi::c_void;

    use gcclient_core::Notification;

    use super::gc_event;

    pub fn deliver(
        n: Notification,
        cb: unsafe extern "C" fn(*mut c_void, *const gc_event),
        userdata: *mut c_void,
    ) {
        super::lend(n, |ev| unsafe { cb(userdata, ev) });
    }
}
