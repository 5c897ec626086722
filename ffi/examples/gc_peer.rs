//! A scripted GC peer for the C tests and the C example: it consumes GC's
//! command queue over STOMP and answers like GC + Finesse would, enough for
//! connect, login, READY, one inbound call, and error replies.
//!
//!   ffi-gc-peer --stomp 127.0.0.1:61613 --queue Connector1
//!
//! Prints `ready` once subscribed. Script:
//! - `Hello`/`Beat` -> `System#IN_SERVICE`; `Connect` -> nothing.
//! - `Login` -> `State#NOT_READY`, or `Error#WRONG_EXTENSION` for extension `0000`.
//! - `MakeReady` -> `State#READY`, then an unsolicited call:
//!   `NewInboundCall` and `InboundCall#ALERTING` with dialog id `D<n>`.
//! - `AnswerCall` -> `InboundCall#ACTIVE`; `ReleaseCall` -> `InboundCall#DROP`.
//! - `MakeCall,burst-N` -> the reply, then N `Control#PrintStatusBar#<i>` events.
//! - `MakeCall,silent...` -> nothing (GC silent: the command stays pending).
//! - Anything else -> `Error#GENERAL_ERROR`.
//!
//! Replies carry the command's correlation id; pushed events carry none.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use gcclient_core::stomp::{BrokerUrl, StompMessage, Transport, TransportConfig, TransportEvent};

fn state(agent: &str, state: &str, reason: &str) -> String {
    format!(
        "{agent}#State#{state}#{reason}#2025-01-01 10:00:00##1735725600000#Agent {agent}#{agent}#5{agent}#{label}#Agent {agent}#agent{agent}",
        label = if reason.is_empty() { "" } else { "Break" },
    )
}

fn call(agent: &str, state: &str, dialog: &str) -> String {
    format!("{agent}#InboundCall#{state}#5551234#VIP,42#2025-01-01 10:00:00#DialogID:{dialog}#CallType:ACD_IN")
}

struct Peer {
    transport: Transport,
    calls: AtomicU64,
}

impl Peer {
    async fn send(&self, to: &str, correlation: Option<&str>, body: String) {
        let mut headers = vec![("type".to_owned(), String::new())];
        if let Some(c) = correlation {
            headers.push(("correlation-id".to_owned(), c.to_owned()));
        }
        if let Err(e) = self.transport.send(to, headers, body).await {
            eprintln!("ffi-gc-peer: send to {to} failed: {e}");
        }
    }

    async fn on_command(&self, msg: StompMessage) {
        let (Some(jms_type), Some(reply_to)) = (msg.jms_type(), msg.reply_to()) else {
            return;
        };
        let (command, target) = jms_type.split_once('#').unwrap_or((jms_type, ""));
        let args: Vec<&str> = msg.body.split(',').collect();
        let cid = msg.correlation_id();
        let agent = target;
        let reply = |body: String| self.send(reply_to, cid, body);
        match command {
            "Hello" | "Beat" => reply("System#IN_SERVICE".into()).await,
            "Connect" => {}
            "Login" if args.get(1) == Some(&"0000") => {
                reply(format!("{agent}#Error#WRONG_EXTENSION#bad extension")).await
            }
            "Login" => reply(state(agent, "NOT_READY", "-1")).await,
            "MakeNotReady" | "MakeNotReadyWithReason" => {
                reply(state(agent, "NOT_READY", args[0])).await
            }
            "GetState" => reply(state(agent, "NOT_READY", "-1")).await,
            "Logout" => reply(state(agent, "LOGOUT", "")).await,
            "MakeReady" => {
                reply(state(agent, "READY", "")).await;
                let n = self.calls.fetch_add(1, Ordering::Relaxed) + 1;
                let dialog = format!("D{n}");
                self.send(
                    reply_to,
                    None,
                    format!("{agent}#NewInboundCall#5551234#VIP,42#2025-01-01 10:00:00#DialogID:{dialog}#CallType:ACD_IN"),
                )
                .await;
                self.send(reply_to, None, call(agent, "ALERTING", &dialog))
                    .await;
            }
            "AnswerCall" => reply(call(agent, "ACTIVE", args[0])).await,
            "ReleaseCall" => reply(call(agent, "DROP", args[0])).await,
            "MakeCall" if args[0].starts_with("silent") => {}
            "MakeCall" => {
                reply(call(agent, "INITIATED", "M1")).await;
                if let Some(n) = args[0].strip_prefix("burst-") {
                    let n: u32 = n.parse().unwrap_or(0);
                    for i in 0..n {
                        self.send(
                            reply_to,
                            None,
                            format!("{agent}#Control#PrintStatusBar#{i}"),
                        )
                        .await;
                    }
                }
            }
            _ => {
                reply(format!(
                    "{agent}#Error#GENERAL_ERROR#{command} is not scripted"
                ))
                .await
            }
        }
    }
}

#[tokio::main]
async fn main() {
    let mut stomp = "127.0.0.1:61613".to_owned();
    let mut queue = "Connector1".to_owned();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--stomp" => stomp = args.next().expect("--stomp needs host:port"),
            "--queue" => queue = args.next().expect("--queue needs a name"),
            other => {
                eprintln!("ffi-gc-peer: unknown argument `{other}`");
                std::process::exit(2);
            }
        }
    }
    let url = BrokerUrl::parse(&format!("tcp://{stomp}")).expect("broker address");
    let mut cfg = TransportConfig::new(url);
    cfg.subscriptions = vec![format!("/queue/{queue}")];
    let (transport, mut events) = Transport::start(cfg);
    let peer = Arc::new(Peer {
        transport,
        calls: AtomicU64::new(0),
    });
    while let Some(ev) = events.recv().await {
        match ev {
            TransportEvent::Connected { .. } => println!("ready"),
            TransportEvent::Message(msg) => {
                // One command at a time keeps replies and pushed events in order.
                peer.on_command(msg).await;
            }
            TransportEvent::Closed => break,
            _ => {}
        }
    }
}
