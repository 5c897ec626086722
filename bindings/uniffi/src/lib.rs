//! uniffi bindings over gcclient: one language-neutral interface for Python
//! and Kotlin, declared with proc-macros (no UDL). Core's events, snapshots,
//! statuses and records cross as they are (its `uniffi` feature derives
//! them; they form the generated module `gcclient_core`, which this crate's
//! module `gcclient` imports); this crate adds what has behaviour: the
//! `Client`/`Agent` objects, the runtime, the logging bridge, the config
//! record with its defaults, and the error type.
//!
//! Async methods run on the library's own tokio runtime
//! ([`gcclient::blocking::runtime`]), so the foreign side only awaits a join
//! handle: no reactor is needed on the caller's thread, and a cancelled
//! foreign call aborts the Rust task (its pending request is cleaned up).

// Records and errors cross the FFI by value (uniffi has no Box), so the
// variants carrying an `Event` stay large; the copies cost nothing measurable.
#![allow(clippy::result_large_err, clippy::large_enum_variant)]

mod agent;
mod client;
mod config;
mod error;
mod events;
mod logging;
mod runtime;
mod types;
#[cfg(unix)]
mod wake;

pub use agent::Agent;
pub use client::{connect, Client, EventStream};
pub use config::{config_from_env, config_from_toml, default_config, ClientConfig};
pub use error::GcError;
pub use events::*;
pub use gcclient::protocol::Secret;
pub use logging::{install_log_sink, set_log_level, LogLevel, LogRecord, LogSink};
pub use runtime::{set_interruption, shutdown_callbacks, wake_on_library_threads, Interruption};
pub use types::*;
#[cfg(unix)]
pub use wake::{gcclient_wake_continuation, wake_through_relay, WakeQueue};

uniffi::setup_scaffolding!("gcclient");

/// The version of the Rust library behind the bindings.
#[uniffi::export]
pub fn version() -> String {
    gcclient::VERSION.to_owned()
}
