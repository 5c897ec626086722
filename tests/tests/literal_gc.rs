//! The session against a GC that answers exactly as the guide writes it and
//! against a hostile one, played by the Java JMS (OpenWire) peer as the real
//! GC is: one correlated reply per command (AgentInfo first for Login),
//! everything else uncorrelated, call events without the agent prefix,
//! RE_LOGIN answers, refused Connects, RECONNECT bursts.

mod common;

use std::time::{Duration, Instant};

use common::{wait_for, T};
use gcclient::protocol::Command;
use gcclient::{AgentState, Client, ConnectionStatus, Error, ErrorCode, EventData, Notification};
use gcclient_tests::broker::shared_broker;
use gcclient_tests::jms_peer::{AutoRule, JmsPeer, RecordedMessage};

const AGENT_INFO: &str = "{agent}#AgentInfo#Zoe#Unal#false#REQUIRED#3#Zoe Unal#zunal";

async fn start(extra: &[AutoRule]) -> (JmsPeer, Client) {
    common::init_tracing();
    let queue = gcclient_tests::broker::unique_name("literal");
    let peer = JmsPeer::start(&shared_broker().openwire, &queue)
        .await
        .expect("JMS peer");
    let mut rules = extra.to_vec();
    rules.extend([
        AutoRule::reply("Hello#", "System#IN_SERVICE"),
        AutoRule::reply("Beat#", "System#IN_SERVICE"),
        AutoRule::swallow("Connect#"),
        AutoRule::reply("Login#", AGENT_INFO),
    ]);
    peer.auto(&rules).await.unwrap();
    let client = Client::connect(common::config(&queue)).await.unwrap();
    client.wait_in_service(T).await.unwrap();
    (peer, client)
}

fn topic(client: &Client) -> String {
    format!("topic://{}", client.destination())
}

async fn next_named(peer: &JmsPeer, name: &str) -> RecordedMessage {
    loop {
        let m = peer.next_message(T).await.expect("a command");
        if m.command() == Some(name) {
            return m;
        }
    }
}

/// Everything the peer records during `window` (Beats keep coming, so this
/// is bounded by time, not by silence).
async fn drain(peer: &JmsPeer, window: Duration) -> Vec<RecordedMessage> {
    let end = Instant::now() + window;
    let mut seen = Vec::new();
    while let Some(left) = end.checked_duration_since(Instant::now()) {
        match peer.next_message(left).await {
            Ok(m) => seen.push(m),
            Err(_) => break,
        }
    }
    seen
}

#[tokio::test]
async fn login_completes_on_agent_info_while_state_comes_uncorrelated() {
    let (peer, client) = start(&[]).await;
    let agent = client.agent("1001");
    let mut events = agent.events();
    let reply = agent.login("pw", "5001").await.expect("login");
    assert!(matches!(reply.data, EventData::AgentInfo(_)), "{reply:?}");
    // The State and DialogStatus that follow carry no correlation id.
    peer.send_text(
        &topic(&client),
        "1001#State#NOT_READY#-1#t##0#Zoe#1001#5001####",
    )
    .await
    .unwrap();
    wait_for(&mut events, "State", |n| {
        matches!(n.event().map(|e| &e.data), Some(EventData::AgentState(_)))
    })
    .await;
    assert_eq!(agent.snapshot().state, Some(AgentState::NotReady));
    client.close().await;
}

#[tokio::test]
async fn a_refused_connect_fails_the_login_at_once() {
    let (_peer, client) = start(&[
        AutoRule::reply("Connect#", "{agent}#Error#SUBSCRIPTION_FAILED"),
        AutoRule::swallow("Login#"),
    ])
    .await;
    let started = Instant::now();
    let err = client
        .agent("1001")
        .login("wrong", "5001")
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Gc {
                code: ErrorCode::SubscriptionFailed,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "waited for the timeout instead: {:?}",
        started.elapsed()
    );
    client.close().await;
}

#[tokio::test]
async fn a_re_login_answer_is_an_error_and_logs_the_agent_in_again() {
    let (peer, client) = start(&[
        AutoRule::reply("MakeReady#", "{agent}#State#RE_LOGIN"),
        AutoRule::reply("GetState#", "{agent}#State#RE_LOGIN"),
    ])
    .await;
    let agent = client.agent("1001");
    agent.login("pw", "5001").await.unwrap();
    next_named(&peer, "Login").await;
    let mut events = client.events();
    let err = agent.make_ready().await.unwrap_err();
    assert!(
        matches!(
            &err,
            Error::SessionLost {
                command: "make_ready",
                ..
            }
        ),
        "the CRM must not show READY: {err:?}"
    );
    assert!(err.to_string().contains("not carried out"), "{err}");
    // The client logs the agent in again by itself: Connect, then Login.
    next_named(&peer, "Connect").await;
    next_named(&peer, "Login").await;
    let n = wait_for(&mut events, "Relogin", |n| {
        matches!(n, Notification::Relogin { .. })
    })
    .await;
    assert_eq!(
        n,
        Notification::Relogin {
            agent: "1001".into(),
            error: None
        }
    );
    let err = agent.get_state().await.unwrap_err();
    assert!(matches!(err, Error::SessionLost { .. }), "{err:?}");
    client.close().await;
}

#[tokio::test]
async fn correlated_replies_of_the_wrong_type_empty_or_for_another_agent_are_errors() {
    let (_peer, client) = start(&[
        AutoRule::reply("MakeReady#", "{agent}#DialogState#ACTIVE#d1#Zoe"),
        AutoRule::reply("GetState#", ""),
        AutoRule::reply(
            "MakeNotReady#",
            "9999#State#NOT_READY#-1#t##0#X#9999#5999####",
        ),
    ])
    .await;
    let agent = client.agent("1001");
    for (what, result) in [
        ("wrong type", agent.make_ready().await),
        ("empty", agent.get_state().await),
        ("other agent", agent.make_not_ready(None).await),
    ] {
        let err = result.expect_err(what);
        assert!(
            matches!(err, Error::UnexpectedReply { .. }),
            "{what}: {err:?}"
        );
    }
    client.close().await;
}

#[tokio::test]
async fn prefixless_call_events_reach_the_agent() {
    let (peer, client) = start(&[AutoRule::reply(
        "AnswerCall#",
        "InboundCall#ACTIVE#5551234#VIP,42#t0#CallType:ACD_IN#ParticipantsCount:2#participants:5001,5551234",
    )])
    .await;
    let agent = client.agent("1001");
    agent.login("pw", "5001").await.unwrap();
    let mut events = agent.events();
    peer.send_text(
        &topic(&client),
        "NewInboundCall#5551234#VIP,42#DialogID:16777217#CallType:ACD_IN#2025-01-31T14:30:00Z",
    )
    .await
    .unwrap();
    let n = wait_for(&mut events, "NewInboundCall", |n| {
        matches!(
            n.event().map(|e| &e.data),
            Some(EventData::NewInboundCall(_))
        )
    })
    .await;
    assert_eq!(n.event().unwrap().agent.as_deref(), Some("1001"));
    assert_eq!(agent.snapshot().dialogs["16777217"].state, "ALERTING");
    // The guide's Normal form has no DialogID: the reply lands on the
    // dialog its command named.
    let reply = agent
        .request(Command::AnswerCall {
            dialog_id: "16777217".into(),
        })
        .await
        .unwrap();
    let EventData::InboundCall(call) = &reply.data else {
        panic!("{reply:?}")
    };
    assert_eq!(call.dialog_id.as_deref(), Some("16777217"));
    assert_eq!(agent.snapshot().dialogs["16777217"].state, "ACTIVE");
    client.close().await;
}

#[tokio::test]
async fn a_reconnect_burst_logs_each_agent_in_once() {
    let (peer, client) = start(&[]).await;
    let agents: Vec<String> = (0..10).map(|i| format!("30{i:02}")).collect();
    for a in &agents {
        client.agent(a).login("pw", "5001").await.unwrap();
    }
    // Hold the re-logins' answers until the whole burst is out.
    peer.auto(&[
        AutoRule::reply("Hello#", "System#IN_SERVICE"),
        AutoRule::reply("Beat#", "System#IN_SERVICE"),
        AutoRule::swallow("Connect#"),
        AutoRule::swallow("Login#"),
    ])
    .await
    .unwrap();
    // The peer has recorded every login so far (it answered them).
    drain(&peer, Duration::from_millis(300)).await;
    let mut events = client.events();
    let burst = format!("DESTINATION#{}#RECONNECT", client.destination());
    for _ in 0..200 {
        peer.send_text(&topic(&client), &burst).await.unwrap();
    }
    let mut logins = Vec::new();
    let mut connects = 0;
    let deadline = Instant::now() + T;
    while logins.len() < agents.len() && Instant::now() < deadline {
        let m = peer.next_message(T).await.unwrap();
        match m.command() {
            Some("Login") => logins.push(m),
            Some("Connect") => connects += 1,
            _ => {}
        }
    }
    for login in &logins {
        let agent = login.type_argument().unwrap().to_owned();
        peer.reply_to(login, &AGENT_INFO.replace("{agent}", &agent))
            .await
            .unwrap();
    }
    let mut done = 0;
    while done < agents.len() {
        if let Notification::Relogin { error, .. } = wait_for(&mut events, "Relogin", |n| {
            matches!(n, Notification::Relogin { .. })
        })
        .await
        {
            assert_eq!(error, None);
            done += 1;
        }
    }
    // Nothing more after the burst.
    let extra: Vec<_> = drain(&peer, Duration::from_secs(1))
        .await
        .into_iter()
        .filter(|m| matches!(m.command(), Some("Login") | Some("Connect")))
        .map(|m| m.jms_type)
        .collect();
    assert_eq!(logins.len(), agents.len());
    assert_eq!(connects, agents.len());
    assert!(extra.is_empty(), "more re-logins: {extra:?}");
    eprintln!(
        "[literal-gc] 200 RECONNECTs, {} agents: {:.2} re-logins per agent",
        agents.len(),
        logins.len() as f64 / agents.len() as f64
    );
    client.close().await;
}

#[tokio::test]
async fn close_ends_every_waiter_at_once() {
    let (_peer, client) = start(&[AutoRule::swallow("GetState#")]).await;
    let agent = client.agent("1001");
    let mut commands = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let a = agent.clone();
        commands.spawn(async move { a.get_state().await });
    }
    let mut iterators = tokio::task::JoinSet::new();
    for _ in 0..5 {
        let mut rx = client.events();
        iterators.spawn(async move { while rx.recv().await.is_some() {} });
    }
    let waiter = {
        let c = client.clone();
        tokio::spawn(async move { c.wait_for(ConnectionStatus::OutOfService, T).await })
    };
    // Every command is on its way before close.
    tokio::time::timeout(T, async {
        while client.pending_requests() < 20 {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("20 commands pending");
    let closing = Instant::now();
    client.close().await;
    while let Some(r) = commands.join_next().await {
        assert!(matches!(r.unwrap(), Err(Error::Closed)));
    }
    while iterators.join_next().await.is_some() {}
    assert!(matches!(waiter.await.unwrap(), Err(Error::Closed)));
    let all_ended = closing.elapsed();
    // An iterator opened after close ends at once too.
    assert!(client.events().recv().await.is_none());
    eprintln!("[literal-gc] close -> every waiter ended: {all_ended:?}");
    assert!(all_ended < Duration::from_secs(2), "{all_ended:?}");
}
