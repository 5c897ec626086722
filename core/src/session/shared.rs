//! What the client handles and the driver task share: the pure
//! [`SessionState`] behind one lock, the waiters of its requests, and the
//! transport. Callers send their own commands (so they hear the broker's
//! receipt without a thread hop); everything else the machine asks for is
//! done by [`Shared::apply`].

use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::task::Poll;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::{oneshot, watch, Notify};
use tokio::time::Instant;
use tracing::Instrument;

use super::snapshot::AgentSnapshot;
use super::state::{Credentials, Outgoing, Output, RequestId, SessionState, Settings};
use super::{ConnectionStatus, Notification};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::protocol::{Command, Event, ParseOptions, WireNames};
use crate::stomp::{Receipt, Transport};

type Waiter = oneshot::Sender<Result<Option<Event>>>;

pub(crate) struct Inner {
    pub machine: SessionState,
    waiters: HashMap<RequestId, Waiter>,
    pub last_transport_error: Option<String>,
    /// When the driver will next wake by itself (`None`: only when told).
    pub driver_wakes_at: Option<std::time::Instant>,
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
    /// Pokes the driver when a new request may need an earlier wake-up.
    pub wake: Notify,
    /// For background tasks, which must not keep the client alive.
    me: Weak<Shared>,
    inner: Mutex<Inner>,
}

/// Ends a caller's request however its waiter ends (reply, failure,
/// cancellation of the caller's future), so nothing leaks.
struct CancelGuard<'a> {
    shared: &'a Shared,
    id: Option<RequestId>,
}

impl Drop for CancelGuard<'_> {
    fn drop(&mut self) {
        if let Some(id) = self.id {
            let mut inner = self.shared.lock();
            inner.waiters.remove(&id);
            inner.machine.cancel(id);
        }
    }
}

pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Whether a timer due at `due` needs the driver woken, which sleeps until
/// `armed` (`None`: until told).
fn sooner_than_armed(due: Option<std::time::Instant>, armed: Option<std::time::Instant>) -> bool {
    match (due, armed) {
        (Some(due), Some(armed)) => due < armed,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

fn now() -> std::time::Instant {
    Instant::now().into_std()
}

impl Shared {
    pub fn new(cfg: Config, transport: Transport) -> Result<Arc<Self>> {
        let destination = cfg.resolved_destination();
        let (status_tx, _) = watch::channel(ConnectionStatus::Connecting);
        let events_tx = super::bus::Bus::new(cfg.event_buffer, cfg.event_buffer_bytes);
        let settings = Settings {
            hello_interval: cfg.hello_interval(),
            beat_interval: cfg.beat_interval(),
            request_timeout: cfg.request_timeout(),
            relogin_after_reconnect: cfg.relogin_after_reconnect,
            match_uncorrelated_replies: cfg.match_uncorrelated_replies,
            destination: destination.clone(),
            correlation_prefix: uuid::Uuid::new_v4().simple().to_string(),
            clock_skew_warn_ms: cfg.clock_skew_warn_ms.min(i64::MAX as u64) as i64,
        };
        let names = cfg.wire_names()?;
        Ok(Arc::new_cyclic(|me| Shared {
            me: me.clone(),
            reply_to: format!("/topic/{destination}"),
            queue: format!("/queue/{}", cfg.queue),
            names,
            parse: cfg.parse_options(),
            destination,
            transport,
            status_tx,
            events_tx,
            dropped: Arc::new(AtomicU64::new(0)),
            wake: Notify::new(),
            inner: Mutex::new(Inner {
                machine: SessionState::new(settings),
                waiters: HashMap::new(),
                last_transport_error: None,
                driver_wakes_at: None,
            }),
            cfg,
        }))
    }

    /// A poisoned lock only means a panic elsewhere; the machine's data is
    /// still consistent (no input leaves it half-updated across an unwind
    /// that we could observe).
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Feeds one input to the machine and does what it asks.
    pub fn drive<T>(&self, input: impl FnOnce(&mut SessionState, std::time::Instant) -> T) -> T {
        let (value, outputs, done) = {
            let mut inner = self.lock();
            let value = input(&mut inner.machine, now());
            let outputs = inner.machine.take_outputs();
            let mut done = Vec::new();
            let mut rest = Vec::with_capacity(outputs.len());
            for o in outputs {
                match o {
                    Output::Complete { id, result } => {
                        if let Some(tx) = inner.waiters.remove(&id) {
                            done.push((tx, result));
                        }
                    }
                    other => rest.push(other),
                }
            }
            (value, rest, done)
        };
        // Notifications first: a caller woken by its reply may subscribe
        // at once, and must not then see the events that came before it.
        self.apply(outputs);
        for (tx, result) in done {
            let _ = tx.send(result);
        }
        value
    }

    /// After inputs the driver did not feed (what the connection task
    /// reads, a background send's failure): wakes it if the machine's next
    /// timer is now earlier than the one it sleeps for. A later one needs
    /// nothing: the driver wakes early, finds nothing due, and re-arms.
    pub fn rearm_driver(&self) {
        let earlier = {
            let inner = self.lock();
            sooner_than_armed(inner.machine.next_wakeup(), inner.driver_wakes_at)
        };
        if earlier {
            self.wake.notify_one();
        }
    }

    /// The notifications of one input go out first, as one step; then its
    /// commands, which are sent in the background.
    fn apply(&self, outputs: Vec<Output>) {
        let mut notes = Vec::new();
        let mut sends = Vec::new();
        for o in outputs {
            match o {
                Output::Send(out) => sends.push(out),
                Output::Notify(n) => notes.push(n),
                Output::Complete { .. } => {}
            }
        }
        self.publish(notes);
        for out in sends {
            self.send_background(out);
        }
    }

    pub fn status(&self) -> ConnectionStatus {
        *self.status_tx.borrow()
    }

    pub fn notify(&self, n: Notification) {
        self.publish(vec![n]);
    }

    /// Publishes what one input caused as one step of the bus, with the
    /// status watch updated inside it: a caller woken by the watch that
    /// subscribes at once gets neither the Status it waited for nor what
    /// came with it (the System event of a Hello reply) as news.
    fn publish(&self, notes: Vec<Notification>) {
        if notes.is_empty() {
            return;
        }
        let mut statuses = Vec::new();
        for n in &notes {
            match n {
                Notification::Status { status, detail } => {
                    tracing::info!(
                        status = status.as_str(),
                        detail = detail.as_deref(),
                        "gc status"
                    );
                    statuses.push(*status);
                }
                Notification::ClockSkew { skew_ms } => tracing::warn!(
                    skew_ms,
                    "local clock differs from the broker's by more than {} ms; commands carry an absolute expiry and may be dropped or run late",
                    self.cfg.clock_skew_warn_ms
                ),
                _ => {}
            }
        }
        // No receivers is fine: nobody is listening yet.
        self.events_tx.send_all(notes, || {
            for status in statuses {
                self.status_tx.send_replace(status);
            }
        });
    }

    /// `deadline`: how long the caller waits for this command (the config's
    /// request timeout or its own): a command the caller gave up on expires
    /// at the broker rather than run late, and one it waits longer for is
    /// not expired early.
    fn headers(
        &self,
        jms_type: String,
        correlation_id: &str,
        deadline: Option<Duration>,
    ) -> Vec<(String, String)> {
        let ttl = match deadline {
            Some(d) => self
                .cfg
                .command_ttl_ms
                .min(u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)),
            None => self.cfg.effective_command_ttl_ms(),
        };
        let expires = now_ms().saturating_add(ttl.min(i64::MAX as u64) as i64);
        vec![
            ("type".into(), jms_type),
            ("correlation-id".into(), correlation_id.to_owned()),
            ("reply-to".into(), self.reply_to.clone()),
            ("expires".into(), expires.to_string()),
            ("persistent".into(), self.cfg.persistent.to_string()),
        ]
    }

    /// Queues the frame now (so sends keep their order) and returns the
    /// wait for its receipt.
    fn queue_send(
        &self,
        out: &Outgoing,
    ) -> Result<impl std::future::Future<Output = Result<()>> + Send + 'static> {
        let receipt = self.queue_receipt(out, None);
        Ok(async move { receipt?.await.map_err(Error::from) })
    }

    fn queue_receipt(&self, out: &Outgoing, deadline: Option<Duration>) -> Result<Receipt> {
        let encoded = self.encode_checked(&out.target, &out.command)?;
        let headers = self.headers(encoded.jms_type, &out.correlation_id, deadline);
        Ok(self.transport.queue(&self.queue, headers, encoded.body)?)
    }

    /// Keep-alives and automatic re-logins: a failure is fed back to the
    /// machine (which fails the re-login and tries again later).
    fn send_background(&self, out: Outgoing) {
        let kind = out.command.kind();
        let receipt = match self.queue_send(&out) {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(command = kind.api_name(), error = %e, "background command not sent");
                let cid = out.correlation_id;
                self.drive(|m, now| m.on_send_failed(&cid, e, now));
                self.rearm_driver();
                return;
            }
        };
        let weak = self.me.clone();
        tokio::spawn(async move {
            if let Err(e) = receipt.await {
                tracing::debug!(command = kind.api_name(), error = %e, "background command not confirmed");
                if let Some(shared) = weak.upgrade() {
                    shared.drive(|m, now| m.on_send_failed(&out.correlation_id, e, now));
                    shared.rearm_driver();
                }
            }
        });
    }

    /// Sends a caller's command and, if GC answers it, waits for the reply.
    pub async fn execute(
        &self,
        agent: &str,
        command: &Command,
        timeout: Duration,
    ) -> Result<Option<Event>> {
        async {
            // Refused arguments never reach the machine or the broker.
            self.encode_checked(agent, command)?;
            let (out, rx, guard) =
                self.register(|m, now| m.submit(agent, command, timeout, now))?;
            self.send_and_wait(std::slice::from_ref(&out), rx, guard, timeout)
                .await
        }
        .instrument(command_span(agent, command))
        .await
    }

    /// `Connect` + `Login` back to back; the reply to the Login.
    pub async fn login(&self, agent: &str, creds: Credentials, timeout: Duration) -> Result<Event> {
        let span = command_span(agent, &creds.login);
        async {
            self.encode_checked(agent, &creds.login)?;
            let destination = self.destination.clone();
            let (sends, rx, guard) = self.register(|m, now| {
                let (sends, id) = m.begin_login(agent, creds, &destination, timeout, now)?;
                Ok((sends, Some(id)))
            })?;
            self.send_and_wait(&sends, rx, guard, timeout)
                .await?
                .ok_or(Error::Closed)
        }
        .instrument(span)
        .await
    }

    /// `Logout`/`logoutwithreason`: forgets the credentials first.
    pub async fn logout(&self, agent: &str, command: &Command, timeout: Duration) -> Result<Event> {
        async {
            self.encode_checked(agent, command)?;
            let (out, rx, guard) =
                self.register(|m, now| m.begin_logout(agent, command, timeout, now))?;
            self.send_and_wait(std::slice::from_ref(&out), rx, guard, timeout)
                .await?
                .ok_or(Error::Closed)
        }
        .instrument(command_span(agent, command))
        .await
    }

    /// Queues `sends` in order, waits for their receipts, then for the
    /// request's completion. One DEBUG record when sent and one for the
    /// outcome (the span names agent, command and correlation id; never
    /// arguments, so no password).
    async fn send_and_wait(
        &self,
        sends: &[Outgoing],
        rx: Option<oneshot::Receiver<Result<Option<Event>>>>,
        guard: CancelGuard<'_>,
        deadline: Duration,
    ) -> Result<Option<Event>> {
        if let Some(last) = sends.last() {
            tracing::Span::current().record("correlation_id", last.correlation_id.as_str());
        }
        let started = Instant::now();
        let mut receipts = Vec::with_capacity(sends.len());
        for out in sends {
            receipts.push(
                self.queue_receipt(out, Some(deadline))
                    .map_err(|e| self.closed_or(e))?,
            );
        }
        // Handed to the connection; what became of it is the next record.
        tracing::debug!("command sent");
        // A block, so that a broker's refusal is logged as the outcome too.
        let result: Result<Option<Event>> = async {
            match rx {
                Some(rx) => {
                    // The reply and a refused frame are awaited together; the
                    // RECEIPTs of accepted frames are looked at once the reply
                    // is in (they come before it), so they wake no one.
                    let reply = self.wait(Some(rx), guard);
                    tokio::pin!(reply);
                    let failed = std::future::poll_fn(|cx| {
                        for r in &receipts {
                            if let Poll::Ready(e) = r.poll_failure(cx) {
                                return Poll::Ready(e);
                            }
                        }
                        Poll::Pending
                    });
                    let result = tokio::select! {
                        biased;
                        // A close() racing the receipt is `Closed`, not a transport fault.
                        e = failed => return Err(self.closed_or(e.into())),
                        result = &mut reply => result,
                    };
                    if result.is_ok() {
                        // Confirmed, not only answered.
                        for r in receipts {
                            r.await.map_err(|e| self.closed_or(e.into()))?;
                        }
                    }
                    result
                }
                None => {
                    for r in receipts {
                        r.await.map_err(|e| self.closed_or(e.into()))?;
                    }
                    self.wait(None, guard).await
                }
            }
        }
        .await;
        let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
        match &result {
            Ok(Some(reply)) => tracing::debug!(latency_ms, reply = reply.data.kind_name(), "reply"),
            Ok(None) => {}
            Err(e) => tracing::debug!(latency_ms, error = %e, "refused"),
        }
        result
    }

    fn closed_or(&self, e: Error) -> Error {
        if self.status() == ConnectionStatus::Closed {
            Error::Closed
        } else {
            e
        }
    }

    /// Runs `f` on the machine and registers the waiter of the request it
    /// created, if any.
    #[allow(clippy::type_complexity)]
    fn register<T>(
        &self,
        f: impl FnOnce(&mut SessionState, std::time::Instant) -> Result<(T, Option<RequestId>)>,
    ) -> Result<(
        T,
        Option<oneshot::Receiver<Result<Option<Event>>>>,
        CancelGuard<'_>,
    )> {
        let (out, id, rx, earlier) = {
            let mut inner = self.lock();
            let (out, id) = f(&mut inner.machine, now())?;
            let rx = id.map(|id| {
                let (tx, rx) = oneshot::channel();
                inner.waiters.insert(id, tx);
                rx
            });
            // Only a deadline earlier than the driver's timer needs it now:
            // waking it for every command cost a thread wake-up each. A
            // request changes no other timer, so its deadline is all to
            // compare (not `next_wakeup`, which looks at every agent).
            let earlier = sooner_than_armed(inner.machine.next_deadline(), inner.driver_wakes_at);
            (out, id, rx, earlier)
        };
        if earlier {
            self.wake.notify_one();
        }
        Ok((out, rx, CancelGuard { shared: self, id }))
    }

    async fn wait(
        &self,
        rx: Option<oneshot::Receiver<Result<Option<Event>>>>,
        mut guard: CancelGuard<'_>,
    ) -> Result<Option<Event>> {
        let Some(rx) = rx else {
            guard.id = None;
            return Ok(None);
        };
        let result = rx.await.unwrap_or(Err(Error::Closed));
        // Completed by the machine: nothing left to cancel.
        guard.id = None;
        result
    }

    pub fn snapshot(&self, agent: &str) -> AgentSnapshot {
        self.lock().machine.snapshot(agent)
    }
}

fn command_span(agent: &str, command: &Command) -> tracing::Span {
    tracing::debug_span!(
        "gc_command",
        agent,
        command = command.kind().api_name(),
        correlation_id = tracing::field::Empty
    )
}
