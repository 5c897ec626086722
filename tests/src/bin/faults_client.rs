//! A gcclient process for fault tests that must stop the client itself
//! (SIGSTOP/SIGCONT, like a laptop lid): it connects, logs one agent in and
//! reports on stdout, one line each:
//! `ready`, `status <status>`, `relogin <agent> ok|<error>`,
//! `get_state ok <STATE>` / `get_state err <error>`.
//! Reads commands from stdin: `get_state`, `quit` (end of input quits too).
//!
//! Settings from the environment: `FAULTS_STOMP` (host:port), `FAULTS_QUEUE`,
//! `FAULTS_HEARTBEAT_MS`, `FAULTS_AGENT`.

use std::io::{BufRead, Write};
use std::time::Duration;

use gcclient::{Client, Config, EventData, Notification};
use tokio::sync::mpsc;

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    // The test reads line by line: flush each one.
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        eprintln!("faults_client: {name} is not set");
        std::process::exit(2)
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let stomp = env("FAULTS_STOMP");
    let agent_id = std::env::var("FAULTS_AGENT").unwrap_or_else(|_| "1001".into());
    let mut cfg = Config::new(format!("tcp://{stomp}"));
    cfg.queue = env("FAULTS_QUEUE");
    cfg.stomp_heartbeat_ms = env("FAULTS_HEARTBEAT_MS").parse().unwrap_or(1000);
    cfg.hello_interval_ms = 200;
    cfg.beat_interval_ms = 500;
    cfg.request_timeout_ms = 3000;
    cfg.connect_timeout_ms = 3000;
    cfg.backoff_max_ms = 500;

    let client = match Client::connect(cfg).await {
        Ok(c) => c,
        Err(e) => {
            say(&format!("error {e}"));
            std::process::exit(1)
        }
    };
    let mut events = client.events();
    let mut status = client.status_watch();
    tokio::spawn(async move {
        loop {
            say(&format!("status {}", status.borrow_and_update().as_str()));
            if status.changed().await.is_err() {
                break;
            }
        }
    });
    tokio::spawn(async move {
        while let Some(n) = events.recv().await {
            if let Notification::Relogin { agent, error } = n {
                say(&format!(
                    "relogin {agent} {}",
                    error.as_deref().unwrap_or("ok")
                ));
            }
        }
    });
    if let Err(e) = client.wait_in_service(Duration::from_secs(10)).await {
        say(&format!("error {e}"));
        std::process::exit(1)
    }
    let agent = client.agent(&agent_id);
    if let Err(e) = agent.login("pw", "5001").await {
        say(&format!("error {e}"));
        std::process::exit(1)
    }
    say("ready");

    // Stdin on a thread of its own: the runtime keeps running meanwhile.
    let (tx, mut rx) = mpsc::unbounded_channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    while let Some(line) = rx.recv().await {
        match line.trim() {
            "get_state" => match agent.get_state().await {
                Ok(ev) => match ev.data {
                    EventData::AgentState(s) => say(&format!("get_state ok {}", s.state.as_str())),
                    other => say(&format!("get_state err unexpected {other:?}")),
                },
                Err(e) => say(&format!("get_state err {e}")),
            },
            "quit" => break,
            other => say(&format!("error unknown command {other}")),
        }
    }
    client.close().await;
}
