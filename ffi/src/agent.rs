//! `gc_agent`: one agent on a client; typed functions for the everyday
//! commands and `gc_agent_command` for every command of the guide.

use std::ffi::c_char;
use std::sync::Arc;
use std::time::Duration;

use gcclient_core::blocking;
use gcclient_core::protocol::Target;
use gcclient_core::{AgentState, Command, CommandKind, Error, Event, Notification};

use crate::client;
use crate::entry::{entry, Failure, Outcome};
use crate::event::{gc_event, new_owned};
use crate::registry::Registry;
use crate::status::gc_status;
use crate::text::{arg, put, write_str};

// The typed entry point of every command, generated from the command table.
#[rustfmt::skip]
mod commands;
pub use commands::*;

/// One agent of a client. Thread-safe.
pub struct gc_agent {
    _private: [u8; 0],
}

/// An agent state (UCCE), as last reported by GC.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum gc_agent_state {
    /// No state event seen yet for this agent.
    GC_AGENT_STATE_NONE = 0,
    GC_AGENT_STATE_LOGOUT = 1,
    GC_AGENT_STATE_LOGIN = 2,
    GC_AGENT_STATE_NOT_READY = 3,
    GC_AGENT_STATE_READY = 4,
    GC_AGENT_STATE_RESERVED = 5,
    GC_AGENT_STATE_RESERVED_OUTBOUND = 6,
    GC_AGENT_STATE_RESERVED_OUTBOUND_PREVIEW = 7,
    GC_AGENT_STATE_TALKING = 8,
    GC_AGENT_STATE_HOLD = 9,
    GC_AGENT_STATE_WORK = 10,
    GC_AGENT_STATE_WORK_READY = 11,
    GC_AGENT_STATE_UNKNOWN = 12,
}

impl From<Option<AgentState>> for gc_agent_state {
    fn from(s: Option<AgentState>) -> Self {
        use gc_agent_state::*;
        match s {
            None => GC_AGENT_STATE_NONE,
            Some(AgentState::Logout) => GC_AGENT_STATE_LOGOUT,
            Some(AgentState::Login) => GC_AGENT_STATE_LOGIN,
            Some(AgentState::NotReady) => GC_AGENT_STATE_NOT_READY,
            Some(AgentState::Ready) => GC_AGENT_STATE_READY,
            Some(AgentState::Reserved) => GC_AGENT_STATE_RESERVED,
            Some(AgentState::ReservedOutbound) => GC_AGENT_STATE_RESERVED_OUTBOUND,
            Some(AgentState::ReservedOutboundPreview) => GC_AGENT_STATE_RESERVED_OUTBOUND_PREVIEW,
            Some(AgentState::Talking) => GC_AGENT_STATE_TALKING,
            Some(AgentState::Hold) => GC_AGENT_STATE_HOLD,
            Some(AgentState::Work) => GC_AGENT_STATE_WORK,
            Some(AgentState::WorkReady) => GC_AGENT_STATE_WORK_READY,
            Some(AgentState::Unknown) => GC_AGENT_STATE_UNKNOWN,
        }
    }
}

pub(crate) struct AgentHandle {
    agent: blocking::Agent,
    client: blocking::Client,
}

static AGENTS: Registry<AgentHandle> = Registry::new(2, "gc_agent");

fn get(agent: *const gc_agent) -> Result<Arc<AgentHandle>, Failure> {
    AGENTS.get(agent as usize)
}

/// The handle of agent `agent_id` on `client` (registering it, so its
/// events are cached and it is logged in again after a reconnect). Free it
/// with `gc_agent_free`.
#[no_mangle]
pub extern "C" fn gc_client_agent(
    client: *mut crate::client::gc_client,
    agent_id: *const c_char,
    out: *mut *mut gc_agent,
) -> gc_status {
    entry(|| {
        let c = client::get(client.cast())?;
        let id = arg(agent_id, "agent_id")?;
        if id.is_empty() || id.contains(['#', ',']) {
            return Err(Failure::invalid(
                "agent_id: must be non-empty without `#` or `,`",
            ));
        }
        if out.is_null() {
            return Err(Failure::null("out"));
        }
        let handle = AGENTS.insert(Arc::new(AgentHandle {
            agent: c.client.agent(id),
            client: c.client.clone(),
        }));
        put(out, handle as *mut gc_agent, "out")
    })
}

/// Frees an agent handle (the agent stays registered on its client). NULL
/// is accepted and does nothing.
#[no_mangle]
pub extern "C" fn gc_agent_free(agent: *mut gc_agent) -> gc_status {
    entry(|| {
        if agent.is_null() {
            return Ok(());
        }
        AGENTS.remove(agent as usize).map(|_| ())
    })
}

/// The agent's id.
#[no_mangle]
pub extern "C" fn gc_agent_id(
    agent: *const gc_agent,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> gc_status {
    entry(|| write_str(get(agent)?.agent.id(), buf, len, out_len))
}

/// The agent's state as last reported by GC (no round trip).
#[no_mangle]
pub extern "C" fn gc_agent_get_cached_state(
    agent: *const gc_agent,
    out: *mut gc_agent_state,
) -> gc_status {
    entry(|| put(out, get(agent)?.agent.snapshot().state.into(), "out"))
}

/// Everything the client knows about the agent (state, info, dialogs,
/// reason codes), as JSON, without a round trip.
#[no_mangle]
pub extern "C" fn gc_agent_snapshot_json(
    agent: *const gc_agent,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> gc_status {
    entry(|| {
        let snapshot = get(agent)?.agent.snapshot();
        let json = serde_json::to_string(&snapshot)
            .map_err(|e| Failure::new(gc_status::GC_ERR_INTERNAL, e.to_string()))?;
        write_str(&json, buf, len, out_len)
    })
}

/// Runs a request and hands its reply (or GC's error event) to `reply`.
fn request(
    agent: *const gc_agent,
    reply: *mut *mut gc_event,
    f: impl FnOnce(&blocking::Agent) -> Result<Option<Event>, Error>,
) -> Outcome {
    if !reply.is_null() {
        // SAFETY: non-NULL out-pointer per the header's contract.
        unsafe { *reply = std::ptr::null_mut() };
    }
    let a = get(agent)?;
    let give = |e: Event| {
        if !reply.is_null() {
            // SAFETY: as above.
            unsafe { *reply = new_owned(Notification::Event(e)) };
        }
    };
    match f(&a.agent) {
        Ok(Some(e)) => {
            give(e);
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(Error::Gc { agent, code, event }) => {
            let failure = Failure::from(Error::Gc {
                agent,
                code,
                event: event.clone(),
            });
            give(*event);
            Err(failure)
        }
        Err(e) => Err(e.into()),
    }
}

/// Call variables given as `count` strings `name=value`, in order.
fn call_variables<'a>(
    vars: *const *const c_char,
    count: usize,
    what: &str,
) -> Result<Vec<(&'a str, &'a str)>, Failure> {
    if count > 0 && vars.is_null() {
        return Err(Failure::null(what));
    }
    (0..count)
        .map(|i| {
            // SAFETY: `vars` has `count` entries per the header's contract.
            let p = unsafe { *vars.add(i) };
            let pair = arg(p, &format!("{what}[{i}]"))?;
            pair.split_once('=')
                .ok_or_else(|| Failure::invalid(format!("`{what}[{i}]`: expected `name=value`")))
        })
        .collect()
}

/// `Connect` then `Login` for this agent; on success `*reply` (when
/// `reply` is not NULL) receives the agent's state event, to be freed with
/// `gc_event_free`. The password is kept in memory for automatic re-login
/// and never logged. The same reply convention holds for every command
/// function (`gc_agent_make_call`, ...): `*reply` is set to NULL first, then to the reply event
/// on success or to GC's `Error` event with `GC_ERR_GC`.
#[no_mangle]
pub extern "C" fn gc_agent_login(
    agent: *mut gc_agent,
    password: *const c_char,
    extension: *const c_char,
    reply: *mut *mut gc_event,
) -> gc_status {
    entry(|| {
        let password = arg(password, "password")?;
        let extension = arg(extension, "extension")?;
        request(agent, reply, |a| a.login(password, extension).map(Some))
    })
}

/// Any command of the guide, by name (`make_call`, `MakeCall`, or the wire
/// name; see `gc_commands_json`), with `nargs` text arguments in the
/// command's parameter order (`"true"`/`"false"` for flags; for
/// `update_call_variables`, one `name=value` argument per variable after
/// the dialog id). Waits up to `timeout_ms` (0: the configured request
/// timeout) for the reply. Commands GC does not answer (`connect`) leave
/// `*reply` NULL. Unlike `gc_agent_login`, a login sent this way is not
/// repeated after a reconnect.
#[no_mangle]
pub extern "C" fn gc_agent_command(
    agent: *mut gc_agent,
    command: *const c_char,
    args: *const *const c_char,
    nargs: usize,
    timeout_ms: u32,
    reply: *mut *mut gc_event,
) -> gc_status {
    entry(|| {
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
        let h = get(agent)?;
        let timeout = (timeout_ms > 0).then(|| Duration::from_millis(u64::from(timeout_ms)));
        let client = h.client.clone();
        request(agent, reply, move |a| match (kind.spec().target, timeout) {
            (Target::Destination, _) => client.execute(client.destination(), &cmd),
            (Target::Agent, Some(t)) => a.execute_with_timeout(cmd, t),
            (Target::Agent, None) => a.execute(cmd),
        })
    })
}

/// Every command `gc_agent_command` accepts, as a JSON array of objects
/// with `name`, `wire`, `params`, `replies` and `summary`.
#[no_mangle]
pub extern "C" fn gc_commands_json(buf: *mut c_char, len: usize, out_len: *mut usize) -> gc_status {
    entry(|| {
        let list: Vec<serde_json::Value> = CommandKind::ALL
            .iter()
            .map(|k| {
                let s = k.spec();
                serde_json::json!({
                    "name": s.api_name,
                    "wire": s.default_wire,
                    "target": s.target,
                    "params": s.param_names().collect::<Vec<_>>(),
                    "replies": s.replies,
                    "summary": s.summary,
                })
            })
            .collect();
        write_str(
            &serde_json::Value::Array(list).to_string(),
            buf,
            len,
            out_len,
        )
    })
}
