//! State shared by the client handles and the engine task.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::{oneshot, watch};
use tracing::Instrument;

use super::snapshot::AgentSnapshot;
use super::{ConnectionStatus, Notification};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::protocol::{Command, CommandKind, Event, EventData, ParseOptions, Secret, WireNames};
use crate::stomp::Transport;

/// Credentials kept in memory only, for automatic re-login.
#[derive(Clone)]
pub(crate) struct Credentials {
    pub login: Command,
    pub password: Secret,
    pub sso: bool,
}

pub(crate) struct AgentEntry {
    pub credentials: Option<Credentials>,
    pub snapshot: AgentSnapshot,
}

pub(crate) struct Pending {
    pub agent: String,
    pub kind: CommandKind,
    pub seq: u64,
    pub tx: oneshot::Sender<Result<Event>>,
}

#[derive(Default)]
pub(crate) struct Inner {
    pub pending: HashMap<String, Pending>,
    pub agents: HashMap<String, AgentEntry>,
    pub skew_ms: Option<i64>,
    pub skew_warned: bool,
    pub last_transport_error: Option<String>,
}

pub(crate) struct Shared {
    pub cfg: Config,
    pub destination: String,
    pub reply_to: String,
    pub queue: String,
    pub names: WireNames,
    pub parse: ParseOptions,
    pub transport: Transport,
    pub status_tx: watch::Sender<ConnectionStatus>,
    pub events_tx: super::bus::Bus,
    pub dropped: Arc<AtomicU64>,
    seq: AtomicU64,
    inner: Mutex<Inner>,
}

/// Removes a pending request however its waiter ends (reply, timeout,
/// cancellation), so nothing leaks.
struct PendingGuard<'a> {
    shared: &'a Shared,
    id: String,
}

impl Drop for PendingGuard<'_> {
    fn drop(&mut self) {
        self.shared.lock().pending.remove(&self.id);
    }
}

pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl Shared {
    pub fn new(cfg: Config, transport: Transport) -> Result<Self> {
        let destination = cfg.resolved_destination();
        let (status_tx, _) = watch::channel(ConnectionStatus::Connecting);
        let events_tx = super::bus::Bus::new(cfg.event_buffer, cfg.event_buffer_bytes);
        Ok(Shared {
            reply_to: format!("/topic/{destination}"),
            queue: format!("/queue/{}", cfg.queue),
            names: cfg.wire_names()?,
            parse: cfg.parse_options(),
            destination,
            transport,
            status_tx,
            events_tx,
            dropped: Arc::new(AtomicU64::new(0)),
            seq: AtomicU64::new(0),
            inner: Mutex::new(Inner::default()),
            cfg,
        })
    }

    /// A poisoned lock only means a panic elsewhere; the data is still
    /// consistent (every critical section is a few map operations).
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn status(&self) -> ConnectionStatus {
        *self.status_tx.borrow()
    }

    pub fn set_status(&self, status: ConnectionStatus, detail: Option<String>) {
        let changed = self.status_tx.send_if_modified(|s| {
            let changed = *s != status;
            *s = status;
            changed
        });
        if changed {
            tracing::info!(
                status = status.as_str(),
                detail = detail.as_deref(),
                "gc status"
            );
            self.notify(Notification::Status { status, detail });
        }
    }

    pub fn notify(&self, n: Notification) {
        // No receivers is fine: nobody is listening yet.
        self.events_tx.send(n);
    }

    /// Fails every pending request, e.g. on disconnect or OUT_OF_SERVICE.
    pub fn fail_pending(&self, make: impl Fn(CommandKind) -> Error) {
        let drained: Vec<Pending> = self.lock().pending.drain().map(|(_, p)| p).collect();
        for p in drained {
            let _ = p.tx.send(Err(make(p.kind)));
        }
    }

    fn headers(&self, jms_type: String, correlation_id: &str) -> Vec<(String, String)> {
        let expires = now_ms() + self.cfg.effective_command_ttl_ms() as i64;
        vec![
            ("type".into(), jms_type),
            ("correlation-id".into(), correlation_id.to_owned()),
            ("reply-to".into(), self.reply_to.clone()),
            ("expires".into(), expires.to_string()),
            ("persistent".into(), self.cfg.persistent.to_string()),
        ]
    }

    /// Encodes and sends a command, waiting for the broker's receipt only.
    /// Returns the correlation id used.
    pub async fn send_raw(&self, target: &str, command: &Command) -> Result<String> {
        let encoded = self.encode_checked(target, command)?;
        let correlation_id = uuid::Uuid::new_v4().simple().to_string();
        let headers = self.headers(encoded.jms_type, &correlation_id);
        self.transport
            .send(&self.queue, headers, encoded.body)
            .await?;
        Ok(correlation_id)
    }

    fn check_in_service(&self, kind: CommandKind) -> Result<()> {
        if matches!(kind, CommandKind::Hello | CommandKind::Beat) {
            return Ok(());
        }
        match self.status() {
            ConnectionStatus::InService => Ok(()),
            ConnectionStatus::OutOfService => Err(Error::GcOutOfService),
            ConnectionStatus::Closed => Err(Error::Closed),
            other => Err(Error::NotInService(other)),
        }
    }

    /// Sends a command and, if GC answers it, waits for the correlated
    /// reply (or an error event for the agent) up to `timeout`.
    pub async fn execute(
        &self,
        agent: &str,
        command: &Command,
        timeout: Duration,
    ) -> Result<Option<Event>> {
        let kind = command.kind();
        let span = tracing::debug_span!(
            "gc_command",
            agent,
            command = kind.api_name(),
            correlation_id = tracing::field::Empty
        );
        async {
            self.check_in_service(kind)?;
            if !kind.spec().expects_reply() {
                let cid = self.send_raw(agent, command).await?;
                tracing::Span::current().record("correlation_id", cid.as_str());
                return Ok(None);
            }
            let encoded = self.encode_checked(agent, command)?;
            let correlation_id = uuid::Uuid::new_v4().simple().to_string();
            tracing::Span::current().record("correlation_id", correlation_id.as_str());
            let (tx, rx) = oneshot::channel();
            let seq = self.seq.fetch_add(1, Ordering::Relaxed);
            self.lock().pending.insert(
                correlation_id.clone(),
                Pending {
                    agent: agent.to_owned(),
                    kind,
                    seq,
                    tx,
                },
            );
            let _guard = PendingGuard {
                shared: self,
                id: correlation_id.clone(),
            };
            let headers = self.headers(encoded.jms_type, &correlation_id);
            self.transport
                .send(&self.queue, headers, encoded.body)
                .await?;
            match tokio::time::timeout(timeout, rx).await {
                Ok(Ok(reply)) => reply.map(Some),
                // The sender is dropped only by close() racing us.
                Ok(Err(_)) => Err(Error::Closed),
                Err(_) => Err(Error::Timeout {
                    command: kind.api_name(),
                    agent: agent.to_owned(),
                    after_ms: timeout.as_millis() as u64,
                }),
            }
        }
        .instrument(span)
        .await
    }

    /// Matches an incoming event to a pending request. Returns true when
    /// the event completed one.
    pub fn complete(&self, correlation_id: Option<&str>, event: &Event) -> bool {
        let ty = event.data.wire_type();
        let is_error = matches!(event.data, EventData::Error { .. });
        let mut inner = self.lock();
        let key = match correlation_id.filter(|c| !c.is_empty()) {
            // A correlation id that is not pending (a late reply after a
            // timeout, a Hello's answer) must not complete anything else.
            Some(cid) => inner.pending.get(cid).and_then(|p| {
                let fits = is_error
                    || p.kind.spec().replies.first() == Some(&ty)
                    || matches!(
                        event.data,
                        EventData::Unknown | EventData::CallbackMessage { .. }
                    );
                fits.then(|| cid.to_owned())
            }),
            // Opt-in for a GC that answers without the correlation id: the
            // oldest request of that agent waiting for this type gets it.
            None if !self.cfg.match_uncorrelated_replies => None,
            None => event.agent.as_deref().and_then(|agent| {
                inner
                    .pending
                    .iter()
                    .filter(|(_, p)| {
                        p.agent == agent && (is_error || p.kind.spec().replies.first() == Some(&ty))
                    })
                    .min_by_key(|(_, p)| p.seq)
                    .map(|(k, _)| k.clone())
            }),
        };
        let Some(key) = key else { return false };
        let Some(p) = inner.pending.remove(&key) else {
            return false;
        };
        drop(inner);
        let result = match &event.data {
            EventData::Error { code, .. } => Err(Error::Gc {
                agent: p.agent.clone(),
                code: code.clone(),
                event: Box::new(event.clone()),
            }),
            _ => Ok(event.clone()),
        };
        let _ = p.tx.send(result);
        true
    }

    pub fn snapshot(&self, agent: &str) -> AgentSnapshot {
        self.lock()
            .agents
            .get(agent)
            .map(|a| a.snapshot.clone())
            .unwrap_or_else(|| AgentSnapshot::new(agent))
    }
}
