//! Log records of the library, handed to a foreign sink (Python's
//! `logging`, SLF4J, ...). Passwords never reach them: the core keeps them
//! in `Secret`, which prints as `***`.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;

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

static SINK: RwLock<Option<Arc<dyn LogSink>>> = RwLock::new(None);
static LEVEL: AtomicU8 = AtomicU8::new(LogLevel::Off as u8);
static INSTALLED: OnceLock<bool> = OnceLock::new();

fn level_of(l: &tracing::Level) -> LogLevel {
    match *l {
        tracing::Level::TRACE => LogLevel::Trace,
        tracing::Level::DEBUG => LogLevel::Debug,
        tracing::Level::INFO => LogLevel::Info,
        tracing::Level::WARN => LogLevel::Warn,
        _ => LogLevel::Error,
    }
}

fn wanted(level: LogLevel) -> bool {
    (level as u8) >= LEVEL.load(Ordering::Relaxed)
}

struct ForeignLayer;

struct Message(String);

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.0, "{value:?}");
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0.push_str(value);
        } else {
            let _ = write!(self.0, " {}={value}", field.name());
        }
    }
}

impl<S: tracing::Subscriber> Layer<S> for ForeignLayer {
    fn enabled(&self, metadata: &tracing::Metadata<'_>, _: Context<'_, S>) -> bool {
        wanted(level_of(metadata.level()))
    }

    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let meta = event.metadata();
        let level = level_of(meta.level());
        if !wanted(level) {
            return;
        }
        // The read guard is held during the call so `remove_sink` can wait
        // for calls in progress.
        let Ok(sink) = SINK.read() else { return };
        let Some(sink) = sink.as_ref() else { return };
        let mut message = Message(String::new());
        event.record(&mut message);
        sink.log(LogRecord {
            level,
            target: meta.target().to_owned(),
            message: message.0.trim_start().to_owned(),
        });
    }
}

/// Sends the library's log records at `level` and above to `sink` (replacing
/// any earlier sink). Fails if the process already has another global
/// `tracing` subscriber.
#[uniffi::export]
pub fn install_log_sink(sink: Arc<dyn LogSink>, level: LogLevel) -> Result<(), GcError> {
    if let Ok(mut s) = SINK.write() {
        *s = Some(sink);
    }
    set_log_level(level);
    let installed = *INSTALLED.get_or_init(|| {
        tracing::subscriber::set_global_default(tracing_subscriber::registry().with(ForeignLayer))
            .is_ok()
    });
    if installed {
        Ok(())
    } else {
        Err(GcError::Config {
            detail: "another tracing subscriber is already installed in this process".into(),
        })
    }
}

/// Changes the level forwarded to the sink; `Off` stops forwarding (call it
/// before the foreign runtime shuts down).
#[uniffi::export]
pub fn set_log_level(level: LogLevel) {
    LEVEL.store(level as u8, Ordering::Relaxed);
    // tracing caches "is this callsite enabled" per callsite.
    tracing::callsite::rebuild_interest_cache();
}

/// Drops the sink after the calls in progress (see `shutdown_callbacks`).
pub(crate) fn remove_sink() {
    set_log_level(LogLevel::Off);
    if let Ok(mut s) = SINK.write() {
        *s = None;
    }
}
