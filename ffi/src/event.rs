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

    /// The JSON form as text, written straight from the notification: the
    /// `Value` (kept for field lookups) is a map of allocated keys and
    /// values, and the .NET binding copies every event's text: building one
    /// first made that copy about three times as dear. The keys come in the
    /// order the types declare them (`notification`, `agent`, `type`, the
    /// event's fields, `raw`), whether or not a field was looked up before.
    fn json_text(&self) -> String {
        serde_json::to_string(&self.notification)
            .unwrap_or_else(|e| Value::String(format!("unserializable event: {e}")).to_string())
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

/// The whole event as one JSON object, its keys in a fixed order:
/// `notification`, then (for GC's events) `agent`, `type`, the event's own
/// fields and `raw`.
#[no_mangle]
pub extern "C" fn gc_event_to_json(
    event: *const gc_event,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> gc_status {
    entry(|| {
        let ev = get(event)?;
        write_str(&ev.json_text(), buf, len, out_len)
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

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::fmt;

    use gcclient_core::protocol::tables::EVENT_FORMS;
    use gcclient_core::{ConnectionStatus, Event};
    use serde::de::{Deserialize, Deserializer, Error, MapAccess, SeqAccess, Visitor};

    use super::*;

    /// Any JSON, refused when an object repeats a key: `Value` would keep
    /// the last one silently, which the text written directly would not.
    struct UniqueKeys;

    impl<'de> Deserialize<'de> for UniqueKeys {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = UniqueKeys;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("JSON")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<UniqueKeys, A::Error> {
                    let mut seen = HashSet::new();
                    while let Some(k) = m.next_key::<String>()? {
                        m.next_value::<UniqueKeys>()?;
                        if !seen.insert(k.clone()) {
                            return Err(A::Error::custom(format!("key `{k}` twice")));
                        }
                    }
                    Ok(UniqueKeys)
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<UniqueKeys, A::Error> {
                    while s.next_element::<UniqueKeys>()?.is_some() {}
                    Ok(UniqueKeys)
                }
                fn visit_str<E: Error>(self, _: &str) -> Result<UniqueKeys, E> {
                    Ok(UniqueKeys)
                }
                fn visit_bool<E: Error>(self, _: bool) -> Result<UniqueKeys, E> {
                    Ok(UniqueKeys)
                }
                fn visit_i64<E: Error>(self, _: i64) -> Result<UniqueKeys, E> {
                    Ok(UniqueKeys)
                }
                fn visit_u64<E: Error>(self, _: u64) -> Result<UniqueKeys, E> {
                    Ok(UniqueKeys)
                }
                fn visit_f64<E: Error>(self, _: f64) -> Result<UniqueKeys, E> {
                    Ok(UniqueKeys)
                }
                fn visit_unit<E: Error>(self) -> Result<UniqueKeys, E> {
                    Ok(UniqueKeys)
                }
            }
            d.deserialize_any(V)
        }
    }

    fn every_kind_of_notification() -> Vec<Notification> {
        let mut all: Vec<Notification> = EVENT_FORMS
            .iter()
            .map(|f| Notification::Event(Event::parse(f.sample)))
            .collect();
        for body in [
            "",
            "1001#NoSuchType#x",
            "#State",
            "1001#State#READY#not-a-number",
        ] {
            all.push(Notification::Event(Event::parse(body)));
        }
        all.extend([
            Notification::Status {
                status: ConnectionStatus::InService,
                detail: Some("tcp://broker:61613".into()),
            },
            Notification::ClockSkew { skew_ms: -1500 },
            Notification::Relogin {
                agent: "1001".into(),
                error: Some("refused".into()),
            },
            Notification::Lagged { dropped: 7 },
            Notification::OversizedFrame {
                size: 1 << 20,
                destination: None,
            },
            Notification::BrokerAuth {
                broker: "tcp://broker:61613".into(),
                message: "bad login".into(),
            },
        ]);
        all
    }

    #[test]
    fn the_json_text_is_the_json_form_whatever_was_looked_up_before() {
        for n in every_kind_of_notification() {
            let fresh = EventHandle {
                notification: n.clone(),
                borrowed: false,
                json: OnceLock::new(),
            };
            let text = fresh.json_text();
            serde_json::from_str::<UniqueKeys>(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            let parsed: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(&parsed, fresh.json(), "{text}");
            // After a field lookup built the `Value`, the text is the same.
            assert_eq!(fresh.json_text(), text);
            assert!(text.starts_with("{\"notification\":"), "{text}");
        }
    }

    #[test]
    fn the_agent_is_the_json_forms_agent() {
        for n in every_kind_of_notification() {
            let ev = new_owned(n.clone());
            let mut buf = [0 as c_char; 256];
            let mut len = 0usize;
            let st = gc_event_agent(ev, buf.as_mut_ptr(), buf.len(), &mut len);
            let json: Value = serde_json::to_value(&n).unwrap();
            match json.get("agent").and_then(Value::as_str) {
                Some(agent) => {
                    assert_eq!(st, gc_status::GC_OK, "{json}");
                    let got: Vec<u8> = buf[..len].iter().map(|&c| c as u8).collect();
                    assert_eq!(std::str::from_utf8(&got).unwrap(), agent);
                }
                None => assert_eq!(st, gc_status::GC_ERR_NOT_FOUND, "{json}"),
            }
            assert_eq!(gc_event_free(ev), gc_status::GC_OK);
        }
    }
}
