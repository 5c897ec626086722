//! The frame of every entry point: no panic crosses into C, and a failure
//! becomes a status code plus the thread's last-error message.

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::status::{gc_status, set_last_error};

/// A failed call: the code C sees and the message `gc_last_error` returns.
#[derive(Debug)]
pub(crate) struct Failure {
    pub status: gc_status,
    pub message: String,
}

impl Failure {
    pub fn new(status: gc_status, message: impl Into<String>) -> Self {
        Failure {
            status,
            message: message.into(),
        }
    }
    pub fn null(what: &str) -> Self {
        Failure::new(gc_status::GC_ERR_NULL_ARGUMENT, format!("`{what}` is NULL"))
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Failure::new(gc_status::GC_ERR_INVALID_ARGUMENT, message)
    }
}

impl From<gcclient_core::Error> for Failure {
    fn from(e: gcclient_core::Error) -> Self {
        Failure::new(gc_status::from(&e), e.to_string())
    }
}

pub(crate) type Outcome = Result<(), Failure>;

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}

fn run(f: impl FnOnce() -> Outcome, record: bool) -> gc_status {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => gc_status::GC_OK,
        Ok(Err(failure)) => {
            if record {
                set_last_error(failure.message);
            }
            failure.status
        }
        Err(panic) => {
            set_last_error(format!(
                "internal error in gcclient (please report): {}",
                panic_message(&*panic)
            ));
            gc_status::GC_ERR_INTERNAL
        }
    }
}

/// Runs one entry point's body.
pub(crate) fn entry(f: impl FnOnce() -> Outcome) -> gc_status {
    run(f, true)
}

/// Like [`entry`] but leaves the last error alone (for `gc_last_error`).
pub(crate) fn entry_quiet(f: impl FnOnce() -> Outcome) -> gc_status {
    run(f, false)
}
