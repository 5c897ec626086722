//! The library's `tracing` records, handed to a foreign logger (Python's
//! `logging`, SLF4J, .NET `Trace`, a C callback). The bindings install one
//! sink each; this module is what they share.
//!
//! Passwords never reach the records: the core keeps them in `Secret`,
//! which prints as `***`, and bodies are never logged (a Login's carries
//! the password).
//!
//! The core logs each command at DEBUG when it is sent and when its outcome
//! (reply, refusal) is known, inside a `gc_command` span that names agent,
//! command and correlation id. Foreign loggers see no spans, so those
//! records are forwarded as one self-contained line each, target
//! `gcclient::command`: `sent make_ready agent=1001 correlation_id=ab..`,
//! `reply ... latency_ms=1.204 reply=agent_state`, `refused ... error=...`
//! (the error last: its text has spaces).

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;

/// A record's level, most detailed first, so `level >= threshold` selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[repr(u8)]
pub enum LogLevel {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    /// Nothing is forwarded.
    Off,
}

/// Receives each record: level, target (`gcclient::session::engine`) and
/// the message followed by its fields (`key=value`). Called on whatever
/// thread logged.
pub type LogSink = Arc<dyn Fn(LogLevel, &str, String) + Send + Sync>;

/// Another global `tracing` subscriber was installed first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("another tracing subscriber is already installed in this process")]
pub struct SubscriberTaken;

static SINK: RwLock<Option<LogSink>> = RwLock::new(None);
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

/// The fields of a core `gc_command` span, kept in its extensions.
#[derive(Debug, Default, Clone)]
struct CommandTrace {
    agent: String,
    command: String,
    correlation_id: String,
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

/// One of the core's command records: its message and outcome fields.
#[derive(Default)]
struct CommandEvent {
    message: String,
    latency_ms: Option<f64>,
    reply: Option<String>,
    error: Option<String>,
}

impl Visit for CommandEvent {
    fn record_f64(&mut self, field: &Field, value: f64) {
        if field.name() == "latency_ms" {
            self.latency_ms = Some(value);
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.record_str(field, &format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "message" => self.message = value.to_owned(),
            "reply" => self.reply = Some(value.to_owned()),
            "error" => self.error = Some(value.to_owned()),
            _ => {}
        }
    }
}

impl CommandEvent {
    /// The forwarded line, or None for a record that is not one of the
    /// core's command records.
    fn line(&self, t: &CommandTrace) -> Option<String> {
        let word = match self.message.as_str() {
            "command sent" => "sent",
            "reply" => "reply",
            "refused" => "refused",
            _ => return None,
        };
        let mut line = format!(
            "{word} {} agent={} correlation_id={}",
            t.command, t.agent, t.correlation_id
        );
        if let Some(ms) = self.latency_ms {
            let _ = write!(line, " latency_ms={ms:.3}");
        }
        if let Some(reply) = &self.reply {
            let _ = write!(line, " reply={reply}");
        }
        if let Some(error) = &self.error {
            let _ = write!(line, " error={error}");
        }
        Some(line)
    }
}

fn emit(level: LogLevel, target: &str, message: String) {
    // The read guard is held during the call so `remove_sink` can wait
    // for calls in progress.
    let Ok(sink) = SINK.read() else { return };
    if let Some(sink) = sink.as_ref() {
        sink(level, target, message);
    }
}

impl<S> Layer<S> for ForeignLayer
where
    S: tracing::Subscriber + for<'a> LookupSpan<'a>,
{
    fn enabled(&self, metadata: &tracing::Metadata<'_>, _: Context<'_, S>) -> bool {
        wanted(level_of(metadata.level()))
    }

    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if attrs.metadata().name() != COMMAND_SPAN {
            return;
        }
        let mut t = CommandTrace::default();
        attrs.record(&mut SpanFields(&mut t));
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(t);
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id) {
            if let Some(t) = span.extensions_mut().get_mut::<CommandTrace>() {
                values.record(&mut SpanFields(t));
            }
        }
    }

    fn on_event(&self, event: &tracing::Event<'_>, ctx: Context<'_, S>) {
        let meta = event.metadata();
        let level = level_of(meta.level());
        if !wanted(level) {
            return;
        }
        let trace = ctx.event_scope(event).and_then(|scope| {
            scope
                .from_root()
                .find_map(|span| span.extensions().get::<CommandTrace>().cloned())
        });
        if let Some(t) = trace {
            let mut fields = CommandEvent::default();
            event.record(&mut fields);
            if let Some(line) = fields.line(&t) {
                emit(level, "gcclient::command", line);
                return;
            }
        }
        let mut message = Message(String::new());
        event.record(&mut message);
        emit(level, meta.target(), message.0.trim_start().to_owned());
    }
}

/// Sends the library's log records at `level` and above to `sink`
/// (replacing any earlier sink).
pub fn install_sink(sink: LogSink, level: LogLevel) -> Result<(), SubscriberTaken> {
    if let Ok(mut s) = SINK.write() {
        *s = Some(sink);
    }
    set_level(level);
    let installed = *INSTALLED.get_or_init(|| {
        tracing::subscriber::set_global_default(tracing_subscriber::registry().with(ForeignLayer))
            .is_ok()
    });
    if installed {
        Ok(())
    } else {
        Err(SubscriberTaken)
    }
}

/// Changes the level forwarded; `Off` stops forwarding.
pub fn set_level(level: LogLevel) {
    LEVEL.store(level as u8, Ordering::Relaxed);
    // tracing caches "is this callsite enabled" per callsite.
    tracing::callsite::rebuild_interest_cache();
}

/// Stops forwarding and drops the sink once the calls in progress are done.
/// Must not be called from inside the sink (it would wait for itself).
pub fn remove_sink() {
    set_level(LogLevel::Off);
    if let Ok(mut s) = SINK.write() {
        *s = None;
    }
}
