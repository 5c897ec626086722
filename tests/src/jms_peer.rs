//! A scriptable JMS peer standing in for ExpertFlow's Generic Connector (GC).
//!
//! The peer is the Java program in `tests/jms-peer` (OpenWire JMS, like GC).
//! It consumes one queue and reports every message it receives; on command it
//! replies to a topic or sends unsolicited events, and it can answer requests
//! automatically. This module builds it (once per process, only when the jar is
//! missing or older than its sources), spawns it with `java -jar`, and drives
//! it over stdin/stdout, one JSON object per line. See `docs/interop.md`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), gcclient_tests::jms_peer::PeerError> {
//! use std::time::Duration;
//! use gcclient_tests::jms_peer::{AutoRule, JmsPeer};
//!
//! let peer = JmsPeer::start("127.0.0.1:61616", "Connector1-test-42").await?;
//! peer.auto(&[AutoRule::reply("Hello#", "System#IN_SERVICE")]).await?;
//! let m = peer.next_message(Duration::from_secs(5)).await?;
//! assert_eq!(m.jms_class, "TextMessage");
//! peer.reply(m.correlation_id.as_deref().unwrap(), m.reply_to.as_deref().unwrap(), "1001#AgentState#READY").await?;
//! # Ok(()) }
//! ```
//!
//! Environment:
//! - `GCCLIENT_JMS_PEER_JAR`: use this jar as is (no Maven build).
//! - `GCCLIENT_MVN`: the Maven command (default `mvn`).
//! - `GCCLIENT_JAVA`: the java command (default `$JAVA_HOME/bin/java`, else `java`).

use std::collections::VecDeque;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex as StdMutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};
use tokio::sync::{mpsc, Mutex};

/// How long `start` waits for the peer's `ready` line (JVM start-up on a busy
/// 2-core machine can take several seconds).
pub const START_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a command waits for its `ok`/`error` line.
pub const OP_TIMEOUT: Duration = Duration::from_secs(15);
/// How many of the peer's most recent output lines are kept for error reports.
const TRANSCRIPT_LINES: usize = 50;

/// Everything that can go wrong while building, starting or driving the peer.
#[derive(Debug, Clone)]
pub enum PeerError {
    /// Maven or java could not be run, or the build failed.
    Build(String),
    /// The peer process could not be spawned or talked to.
    Io(String),
    /// The peer reported an error for a command (`{"event":"error",...}`).
    Peer { op: String, message: String },
    /// Nothing arrived within the timeout.
    Timeout {
        waiting_for: String,
        after: Duration,
        recent_output: Vec<String>,
    },
    /// The peer process has exited.
    Exited { recent_output: Vec<String> },
    /// A line from the peer could not be understood.
    Protocol(String),
    /// `expect_no_message` received a message.
    Unexpected(Box<RecordedMessage>),
}

impl fmt::Display for PeerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeerError::Build(s) => write!(f, "jms-peer build failed: {s}"),
            PeerError::Io(s) => write!(f, "jms-peer I/O error: {s}"),
            PeerError::Peer { op, message } => write!(f, "jms-peer op {op:?} failed: {message}"),
            PeerError::Timeout {
                waiting_for,
                after,
                recent_output,
            } => write!(
                f,
                "jms-peer: no {waiting_for} within {after:?}; recent peer output:\n{}",
                recent_output.join("\n")
            ),
            PeerError::Exited { recent_output } => {
                write!(
                    f,
                    "jms-peer exited; recent peer output:\n{}",
                    recent_output.join("\n")
                )
            }
            PeerError::Protocol(s) => write!(f, "jms-peer protocol error: {s}"),
            PeerError::Unexpected(m) => write!(f, "jms-peer received an unexpected message: {m:?}"),
        }
    }
}

impl std::error::Error for PeerError {}

/// One message the peer consumed from its queue, with the exact JMS values.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedMessage {
    /// `TextMessage`, `BytesMessage`, `MapMessage`, `ObjectMessage`, `StreamMessage` or `Message`.
    pub jms_class: String,
    /// JMSType; `None` when null.
    pub jms_type: Option<String>,
    /// JMSCorrelationID.
    pub correlation_id: Option<String>,
    /// JMSReplyTo as `topic://name` or `queue://name`.
    pub reply_to: Option<String>,
    /// JMSExpiration, epoch ms (0 = never).
    pub expiration: i64,
    /// JMSDeliveryMode: 1 non-persistent, 2 persistent.
    pub delivery_mode: i32,
    /// JMSTimestamp, epoch ms.
    pub timestamp: i64,
    /// The peer's `System.currentTimeMillis()` when it received the message.
    pub received_at: i64,
    /// TextMessage text, or BytesMessage bytes decoded as UTF-8 (lossy); `None`
    /// for other classes and for a TextMessage whose text cannot be decoded
    /// (see `body_error`).
    pub body: Option<String>,
    /// JMS properties (custom STOMP headers show up here).
    #[serde(default)]
    pub properties: Map<String, Value>,
    /// JMSMessageID.
    #[serde(default)]
    pub message_id: Option<String>,
    /// JMSDestination, e.g. `queue://Connector1`.
    #[serde(default)]
    pub destination: Option<String>,
    /// JMSPriority.
    #[serde(default)]
    pub priority: Option<i32>,
    /// JMSRedelivered.
    #[serde(default)]
    pub redelivered: bool,
    /// BytesMessage only: body length in bytes.
    #[serde(default)]
    pub body_length: Option<i64>,
    /// BytesMessage only: whether the bytes are valid UTF-8.
    #[serde(default)]
    pub body_utf8_valid: Option<bool>,
    /// BytesMessage only, when not valid UTF-8: the raw bytes in base64.
    #[serde(default)]
    pub body_base64: Option<String>,
    /// TextMessage only, when `getText()` failed (then `body` is `None`): the
    /// exception, e.g. `java.io.UTFDataFormatException` for 4-byte UTF-8 sent
    /// over STOMP (ActiveMQ AMQ-8398). GC cannot read such a message either.
    #[serde(default)]
    pub body_error: Option<String>,
    /// TextMessage only, when `getText()` failed: the undecodable bytes in base64.
    #[serde(default)]
    pub body_raw_base64: Option<String>,
}

impl RecordedMessage {
    pub fn is_text(&self) -> bool {
        self.jms_class == "TextMessage"
    }

    pub fn is_bytes(&self) -> bool {
        self.jms_class == "BytesMessage"
    }

    /// The part of JMSType after the first `#` (agent id or client destination).
    pub fn type_argument(&self) -> Option<&str> {
        self.jms_type
            .as_deref()
            .and_then(|t| t.split_once('#'))
            .map(|(_, a)| a)
    }

    /// The part of JMSType before the first `#` (the command name).
    pub fn command(&self) -> Option<&str> {
        self.jms_type
            .as_deref()
            .map(|t| t.split('#').next().unwrap_or(t))
    }

    /// The raw body bytes the peer reported because they could not be decoded
    /// (`body_raw_base64` of an unreadable TextMessage, or `body_base64` of a
    /// BytesMessage that is not UTF-8).
    pub fn raw_body(&self) -> Option<Vec<u8>> {
        self.body_raw_base64
            .as_deref()
            .or(self.body_base64.as_deref())
            .map(decode_base64)
    }

    /// The reply-to topic name without the `topic://` prefix.
    pub fn reply_topic(&self) -> Option<&str> {
        self.reply_to
            .as_deref()
            .and_then(|r| r.strip_prefix("topic://"))
    }
}

/// A rule for automatic replies: a message whose JMSType starts with
/// `type_prefix` is answered on its JMSReplyTo with its JMSCorrelationID.
/// `{agent}` in `reply` becomes the part of JMSType after the first `#`.
/// `reply: None` swallows matching messages (no reply, like GC for Connect).
/// The first matching rule wins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AutoRule {
    pub type_prefix: String,
    pub reply: Option<String>,
    /// JMSType of the reply; `None` means "" (what GC sends).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jms_type: Option<String>,
}

impl AutoRule {
    pub fn reply(type_prefix: impl Into<String>, reply: impl Into<String>) -> Self {
        AutoRule {
            type_prefix: type_prefix.into(),
            reply: Some(reply.into()),
            jms_type: None,
        }
    }

    pub fn swallow(type_prefix: impl Into<String>) -> Self {
        AutoRule {
            type_prefix: type_prefix.into(),
            reply: None,
            jms_type: None,
        }
    }
}

/// A message the peer sends on its own (an unsolicited event, or a reply with
/// unusual properties).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutgoingMessage {
    /// `x`, `topic://x`, `/topic/x`, `queue://x` or `/queue/x`; a bare name is a topic.
    pub topic: String,
    pub body: String,
    /// BytesMessage of the UTF-8 bytes instead of a TextMessage.
    pub bytes: bool,
    /// JMSType; `None` leaves it null.
    pub jms_type: Option<String>,
    /// JMSCorrelationID; `None` leaves it null.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// Delivery mode; `None` is PERSISTENT (the JMS default, what GC uses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persistent: Option<bool>,
    /// `Some(false)` disables the producer's JMSTimestamp (it is then 0);
    /// `None` stamps the peer's clock, as every JMS producer does by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<bool>,
}

impl OutgoingMessage {
    pub fn text(topic: impl Into<String>, body: impl Into<String>) -> Self {
        OutgoingMessage {
            topic: topic.into(),
            body: body.into(),
            bytes: false,
            jms_type: None,
            correlation_id: None,
            persistent: None,
            timestamp: None,
        }
    }
}

/// The peer's report of an automatic reply it sent.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AutoReplied {
    pub jms_type: Option<String>,
    pub correlation_id: Option<String>,
    pub reply_to: Option<String>,
    pub body: String,
}

/// A running peer process. Killed on drop.
pub struct JmsPeer {
    queue: String,
    child: StdMutex<Option<Child>>,
    stdin: Mutex<Option<ChildStdin>>,
    messages: Mutex<mpsc::UnboundedReceiver<RecordedMessage>>,
    auto_replies: Mutex<mpsc::UnboundedReceiver<AutoReplied>>,
    control: Mutex<mpsc::UnboundedReceiver<Value>>,
    shared: Arc<Shared>,
}

#[derive(Default)]
struct Shared {
    transcript: StdMutex<VecDeque<String>>,
    async_errors: StdMutex<Vec<String>>,
}

impl Shared {
    fn record(&self, line: &str) {
        let mut t = self.transcript.lock().unwrap();
        if t.len() == TRANSCRIPT_LINES {
            t.pop_front();
        }
        // Keep the transcript readable: 64 KB bodies are cut.
        let mut s: String = line.chars().take(400).collect();
        if s.len() < line.len() {
            s.push_str("...");
        }
        t.push_back(s);
    }

    fn recent(&self) -> Vec<String> {
        self.transcript.lock().unwrap().iter().cloned().collect()
    }
}

impl JmsPeer {
    /// Builds the jar if needed, spawns the peer against `openwire_addr`
    /// (`host:port` or `tcp://host:port`) consuming `queue`, and waits for it
    /// to be ready (connected and consuming).
    pub async fn start(openwire_addr: &str, queue: &str) -> Result<JmsPeer, PeerError> {
        let jar = tokio::task::spawn_blocking(jar_path)
            .await
            .map_err(|e| PeerError::Build(format!("build task failed: {e}")))??;
        let broker = if openwire_addr.contains("://") {
            openwire_addr.to_string()
        } else {
            format!("tcp://{openwire_addr}")
        };

        let mut child = Command::new(java_command())
            .arg("-Xmx256m")
            .arg("-XX:+UseSerialGC")
            .arg("-jar")
            .arg(&jar)
            .arg("--broker")
            .arg(&broker)
            .arg("--queue")
            .arg(queue)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| PeerError::Io(format!("cannot run {:?}: {e}", java_command())))?;

        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");

        let shared = Arc::new(Shared::default());
        let (msg_tx, msg_rx) = mpsc::unbounded_channel();
        let (auto_tx, auto_rx) = mpsc::unbounded_channel();
        let (ctl_tx, mut ctl_rx) = mpsc::unbounded_channel();

        let sh = shared.clone();
        tokio::spawn(async move {
            let mut lines = BufReader::new(stdout).lines();
            loop {
                let line = match lines.next_line().await {
                    Ok(Some(line)) => line,
                    Ok(None) => break,
                    Err(e) => {
                        sh.record(&format!("<stdout read error: {e}>"));
                        break;
                    }
                };
                sh.record(&line);
                let v: Value = match serde_json::from_str(&line) {
                    Ok(v) => v,
                    Err(e) => {
                        sh.async_errors
                            .lock()
                            .unwrap()
                            .push(format!("unparsable line {line:?}: {e}"));
                        continue;
                    }
                };
                match v.get("event").and_then(Value::as_str) {
                    Some("message") => match serde_json::from_value::<RecordedMessage>(v) {
                        Ok(m) => {
                            let _ = msg_tx.send(m);
                        }
                        Err(e) => sh
                            .async_errors
                            .lock()
                            .unwrap()
                            .push(format!("bad message line: {e}")),
                    },
                    Some("autoReplied") => {
                        if let Ok(a) = serde_json::from_value::<AutoReplied>(v) {
                            let _ = auto_tx.send(a);
                        }
                    }
                    Some("error") if !matches!(v.get("op"), Some(Value::String(_))) => {
                        let msg = v
                            .get("message")
                            .and_then(Value::as_str)
                            .unwrap_or("?")
                            .to_string();
                        let src = v
                            .get("source")
                            .and_then(Value::as_str)
                            .unwrap_or("?")
                            .to_string();
                        sh.async_errors
                            .lock()
                            .unwrap()
                            .push(format!("{src}: {msg}"));
                        // A fatal start-up error must also end `start`'s wait.
                        let _ = ctl_tx.send(v);
                    }
                    _ => {
                        let _ = ctl_tx.send(v);
                    }
                }
            }
        });

        let sh = shared.clone();
        tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                sh.record(&format!("[stderr] {line}"));
                eprintln!("[jms-peer stderr] {line}");
            }
        });

        // Wait for {"event":"ready"}.
        let deadline = tokio::time::Instant::now() + START_TIMEOUT;
        loop {
            match tokio::time::timeout_at(deadline, ctl_rx.recv()).await {
                Err(_) => {
                    return Err(PeerError::Timeout {
                        waiting_for: "ready".into(),
                        after: START_TIMEOUT,
                        recent_output: shared.recent(),
                    })
                }
                Ok(None) => {
                    return Err(PeerError::Exited {
                        recent_output: shared.recent(),
                    })
                }
                Ok(Some(v)) => match v.get("event").and_then(Value::as_str) {
                    Some("ready") => break,
                    Some("error") if v.get("fatal").and_then(Value::as_bool) == Some(true) => {
                        let message = v
                            .get("message")
                            .and_then(Value::as_str)
                            .unwrap_or("?")
                            .to_string();
                        return Err(PeerError::Peer {
                            op: "start".into(),
                            message,
                        });
                    }
                    _ => continue,
                },
            }
        }

        Ok(JmsPeer {
            queue: queue.to_string(),
            child: StdMutex::new(Some(child)),
            stdin: Mutex::new(Some(stdin)),
            messages: Mutex::new(msg_rx),
            auto_replies: Mutex::new(auto_rx),
            control: Mutex::new(ctl_rx),
            shared,
        })
    }

    /// The queue this peer consumes.
    pub fn queue(&self) -> &str {
        &self.queue
    }

    /// The next message the peer consumed, in arrival order.
    pub async fn next_message(&self, timeout: Duration) -> Result<RecordedMessage, PeerError> {
        let mut rx = self.messages.lock().await;
        match tokio::time::timeout(timeout, rx.recv()).await {
            Ok(Some(m)) => Ok(m),
            Ok(None) => Err(PeerError::Exited {
                recent_output: self.shared.recent(),
            }),
            Err(_) => Err(PeerError::Timeout {
                waiting_for: format!("message on queue {}", self.queue),
                after: timeout,
                recent_output: self.shared.recent(),
            }),
        }
    }

    /// Succeeds if no message arrives within `within`.
    pub async fn expect_no_message(&self, within: Duration) -> Result<(), PeerError> {
        let mut rx = self.messages.lock().await;
        match tokio::time::timeout(within, rx.recv()).await {
            Err(_) => Ok(()),
            Ok(Some(m)) => Err(PeerError::Unexpected(Box::new(m))),
            Ok(None) => Err(PeerError::Exited {
                recent_output: self.shared.recent(),
            }),
        }
    }

    /// The next automatic reply the peer sent (see [`JmsPeer::auto`]).
    pub async fn next_auto_reply(&self, timeout: Duration) -> Result<AutoReplied, PeerError> {
        let mut rx = self.auto_replies.lock().await;
        match tokio::time::timeout(timeout, rx.recv()).await {
            Ok(Some(a)) => Ok(a),
            Ok(None) => Err(PeerError::Exited {
                recent_output: self.shared.recent(),
            }),
            Err(_) => Err(PeerError::Timeout {
                waiting_for: "autoReplied".into(),
                after: timeout,
                recent_output: self.shared.recent(),
            }),
        }
    }

    /// Sends a TextMessage to `reply_to` (`topic://x`, as in
    /// [`RecordedMessage::reply_to`]) with JMSCorrelationID `correlation_id`
    /// and JMSType "" — exactly what GC sends as a reply.
    pub async fn reply(
        &self,
        correlation_id: &str,
        reply_to: &str,
        body: &str,
    ) -> Result<(), PeerError> {
        self.op(json!({"op": "reply", "correlationId": correlation_id, "replyTo": reply_to, "body": body}))
            .await
    }

    /// Replies to a recorded request (its JMSReplyTo and JMSCorrelationID).
    pub async fn reply_to(&self, request: &RecordedMessage, body: &str) -> Result<(), PeerError> {
        let reply_to = request
            .reply_to
            .as_deref()
            .ok_or_else(|| PeerError::Protocol("request has no JMSReplyTo".into()))?;
        self.op(json!({"op": "reply", "correlationId": request.correlation_id, "replyTo": reply_to, "body": body}))
            .await
    }

    /// Sends an unsolicited TextMessage (null JMSType, no correlation id) to `topic`.
    pub async fn send_text(&self, topic: &str, body: &str) -> Result<(), PeerError> {
        self.send(&OutgoingMessage::text(topic, body)).await
    }

    /// Sends an unsolicited BytesMessage of `body`'s UTF-8 bytes to `topic`.
    pub async fn send_bytes(&self, topic: &str, body: &str) -> Result<(), PeerError> {
        self.send(&OutgoingMessage {
            bytes: true,
            ..OutgoingMessage::text(topic, body)
        })
        .await
    }

    /// Sends any message the peer can send.
    pub async fn send(&self, msg: &OutgoingMessage) -> Result<(), PeerError> {
        let mut v = serde_json::to_value(msg).map_err(|e| PeerError::Protocol(e.to_string()))?;
        v["op"] = json!("send");
        self.op(v).await
    }

    /// Replaces the automatic-reply rules (an empty slice turns them off).
    pub async fn auto(&self, rules: &[AutoRule]) -> Result<(), PeerError> {
        self.op(json!({"op": "auto", "rules": rules})).await
    }

    /// Round-trips a no-op command (the peer is alive and reading).
    pub async fn ping(&self) -> Result<(), PeerError> {
        self.op(json!({"op": "ping"})).await
    }

    /// Errors the peer reported outside of a command (listener, connection).
    pub fn async_errors(&self) -> Vec<String> {
        self.shared.async_errors.lock().unwrap().clone()
    }

    /// The peer's most recent output lines (for diagnostics).
    pub fn recent_output(&self) -> Vec<String> {
        self.shared.recent()
    }

    /// Asks the peer to close its JMS connection and exit; waits for it.
    pub async fn quit(self) -> Result<(), PeerError> {
        self.op(json!({"op": "quit"})).await?;
        self.stdin.lock().await.take();
        let child = self.child.lock().unwrap().take();
        if let Some(mut child) = child {
            match tokio::time::timeout(Duration::from_secs(10), child.wait()).await {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => return Err(PeerError::Io(e.to_string())),
                Err(_) => {
                    let _ = child.start_kill();
                }
            }
        }
        Ok(())
    }

    /// Kills the peer now (abrupt disconnect from the broker, like a crashed GC).
    pub fn kill(&self) {
        if let Some(child) = self.child.lock().unwrap().as_mut() {
            let _ = child.start_kill();
        }
    }

    async fn op(&self, cmd: Value) -> Result<(), PeerError> {
        let op = cmd["op"].as_str().unwrap_or_default().to_string();
        // Holding the stdin lock for the whole round trip keeps commands and
        // their answers in order.
        let mut stdin = self.stdin.lock().await;
        let w = stdin.as_mut().ok_or_else(|| PeerError::Exited {
            recent_output: self.shared.recent(),
        })?;
        let mut line =
            serde_json::to_string(&cmd).map_err(|e| PeerError::Protocol(e.to_string()))?;
        line.push('\n');
        let io = |e: std::io::Error| PeerError::Io(format!("writing to the peer: {e}"));
        w.write_all(line.as_bytes()).await.map_err(io)?;
        w.flush().await.map_err(io)?;

        let mut ctl = self.control.lock().await;
        let deadline = tokio::time::Instant::now() + OP_TIMEOUT;
        loop {
            let v = match tokio::time::timeout_at(deadline, ctl.recv()).await {
                Err(_) => {
                    return Err(PeerError::Timeout {
                        waiting_for: format!("answer to op {op:?}"),
                        after: OP_TIMEOUT,
                        recent_output: self.shared.recent(),
                    })
                }
                Ok(None) => {
                    return Err(PeerError::Exited {
                        recent_output: self.shared.recent(),
                    })
                }
                Ok(Some(v)) => v,
            };
            if v.get("op").and_then(Value::as_str) != Some(op.as_str()) {
                continue; // asynchronous error lines, already recorded
            }
            return match v.get("event").and_then(Value::as_str) {
                Some("ok") => Ok(()),
                Some("error") => Err(PeerError::Peer {
                    op,
                    message: v
                        .get("message")
                        .and_then(Value::as_str)
                        .unwrap_or("?")
                        .to_string(),
                }),
                other => Err(PeerError::Protocol(format!(
                    "unexpected answer {other:?} to op {op:?}"
                ))),
            };
        }
    }
}

impl Drop for JmsPeer {
    fn drop(&mut self) {
        if let Ok(mut guard) = self.child.lock() {
            if let Some(child) = guard.as_mut() {
                let _ = child.start_kill();
            }
        }
    }
}

/// Standard base64 (with padding), as `java.util.Base64.getEncoder()` writes it.
fn decode_base64(s: &str) -> Vec<u8> {
    fn val(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some((c - b'A') as u32),
            b'a'..=b'z' => Some((c - b'a' + 26) as u32),
            b'0'..=b'9' => Some((c - b'0' + 52) as u32),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for v in s.bytes().filter_map(val) {
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

// ---------------------------------------------------------------- building

/// The Maven module of the peer (`tests/jms-peer`).
pub fn module_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("jms-peer")
}

/// The peer's fat jar, built with Maven first if it is missing or older than
/// its sources. Built at most once per process; concurrent test processes
/// take turns (`flock`). Blocking.
pub fn jar_path() -> Result<PathBuf, PeerError> {
    static JAR: OnceLock<Result<PathBuf, PeerError>> = OnceLock::new();
    JAR.get_or_init(|| {
        if let Some(jar) = std::env::var_os("GCCLIENT_JMS_PEER_JAR") {
            let jar = PathBuf::from(jar);
            return if jar.is_file() {
                Ok(jar)
            } else {
                Err(PeerError::Build(format!(
                    "GCCLIENT_JMS_PEER_JAR={} is not a file",
                    jar.display()
                )))
            };
        }
        let dir = module_dir();
        let jar = dir.join("target").join("jms-peer.jar");
        if !needs_build(&dir, &jar) {
            return Ok(jar);
        }
        run_maven(&dir)?;
        if jar.is_file() {
            Ok(jar)
        } else {
            Err(PeerError::Build(format!(
                "Maven succeeded but {} is missing",
                jar.display()
            )))
        }
    })
    .clone()
}

fn needs_build(dir: &Path, jar: &Path) -> bool {
    let Ok(built) = std::fs::metadata(jar).and_then(|m| m.modified()) else {
        return true;
    };
    let mut newest = SystemTime::UNIX_EPOCH;
    for p in [dir.join("pom.xml"), dir.join(".mvn"), dir.join("src")] {
        newest_mtime(&p, &mut newest);
    }
    newest > built
}

fn newest_mtime(p: &Path, newest: &mut SystemTime) {
    let Ok(meta) = std::fs::metadata(p) else {
        return;
    };
    if let Ok(t) = meta.modified() {
        *newest = (*newest).max(t);
    }
    if meta.is_dir() {
        if let Ok(rd) = std::fs::read_dir(p) {
            for e in rd.flatten() {
                newest_mtime(&e.path(), newest);
            }
        }
    }
}

/// Runs `mvn package` under an exclusive `flock` on `target/.build-lock`, so
/// that concurrent test processes build one after the other; a process that
/// waited finds the jar up to date and skips Maven.
fn run_maven(dir: &Path) -> Result<(), PeerError> {
    const SCRIPT: &str = r#"
        cd "$1"
        if [ -f target/jms-peer.jar ] &&
           [ -z "$(find pom.xml .mvn src -newer target/jms-peer.jar -print -quit)" ]; then
            exit 0 # built by another process while this one waited
        fi
        exec "$2" -q -B -f pom.xml package -DskipTests
    "#;
    let mvn = std::env::var("GCCLIENT_MVN").unwrap_or_else(|_| "mvn".into());
    let target = dir.join("target");
    std::fs::create_dir_all(&target)
        .map_err(|e| PeerError::Build(format!("{}: {e}", target.display())))?;
    let started = Instant::now();
    eprintln!("[jms-peer] building {} with Maven ...", dir.display());
    let out = std::process::Command::new("flock")
        .args(["-w", "1200"])
        .arg(target.join(".build-lock"))
        .args(["bash", "-c", SCRIPT, "build-jms-peer"])
        .arg(dir)
        .arg(&mvn)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| PeerError::Build(format!("cannot run flock/bash/{mvn:?}: {e}")))?;
    if !out.status.success() {
        return Err(PeerError::Build(format!(
            "{mvn} package exited with {}:\n{}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    eprintln!("[jms-peer] built in {:.1?}", started.elapsed());
    Ok(())
}

fn java_command() -> PathBuf {
    if let Some(j) = std::env::var_os("GCCLIENT_JAVA") {
        return PathBuf::from(j);
    }
    if let Some(home) = std::env::var_os("JAVA_HOME") {
        let j = Path::new(&home).join("bin").join("java");
        if j.is_file() {
            return j;
        }
    }
    PathBuf::from("java")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_java_output() {
        // java.util.Base64.getEncoder().encodeToString("🎉body".getBytes(UTF_8))
        assert_eq!(decode_base64("8J+OiWJvZHk="), "🎉body".as_bytes());
        assert_eq!(decode_base64(""), b"");
        assert_eq!(decode_base64("YQ=="), b"a");
        assert_eq!(decode_base64("YWI="), b"ab");
    }

    #[test]
    fn recorded_message_parses_peer_line() {
        let line = r#"{"event":"message","jmsClass":"TextMessage","jmsType":"Hello#1001","correlationId":"c1","replyTo":"topic://gc-1001","expiration":0,"deliveryMode":1,"timestamp":1,"receivedAt":2,"messageId":"ID:x","destination":"queue://q","priority":4,"redelivered":false,"body":"Zoë","properties":{"a":"b"}}"#;
        let m: RecordedMessage = serde_json::from_str(line).unwrap();
        assert!(m.is_text());
        assert_eq!(m.command(), Some("Hello"));
        assert_eq!(m.type_argument(), Some("1001"));
        assert_eq!(m.reply_topic(), Some("gc-1001"));
        assert_eq!(m.body.as_deref(), Some("Zoë"));
        assert_eq!(m.raw_body(), None);
    }

    #[test]
    fn auto_rule_serializes_like_the_peer_expects() {
        let v = serde_json::to_value([
            AutoRule::reply("Hello#", "{agent}#x"),
            AutoRule::swallow("Connect#"),
        ])
        .unwrap();
        assert_eq!(
            v,
            json!([{"typePrefix":"Hello#","reply":"{agent}#x"},{"typePrefix":"Connect#","reply":null}])
        );
    }
}
