//! The session engine against a real ActiveMQ and a scripted GC peer:
//! handshake, request/reply, errors, timeouts, OUT_OF_SERVICE, re-login,
//! many agents, ordering, malformed events, GC loss.

mod common;

use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::gc_peer::{default_script, GcPeer};
use common::{config, wait_for, T};
use gcclient::protocol::SystemStatus;
use gcclient::{AgentState, Client, ConnectionStatus, Error, ErrorCode, EventData, Notification};

fn unique(prefix: &str) -> String {
    format!("{prefix}.{}", uuid::Uuid::new_v4().simple())
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn is_out_of_service(n: &Notification) -> bool {
    matches!(
        n,
        Notification::Status {
            status: ConnectionStatus::OutOfService,
            ..
        }
    )
}

async fn setup() -> (GcPeer, Client) {
    common::init_tracing();
    let queue = unique("gc");
    let peer = GcPeer::start(&common::stomp_addr(), &queue).await;
    let client = Client::connect(config(&queue)).await.expect("connect");
    client.wait_in_service(T).await.expect("in service");
    (peer, client)
}

fn state_of(ev: &gcclient::Event) -> AgentState {
    match &ev.data {
        EventData::AgentState(s) => s.state,
        other => panic!("expected a State event, got {other:?}"),
    }
}

#[tokio::test]
async fn hello_carries_the_headers_gc_needs() {
    common::init_tracing();
    let queue = unique("gc");
    let peer = GcPeer::start(&common::stomp_addr(), &queue).await;
    let mut cfg = config(&queue);
    cfg.command_ttl_ms = 7000;
    // The TTL sent is capped at the request timeout.
    cfg.request_timeout_ms = 7000;
    let before = now_ms();
    let client = Client::connect(cfg).await.unwrap();
    let hello = peer.next_named("Hello").await;
    assert_eq!(hello.jms_type, format!("Hello#{}", client.destination()));
    assert_eq!(
        hello.reply_to.as_deref(),
        Some(format!("/topic/{}", client.destination()).as_str())
    );
    assert!(hello
        .correlation_id
        .as_deref()
        .is_some_and(|c| c.len() >= 16));
    let expires = hello.expires.expect("expires header");
    assert!(
        expires >= before + 7000 && expires <= now_ms() + 7000,
        "expires {expires}"
    );
    assert!(
        !hello.has_content_length,
        "a content-length would make GC see a BytesMessage"
    );
    client.wait_in_service(T).await.unwrap();
    assert_eq!(client.status(), ConnectionStatus::InService);
    client.close().await;
}

#[tokio::test]
async fn login_sends_connect_then_login_and_returns_the_state() {
    let (peer, client) = setup().await;
    let agent = client.agent("1001");
    let ev = agent.login("s3cret", "5001").await.unwrap();
    assert_eq!(state_of(&ev), AgentState::NotReady);
    let connect = peer.next_command().await;
    assert_eq!(connect.jms_type, "Connect#1001");
    assert!(
        connect
            .body
            .starts_with(&format!("{},s3cret", client.destination())),
        "{}",
        connect.body
    );
    let login = peer.next_command().await;
    assert_eq!(login.jms_type, "Login#1001");
    assert_eq!(login.body, "s3cret,5001");
    assert_ne!(connect.correlation_id, login.correlation_id);

    let ready = agent.make_ready().await.unwrap();
    assert_eq!(state_of(&ready), AgentState::Ready);
    assert_eq!(agent.snapshot().state, Some(AgentState::Ready));
    client.close().await;
}

#[tokio::test]
async fn gc_error_reply_becomes_a_typed_error() {
    let (peer, client) = setup().await;
    peer.set_script(|cmd| match cmd.command() {
        "MakeReady" => vec![format!("{}#Error#CF_INVALID_OBJECT_STATE", cmd.target())],
        _ => default_script(cmd),
    });
    let agent = client.agent("1002");
    agent.login("pw", "5002").await.unwrap();
    let err = agent.make_ready().await.unwrap_err();
    match &err {
        Error::Gc { agent, code, .. } => {
            assert_eq!(agent, "1002");
            assert_eq!(*code, ErrorCode::parse("CF_INVALID_OBJECT_STATE"));
        }
        other => panic!("expected Error::Gc, got {other:?}"),
    }
    assert!(err.to_string().contains("CF_INVALID_OBJECT_STATE"), "{err}");
    client.close().await;
}

#[tokio::test]
async fn unanswered_command_times_out_and_late_reply_is_harmless() {
    common::init_tracing();
    let queue = unique("gc");
    let peer = GcPeer::start(&common::stomp_addr(), &queue).await;
    let mut cfg = config(&queue);
    cfg.request_timeout_ms = 300;
    let client = Client::connect(cfg).await.unwrap();
    client.wait_in_service(T).await.unwrap();
    peer.set_script(|_| vec![]);
    let agent = client.agent("1003");
    let err = agent.get_state().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                command: "get_state",
                after_ms: 300,
                ..
            }
        ),
        "{err:?}"
    );
    // The late reply is delivered as an event and completes nothing else.
    let mut events = agent.events();
    peer.send_event(
        &format!("/topic/{}", client.destination()),
        "1003#State#READY##x##0#A#1003#5003##A#a",
    )
    .await;
    let n = wait_for(&mut events, "late state", |n| {
        n.event()
            .is_some_and(|e| matches!(e.data, EventData::AgentState(_)))
    })
    .await;
    assert_eq!(state_of(n.event().unwrap()), AgentState::Ready);
    client.close().await;
}

#[tokio::test]
async fn out_of_service_fails_fast_and_recovers() {
    let (peer, client) = setup().await;
    let mut events = client.events();
    let topic = format!("/topic/{}", client.destination());
    peer.set_in_service(false);
    peer.send_event(&topic, "System#OUT_OF_SERVICE").await;
    wait_for(&mut events, "OutOfService", is_out_of_service).await;
    let agent = client.agent("1004");
    let started = std::time::Instant::now();
    let err = agent.make_ready().await.unwrap_err();
    assert!(matches!(err, Error::GcOutOfService), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_millis(100),
        "must fail fast"
    );
    peer.set_in_service(true);
    // The Hello loop brings it back by itself.
    wait_for(&mut events, "InService", |n| {
        matches!(
            n,
            Notification::Status {
                status: ConnectionStatus::InService,
                ..
            }
        )
    })
    .await;
    agent.login("pw", "5004").await.unwrap();
    client.close().await;
}

#[tokio::test]
async fn destination_reconnect_logs_every_agent_in_again() {
    let (peer, client) = setup().await;
    let ids = ["2001", "2002", "2003"];
    for id in ids {
        client
            .agent(id)
            .login(&format!("pw{id}"), &format!("5{id}"))
            .await
            .unwrap();
    }
    // Drain what login sent.
    for _ in 0..ids.len() * 2 {
        peer.next_command().await;
    }
    let mut events = client.events();
    peer.send_event(
        &format!("/topic/{}", client.destination()),
        &format!("DESTINATION#{}#RECONNECT", client.destination()),
    )
    .await;
    let mut relogged = Vec::new();
    while relogged.len() < ids.len() {
        if let Notification::Relogin { agent, error } = wait_for(&mut events, "Relogin", |n| {
            matches!(n, Notification::Relogin { .. })
        })
        .await
        {
            assert_eq!(error, None, "re-login of {agent} failed");
            relogged.push(agent);
        }
    }
    relogged.sort();
    assert_eq!(relogged, ids);
    let mut logins = Vec::new();
    while logins.len() < ids.len() {
        let cmd = peer.next_command().await;
        if cmd.command() == "Login" {
            logins.push((cmd.target().to_owned(), cmd.body.clone()));
        }
    }
    logins.sort();
    assert_eq!(logins[0], ("2001".to_owned(), "pw2001,52001".to_owned()));
    assert_eq!(logins.len(), 3);
    client.close().await;
}

#[tokio::test]
async fn many_agents_on_one_client_get_their_own_replies() {
    let (_peer, client) = setup().await;
    let mut tasks = Vec::new();
    for i in 0..50 {
        let agent = client.agent(&format!("3{i:03}"));
        tasks.push(tokio::spawn(async move {
            agent.login("pw", "5000").await?;
            agent.make_ready().await
        }));
    }
    for (i, t) in tasks.into_iter().enumerate() {
        let ev = t.await.unwrap().unwrap();
        assert_eq!(ev.agent.as_deref(), Some(format!("3{i:03}").as_str()));
        assert_eq!(state_of(&ev), AgentState::Ready);
    }
    assert_eq!(client.agent_ids().len(), 50);
    client.close().await;
}

#[tokio::test]
async fn unsolicited_events_arrive_in_order_and_malformed_ones_do_not_stop_the_stream() {
    let (peer, client) = setup().await;
    let topic = format!("/topic/{}", client.destination());
    let agent = client.agent("4001");
    let mut events = agent.events();
    peer.send_event(&topic, "4001#State#NOT_A_STATE#x").await;
    peer.send_event(&topic, "####").await;
    let n = 500;
    for i in 0..n {
        peer.send_event(&topic, &format!("4001#Control#PrintStatusBar#message {i}"))
            .await;
    }
    let mut seen = Vec::new();
    let mut odd = 0;
    while seen.len() < n {
        let note = tokio::time::timeout(T, events.recv())
            .await
            .expect("events stalled")
            .expect("stream ended");
        let Some(ev) = note.event() else { continue };
        match &ev.data {
            EventData::PrintStatusBar { .. } => seen.push(ev.raw.clone()),
            EventData::Malformed { .. } | EventData::Unknown => odd += 1,
            _ => {}
        }
    }
    assert_eq!(
        odd, 1,
        "the malformed State for 4001 is delivered as Malformed"
    );
    for (i, raw) in seen.iter().enumerate() {
        assert_eq!(raw, &format!("4001#Control#PrintStatusBar#message {i}"));
    }
    client.close().await;
}

#[tokio::test]
async fn gc_that_stops_answering_beats_is_detected() {
    let (peer, client) = setup().await;
    let mut events = client.events();
    let beat = peer.next_named("Beat").await;
    assert_eq!(beat.jms_type, format!("Beat#{}", client.destination()));
    peer.set_silent(true);
    let n = wait_for(&mut events, "WaitingForGc", |n| {
        matches!(
            n,
            Notification::Status {
                status: ConnectionStatus::WaitingForGc,
                ..
            }
        )
    })
    .await;
    if let Notification::Status { detail, .. } = n {
        assert!(detail.unwrap_or_default().contains("Beat"));
    }
    peer.set_silent(false);
    wait_for(&mut events, "InService again", |n| {
        matches!(
            n,
            Notification::Status {
                status: ConnectionStatus::InService,
                ..
            }
        )
    })
    .await;
    client.close().await;
}

#[tokio::test]
async fn commands_before_in_service_fail_with_not_in_service() {
    common::init_tracing();
    let queue = unique("gc-nobody");
    // No GC on this queue: the client connects to the broker but never gets IN_SERVICE.
    let client = Client::connect(config(&queue)).await.unwrap();
    let err = client.agent("1").make_ready().await.unwrap_err();
    assert!(
        matches!(err, Error::NotInService(ConnectionStatus::WaitingForGc)),
        "{err:?}"
    );
    // Waiting gives up with the status it was stuck in.
    let err = client
        .wait_in_service(Duration::from_millis(300))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::NotInService(ConnectionStatus::WaitingForGc)),
        "{err:?}"
    );
    client.close().await;
    let err = client.agent("1").make_ready().await.unwrap_err();
    assert!(matches!(err, Error::Closed), "{err:?}");
}

#[tokio::test]
async fn system_events_are_delivered_too() {
    let (peer, client) = setup().await;
    let mut events = client.events();
    peer.send_event(
        &format!("/topic/{}", client.destination()),
        "System#IN_SERVICE",
    )
    .await;
    // Beat replies are System events too; any of them proves delivery.
    let n = wait_for(&mut events, "System event", |n| n.event().is_some()).await;
    assert!(matches!(
        n.event().unwrap().data,
        EventData::System {
            status: SystemStatus::InService
        }
    ));
    client.close().await;
}

#[tokio::test]
async fn unreachable_broker_is_a_clear_error() {
    let mut cfg = gcclient::Config::new("tcp://127.0.0.1:1");
    cfg.connect_timeout_ms = 800;
    let started = std::time::Instant::now();
    let err = Client::connect(cfg).await.unwrap_err();
    assert!(matches!(err, Error::BrokerUnreachable { .. }), "{err:?}");
    assert!(err.to_string().contains("127.0.0.1:1"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn hello_is_repeated_until_gc_appears() {
    common::init_tracing();
    let queue = unique("gc-late");
    let client = Client::connect(config(&queue)).await.unwrap();
    assert_eq!(client.status(), ConnectionStatus::WaitingForGc);
    // GC starts after the client: the Hello loop (200 ms here) finds it.
    let peer = GcPeer::start(&common::stomp_addr(), &queue).await;
    client.wait_in_service(T).await.unwrap();
    let hello = peer.next_named("Hello").await;
    assert_eq!(hello.target(), client.destination());
    client.close().await;
}

#[tokio::test]
async fn beats_follow_the_configured_cadence() {
    let (peer, client) = setup().await;
    peer.next_named("Beat").await;
    let mut at = std::time::Instant::now();
    for _ in 0..3 {
        peer.next_named("Beat").await;
        let gap = at.elapsed();
        at = std::time::Instant::now();
        // beat_interval_ms is 500 in tests; generous bounds for a loaded CI.
        assert!(
            gap >= Duration::from_millis(350) && gap <= Duration::from_millis(2000),
            "gap {gap:?}"
        );
    }
    client.close().await;
}

#[tokio::test]
async fn re_login_request_logs_that_agent_in_again() {
    let (peer, client) = setup().await;
    client.agent("5001").login("pw1", "6001").await.unwrap();
    client.agent("5002").login("pw2", "6002").await.unwrap();
    for _ in 0..4 {
        peer.next_command().await; // the two Connect + Login pairs
    }
    let mut events = client.events();
    peer.send_event(
        &format!("/topic/{}", client.destination()),
        "5002#State#RE_LOGIN",
    )
    .await;
    let n = wait_for(&mut events, "Relogin", |n| {
        matches!(n, Notification::Relogin { .. })
    })
    .await;
    assert!(
        matches!(n, Notification::Relogin { ref agent, error: None } if agent == "5002"),
        "{n:?}"
    );
    loop {
        let cmd = peer.next_command().await;
        if cmd.command() == "Login" && cmd.body == "pw2,6002" {
            break;
        }
        assert_ne!(
            cmd.target(),
            "5001",
            "only 5002 was asked to re-login: {cmd:?}"
        );
    }
    client.close().await;
}

#[tokio::test]
async fn session_invalidated_stops_automatic_re_login_for_that_agent() {
    let (peer, client) = setup().await;
    let topic = format!("/topic/{}", client.destination());
    client.agent("5101").login("pw", "6101").await.unwrap();
    client.agent("5102").login("pw", "6102").await.unwrap();
    for _ in 0..4 {
        peer.next_command().await; // the two Connect + Login pairs
    }
    let mut events = client.events();
    peer.send_event(&topic, "5101#Error#SESSION_INVALIDATED")
        .await;
    let n = wait_for(&mut events, "SESSION_INVALIDATED", |n| {
        n.event()
            .is_some_and(|e| matches!(e.data, EventData::Error { .. }))
    })
    .await;
    assert!(matches!(
        n.event().unwrap().data,
        EventData::Error {
            code: ErrorCode::SessionInvalidated,
            ..
        }
    ));
    peer.send_event(
        &topic,
        &format!("DESTINATION#{}#RECONNECT", client.destination()),
    )
    .await;
    let n = wait_for(&mut events, "Relogin", |n| {
        matches!(n, Notification::Relogin { .. })
    })
    .await;
    assert!(
        matches!(n, Notification::Relogin { ref agent, .. } if agent == "5102"),
        "{n:?}"
    );
    // Only 5102 comes back; 5101 logged in elsewhere and stays out.
    let mut logins = Vec::new();
    while logins.is_empty() {
        let cmd = peer.next_command().await;
        if cmd.command() == "Login" && cmd.body.ends_with(",6102") {
            logins.push(cmd);
        } else {
            assert!(
                !(cmd.command() == "Login" && cmd.target() == "5101"),
                "{cmd:?}"
            );
        }
    }
    client.close().await;
}

#[tokio::test]
async fn a_hundred_requests_in_flight_are_each_correlated() {
    let (peer, client) = setup().await;
    // GetState answers carry the request number in the reason label, so a
    // mix-up between correlation ids would show.
    let counter = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    peer.set_script(move |cmd| match cmd.command() {
        "GetState" => {
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            vec![format!(
                "{}#State#READY##x##0#A#{0}#5000#{n}#A#a",
                cmd.target()
            )]
        }
        _ => default_script(cmd),
    });
    let agent = client.agent("7001");
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let a = agent.clone();
            tokio::spawn(async move { a.get_state().await })
        })
        .collect();
    let mut labels = Vec::new();
    for t in tasks {
        let ev = t.await.unwrap().unwrap();
        match ev.data {
            EventData::AgentState(s) => labels.push(s.reason_label.parse::<usize>().unwrap()),
            other => panic!("{other:?}"),
        }
    }
    labels.sort();
    assert_eq!(
        labels,
        (0..100).collect::<Vec<_>>(),
        "each reply went to exactly one caller"
    );
    client.close().await;
}

#[tokio::test]
async fn uncorrelated_events_complete_requests_only_when_asked_to() {
    for opt_in in [false, true] {
        common::init_tracing();
        let queue = unique("gc");
        let peer = GcPeer::start(&common::stomp_addr(), &queue).await;
        let mut cfg = config(&queue);
        cfg.request_timeout_ms = 1500;
        cfg.match_uncorrelated_replies = opt_in;
        let client = Client::connect(cfg).await.unwrap();
        client.wait_in_service(T).await.unwrap();
        peer.set_script(|_| vec![]);
        let agent = client.agent("8001");
        let pending = {
            let a = agent.clone();
            tokio::spawn(async move { a.get_state().await })
        };
        peer.next_named("GetState").await;
        // An unsolicited State (no correlation id) for the same agent.
        peer.send_event(
            &format!("/topic/{}", client.destination()),
            "8001#State#TALKING##x##0#A#8001#5000##A#a",
        )
        .await;
        let r = pending.await.unwrap();
        if opt_in {
            assert_eq!(state_of(&r.unwrap()), AgentState::Talking);
        } else {
            assert!(matches!(r, Err(Error::Timeout { .. })), "{r:?}");
        }
        client.close().await;
    }
}

#[test]
fn a_blocking_connect_returns_with_the_status_already_past_connecting() {
    // The caller wakes on its own thread, racing the engine's next step:
    // the status must be set before connect() is told it may return.
    for _ in 0..20 {
        let client =
            gcclient::blocking::Client::connect(config(&unique("connect-status"))).unwrap();
        assert_eq!(client.status(), ConnectionStatus::WaitingForGc);
        client.close();
    }
}

#[test]
fn a_subscription_taken_after_a_blocking_command_returns_does_not_see_its_reply() {
    // The caller wakes on its own thread as soon as its reply is matched:
    // the reply's event must be on the bus before, or a subscription taken
    // right after the call would receive it as news.
    let peers = tokio::runtime::Runtime::new().unwrap();
    let queue = unique("gc-order");
    let _peer = peers.block_on(GcPeer::start(&common::stomp_addr(), &queue));
    let client = gcclient::blocking::Client::connect(config(&queue)).unwrap();
    client.wait_in_service(T).unwrap();
    let agent = client.agent("1001");
    for round in 0..30 {
        let reply = agent.call(|a| a.get_state()).unwrap();
        assert_eq!(state_of(&reply), AgentState::Ready);
        let mut events = agent.events();
        match events.try_recv() {
            Ok(None) => {}
            other => panic!("round {round}: an event from before the subscription: {other:?}"),
        }
    }
    client.close();
}

/// Subscribes from a thread of its own when the status watch wakes it,
/// as a binding's caller of `wait_in_service` does once it returns.
struct SubscribeOnWake {
    client: Client,
    tx: std::sync::Mutex<Option<std::sync::mpsc::Sender<gcclient::EventReceiver>>>,
}

impl std::task::Wake for SubscribeOnWake {
    fn wake(self: std::sync::Arc<Self>) {
        let Some(tx) = self.tx.lock().unwrap().take() else {
            return;
        };
        let client = self.client.clone();
        std::thread::spawn(move || {
            let _ = tx.send(client.events());
        });
        // Not synchronisation: it holds the notifying thread back so the
        // subscriber, if it is allowed in now, gets in. With the right
        // order the outcome is the same however the threads are scheduled.
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test]
async fn a_subscription_taken_by_a_woken_status_waiter_does_not_see_that_status() {
    // A Kotlin test caught a subscription taken right after awaitInService
    // returned receiving Status(IN_SERVICE) as news: the watch woke its
    // waiters before the Status notification was on the bus.
    let (peer, client) = setup().await;
    let mut all = client.events();
    let mut watch = client.status_watch();
    let (tx, rx) = std::sync::mpsc::channel();
    let waker = std::task::Waker::from(std::sync::Arc::new(SubscribeOnWake {
        client: client.clone(),
        tx: std::sync::Mutex::new(Some(tx)),
    }));
    let mut changed = Box::pin(watch.changed());
    let polled = changed
        .as_mut()
        .poll(&mut std::task::Context::from_waker(&waker));
    assert!(
        polled.is_pending(),
        "the status changed before the test began"
    );

    let topic = format!("/topic/{}", client.destination());
    peer.send_event(&topic, "System#OUT_OF_SERVICE").await;
    wait_for(&mut all, "Status(OUT_OF_SERVICE)", is_out_of_service).await;
    drop(changed);
    let mut late = rx.recv_timeout(T).expect("the waiter subscribed");
    while let Some(n) = late.try_recv().unwrap() {
        assert!(
            !is_out_of_service(&n) && n.event().is_none_or(|e| e.raw != "System#OUT_OF_SERVICE"),
            "the change that woke the waiter, or what came with it, came to it as news: {n:?}"
        );
    }
    client.close().await;
}
