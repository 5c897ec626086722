//! A scripted GC: consumes a queue on the real broker, records every
//! command with its headers, answers Hello/Beat, and replies to the rest as
//! the test scripts. Written against the raw wire strings of the guide, not
//! gcclient's codec, so the tests check the codec rather than restate it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use gcclient::stomp::{BrokerUrl, Transport, TransportConfig, TransportEvent};
use tokio::sync::mpsc;

/// How long the peer waits for an expected command before the test fails.
pub const T: std::time::Duration = std::time::Duration::from_secs(10);

/// One command as GC received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub jms_type: String,
    pub body: String,
    pub correlation_id: Option<String>,
    pub reply_to: Option<String>,
    pub expires: Option<i64>,
    pub persistent: Option<String>,
    pub has_content_length: bool,
}

impl Received {
    /// `Login` of `Login#1001`.
    pub fn command(&self) -> &str {
        self.jms_type.split('#').next().unwrap_or_default()
    }
    /// `1001` of `Login#1001`.
    pub fn target(&self) -> &str {
        self.jms_type
            .split_once('#')
            .map(|(_, t)| t)
            .unwrap_or_default()
    }
}

/// Returns the event bodies to answer a command with (each sent with the
/// command's correlation id and an empty type, as GC does).
pub type Script = dyn Fn(&Received) -> Vec<String> + Send + Sync;

pub struct GcPeer {
    transport: Transport,
    pub queue: String,
    in_service: Arc<AtomicBool>,
    /// When set, Hello/Beat go unanswered (GC gone while the broker lives).
    silent: Arc<AtomicBool>,
    script: Arc<Mutex<Arc<Script>>>,
    received: tokio::sync::Mutex<mpsc::UnboundedReceiver<Received>>,
}

/// What a plain Finesse does for the everyday commands.
pub fn default_script(cmd: &Received) -> Vec<String> {
    let agent = cmd.target();
    let state = |s: &str| {
        format!("{agent}#State#{s}##2025-01-31 14:30:00##1738333800000#Zoë Ünal#{agent}#5001##Zoë Ünal#zunal")
    };
    match cmd.command() {
        "Login" => vec![
            state("NOT_READY"),
            format!("{agent}#AgentInfo#Zoë#Ünal#false#REQUIRED#3#Zoë Ünal#zunal"),
        ],
        "MakeReady" => vec![state("READY")],
        "MakeNotReady" => vec![state("NOT_READY")],
        "Logout" => vec![state("LOGOUT")],
        "GetState" => vec![state("READY")],
        _ => vec![],
    }
}

impl GcPeer {
    pub async fn start(stomp: &str, queue: &str) -> GcPeer {
        let mut cfg = TransportConfig::new(BrokerUrl::parse(stomp).expect("broker address"));
        cfg.subscriptions = vec![format!("/queue/{queue}")];
        let (transport, mut events) = Transport::start(cfg);
        // Only start answering once our queue subscription is confirmed.
        loop {
            match events.recv().await.expect("peer transport ended") {
                TransportEvent::Connected { .. } => break,
                TransportEvent::Disconnected { reason, .. } => {
                    panic!("GC peer cannot connect: {reason}")
                }
                _ => {}
            }
        }
        let (tx, rx) = mpsc::unbounded_channel();
        let peer = GcPeer {
            transport: transport.clone(),
            queue: queue.to_owned(),
            in_service: Arc::new(AtomicBool::new(true)),
            silent: Arc::new(AtomicBool::new(false)),
            script: Arc::new(Mutex::new(Arc::new(default_script))),
            received: tokio::sync::Mutex::new(rx),
        };
        let in_service = peer.in_service.clone();
        let silent = peer.silent.clone();
        let script = peer.script.clone();
        tokio::spawn(async move {
            while let Some(ev) = events.recv().await {
                let TransportEvent::Message(msg) = ev else {
                    continue;
                };
                let cmd = Received {
                    jms_type: msg.jms_type().unwrap_or_default().to_owned(),
                    body: msg.body.clone(),
                    correlation_id: msg.correlation_id().map(str::to_owned),
                    reply_to: msg.reply_to().map(str::to_owned),
                    expires: msg.expires(),
                    persistent: msg.header("persistent").map(str::to_owned),
                    has_content_length: msg.header("content-length").is_some(),
                };
                let replies = match cmd.command() {
                    "Hello" | "Beat" if silent.load(Ordering::SeqCst) => vec![],
                    "Hello" | "Beat" => {
                        let s = if in_service.load(Ordering::SeqCst) {
                            "IN_SERVICE"
                        } else {
                            "OUT_OF_SERVICE"
                        };
                        vec![format!("System#{s}")]
                    }
                    _ => {
                        let f = script.lock().unwrap().clone();
                        f(&cmd)
                    }
                };
                if let Some(reply_to) = cmd.reply_to.clone() {
                    for body in replies {
                        let mut headers = vec![("type".to_owned(), String::new())];
                        if let Some(cid) = &cmd.correlation_id {
                            headers.push(("correlation-id".into(), cid.clone()));
                        }
                        let t = transport.clone();
                        let to = reply_to.clone();
                        // Replies keep their order: sent one after the other.
                        if let Err(e) = t.send(&to, headers, body).await {
                            eprintln!("GC peer reply failed: {e}");
                        }
                    }
                }
                if tx.send(cmd).is_err() {
                    break;
                }
            }
        });
        peer
    }

    pub fn set_script(&self, f: impl Fn(&Received) -> Vec<String> + Send + Sync + 'static) {
        *self.script.lock().unwrap() = Arc::new(f);
    }

    pub fn set_in_service(&self, on: bool) {
        self.in_service.store(on, Ordering::SeqCst);
    }

    pub fn set_silent(&self, on: bool) {
        self.silent.store(on, Ordering::SeqCst);
    }

    /// The next command GC received (Hello and Beat included).
    pub async fn next(&self) -> Received {
        tokio::time::timeout(T, self.received.lock().await.recv())
            .await
            .expect("timed out waiting for a command at the GC peer")
            .expect("GC peer stopped")
    }

    /// The next command other than Hello/Beat.
    pub async fn next_command(&self) -> Received {
        loop {
            let r = self.next().await;
            if !matches!(r.command(), "Hello" | "Beat") {
                return r;
            }
        }
    }

    /// The next command of the given name, skipping others.
    pub async fn next_named(&self, name: &str) -> Received {
        loop {
            let r = self.next().await;
            if r.command() == name {
                return r;
            }
        }
    }

    /// An unsolicited event to a client topic (`/topic/<destination>`).
    pub async fn send_event(&self, topic: &str, body: &str) {
        self.transport
            .send(topic, vec![("type".into(), String::new())], body.to_owned())
            .await
            .expect("GC peer event send");
    }

    pub async fn stop(&self) {
        self.transport.close().await;
    }
}
