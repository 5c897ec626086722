//! Issue 24 against the real broker: one agent's bad input or one oversized
//! message never touches the connection the other agents share; a client
//! can start before its broker; broker lists in ActiveMQ's failover form.

mod common;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use common::gc_peer::GcPeer;
use common::{config, wait_for, T};
use gcclient::{Client, ConnectionStatus, Error, EventData, Notification};
use gcclient_tests::gate::Gate;

fn unique(prefix: &str) -> String {
    format!("{prefix}.{}", uuid::Uuid::new_v4().simple())
}

async fn setup(cfg: impl FnOnce(&mut gcclient::Config)) -> (GcPeer, Client) {
    common::init_tracing();
    let queue = unique("limits");
    let peer = GcPeer::start(&common::stomp_addr(), &queue).await;
    let mut c = config(&queue);
    cfg(&mut c);
    let client = Client::connect(c).await.expect("connect");
    client.wait_in_service(T).await.expect("in service");
    (peer, client)
}

/// No status change (a reconnect) among the notifications received so far.
fn assert_no_reconnect(events: &mut gcclient::EventReceiver) {
    while let Ok(Some(n)) = events.try_recv() {
        if let Notification::Status { status, detail } = &n {
            panic!("status changed to {status:?} ({detail:?}): the shared connection was touched");
        }
    }
}

/// Issue 24: "An agent id of 10,242 bytes makes ActiveMQ close the shared
/// connection: every other agent's in-flight command fails with
/// ConnectionLost and all agents are re-logged in."
#[tokio::test]
async fn a_too_long_agent_id_fails_alone() {
    let (peer, client) = setup(|_| {}).await;
    let good = client.agent("1001");
    good.login("pw", "5001").await.unwrap();
    peer.next_named("Login").await;
    let mut events = client.events();

    let long = "x".repeat(10_242);
    let err = client
        .agent(&long)
        .login("pw", "5002")
        .await
        .expect_err("a 10,242-byte id cannot travel");
    match &err {
        Error::InvalidArgument(a) => {
            assert_eq!(a.argument, "agent_id");
            assert_eq!(a.limit, Some(10_240));
        }
        other => panic!("expected InvalidArgument, got {other:?}"),
    }
    assert!(err.to_string().contains("10240"), "{err}");
    for bad in ["10\n01", " 1001", "1001\t", "a|b"] {
        let e = client.agent(bad).get_state().await.unwrap_err();
        assert!(matches!(e, Error::InvalidArgument(_)), "{bad:?}: {e:?}");
    }

    // The other agent carries on, on the same connection.
    let ready = good.make_ready().await.expect("the other agent's command");
    assert!(matches!(ready.data, EventData::AgentState(_)));
    assert_eq!(client.status(), ConnectionStatus::InService);
    assert_no_reconnect(&mut events);
    // Nothing of the refused commands reached GC: the next one it saw is MakeReady.
    assert_eq!(peer.next_command().await.jms_type, "MakeReady#1001");
    client.close().await;
}

/// Issue 24: "An inbound event over 16 MiB does the same (STOMP frame
/// larger than the 16777216 byte limit -> Reconnecting)." The limit is
/// lowered to 1 MiB to keep the test quick; the path is the same.
#[tokio::test]
async fn an_oversized_inbound_message_is_skipped_and_reported_once() {
    let (peer, client) = setup(|c| c.max_inbound_frame_bytes = 1 << 20).await;
    let agent = client.agent("1001");
    agent.login("pw", "5001").await.unwrap();
    // login() ends at GC's first answer (State); its AgentInfo follows.
    // GC answers in order, so once GetState is answered that AgentInfo
    // has been delivered and cannot pass for "the next event" below.
    agent.get_state().await.unwrap();
    let mut events = client.events();
    let topic = format!("/topic/{}", client.destination());
    let huge = format!("1001#Unknown#{}", "z".repeat(2 << 20));
    peer.send_event(&topic, &huge).await;
    peer.send_event(&topic, "1001#Unknown#after").await;

    let n = wait_for(&mut events, "OversizedFrame", |n| {
        matches!(n, Notification::OversizedFrame { .. })
    })
    .await;
    let Notification::OversizedFrame { size, destination } = n else {
        unreachable!()
    };
    assert!(size > 2 << 20, "{size}");
    assert_eq!(destination.as_deref(), Some(topic.as_str()));
    // The next message arrives on the same connection, and once only was
    // reported. (Agent 1001's: GC's answers to the client's Beats are
    // System events of their own and may come in between.)
    let next = wait_for(&mut events, "the next event", |n| match n {
        Notification::Event(e) => e.agent.as_deref() == Some("1001"),
        Notification::OversizedFrame { .. } | Notification::Status { .. } => true,
        _ => false,
    })
    .await;
    match next {
        Notification::Event(e) => assert!(e.raw.ends_with("after"), "{}", e.raw),
        other => panic!("expected the next event, got {other:?}"),
    }
    agent.make_ready().await.expect("commands still work");
    assert_eq!(client.status(), ConnectionStatus::InService);
    client.close().await;
}

/// Issue 24: "command_ttl_ms = u64::MAX wraps negative and every Hello
/// expires at the broker"; and a command the caller gave up on must not
/// run late, so the TTL sent never exceeds the request timeout.
#[tokio::test]
async fn the_ttl_sent_is_capped_at_the_request_timeout() {
    common::init_tracing();
    let queue = unique("limits");
    let peer = GcPeer::start(&common::stomp_addr(), &queue).await;
    let mut cfg = config(&queue);
    cfg.command_ttl_ms = 60_000;
    cfg.request_timeout_ms = 2_000;
    let before = now_ms();
    let client = Client::connect(cfg.clone()).await.unwrap();
    let hello = peer.next_named("Hello").await;
    let expires = hello.expires.expect("expires");
    assert!(
        expires >= before + 2_000 && expires <= now_ms() + 2_000,
        "expires {expires}, sent after {before}"
    );
    client.close().await;
    cfg.command_ttl_ms = u64::MAX;
    let e = Client::connect(cfg).await.unwrap_err();
    assert!(
        matches!(&e, Error::Config(m) if m.contains("command_ttl_ms")),
        "{e:?}"
    );
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// ActiveMQ users write `failover:(tcp://a,tcp://b)?randomize=false`.
#[tokio::test]
async fn failover_urls_are_a_broker_list() {
    common::init_tracing();
    let queue = unique("limits");
    let _peer = GcPeer::start(&common::stomp_addr(), &queue).await;
    // The first broker refuses at once: a port we bound and released. Were
    // another process to take it, that attempt fails all the same.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_addr = dead.local_addr().unwrap();
    drop(dead);
    let mut cfg = config(&queue);
    cfg.brokers = vec![format!(
        "failover:(tcp://{dead_addr},tcp://{})?randomize=false",
        common::stomp_addr()
    )];
    let client = Client::connect(cfg)
        .await
        .expect("the second broker of the list");
    client.wait_in_service(T).await.unwrap();
    client.close().await;
}

/// Issue 24: "A client started before the broker fails with
/// BrokerUnreachable after connect_timeout; there is no way to start a
/// client that keeps trying, as USD and CRM services need at boot."
#[tokio::test]
async fn start_returns_at_once_and_keeps_trying_until_the_broker_is_there() {
    common::init_tracing();
    let queue = unique("limits");
    let _peer = GcPeer::start(&common::stomp_addr(), &queue).await;
    let gate = Gate::start(common::stomp_addr()).await;
    let mut cfg = config(&queue);
    cfg.brokers = vec![format!("tcp://{}", gate.addr)];
    cfg.connect_timeout_ms = 300;
    let began = Instant::now();
    let client = Client::start(cfg).expect("a valid config starts");
    assert!(
        began.elapsed() < Duration::from_secs(1),
        "{:?}",
        began.elapsed()
    );
    assert_eq!(client.status(), ConnectionStatus::Connecting);
    let mut status = client.status_watch();
    // Several refused attempts, longer than connect_timeout_ms: still trying.
    tokio::time::timeout(T, async {
        while gate.attempts.load(Ordering::SeqCst) < 3 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the client keeps trying");
    assert_eq!(client.status(), ConnectionStatus::Connecting);
    gate.open.store(true, Ordering::SeqCst);
    tokio::time::timeout(T, status.wait_for(|s| *s == ConnectionStatus::InService))
        .await
        .expect("in service once the broker answers")
        .unwrap();
    client.close().await;
}
