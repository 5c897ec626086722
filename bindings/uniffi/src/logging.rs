//! Log records of the library, handed to a foreign sink (Python's
//! `logging`, SLF4J, ...). Passwords never reach them: the core keeps them
//! in `Secret`, which prints as `***`.
//!
//! At DEBUG, each command a foreign caller runs adds one record when it is
//! sent and one for its outcome (reply, refusal, failure), target
//! `gcclient::command`, with agent, command, correlation id and latency:
//! the core's `gc_command` span supplies the first three, [`traced`] the
//! outcome. Bodies are never logged (a Login's carries the password).

use std::cell::RefCell;
use std::fmt::Write as _;
use std::future::Future;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Instant;

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
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

/// The command a [`traced`] call is running, from the core's span.
#[derive(Debug, Default, Clone)]
struct CommandTrace {
    agent: String,
    command: String,
    correlation_id: String,
}

tokio::task_local! {
    static TRACE: RefCell<CommandTrace>;
}

/// The core's span around one command.
const COMMAND_SPAN: &str = "gc_command";

struct SpanFields<'a>(&'a mut CommandTrace);

impl Visit for SpanFields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.record_str(field, &format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "agent" => self.0.agent = value.to_owned(),
            "command" => self.0.command = value.to_owned(),
            "correlation_id" => self.0.correlation_id = value.to_owned(),
            _ => {}
        }
    }
}

fn emit(level: LogLevel, target: &str, message: String) {
    if !wanted(level) {
        return;
    }
    let Ok(sink) = SINK.read() else { return };
    if let Some(sink) = sink.as_ref() {
        sink.log(LogRecord {
            level,
            target: target.to_owned(),
            message,
        });
    }
}

/// What a command's outcome record says about a success.
fn describe(value: &dyn std::any::Any) -> String {
    if let Some(e) = value.downcast_ref::<crate::events::Event>() {
        format!("reply={}", e.wire_type)
    } else if let Some(e) = value.downcast_ref::<gcclient::Event>() {
        format!("reply={}", e.data.wire_type())
    } else {
        "reply=none".to_owned()
    }
}

/// Runs a foreign caller's future and, at DEBUG, logs the outcome of the
/// command it ran (nothing when it ran none: waits, close).
pub(crate) async fn traced<T, F>(fut: F) -> gcclient::Result<T>
where
    F: Future<Output = gcclient::Result<T>>,
    T: 'static,
{
    if !wanted(LogLevel::Debug) {
        return fut.await;
    }
    TRACE
        .scope(RefCell::default(), async move {
            let started = Instant::now();
            let result = fut.await;
            let t = TRACE.with(|t| t.borrow().clone());
            if !t.command.is_empty() {
                let latency = started.elapsed().as_secs_f64() * 1000.0;
                let (word, what) = match &result {
                    Ok(v) => ("reply", describe(v)),
                    Err(gcclient::Error::Gc { code, .. }) => ("refused", format!("error={code}")),
                    Err(e) => ("failed", format!("error={:?}", e.to_string())),
                };
                emit(
                    LogLevel::Debug,
                    "gcclient::command",
                    format!(
                        "{word} {} agent={} correlation_id={} {what} latency_ms={latency:.3}",
                        t.command, t.agent, t.correlation_id
                    ),
                );
            }
            result
        })
        .await
}

impl<S> Layer<S> for ForeignLayer
where
    S: tracing::Subscriber + for<'a> LookupSpan<'a>,
{
    fn enabled(&self, metadata: &tracing::Metadata<'_>, _: Context<'_, S>) -> bool {
        wanted(level_of(metadata.level()))
    }

    fn on_new_span(&self, attrs: &Attributes<'_>, _: &Id, _: Context<'_, S>) {
        if attrs.metadata().name() != COMMAND_SPAN {
            return;
        }
        // Only inside `traced` (a foreign caller's command, not keep-alives).
        let _ = TRACE.try_with(|t| {
            let mut t = t.borrow_mut();
            *t = CommandTrace::default();
            attrs.record(&mut SpanFields(&mut t));
        });
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if ctx.metadata(id).map(|m| m.name()) != Some(COMMAND_SPAN) {
            return;
        }
        let sent = TRACE.try_with(|t| {
            let mut t = t.borrow_mut();
            values.record(&mut SpanFields(&mut t));
            t.clone()
        });
        // The correlation id is recorded just before the command is sent.
        if let Ok(t) = sent {
            if !t.correlation_id.is_empty() {
                emit(
                    LogLevel::Debug,
                    "gcclient::command",
                    format!(
                        "sent {} agent={} correlation_id={}",
                        t.command, t.agent, t.correlation_id
                    ),
                );
            }
        }
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
