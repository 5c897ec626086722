//! Log records of the library, handed to a foreign sink (Python's
//! `logging`, SLF4J): uniffi's face of `gcclient::log_bridge`, which says
//! what is forwarded and how.

use std::sync::Arc;

use gcclient::log_bridge as bridge;

use crate::error::GcError;

pub use gcclient::log_bridge::LogLevel;

#[derive(Debug, Clone, uniffi::Record)]
pub struct LogRecord {
    pub level: LogLevel,
    /// The Rust module path (`gcclient::session::engine`).
    pub target: String,
    /// The message followed by its fields (`key=value`).
    pub message: String,
}

/// Receives the library's log records, on whatever thread logged them.
#[uniffi::export(with_foreign)]
pub trait LogSink: Send + Sync {
    fn log(&self, record: LogRecord);
}

/// Sends the library's log records at `level` and above to `sink` (replacing
/// any earlier sink). Fails if the process already has another global
/// `tracing` subscriber.
#[uniffi::export]
pub fn install_log_sink(sink: Arc<dyn LogSink>, level: LogLevel) -> Result<(), GcError> {
    let forward: bridge::LogSink = Arc::new(move |level, target: &str, message| {
        sink.log(LogRecord {
            level,
            target: target.to_owned(),
            message,
        })
    });
    bridge::install_sink(forward, level).map_err(|e| GcError::Config {
        detail: e.to_string(),
    })
}

/// Changes the level forwarded to the sink; `Off` stops forwarding (call it
/// before the foreign runtime shuts down).
#[uniffi::export]
pub fn set_log_level(level: LogLevel) {
    bridge::set_level(level);
}

/// Drops the sink after the calls in progress (see `shutdown_callbacks`).
pub(crate) fn remove_sink() {
    bridge::remove_sink();
}
