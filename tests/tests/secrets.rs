//! Passwords never leave in logs (at TRACE), Debug output or error messages:
//! the agent password (Connect/Login, automatic re-login, a refused login)
//! and the broker passcode (accepted and refused CONNECT).

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::gc_peer::{default_script, GcPeer};
use common::{wait_for, T};
use std::sync::atomic::Ordering;

use gcclient::{Client, Error, Notification};
use gcclient_tests::broker::{BrokerOptions, PrivateBroker};
use gcclient_tests::gate::Gate;

const AGENT_SECRET: &str = "Agent-Pw-7f3a91";
const BROKER_SECRET: &str = "Broker-Pc-55c2e0";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

fn assert_clean(what: &str, text: &str) {
    assert!(
        !text.contains(AGENT_SECRET),
        "agent password in {what}: {text}"
    );
    assert!(
        !text.contains(BROKER_SECRET),
        "broker passcode in {what}: {text}"
    );
}

#[tokio::test]
async fn no_password_in_trace_logs_debug_or_errors() {
    let logs = Captured::default();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(logs.clone())
        .init();

    // Broker passcode: accepted, then refused.
    let broker =
        PrivateBroker::start_with(BrokerOptions::default().credentials("gc", BROKER_SECRET));
    let mut cfg = gcclient::Config::new(format!("tcp://{}", broker.stomp_addr()));
    cfg.broker_login = Some("gc".into());
    cfg.broker_passcode = Some(BROKER_SECRET.into());
    assert_clean("Config Debug", &format!("{cfg:?}"));
    let client = Client::connect(cfg.clone())
        .await
        .expect("right passcode accepted");
    assert_clean("Client Debug", &format!("{client:?}"));
    client.close().await;
    cfg.broker_passcode = Some(format!("{BROKER_SECRET}-wrong").into());
    cfg.connect_timeout_ms = 1500;
    let began = std::time::Instant::now();
    let err = Client::connect(cfg)
        .await
        .expect_err("wrong passcode refused");
    assert_clean("connect error", &format!("{err} / {err:?}"));
    // Issue 24: "A refused broker CONNECT (bad passcode) is retried forever,
    // with no typed 'authentication failed' for the application."
    assert!(matches!(err, Error::BrokerAuth { .. }), "{err:?}");
    assert!(began.elapsed() < std::time::Duration::from_millis(1500));

    // Issue 24: "A broker URL tcp://user:pw@host:61613 is accepted and the
    // password is logged at WARN on every retry": now it is the login.
    let url = |pw: &str| format!("tcp://gc:{pw}@{}", broker.stomp_addr());
    let in_url = gcclient::Config::new(url(BROKER_SECRET));
    assert_clean("Config Debug (URL)", &format!("{in_url:?}"));
    let client = Client::connect(in_url)
        .await
        .expect("the URL's login accepted");
    client.close().await;
    let wrong = gcclient::Config::new(url(&format!("{BROKER_SECRET}-wrong")));
    let err = Client::connect(wrong.clone())
        .await
        .expect_err("wrong URL passcode");
    assert!(matches!(err, Error::BrokerAuth { .. }), "{err:?}");
    assert_clean("connect error (URL)", &format!("{err} / {err:?}"));

    // Retries stop after a refusal: one attempt, then none.
    let gate = Gate::start(broker.stomp_addr()).await;
    gate.open.store(true, Ordering::SeqCst);
    let mut behind_gate = wrong.clone();
    behind_gate.brokers = vec![format!("tcp://gc:{BROKER_SECRET}-wrong@{}", gate.addr)];
    behind_gate.backoff_max_ms = 200;
    let client = Client::start(behind_gate).unwrap();
    let mut events = client.events();
    wait_for(&mut events, "BrokerAuth", |n| {
        matches!(n, Notification::BrokerAuth { .. })
    })
    .await;
    // At 200 ms back-off a retrying client would make about ten attempts here.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(
        gate.attempts.load(Ordering::SeqCst),
        1,
        "retried after the refusal"
    );
    assert_eq!(client.status(), gcclient::ConnectionStatus::Connecting);
    client.close().await;

    // Agent password: login, automatic re-login, a refused login.
    let queue = gcclient_tests::broker::unique_name("secrets");
    let peer = GcPeer::start(&common::stomp_addr(), &queue).await;
    let client = Client::connect(common::config(&queue)).await.unwrap();
    client.wait_in_service(T).await.unwrap();
    let agent = client.agent("1001");
    agent.login(AGENT_SECRET, "5001").await.unwrap();
    let mut events = client.events();
    peer.send_event(
        &format!("/topic/{}", client.destination()),
        &format!("DESTINATION#{}#RECONNECT", client.destination()),
    )
    .await;
    wait_for(&mut events, "Relogin", |n| {
        matches!(n, Notification::Relogin { .. })
    })
    .await;
    peer.set_script(|cmd| match cmd.command() {
        "Login" => vec![format!("{}#Error#SUBSCRIPTION_FAILED", cmd.target())],
        _ => default_script(cmd),
    });
    let err = client
        .agent("1002")
        .login(AGENT_SECRET, "5002")
        .await
        .unwrap_err();
    assert_clean("login error", &format!("{err} / {err:?}"));
    let login = gcclient::protocol::Command::Login {
        password: AGENT_SECRET.into(),
        extension: "5001".into(),
    };
    assert_clean("Command Debug", &format!("{login:?}"));
    assert_clean("Command JSON", &serde_json::to_string(&login).unwrap());
    client.close().await;

    let text = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    // The capture works and saw the commands that carried the password.
    assert!(
        text.contains("TRACE") || text.contains("DEBUG"),
        "nothing captured at trace level"
    );
    assert!(
        text.contains("login"),
        "the login commands are not in the logs:\n{text}"
    );
    assert_clean("logs", &text);
}
