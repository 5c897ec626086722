//! A loopback STOMP 1.2 endpoint for the demo: **not a broker**.
//!
//! `gcclient demo` must run with nothing installed but the Rust toolchain,
//! so the simulator can serve on this in-process endpoint instead of
//! ActiveMQ. It speaks just enough STOMP 1.2 for gcclient and the simulator
//! to talk through it, on `127.0.0.1:<ephemeral port>` only:
//!
//! - CONNECT / STOMP -> CONNECTED `version:1.2` with negotiated heart-beats;
//!   any login is accepted (it listens on loopback only).
//! - SUBSCRIBE / UNSUBSCRIBE (every subscription acts as `ack:auto`; ACK and
//!   NACK are accepted and ignored).
//! - SEND to `/queue/x` goes to one subscriber of `x`, round-robin, and waits
//!   in memory while there is none; SEND to `/topic/x` goes to every current
//!   subscriber. Messages past their `expires` are dropped.
//! - MESSAGE carries `destination`, `message-id`, `subscription`, `timestamp`
//!   and the sender's own headers (`type`, `correlation-id`, `reply-to`,
//!   `expires`, `persistent`, ...).
//! - RECEIPT for every frame with a `receipt` header, once it is processed.
//! - ERROR (then the connection closes) for anything else: frames before
//!   CONNECT, unknown commands, transactions, missing headers, other
//!   destination kinds, broken frames.
//!
//! Nothing is persisted, there is no security, no flow control, no
//! selectors, no durable subscriptions, no redelivery. Real deployments
//! (and every integration test) use ActiveMQ.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::{SinkExt, StreamExt};
use gcclient::stomp::{Frame, Incoming, Outgoing, StompCodec};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio_util::codec::Framed;

/// Heart-beat intervals this endpoint offers (ms): it can send this often
/// and wants to hear from the client at least this often.
const HEARTBEAT_MS: u64 = 1_000;
/// Frames larger than this are refused (GC's largest events are tens of KB).
const MAX_FRAME: usize = 1024 * 1024;
/// A queue nobody consumes keeps at most this many messages (oldest dropped).
const MAX_QUEUED: usize = 10_000;
/// Headers the endpoint sets or that only concern the SEND itself.
const NOT_FORWARDED: [&str; 8] = [
    "destination",
    "message-id",
    "subscription",
    "timestamp",
    "receipt",
    "transaction",
    "content-length",
    "ack",
];

/// A running loopback endpoint. Dropping it (or [`Loopback::shutdown`])
/// closes the listener and every connection.
pub struct Loopback {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    accept: JoinHandle<()>,
}

impl std::fmt::Debug for Loopback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loopback")
            .field("addr", &self.addr)
            .finish()
    }
}

impl Loopback {
    /// Listens on `127.0.0.1:<ephemeral>`. Must be called in a tokio runtime.
    pub async fn start() -> std::io::Result<Loopback> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = watch::channel(false);
        let hub = Arc::new(Mutex::new(Hub::default()));
        let accept = tokio::spawn(accept_loop(listener, hub, stopped));
        tracing::info!(%addr, "loopback STOMP endpoint (demo only, not a broker) listening");
        Ok(Loopback { addr, stop, accept })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The broker URL for gcclient and the simulator: `tcp://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("tcp://{}", self.addr)
    }

    /// Stops listening and drops every connection.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        self.accept.abort();
        let _ = (&mut self.accept).await;
    }
}

impl Drop for Loopback {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        self.accept.abort();
    }
}

async fn accept_loop(listener: TcpListener, hub: Arc<Mutex<Hub>>, stopped: watch::Receiver<bool>) {
    let mut next_conn = 0u64;
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(c) => c,
            Err(e) => {
                // Out of descriptors and the like: wait, do not spin.
                tracing::warn!(error = %e, "loopback endpoint: accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        next_conn += 1;
        tracing::debug!(%peer, conn = next_conn, "loopback endpoint: connection");
        let (hub, stopped) = (hub.clone(), stopped.clone());
        tokio::spawn(serve(next_conn, stream, hub, stopped));
    }
}

fn lock(hub: &Mutex<Hub>) -> MutexGuard<'_, Hub> {
    // The hub's invariants hold between statements; a panicked holder
    // cannot leave it half-updated in a way that matters to a demo.
    hub.lock().unwrap_or_else(|p| p.into_inner())
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Why a connection ends with an ERROR frame.
struct Refusal {
    message: String,
    receipt: Option<String>,
}

fn refuse(frame: &Frame, message: impl Into<String>) -> Refusal {
    Refusal {
        message: message.into(),
        receipt: frame.get("receipt").map(str::to_owned),
    }
}

/// One client connection: CONNECT, then frames until DISCONNECT, an error,
/// silence beyond the heart-beat grace, or shutdown.
async fn serve(
    conn: u64,
    stream: TcpStream,
    hub: Arc<Mutex<Hub>>,
    mut stopped: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let mut framed = Framed::new(stream, StompCodec::new(MAX_FRAME));

    let first = tokio::select! {
        first = first_frame(&mut framed) => first,
        _ = stopped.changed() => return,
    };
    let frame = match first {
        Some(Ok(f)) => f,
        Some(Err(message)) => {
            let _ = framed.send(error_frame(&message, None)).await;
            return;
        }
        None => return,
    };
    let (send_every, expect_every) = match handshake(&frame) {
        Ok(hb) => hb,
        Err(r) => {
            let _ = framed.send(error_frame(&r.message, r.receipt)).await;
            return;
        }
    };
    let connected = Frame::new("CONNECTED")
        .header("version", "1.2")
        .header("heart-beat", format!("{HEARTBEAT_MS},{HEARTBEAT_MS}"))
        .header(
            "server",
            format!("gcclient-sim-loopback/{}", gcclient::VERSION),
        )
        .header("session", format!("loopback-{conn}"));
    if framed.send(Outgoing::Frame(connected)).await.is_err() {
        return;
    }

    let (sink, mut stream) = framed.split();
    let (tx, rx) = mpsc::unbounded_channel();
    let writer = tokio::spawn(write_loop(sink, rx, send_every));
    // Silence for twice the agreed interval means the client is gone.
    let grace = expect_every * 2;
    loop {
        let next = async {
            if grace.is_zero() {
                Ok(stream.next().await)
            } else {
                tokio::time::timeout(grace, stream.next()).await
            }
        };
        let item = tokio::select! {
            item = next => item,
            _ = stopped.changed() => break,
        };
        let frame = match item {
            Err(_) => {
                tracing::debug!(conn, "loopback endpoint: client silent past its heart-beat");
                break;
            }
            Ok(None) => break,
            Ok(Some(Err(e))) => {
                let _ = tx.send(error_frame(&e.to_string(), None));
                break;
            }
            Ok(Some(Ok(Incoming::HeartBeat))) => continue,
            // As ActiveMQ does: a frame over the limit ends the connection.
            Ok(Some(Ok(Incoming::Oversized { size, .. }))) => {
                let _ = tx.send(error_frame(
                    &format!("frame of {size} bytes is over the limit"),
                    None,
                ));
                break;
            }
            Ok(Some(Ok(Incoming::Frame(f)))) => f,
        };
        let disconnect = frame.command == "DISCONNECT";
        if let Err(r) = lock(&hub).on_frame(conn, &tx, frame) {
            tracing::debug!(conn, message = %r.message, "loopback endpoint: ERROR");
            let _ = tx.send(error_frame(&r.message, r.receipt));
            break;
        }
        if disconnect {
            break;
        }
    }
    // Queued frames (a last RECEIPT or ERROR) are written before the close.
    lock(&hub).drop_connection(conn);
    drop(tx);
    let _ = tokio::time::timeout(Duration::from_secs(1), writer).await;
}

/// The first frame, skipping stray end-of-lines; `None` if the client
/// says nothing for 10 s or goes away.
async fn first_frame(framed: &mut Framed<TcpStream, StompCodec>) -> Option<Result<Frame, String>> {
    let read = async {
        loop {
            match framed.next().await? {
                Ok(Incoming::HeartBeat) => continue,
                Ok(Incoming::Oversized { size, .. }) => {
                    return Some(Err(format!("frame of {size} bytes is over the limit")))
                }
                Ok(Incoming::Frame(f)) => return Some(Ok(f)),
                Err(e) => return Some(Err(e.to_string())),
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), read)
        .await
        .ok()
        .flatten()
}

/// Checks CONNECT and returns the (send, expect) heart-beat intervals.
fn handshake(frame: &Frame) -> Result<(Duration, Duration), Refusal> {
    if !matches!(frame.command.as_str(), "CONNECT" | "STOMP") {
        return Err(refuse(
            frame,
            format!("expected CONNECT, got {}", frame.command),
        ));
    }
    let versions = frame.get("accept-version").unwrap_or("1.0");
    if !versions.split(',').any(|v| v.trim() == "1.2") {
        return Err(refuse(
            frame,
            format!("supported protocol versions are 1.2 (client accepts {versions})"),
        ));
    }
    let (cx, cy) = match frame.get("heart-beat") {
        None => (0, 0),
        Some(h) => h
            .split_once(',')
            .and_then(|(x, y)| Some((x.trim().parse::<u64>().ok()?, y.trim().parse::<u64>().ok()?)))
            .ok_or_else(|| refuse(frame, format!("bad heart-beat header `{h}`")))?,
    };
    // STOMP 1.2: each direction runs at the larger of what the sender can
    // do and the receiver wants; 0 on either side turns it off.
    let send = if cy == 0 { 0 } else { cy.max(HEARTBEAT_MS) };
    let expect = if cx == 0 { 0 } else { cx.max(HEARTBEAT_MS) };
    Ok((Duration::from_millis(send), Duration::from_millis(expect)))
}

fn error_frame(message: &str, receipt: Option<String>) -> Outgoing {
    let mut f = Frame::new("ERROR").header("message", message);
    if let Some(r) = receipt {
        f = f.header("receipt-id", r);
    }
    Outgoing::Frame(f.header("content-type", "text/plain").body(format!(
        "{message}\n(gcclient-sim loopback endpoint: a demo-only STOMP subset, not a broker)\n"
    )))
}

async fn write_loop(
    mut sink: futures::stream::SplitSink<Framed<TcpStream, StompCodec>, Outgoing>,
    mut rx: mpsc::UnboundedReceiver<Outgoing>,
    heartbeat: Duration,
) {
    loop {
        let next = if heartbeat.is_zero() {
            rx.recv().await
        } else {
            match tokio::time::timeout(heartbeat, rx.recv()).await {
                Ok(item) => item,
                Err(_) => Some(Outgoing::HeartBeat),
            }
        };
        let Some(item) = next else { break };
        if sink.send(item).await.is_err() {
            return;
        }
    }
    let _ = sink.close().await;
}

/// Subscription of one connection.
#[derive(Clone)]
struct Sub {
    conn: u64,
    id: String,
    tx: mpsc::UnboundedSender<Outgoing>,
}

/// A message waiting for a queue consumer.
struct Held {
    headers: Vec<(String, String)>,
    body: bytes::Bytes,
    expires: u64,
}

#[derive(Default)]
struct Hub {
    /// Destination (`/queue/x`, `/topic/x`) -> subscribers in subscription order.
    subs: HashMap<String, Vec<Sub>>,
    /// Next consumer index per queue (round-robin).
    cursor: HashMap<String, usize>,
    /// Messages sent to a queue with no consumer.
    held: HashMap<String, VecDeque<Held>>,
    next_message: u64,
}

enum Kind {
    Queue,
    Topic,
}

fn kind(frame: &Frame, destination: &str) -> Result<Kind, Refusal> {
    let (kind, name) = if let Some(n) = destination.strip_prefix("/queue/") {
        (Kind::Queue, n)
    } else if let Some(n) = destination.strip_prefix("/topic/") {
        (Kind::Topic, n)
    } else {
        return Err(refuse(
            frame,
            format!("destination `{destination}` is neither /queue/<name> nor /topic/<name>"),
        ));
    };
    if name.is_empty() {
        return Err(refuse(
            frame,
            format!("destination `{destination}` has no name"),
        ));
    }
    Ok(kind)
}

fn required<'a>(frame: &'a Frame, header: &str) -> Result<&'a str, Refusal> {
    frame.get(header).filter(|v| !v.is_empty()).ok_or_else(|| {
        refuse(
            frame,
            format!("{} needs a `{header}` header", frame.command),
        )
    })
}

impl Hub {
    /// Handles one frame after CONNECT, confirming it if it asks for a
    /// receipt.
    fn on_frame(
        &mut self,
        conn: u64,
        tx: &mpsc::UnboundedSender<Outgoing>,
        frame: Frame,
    ) -> Result<(), Refusal> {
        let confirm = || {
            if let Some(id) = frame.get("receipt") {
                let _ = tx.send(Outgoing::Frame(
                    Frame::new("RECEIPT").header("receipt-id", id),
                ));
            }
        };
        match frame.command.as_str() {
            "SEND" => {
                let destination = required(&frame, "destination")?.to_owned();
                let kind = kind(&frame, &destination)?;
                if frame.get("transaction").is_some() {
                    return Err(refuse(&frame, "transactions are not supported"));
                }
                self.route(&destination, kind, &frame);
            }
            "SUBSCRIBE" => {
                let id = required(&frame, "id")?.to_owned();
                let destination = required(&frame, "destination")?.to_owned();
                let kind = kind(&frame, &destination)?;
                if self
                    .subs
                    .values()
                    .flatten()
                    .any(|s| s.conn == conn && s.id == id)
                {
                    return Err(refuse(
                        &frame,
                        format!("subscription id `{id}` is already in use"),
                    ));
                }
                self.subs.entry(destination.clone()).or_default().push(Sub {
                    conn,
                    id,
                    tx: tx.clone(),
                });
                // Confirmed first, so held messages follow the RECEIPT.
                confirm();
                if let Kind::Queue = kind {
                    self.drain(&destination);
                }
                return Ok(());
            }
            "UNSUBSCRIBE" => {
                let id = required(&frame, "id")?;
                let mut found = false;
                for subs in self.subs.values_mut() {
                    let before = subs.len();
                    subs.retain(|s| !(s.conn == conn && s.id == id));
                    found |= subs.len() != before;
                }
                if !found {
                    return Err(refuse(&frame, format!("no subscription `{id}`")));
                }
                self.subs.retain(|_, s| !s.is_empty());
            }
            // Every subscription is auto-acknowledged.
            "ACK" | "NACK" => {
                required(&frame, "id")?;
            }
            "DISCONNECT" => {}
            "BEGIN" | "COMMIT" | "ABORT" => {
                return Err(refuse(&frame, "transactions are not supported"));
            }
            "CONNECT" | "STOMP" => return Err(refuse(&frame, "already connected")),
            other => return Err(refuse(&frame, format!("unknown command {other}"))),
        }
        confirm();
        Ok(())
    }

    fn route(&mut self, destination: &str, kind: Kind, frame: &Frame) {
        let headers: Vec<(String, String)> = frame
            .headers
            .iter()
            .filter(|(n, _)| !NOT_FORWARDED.contains(&n.as_str()))
            .cloned()
            .collect();
        let expires = frame
            .get("expires")
            .and_then(|e| e.trim().parse::<u64>().ok())
            .unwrap_or(0);
        let held = Held {
            headers,
            body: frame.body.clone(),
            expires,
        };
        match kind {
            Kind::Topic => {
                let subs = self.subs.get(destination).cloned().unwrap_or_default();
                for sub in subs {
                    self.deliver(destination, &sub, &held);
                }
            }
            Kind::Queue => {
                let queue = self.held.entry(destination.to_owned()).or_default();
                if queue.len() >= MAX_QUEUED {
                    tracing::warn!(%destination, "loopback endpoint: queue full, oldest message dropped");
                    queue.pop_front();
                }
                queue.push_back(held);
                self.drain(destination);
            }
        }
    }

    /// Hands a queue's waiting messages to its consumers, round-robin.
    fn drain(&mut self, destination: &str) {
        let Some(subs) = self.subs.get(destination).cloned() else {
            return;
        };
        if subs.is_empty() {
            return;
        }
        let Some(mut queue) = self.held.remove(destination) else {
            return;
        };
        let mut cursor = self.cursor.get(destination).copied().unwrap_or(0);
        while let Some(msg) = queue.pop_front() {
            let sub = &subs[cursor % subs.len()];
            cursor = cursor.wrapping_add(1);
            self.deliver(destination, sub, &msg);
        }
        self.cursor.insert(destination.to_owned(), cursor);
    }

    fn deliver(&mut self, destination: &str, sub: &Sub, msg: &Held) {
        let now = now_ms();
        if msg.expires != 0 && msg.expires <= now {
            tracing::debug!(%destination, "loopback endpoint: expired message dropped");
            return;
        }
        self.next_message += 1;
        let mut f = Frame::new("MESSAGE")
            .header("destination", destination)
            .header(
                "message-id",
                format!("ID:gcclient-loopback-{}", self.next_message),
            )
            .header("subscription", sub.id.clone())
            .header("timestamp", now.to_string());
        f.headers.extend(msg.headers.iter().cloned());
        // Without content-length a NUL would end the frame early.
        if msg.body.contains(&0) {
            f = f.header("content-length", msg.body.len().to_string());
        }
        f.body = msg.body.clone();
        // A consumer whose connection just ended loses the message, as
        // with a real broker's auto-acknowledged subscription.
        let _ = sub.tx.send(Outgoing::Frame(f));
    }

    fn drop_connection(&mut self, conn: u64) {
        for subs in self.subs.values_mut() {
            subs.retain(|s| s.conn != conn);
        }
        self.subs.retain(|_, s| !s.is_empty());
    }
}
