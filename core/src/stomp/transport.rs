//! The broker connection: one task connects and reconnects with backoff
//! across the configured brokers, reads, keeps STOMP heart-beats both ways,
//! and resolves every SEND by its RECEIPT (or an error).
//!
//! The [`Transport`] handle is cheap to clone. A SEND is written by its
//! sender's own thread into the shared connection ([`super::line`]), so no
//! thread is woken to send it; subscriptions and the close go to the task
//! over a channel.

use std::sync::Arc;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;
use tokio_rustls::rustls;
use tokio_util::codec::Framed;

use super::codec::{Incoming, Outgoing, StompCodec, DEFAULT_MAX_FRAME};
use super::frame::Frame;
use super::limits::FrameLimits;
use super::line::{Conn, Io, Line};
use super::receipt::{receipt, Receipt, ReceiptSender};
use super::url::BrokerUrl;
use crate::secret::Secret;

/// Why the broker did not confirm a frame. Every SEND ends in a RECEIPT or
/// one of these: nothing is reported as sent that the broker did not accept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    #[error("not connected to a broker (reconnecting); nothing was sent")]
    NotConnected,
    #[error("the broker did not confirm within {after_ms} ms; the frame may or may not have been delivered")]
    ReceiptTimeout { after_ms: u64 },
    #[error("connection lost before the broker confirmed ({0}); the frame may or may not have been delivered")]
    ConnectionLost(String),
    #[error("the broker refused the frame: {message}")]
    Broker { message: String, detail: String },
    #[error("cannot send: {0}")]
    InvalidFrame(String),
    /// The frame is over a broker limit; it was not sent (the broker would
    /// have closed the connection every other sender shares).
    #[error("not sent: {0}")]
    TooLarge(#[from] super::limits::LimitError),
    #[error("the transport is closed")]
    Closed,
}

/// Where the connection task reports what happens on it.
///
/// The task calls it itself, in order, between two reads: a reply is
/// handled on the thread that read it, not handed to another task, which
/// cost every command one task switch and often a thread wake-up (the
/// session's sink, `session::engine`). So it must not block; it holds up
/// reading and heart-beats while it runs.
pub trait TransportSink: Send + Sync + 'static {
    fn deliver(&self, ev: TransportEvent);
}

/// A channel as the sink, for users that read events from a task.
impl TransportSink for mpsc::UnboundedSender<TransportEvent> {
    fn deliver(&self, ev: TransportEvent) {
        // No receiver is fine: nobody is listening any more.
        let _ = self.send(ev);
    }
}

/// What the transport reports, in order, to its sink.
#[derive(Debug, Clone)]
pub enum TransportEvent {
    Connecting {
        broker: BrokerUrl,
    },
    /// Connected, logged in, and every subscription confirmed by a receipt.
    Connected {
        broker: BrokerUrl,
        server: Option<String>,
        /// Negotiated (send, receive) heart-beat intervals in ms; 0 = off.
        heartbeat: (u64, u64),
    },
    /// A connection attempt failed or an established connection ended.
    Disconnected {
        broker: BrokerUrl,
        reason: String,
    },
    Message(StompMessage),
    /// An ERROR frame not tied to one of our receipts.
    BrokerError {
        message: String,
        body: String,
    },
    /// The broker refused the login (user or passcode); `Disconnected`
    /// follows. Unless `retry_on_auth_failure` is set the transport then
    /// stops trying: it stays offline (sends fail with `NotConnected`)
    /// until closed.
    AuthRefused {
        broker: BrokerUrl,
        message: String,
    },
    /// A frame over `max_frame` was read past and dropped; the connection
    /// goes on. `destination` is missing when even its headers were too large.
    OversizedFrame {
        size: usize,
        destination: Option<String>,
    },
    /// After [`Transport::close`]; nothing follows.
    Closed,
}

/// A MESSAGE frame as the session sees it.
#[derive(Debug, Clone)]
pub struct StompMessage {
    pub destination: String,
    pub headers: Vec<(String, String)>,
    /// The body as text. JMS BytesMessages arrive with a content-length and
    /// are read as UTF-8 too; invalid sequences become U+FFFD (with a warning).
    pub body: String,
}

impl StompMessage {
    fn from_frame(frame: Frame) -> StompMessage {
        let body = match String::from_utf8(frame.body.to_vec()) {
            Ok(s) => s,
            // A JMS TextMessage with characters beyond U+FFFF reaches STOMP
            // in Java's modified UTF-8 (ActiveMQ AMQ-8398, docs/interop.md).
            Err(e) => match cesu8::from_java_cesu8(e.as_bytes()) {
                Ok(s) => s.into_owned(),
                Err(_) => {
                    tracing::warn!(
                        valid_up_to = e.utf8_error().valid_up_to(),
                        "message body is neither UTF-8 nor modified UTF-8; invalid bytes replaced"
                    );
                    String::from_utf8_lossy(e.as_bytes()).into_owned()
                }
            },
        };
        let destination = frame.get("destination").unwrap_or_default().to_owned();
        StompMessage {
            destination,
            headers: frame.headers,
            body,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn correlation_id(&self) -> Option<&str> {
        self.header("correlation-id").filter(|s| !s.is_empty())
    }

    pub fn reply_to(&self) -> Option<&str> {
        self.header("reply-to").filter(|s| !s.is_empty())
    }

    /// The JMSType (`type` header); GC's replies carry an empty one.
    pub fn jms_type(&self) -> Option<&str> {
        self.header("type")
    }

    /// The broker's timestamp (epoch ms) when the message was sent.
    pub fn timestamp(&self) -> Option<i64> {
        self.header("timestamp")?.parse().ok()
    }

    /// JMSExpiration (epoch ms); 0 or absent means never.
    pub fn expires(&self) -> Option<i64> {
        self.header("expires")?.parse().ok().filter(|e| *e > 0)
    }
}

/// Everything the connection task needs, resolved from [`Config`].
#[derive(Clone)]
pub struct TransportConfig {
    pub brokers: Vec<BrokerUrl>,
    pub login: Option<String>,
    pub passcode: Option<Secret>,
    pub vhost: Option<String>,
    pub tls: Option<Arc<rustls::ClientConfig>>,
    /// Heart-beat interval offered both ways; 0 disables heart-beats.
    pub heartbeat: Duration,
    pub receipt_timeout: Duration,
    /// Per attempt: TCP + TLS + CONNECTED + subscription receipts.
    pub connect_timeout: Duration,
    pub backoff_max: Duration,
    /// Largest inbound frame kept; larger ones are skipped
    /// ([`TransportEvent::OversizedFrame`]).
    pub max_frame: usize,
    /// What the broker accepts; frames over it are refused before sending.
    pub outbound: FrameLimits,
    /// Keep trying after the broker refused the login (default: stop).
    pub retry_on_auth_failure: bool,
    /// Destinations subscribed on every connection before `Connected`.
    pub subscriptions: Vec<String>,
}

impl std::fmt::Debug for TransportConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransportConfig")
            .field("brokers", &self.brokers)
            .field("login", &self.login)
            .field("passcode", &self.passcode.as_ref().map(|_| "***"))
            .field("tls", &self.tls.is_some())
            .field("heartbeat", &self.heartbeat)
            .field("subscriptions", &self.subscriptions)
            .finish()
    }
}

impl TransportConfig {
    /// Plain-TCP defaults for one broker; used by tools and the simulator.
    pub fn new(broker: BrokerUrl) -> Self {
        TransportConfig {
            brokers: vec![broker],
            login: None,
            passcode: None,
            vhost: None,
            tls: None,
            heartbeat: Duration::from_secs(10),
            receipt_timeout: Duration::from_secs(5),
            connect_timeout: Duration::from_secs(10),
            backoff_max: Duration::from_secs(5),
            max_frame: DEFAULT_MAX_FRAME,
            outbound: FrameLimits::default(),
            retry_on_auth_failure: false,
            subscriptions: Vec::new(),
        }
    }
}

/// Trust roots: the given PEM file, else the system's store (where
/// enterprises install their own CAs). The error names the setting.
pub fn tls_config(ca_file: Option<&std::path::Path>) -> Result<rustls::ClientConfig, String> {
    let mut roots = rustls::RootCertStore::empty();
    match ca_file {
        Some(path) => {
            let pem = std::fs::read(path)
                .map_err(|e| format!("tls_ca_file: cannot read {}: {e}", path.display()))?;
            let mut n = 0;
            for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
                let cert = cert.map_err(|e| format!("tls_ca_file: {}: {e}", path.display()))?;
                roots
                    .add(cert)
                    .map_err(|e| format!("tls_ca_file: {}: {e}", path.display()))?;
                n += 1;
            }
            if n == 0 {
                return Err(format!(
                    "tls_ca_file: no PEM certificate in {}",
                    path.display()
                ));
            }
        }
        None => {
            let found = rustls_native_certs::load_native_certs();
            for e in &found.errors {
                tracing::debug!(error = %e, "system trust store");
            }
            let (added, _) = roots.add_parsable_certificates(found.certs);
            if added == 0 {
                return Err(
                    "TLS broker given but the system has no trusted CA; set tls_ca_file".into(),
                );
            }
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(config)
}

enum Request {
    Subscribe { destination: String, reply: Reply },
    Close { reply: oneshot::Sender<()> },
}

/// Handle to the connection task.
#[derive(Clone)]
pub struct Transport {
    requests: mpsc::UnboundedSender<Request>,
    line: Arc<Line>,
    outbound: FrameLimits,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("outbound", &self.outbound)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// Starts the connection task (it connects and reconnects on its own)
    /// and returns the handle and the event stream. Must be called inside
    /// a tokio runtime.
    pub fn start(cfg: TransportConfig) -> (Transport, mpsc::UnboundedReceiver<TransportEvent>) {
        let (ev_tx, ev_rx) = mpsc::unbounded_channel();
        let (transport, task) = Transport::prepare(cfg);
        task.start(ev_tx);
        (transport, ev_rx)
    }

    /// The handle, and the connection task not yet started: a sink that
    /// needs the handle (the session's) is built between the two.
    pub fn prepare(cfg: TransportConfig) -> (Transport, TransportTask) {
        let (req_tx, req_rx) = mpsc::unbounded_channel();
        let outbound = cfg.outbound;
        let line = Arc::new(Line::default());
        (
            Transport {
                requests: req_tx,
                line: line.clone(),
                outbound,
            },
            TransportTask { cfg, req_rx, line },
        )
    }

    /// SENDs a text body to `destination` (`/queue/x` or `/topic/x`) with
    /// the given extra headers, and waits for the broker's RECEIPT.
    pub async fn send(
        &self,
        destination: &str,
        headers: Vec<(String, String)>,
        body: String,
    ) -> Result<(), TransportError> {
        self.send_queued(destination, headers, body).await
    }

    /// Like [`Transport::send`], but the frame is queued before this returns,
    /// so frames queued one after the other go out in that order; the
    /// returned future waits for the broker's receipt.
    pub fn send_queued(
        &self,
        destination: &str,
        headers: Vec<(String, String)>,
        body: String,
    ) -> impl std::future::Future<Output = Result<(), TransportError>> + Send + 'static {
        let queued = self.queue(destination, headers, body);
        async move {
            match queued {
                Ok(receipt) => receipt.await,
                Err(e) => Err(e),
            }
        }
    }

    /// Queues a SEND (as [`Transport::send_queued`]) and returns its
    /// [`Receipt`], which can be asked for a failure only.
    pub fn queue(
        &self,
        destination: &str,
        headers: Vec<(String, String)>,
        body: String,
    ) -> Result<Receipt, TransportError> {
        if body.contains('\0') {
            // Without content-length (which would make a BytesMessage) NUL ends the frame.
            return Err(TransportError::InvalidFrame(
                "the body contains a NUL character".into(),
            ));
        }
        let mut frame = Frame::new("SEND").header("destination", destination);
        frame.headers.extend(headers);
        frame.body = text_body(body);
        // The receipt header is added by the task; room is left for it.
        frame
            .headers
            .push(("receipt".into(), "r-18446744073709551615".into()));
        let checked = self.outbound.check(&frame).map_err(TransportError::from);
        frame.headers.pop();
        checked?;
        self.line.send(frame, "r")
    }

    /// Subscribes now (when connected, confirmed by a receipt) and again on
    /// every reconnect, before `Connected` is reported.
    pub async fn subscribe(&self, destination: &str) -> Result<(), TransportError> {
        let probe = Frame::new("SUBSCRIBE")
            .header("id", "sub-4294967295")
            .header("destination", destination)
            .header("ack", "auto")
            .header("receipt", "sub-18446744073709551615");
        self.outbound.check(&probe)?;
        let (reply, rx) = receipt();
        self.requests
            .send(Request::Subscribe {
                destination: destination.to_owned(),
                reply,
            })
            .map_err(|_| TransportError::Closed)?;
        rx.await
    }

    /// Disconnects politely (DISCONNECT with a receipt, 1 s at most) and
    /// stops the task. Idempotent.
    pub async fn close(&self) {
        // Whoever sends from now on hears `Closed`.
        self.line.close();
        let (reply, rx) = oneshot::channel();
        if self.requests.send(Request::Close { reply }).is_ok() {
            let _ = rx.await;
        }
    }
}

/// The bytes of a text body as a JMS consumer can read them: ActiveMQ hands
/// STOMP bytes to OpenWire unchanged, and Java reads them as modified UTF-8,
/// so characters beyond U+FFFF must travel as CESU-8 surrogate pairs or GC
/// cannot read the command at all (AMQ-8398, docs/interop.md).
fn text_body(body: String) -> bytes::Bytes {
    if body.chars().all(|c| (c as u32) < 0x10000) {
        return body.into();
    }
    bytes::Bytes::from(cesu8::to_cesu8(&body).into_owned())
}

/// How a connected phase ended.
enum End {
    Lost(String),
    Closed,
}

/// The connection task of a [`Transport::prepare`]d handle; dropped
/// unstarted, the handle's sends fail with `NotConnected`.
#[must_use = "the connection task does nothing until it is started"]
pub struct TransportTask {
    cfg: TransportConfig,
    req_rx: mpsc::UnboundedReceiver<Request>,
    line: Arc<Line>,
}

impl std::fmt::Debug for TransportTask {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransportTask").finish_non_exhaustive()
    }
}

impl TransportTask {
    /// Spawns the task, reporting to `sink`. Must be called inside a
    /// tokio runtime.
    pub fn start(self, sink: impl TransportSink) {
        let TransportTask { cfg, req_rx, line } = self;
        tokio::spawn(Task::new(cfg, req_rx, Box::new(sink), line).run());
    }
}

type Reply = ReceiptSender;

struct Task {
    cfg: TransportConfig,
    requests: mpsc::UnboundedReceiver<Request>,
    events: Box<dyn TransportSink>,
    line: Arc<Line>,
    subscriptions: Vec<String>,
    /// Closed by a Close request received while offline.
    close_reply: Option<oneshot::Sender<()>>,
}

impl Task {
    fn new(
        cfg: TransportConfig,
        requests: mpsc::UnboundedReceiver<Request>,
        events: Box<dyn TransportSink>,
        line: Arc<Line>,
    ) -> Self {
        Task {
            subscriptions: cfg.subscriptions.clone(),
            cfg,
            requests,
            events,
            line,
            close_reply: None,
        }
    }

    fn emit(&self, ev: TransportEvent) {
        self.events.deliver(ev);
    }

    fn id(&self, prefix: &str) -> String {
        self.line.id(prefix)
    }

    async fn run(mut self) {
        let mut failures: u32 = 0;
        let mut index = 0usize;
        let mut refused = false;
        loop {
            let broker = self.cfg.brokers[index % self.cfg.brokers.len()].clone();
            index += 1;
            self.emit(TransportEvent::Connecting {
                broker: broker.clone(),
            });
            let cfg = self.cfg.clone();
            let attempt = tokio::time::timeout(cfg.connect_timeout, open(&cfg, &broker));
            let outcome = self.offline_until(attempt).await;
            let reason = match outcome {
                None => break, // closed while connecting
                Some(Err(_)) => format!(
                    "no CONNECTED from {broker} within {} ms",
                    self.cfg.connect_timeout.as_millis()
                ),
                Some(Ok(Err(OpenError::AuthRefused(message)))) => {
                    tracing::warn!(%broker, %message, "the broker refused the login");
                    self.emit(TransportEvent::AuthRefused {
                        broker: broker.clone(),
                        message: message.clone(),
                    });
                    // Same credentials everywhere: retrying only locks the account.
                    refused = !self.cfg.retry_on_auth_failure;
                    format!("{broker} refused the connection: {message}")
                }
                Some(Ok(Err(OpenError::Other(e)))) => e,
                Some(Ok(Ok((conn, server, hb)))) => {
                    failures = 0;
                    match self.connected(conn, &broker, server, hb).await {
                        End::Closed => break,
                        End::Lost(reason) => reason,
                    }
                }
            };
            self.emit(TransportEvent::Disconnected {
                broker: broker.clone(),
                reason,
            });
            if refused {
                // Offline (sends fail with NotConnected) until closed.
                let _ = self.offline_until(std::future::pending::<()>()).await;
                break;
            }
            failures = failures.saturating_add(1);
            // Try each broker once at once, then back off exponentially with jitter.
            if failures as usize >= self.cfg.brokers.len() {
                let delay = backoff(
                    failures - self.cfg.brokers.len() as u32,
                    self.cfg.backoff_max,
                );
                if self
                    .offline_until(tokio::time::sleep(delay))
                    .await
                    .is_none()
                {
                    break;
                }
            }
        }
        self.emit(TransportEvent::Closed);
        if let Some(reply) = self.close_reply.take() {
            let _ = reply.send(());
        }
    }

    /// Waits for `fut` while answering requests as an offline transport
    /// does. `None` when a Close arrived (or every handle was dropped).
    async fn offline_until<F: std::future::Future>(&mut self, fut: F) -> Option<F::Output> {
        tokio::pin!(fut);
        loop {
            tokio::select! {
                out = &mut fut => return Some(out),
                req = self.requests.recv() => match req {
                    None => return None,
                    Some(Request::Subscribe { destination, reply }) => {
                        self.add_subscription(destination);
                        reply.send(Ok(()));
                    }
                    Some(Request::Close { reply }) => {
                        self.close_reply = Some(reply);
                        return None;
                    }
                },
            }
        }
    }

    fn add_subscription(&mut self, destination: String) -> bool {
        if self.subscriptions.contains(&destination) {
            return false;
        }
        self.subscriptions.push(destination);
        true
    }

    /// Without its receipt header.
    fn subscribe_frame(&self, destination: &str) -> Frame {
        let index = self
            .subscriptions
            .iter()
            .position(|d| d == destination)
            .unwrap_or(0);
        Frame::new("SUBSCRIBE")
            .header("id", format!("sub-{index}"))
            .header("destination", destination)
            .header("ack", "auto")
    }

    /// One established connection, until it is lost or closed.
    async fn connected(
        &mut self,
        mut conn: Conn,
        broker: &BrokerUrl,
        server: Option<String>,
        hb: (Duration, Duration),
    ) -> End {
        let (send_every, expect_every) = hb;
        // A silent broker is dead after 3x its interval: ActiveMQ's first
        // beat only comes after 2x (docs/interop.md).
        let dead_after = expect_every * 3;
        let write_timeout = self.cfg.receipt_timeout.max(dead_after);
        let mut last_read = Instant::now();

        // Subscriptions first, confirmed, so nothing sent after `Connected`
        // can be answered before we listen.
        let mut waiting: Vec<String> = Vec::new();
        for dest in self.subscriptions.clone() {
            let receipt = self.id("sub");
            let frame = self
                .subscribe_frame(&dest)
                .header("receipt", receipt.clone());
            if let Err(e) = write(&mut conn, Outgoing::Frame(frame), write_timeout).await {
                return End::Lost(e);
            }
            waiting.push(receipt);
        }
        let deadline = Instant::now() + self.cfg.receipt_timeout;
        while !waiting.is_empty() {
            match tokio::time::timeout_at(deadline, conn.next()).await {
                Err(_) => return End::Lost("the broker did not confirm the subscriptions".into()),
                Ok(None) => return End::Lost("the broker closed the connection".into()),
                Ok(Some(Err(e))) => return End::Lost(e.to_string()),
                Ok(Some(Ok(Incoming::HeartBeat))) => {}
                Ok(Some(Ok(Incoming::Oversized { size, destination }))) => {
                    self.oversized(size, destination)
                }
                Ok(Some(Ok(Incoming::Frame(f)))) => match f.command.as_str() {
                    "RECEIPT" => waiting.retain(|r| Some(r.as_str()) != f.get("receipt-id")),
                    "MESSAGE" => self.emit(TransportEvent::Message(StompMessage::from_frame(f))),
                    "ERROR" => {
                        return End::Lost(format!("subscription refused: {}", error_text(&f)))
                    }
                    _ => {}
                },
            }
        }
        last_read = last_read.max(Instant::now());
        // From here on senders write themselves.
        self.line.publish(conn, self.cfg.receipt_timeout);
        self.emit(TransportEvent::Connected {
            broker: broker.clone(),
            server,
            heartbeat: (
                send_every.as_millis() as u64,
                expect_every.as_millis() as u64,
            ),
        });

        let tick_every = [send_every / 2, expect_every / 2, Duration::from_millis(100)]
            .into_iter()
            .filter(|d| !d.is_zero())
            .min()
            .unwrap_or(Duration::from_millis(100));
        let mut tick = tokio::time::interval(tick_every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);

        let line = self.line.clone();
        let end = loop {
            let (unflushed, failed) = line
                .with(|l| (l.unflushed_since.is_some(), l.failed.take()))
                .unwrap_or((false, None));
            if let Some(e) = failed {
                break End::Lost(e);
            }
            tokio::select! {
                item = std::future::poll_fn(|cx| line.poll_next(cx)) => {
                    last_read = Instant::now();
                    match item {
                        None => break End::Lost("the broker closed the connection".into()),
                        Some(Err(e)) => break End::Lost(e.to_string()),
                        Some(Ok(Incoming::HeartBeat)) => {}
                        Some(Ok(Incoming::Oversized { size, destination })) => {
                            self.oversized(size, destination)
                        }
                        Some(Ok(Incoming::Frame(f))) => self.on_frame(f),
                    }
                }
                written = std::future::poll_fn(|cx| line.poll_flush(cx)), if unflushed => {
                    if let Err(e) = written {
                        break End::Lost(e);
                    }
                }
                // A sender left a write unfinished, or one failed.
                _ = line.needs_task.notified() => {}
                req = self.requests.recv() => match req {
                    None => break End::Closed,
                    Some(Request::Subscribe { destination, reply }) => {
                        if !self.add_subscription(destination.clone()) {
                            reply.send(Ok(()));
                            continue;
                        }
                        // An error answers the receipt (dropped: `Closed`);
                        // a lost connection is the next turn's news.
                        let _ = line.send_with(self.subscribe_frame(&destination), "sub", reply);
                    }
                    Some(Request::Close { reply }) => {
                        self.close_reply = Some(reply);
                        break End::Closed;
                    }
                },
                _ = tick.tick() => {
                    let now = Instant::now();
                    if !expect_every.is_zero() && now - last_read > dead_after {
                        break End::Lost(format!(
                            "no data or heart-beat from the broker for {} ms",
                            (now - last_read).as_millis()
                        ));
                    }
                    let blocked = line.with(|l| {
                        if let Some(since) = l.unflushed_since {
                            return now - since > write_timeout;
                        }
                        if !send_every.is_zero() && now - l.last_write >= send_every {
                            l.heartbeat();
                        }
                        false
                    });
                    if blocked == Some(true) {
                        break End::Lost(format!("write blocked for {} ms", write_timeout.as_millis()));
                    }
                    self.expire_receipts(now);
                }
            }
        };
        let Some(mut link) = self.line.take() else {
            return end;
        };
        if matches!(end, End::Closed) {
            // Everything sent before the close is in the buffer, ahead of the DISCONNECT.
            self.disconnect(&mut link.conn).await;
        }
        let reason = match &end {
            End::Lost(r) => r.clone(),
            End::Closed => "the transport was closed".into(),
        };
        for (_, (reply, _)) in link.receipts.drain() {
            let err = match end {
                End::Closed => TransportError::Closed,
                End::Lost(_) => TransportError::ConnectionLost(reason.clone()),
            };
            reply.send(Err(err));
        }
        end
    }

    fn expire_receipts(&self, now: Instant) {
        let after_ms = self.cfg.receipt_timeout.as_millis() as u64;
        let expired: Vec<(String, Reply)> = self
            .line
            .with(|l| {
                l.receipts
                    .extract_if(|_, (_, deadline)| *deadline <= now)
                    .map(|(id, (reply, _))| (id, reply))
                    .collect()
            })
            .unwrap_or_default();
        for (id, reply) in expired {
            tracing::warn!(receipt = %id, after_ms, "no RECEIPT from the broker");
            reply.send(Err(TransportError::ReceiptTimeout { after_ms }));
        }
    }

    fn oversized(&self, size: usize, destination: Option<String>) {
        tracing::warn!(
            size,
            limit = self.cfg.max_frame,
            destination = destination.as_deref(),
            "frame over the size limit dropped"
        );
        self.emit(TransportEvent::OversizedFrame { size, destination });
    }

    /// The sender's receipt for the frame `f` answers, taken out of the link.
    fn answered(&self, f: &Frame) -> Option<Reply> {
        let id = f.get("receipt-id")?;
        self.line
            .with(|l| l.receipts.remove(id))
            .flatten()
            .map(|(reply, _)| reply)
    }

    fn on_frame(&self, f: Frame) {
        match f.command.as_str() {
            "MESSAGE" => self.emit(TransportEvent::Message(StompMessage::from_frame(f))),
            "RECEIPT" => {
                if let Some(reply) = self.answered(&f) {
                    reply.send(Ok(()));
                }
            }
            "ERROR" => {
                let message = f.get("message").unwrap_or("ERROR").to_owned();
                let body = String::from_utf8_lossy(&f.body).into_owned();
                if let Some(reply) = self.answered(&f) {
                    reply.send(Err(TransportError::Broker {
                        message: message.clone(),
                        detail: body.clone(),
                    }));
                }
                tracing::warn!(%message, "ERROR frame from the broker");
                self.emit(TransportEvent::BrokerError { message, body });
            }
            other => tracing::debug!(command = other, "unexpected frame ignored"),
        }
    }

    async fn disconnect(&mut self, conn: &mut Conn) {
        let receipt = self.id("bye");
        let frame = Frame::new("DISCONNECT").header("receipt", receipt.clone());
        if write(conn, Outgoing::Frame(frame), Duration::from_secs(1))
            .await
            .is_err()
        {
            return;
        }
        let _ = tokio::time::timeout(Duration::from_secs(1), async {
            while let Some(Ok(item)) = conn.next().await {
                if let Incoming::Frame(f) = item {
                    if f.command == "RECEIPT" && f.get("receipt-id") == Some(receipt.as_str()) {
                        break;
                    }
                }
            }
        })
        .await;
    }
}

fn error_text(f: &Frame) -> String {
    let message = f.get("message").unwrap_or("ERROR");
    let body = String::from_utf8_lossy(&f.body);
    let body = body.trim();
    if body.is_empty() {
        message.to_owned()
    } else {
        format!("{message}: {}", body.lines().next().unwrap_or_default())
    }
}

async fn write(conn: &mut Conn, item: Outgoing, timeout: Duration) -> Result<(), String> {
    match tokio::time::timeout(timeout, conn.send(item)).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(format!("write failed: {e}")),
        Err(_) => Err(format!("write blocked for {} ms", timeout.as_millis())),
    }
}

/// Attempts in the first seconds of an outage stay close together: a broker
/// restart takes about a second, and exponential gaps would add up to one
/// more on top (measured in docs/benchmarks.md). After that, exponential
/// growth to `max` keeps a long outage from becoming a retry storm.
const FAST_RETRIES: u32 = 10;
const FAST_RETRY: Duration = Duration::from_millis(200);

fn backoff(failures: u32, max: Duration) -> Duration {
    let base = if failures < FAST_RETRIES {
        FAST_RETRY
    } else {
        FAST_RETRY.saturating_mul(1u32 << (failures - FAST_RETRIES + 1).min(10))
    };
    let capped = base.min(max);
    // Jitter in the upper half, so many clients do not reconnect in step.
    let half = capped / 2;
    half + half.mul_f64(rand::random::<f64>())
}

/// TCP (+TLS), CONNECT, CONNECTED. Returns the connection, the server
/// name and the negotiated (send, expect) heart-beat intervals.
/// Why a connection attempt failed.
enum OpenError {
    AuthRefused(String),
    Other(String),
}

impl From<String> for OpenError {
    fn from(s: String) -> Self {
        OpenError::Other(s)
    }
}

/// ActiveMQ answers a bad login with an ERROR whose message names the
/// security failure (`User name [x] or password is invalid.`, a
/// `SecurityException`, `not authorized`).
fn is_auth_refusal(f: &Frame) -> bool {
    let text = format!(
        "{} {}",
        f.get("message").unwrap_or_default(),
        String::from_utf8_lossy(&f.body)
    )
    .to_ascii_lowercase();
    [
        "password",
        "security",
        "authenticat",
        "not authorized",
        "credential",
        "login",
    ]
    .iter()
    .any(|w| text.contains(w))
}

async fn open(
    cfg: &TransportConfig,
    broker: &BrokerUrl,
) -> Result<(Conn, Option<String>, (Duration, Duration)), OpenError> {
    let tcp = TcpStream::connect(broker.socket_addr())
        .await
        .map_err(|e| format!("cannot connect to {broker}: {e}"))?;
    let _ = tcp.set_nodelay(true);
    let io: Box<dyn Io> = if broker.tls {
        let tls = cfg
            .tls
            .clone()
            .ok_or_else(|| "TLS broker but no TLS configuration".to_string())?;
        let name = rustls::pki_types::ServerName::try_from(broker.host.clone())
            .map_err(|e| format!("bad TLS server name `{}`: {e}", broker.host))?;
        let stream = tokio_rustls::TlsConnector::from(tls)
            .connect(name, tcp)
            .await
            .map_err(|e| format!("TLS handshake with {broker} failed: {e}"))?;
        Box::new(stream)
    } else {
        Box::new(tcp)
    };
    let mut conn = Framed::new(io, StompCodec::new(cfg.max_frame));
    let hb = cfg.heartbeat.as_millis() as u64;
    let mut connect = Frame::new("CONNECT")
        .header("accept-version", "1.2")
        .header(
            "host",
            cfg.vhost.clone().unwrap_or_else(|| broker.host.clone()),
        )
        .header("heart-beat", format!("{hb},{hb}"));
    // A `user:password@` URL brings its own login.
    let (login, passcode) = match &broker.login {
        Some(_) => (&broker.login, &broker.passcode),
        None => (&cfg.login, &cfg.passcode),
    };
    if let Some(login) = login {
        connect = connect.header("login", login.clone());
    }
    if let Some(passcode) = passcode {
        connect = connect.header("passcode", passcode.expose());
    }
    conn.send(Outgoing::Frame(connect))
        .await
        .map_err(|e| format!("write failed: {e}"))?;
    loop {
        match conn.next().await {
            None => return Err(format!("{broker} closed the connection during CONNECT").into()),
            Some(Err(e)) => return Err(e.to_string().into()),
            Some(Ok(Incoming::HeartBeat | Incoming::Oversized { .. })) => {}
            Some(Ok(Incoming::Frame(f))) => match f.command.as_str() {
                "CONNECTED" => {
                    if f.get("version") != Some("1.2") {
                        return Err(format!(
                            "{broker} does not speak STOMP 1.2 (version {:?})",
                            f.get("version")
                        )
                        .into());
                    }
                    let (sx, sy) = parse_heartbeat(f.get("heart-beat"));
                    // STOMP 1.2: each side uses the larger of what one offers
                    // and the other wants; 0 on either side means off.
                    let send = if hb == 0 || sy == 0 { 0 } else { hb.max(sy) };
                    let expect = if hb == 0 || sx == 0 { 0 } else { hb.max(sx) };
                    let server = f.get("server").map(str::to_owned);
                    return Ok((
                        conn,
                        server,
                        (Duration::from_millis(send), Duration::from_millis(expect)),
                    ));
                }
                "ERROR" if is_auth_refusal(&f) => {
                    return Err(OpenError::AuthRefused(error_text(&f)))
                }
                "ERROR" => {
                    return Err(
                        format!("{broker} refused the connection: {}", error_text(&f)).into(),
                    )
                }
                _ => {}
            },
        }
    }
}

fn parse_heartbeat(h: Option<&str>) -> (u64, u64) {
    let Some((x, y)) = h.and_then(|h| h.split_once(',')) else {
        return (0, 0);
    };
    (x.trim().parse().unwrap_or(0), y.trim().parse().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heartbeat_header_parsing() {
        assert_eq!(parse_heartbeat(Some("10000,5000")), (10000, 5000));
        assert_eq!(parse_heartbeat(Some("x,1")), (0, 1));
        assert_eq!(parse_heartbeat(None), (0, 0));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let max = Duration::from_secs(5);
        for f in 0..20 {
            let d = backoff(f, max);
            assert!(d <= max, "{d:?}");
        }
        // About five tries a second for the first couple of seconds...
        for f in 0..FAST_RETRIES {
            let d = backoff(f, max);
            assert!(d >= Duration::from_millis(100) && d <= FAST_RETRY, "{d:?}");
        }
        // ...then growing to the cap.
        assert!(backoff(FAST_RETRIES + 1, max) >= Duration::from_millis(400));
        assert!(backoff(FAST_RETRIES + 8, max) >= Duration::from_millis(2500));
    }

    #[test]
    fn supplementary_characters_travel_as_cesu8_and_come_back() {
        let text = "Zoë 🎉 𠀀 Łódź".to_owned();
        let wire = text_body(text.clone());
        assert_ne!(&wire[..], text.as_bytes());
        assert!(std::str::from_utf8(&wire).is_err(), "CESU-8 is not UTF-8");
        let f = Frame::new("MESSAGE").body(wire);
        assert_eq!(StompMessage::from_frame(f).body, text);
        // Plain BMP text is sent unchanged.
        assert_eq!(&text_body("Łódź 中文".into())[..], "Łódź 中文".as_bytes());
    }

    #[test]
    fn bodies_are_read_as_utf8_even_when_invalid() {
        let f = Frame::new("MESSAGE")
            .header("destination", "/topic/x")
            .body(&b"Zo\xc3\xab \xff"[..]);
        let m = StompMessage::from_frame(f);
        assert_eq!(m.body, "Zoë \u{fffd}");
        assert_eq!(m.destination, "/topic/x");
    }
}
