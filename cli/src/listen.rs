//! `gcclient listen`: events as JSON lines, one per line on stdout.
//!
//! Default: a full client (own topic, Hello loop, Beats) printing every
//! notification. `--topic NAME`: a passive tap on an existing topic, such
//! as another client's destination, without saying Hello.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use gcclient::protocol::Event;
use gcclient::stomp::{Transport, TransportEvent};
use gcclient::{Client, Notification};
use serde_json::{json, Value};

use crate::connection::ConnectionArgs;
use crate::password::PasswordArgs;

#[derive(Args, Debug)]
#[command(after_help = "Every line is a JSON object with a `notification` key:
  event      a GC event (the fields of `gcclient decode`)
  status     the client's connection status (connecting, waiting_for_gc, in_service, ...)
  listening  the first line: the topic being listened to
  transport  (--topic only) broker connected / disconnected

Examples:
  gcclient listen --broker tcp://amq:61613
  gcclient listen --broker tcp://amq:61613 --agent 1001 --login 5001
  gcclient listen --broker tcp://amq:61613 --topic gcclient.crm1.3f9c --count 10")]
pub struct ListenArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Tap this existing topic passively (no Hello, no Beat, no commands).
    #[arg(long, conflicts_with_all = ["agent", "login"])]
    pub topic: Option<String>,
    /// Register this agent so its events are followed; with --login also
    /// log it in (password from --password-env or a prompt).
    #[arg(long, short)]
    pub agent: Option<String>,
    /// Log the agent in with this extension (Connect + Login).
    #[arg(long, value_name = "EXTENSION", requires = "agent")]
    pub login: Option<String>,
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Exit after this many GC events.
    #[arg(long)]
    pub count: Option<u64>,
    /// Exit after this many milliseconds.
    #[arg(long, value_name = "MS")]
    pub duration_ms: Option<u64>,
    /// Print GC events only, no status lines.
    #[arg(long)]
    pub events_only: bool,
}

pub async fn run(args: ListenArgs) -> anyhow::Result<ExitCode> {
    let deadline = args.duration_ms.map(Duration::from_millis);
    let work = async {
        match &args.topic {
            Some(topic) => tap(&args, topic).await,
            None => follow(&args).await,
        }
    };
    match deadline {
        Some(d) => match tokio::time::timeout(d, work).await {
            Ok(r) => r,
            Err(_) => Ok(ExitCode::SUCCESS),
        },
        None => work.await,
    }
}

fn print(line: &Value) {
    println!("{line}");
}

fn event_line(event: &Event, correlation_id: Option<&str>) -> anyhow::Result<Value> {
    let mut v = serde_json::to_value(Notification::Event(event.clone()))?;
    if let (Some(cid), Value::Object(map)) = (correlation_id, &mut v) {
        map.insert("correlation_id".into(), json!(cid));
    }
    Ok(v)
}

/// A full client: prints its notifications, optionally for a logged-in agent.
async fn follow(args: &ListenArgs) -> anyhow::Result<ExitCode> {
    let cfg = args.connection.config()?;
    let client = Client::connect(cfg).await?;
    let mut events = client.events();
    if !args.events_only {
        print(&json!({ "notification": "listening", "destination": client.destination() }));
    }
    if let Some(agent_id) = &args.agent {
        let agent = client.agent(agent_id);
        if let Some(extension) = &args.login {
            let password = args.password.read(agent_id)?;
            let timeout = Duration::from_millis(client.config().connect_timeout_ms);
            client
                .wait_in_service(timeout)
                .await
                .context("waiting for GC before logging in")?;
            agent
                .login(password.expose(), extension)
                .await
                .with_context(|| format!("logging in agent {agent_id}"))?;
        }
    }
    let mut seen = 0u64;
    while let Some(n) = events.recv().await {
        let is_event = matches!(n, Notification::Event(_));
        if is_event || !args.events_only {
            print(&serde_json::to_value(&n)?);
        }
        if is_event {
            seen += 1;
            if args.count.is_some_and(|c| seen >= c) {
                break;
            }
        }
    }
    client.close().await;
    Ok(ExitCode::SUCCESS)
}

/// A passive subscriber on someone's topic.
async fn tap(args: &ListenArgs, topic: &str) -> anyhow::Result<ExitCode> {
    let cfg = args.connection.config()?;
    let parse = cfg.parse_options();
    let mut transport_cfg = cfg.transport_config()?;
    let destination = if topic.starts_with("/topic/") {
        topic.to_owned()
    } else {
        format!("/topic/{topic}")
    };
    transport_cfg.subscriptions = vec![destination.clone()];
    let (transport, mut rx) = Transport::start(transport_cfg);
    if !args.events_only {
        print(&json!({ "notification": "listening", "destination": destination }));
    }
    let mut seen = 0u64;
    while let Some(ev) = rx.recv().await {
        match ev {
            TransportEvent::Message(m) => {
                let event = Event::parse_with(&m.body, &parse);
                print(&event_line(&event, m.correlation_id())?);
                seen += 1;
                if args.count.is_some_and(|c| seen >= c) {
                    break;
                }
            }
            TransportEvent::Connected { broker, .. } if !args.events_only => print(&json!({
                "notification": "transport", "state": "connected", "broker": broker.to_string()
            })),
            TransportEvent::Disconnected { broker, reason } if !args.events_only => print(&json!({
                "notification": "transport", "state": "disconnected",
                "broker": broker.to_string(), "detail": reason
            })),
            TransportEvent::Closed => break,
            _ => {}
        }
    }
    transport.close().await;
    Ok(ExitCode::SUCCESS)
}
