//! Log records of the library, handed to a foreign sink (Python's
//! `logging`, SLF4J): uniffi's face of `gcclient::log_bridge`, which says
//! what is forwarded and how.

use std::sync::Arc;

use gcclient::log_bridge as bridge;

use crate::error::GcError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, uniffi::Enum)]
pub enum LogLevel {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    /// Nothing is forwarded.
    Off,
}

impl From<LogLevel> for bridge::LogLevel {
    fn from(l: LogLevel) -> Self {
        match l {
            LogLevel::Trace => bridge::LogLevel::Trace,
            LogLevel::Debug => bridge::LogLevel::Debug,
            LogLevel::Info => bridge::LogLevel::Info,
            LogLevel::Warn => bridge::LogLevel::Warn,
            LogLevel::Error => bridge::LogLevel::Error,
            LogLevel::Off => bridge::LogLevel::Off,
        }
    }
}

impl From<bridge::LogLevel> for LogLevel {
    fn from(l: bridge::LogLevel) -> Self {
        match l {
            bridge::LogLevel::Trace => LogLevel::Trace,
            bridge::LogLevel::Debug => LogLevel::Debug,
            bridge::LogLevel::Info => LogLevel::Info,
            bridge::LogLevel::Warn => LogLevel::Warn,
            bridge::LogLevel::Error => LogLevel::Error,
            bridge::LogLevel::Off => LogLevel::Off,
        }
    }
}

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
            level: level.into(),
            target: target.to_owned(),
            message,
        })
    });
    bridge::install_sink(forward, level.into()).map_err(|e| GcError::Config {
        detail: e.to_string(),
    })
}

/// Changes the level forwarded to the sink; `Off` stops forwarding (call it
/// before the foreign runtime shuts down).
#[uniffi::export]
pub fn set_log_level(level: LogLevel) {
    bridge::set_level(level.into());
}

/// Drops the sink after the calls in progress (see `shutdown_callbacks`).
pub(crate) fn remove_sink() {
    bridge::remove_sink();
}
