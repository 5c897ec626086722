//! `gc_status`: the result code of every function, and the thread-local
//! message that explains the last failure.

use std::cell::RefCell;
use std::ffi::c_char;

use gcclient_core::Error;

use crate::entry::{entry_quiet, Failure};
use crate::text::write_str;

/// The result of every function. `GC_OK` is 0; everything else is a failure
/// whose details `gc_last_error` returns on the same thread.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum gc_status {
    GC_OK = 0,
    /// A required pointer argument was NULL.
    GC_ERR_NULL_ARGUMENT = 1,
    /// The handle is NULL, freed, of another type, or not one of ours.
    GC_ERR_INVALID_HANDLE = 2,
    /// An argument the protocol cannot carry (bad UTF-8, a `,` or `#` in a
    /// value, a missing argument); nothing was sent.
    GC_ERR_INVALID_ARGUMENT = 3,
    /// The command name given to `gc_agent_command` is not a command of the guide.
    GC_ERR_UNKNOWN_COMMAND = 4,
    /// The configuration is invalid (the message names the setting).
    GC_ERR_CONFIG = 5,
    /// No broker could be reached.
    GC_ERR_BROKER_UNREACHABLE = 6,
    /// The broker did not confirm the command, or the connection failed.
    GC_ERR_TRANSPORT = 7,
    /// GC has not said `System#IN_SERVICE` yet; the command was not sent.
    GC_ERR_NOT_IN_SERVICE = 8,
    /// GC said `System#OUT_OF_SERVICE`; the command was not sent.
    GC_ERR_GC_OUT_OF_SERVICE = 9,
    /// The broker confirmed the command but no reply came in time.
    GC_ERR_TIMEOUT = 10,
    /// GC answered with an `Error` event; it is returned as the reply.
    GC_ERR_GC = 11,
    /// The broker connection dropped while waiting for the reply.
    GC_ERR_CONNECTION_LOST = 12,
    /// The client is closed.
    GC_ERR_CLOSED = 13,
    /// The caller's buffer is too small; `*out_len` says how much is needed.
    GC_ERR_BUFFER_TOO_SMALL = 14,
    /// The event has no such field, or the field is empty/absent.
    GC_ERR_NOT_FOUND = 15,
    /// The call is not allowed from this client's own callback (it would
    /// wait for the callback itself): close, free, set_callback.
    GC_ERR_REENTRANT = 16,
    /// A bug in gcclient (a caught panic); the message says where.
    GC_ERR_INTERNAL = 17,
    /// GC answered `State#RE_LOGIN`: it has no session for the agent and the
    /// command was not carried out (the client logs the agent in again).
    GC_ERR_SESSION_LOST = 18,
    /// GC answered with an event that is not a reply to this command.
    GC_ERR_UNEXPECTED_REPLY = 19,
    /// The broker refused the STOMP login (broker user or passcode).
    GC_ERR_BROKER_AUTH = 20,
}

impl gc_status {
    pub(crate) fn name(self) -> &'static str {
        use gc_status::*;
        match self {
            GC_OK => "GC_OK",
            GC_ERR_NULL_ARGUMENT => "GC_ERR_NULL_ARGUMENT",
            GC_ERR_INVALID_HANDLE => "GC_ERR_INVALID_HANDLE",
            GC_ERR_INVALID_ARGUMENT => "GC_ERR_INVALID_ARGUMENT",
            GC_ERR_UNKNOWN_COMMAND => "GC_ERR_UNKNOWN_COMMAND",
            GC_ERR_CONFIG => "GC_ERR_CONFIG",
            GC_ERR_BROKER_UNREACHABLE => "GC_ERR_BROKER_UNREACHABLE",
            GC_ERR_TRANSPORT => "GC_ERR_TRANSPORT",
            GC_ERR_NOT_IN_SERVICE => "GC_ERR_NOT_IN_SERVICE",
            GC_ERR_GC_OUT_OF_SERVICE => "GC_ERR_GC_OUT_OF_SERVICE",
            GC_ERR_TIMEOUT => "GC_ERR_TIMEOUT",
            GC_ERR_GC => "GC_ERR_GC",
            GC_ERR_CONNECTION_LOST => "GC_ERR_CONNECTION_LOST",
            GC_ERR_CLOSED => "GC_ERR_CLOSED",
            GC_ERR_BUFFER_TOO_SMALL => "GC_ERR_BUFFER_TOO_SMALL",
            GC_ERR_NOT_FOUND => "GC_ERR_NOT_FOUND",
            GC_ERR_REENTRANT => "GC_ERR_REENTRANT",
            GC_ERR_INTERNAL => "GC_ERR_INTERNAL",
            GC_ERR_SESSION_LOST => "GC_ERR_SESSION_LOST",
            GC_ERR_UNEXPECTED_REPLY => "GC_ERR_UNEXPECTED_REPLY",
            GC_ERR_BROKER_AUTH => "GC_ERR_BROKER_AUTH",
        }
    }

    const ALL: [gc_status; 21] = {
        use gc_status::*;
        [
            GC_OK,
            GC_ERR_NULL_ARGUMENT,
            GC_ERR_INVALID_HANDLE,
            GC_ERR_INVALID_ARGUMENT,
            GC_ERR_UNKNOWN_COMMAND,
            GC_ERR_CONFIG,
            GC_ERR_BROKER_UNREACHABLE,
            GC_ERR_TRANSPORT,
            GC_ERR_NOT_IN_SERVICE,
            GC_ERR_GC_OUT_OF_SERVICE,
            GC_ERR_TIMEOUT,
            GC_ERR_GC,
            GC_ERR_CONNECTION_LOST,
            GC_ERR_CLOSED,
            GC_ERR_BUFFER_TOO_SMALL,
            GC_ERR_NOT_FOUND,
            GC_ERR_REENTRANT,
            GC_ERR_INTERNAL,
            GC_ERR_SESSION_LOST,
            GC_ERR_UNEXPECTED_REPLY,
            GC_ERR_BROKER_AUTH,
        ]
    };
}

impl From<&Error> for gc_status {
    fn from(e: &Error) -> Self {
        use gc_status::*;
        match e {
            Error::InvalidArgument(_) => GC_ERR_INVALID_ARGUMENT,
            Error::Config(_) => GC_ERR_CONFIG,
            Error::Transport(_) => GC_ERR_TRANSPORT,
            Error::GcOutOfService => GC_ERR_GC_OUT_OF_SERVICE,
            Error::NotInService(_) => GC_ERR_NOT_IN_SERVICE,
            Error::Timeout { .. } => GC_ERR_TIMEOUT,
            Error::Gc { .. } => GC_ERR_GC,
            Error::ConnectionLost { .. } => GC_ERR_CONNECTION_LOST,
            Error::SessionLost { .. } => GC_ERR_SESSION_LOST,
            Error::UnexpectedReply { .. } => GC_ERR_UNEXPECTED_REPLY,
            Error::BrokerAuth { .. } => GC_ERR_BROKER_AUTH,
            Error::Closed => GC_ERR_CLOSED,
            Error::BrokerUnreachable { .. } => GC_ERR_BROKER_UNREACHABLE,
        }
    }
}

thread_local! {
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

pub(crate) fn set_last_error(message: String) {
    LAST_ERROR.with(|l| *l.borrow_mut() = message);
}

/// Copies the message of the last failed call on this thread into `buf`
/// (NUL-terminated; empty when nothing failed yet). `*out_len`, when not
/// NULL, receives the message length without the NUL. Pass `buf = NULL,
/// len = 0` to ask for the length only. Never changes the last error itself.
#[no_mangle]
pub extern "C" fn gc_last_error(buf: *mut c_char, len: usize, out_len: *mut usize) -> gc_status {
    entry_quiet(|| LAST_ERROR.with(|l| write_str(&l.borrow(), buf, len, out_len)))
}

/// Copies the name of a status code (`"GC_ERR_TIMEOUT"`) into `buf`.
/// Returns `GC_ERR_INVALID_ARGUMENT` for a number that is no status.
#[no_mangle]
pub extern "C" fn gc_status_name(
    status: i32,
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> gc_status {
    crate::entry::entry(|| {
        let s = gc_status::ALL
            .iter()
            .find(|s| **s as i32 == status)
            .ok_or_else(|| Failure::invalid(format!("{status} is not a gc_status")))?;
        write_str(s.name(), buf, len, out_len)
    })
}

/// Copies the library version (`"0.1.0"`) into `buf`.
#[no_mangle]
pub extern "C" fn gc_version(buf: *mut c_char, len: usize, out_len: *mut usize) -> gc_status {
    crate::entry::entry(|| write_str(gcclient_core::VERSION, buf, len, out_len))
}
