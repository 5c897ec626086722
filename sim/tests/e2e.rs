//! The simulator driven by gcclient's own Client through a real ActiveMQ.

mod common;

use std::time::Duration;

use common::{call_state, is_call, is_new_call, next_event, next_notification, Rig, WAIT};
use gcclient::protocol::{AgentState, Command, CommandKind, ErrorCode, EventData};
use gcclient::stomp::{BrokerUrl, Transport, TransportConfig, TransportEvent};
use gcclient::{ConnectionStatus, Error, Notification};
use gcclient_sim::Model;
use gcclient_tests::broker::unique_name;

fn gc_code(r: Result<gcclient::Event, Error>) -> ErrorCode {
    match r {
        Err(Error::Gc { code, .. }) => code,
        other => panic!("expected a GC error, got {other:?}"),
    }
}

fn state(e: &gcclient::Event) -> AgentState {
    match &e.data {
        EventData::AgentState(s) => s.state,
        other => panic!("not a state: {other:?}"),
    }
}

#[tokio::test]
async fn inbound_call_hold_consult_transfer_and_wrap_up() {
    let rig = Rig::start().await;
    let client = rig.client().await;
    let alice = client.agent("1001");
    let bob = client.agent("1002");
    // GC correlates AgentInfo (the first event the guide lists for Login);
    // login() returns the State that follows it.
    assert_eq!(
        state(&alice.login("1234", "5001").await.unwrap()),
        AgentState::NotReady
    );
    bob.login("1234", "5002").await.unwrap();
    assert_eq!(state(&alice.make_ready().await.unwrap()), AgentState::Ready);
    bob.make_ready().await.unwrap();

    let mut a_events = alice.events();
    let mut b_events = bob.events();
    let d = rig
        .sim
        .offer_call(
            "1001",
            "5551234",
            &[("callVariable1", "VIP"), ("BAAccountNumber", "42")],
        )
        .await
        .unwrap();
    let offered = next_event(&mut a_events, "NewInboundCall", |e| is_new_call(e, &d)).await;
    match &offered.data {
        EventData::NewInboundCall(c) => {
            assert_eq!(c.from_address, "5551234");
            assert_eq!(c.call_variables[0], "VIP");
            assert_eq!(c.call_variables.last().map(String::as_str), Some("42"));
        }
        _ => unreachable!(),
    }
    assert_eq!(alice.snapshot().state, Some(AgentState::Reserved));

    assert_eq!(call_state(&alice.answer_call(&d).await.unwrap()), "ACTIVE");
    assert_eq!(alice.snapshot().state, Some(AgentState::Talking));
    assert_eq!(call_state(&alice.hold_call(&d).await.unwrap()), "HELD");
    assert_eq!(alice.snapshot().state, Some(AgentState::Hold));
    assert_eq!(
        call_state(&alice.retrieve_call(&d).await.unwrap()),
        "ACTIVE"
    );
    let updated = alice
        .update_call_variables(&d, &[("callVariable2", "gold")])
        .await
        .unwrap();
    match &updated.data {
        EventData::InboundCall(c) => assert_eq!(c.call_variables[1], "gold"),
        other => panic!("{other:?}"),
    }

    let consult = alice.consult_call("5002", &d).await.unwrap();
    let consult_id = match &consult.data {
        EventData::ConsultCall(c) => {
            assert_eq!(c.state, "INITIATED");
            c.associated_dialog_id.clone().expect("consult dialog id")
        }
        other => panic!("{other:?}"),
    };
    next_event(&mut b_events, "consult offer", |e| {
        is_new_call(e, &consult_id)
    })
    .await;
    bob.answer_call(&consult_id).await.unwrap();
    next_event(
        &mut a_events,
        "ConsultCall ACTIVE",
        |e| matches!(&e.data, EventData::ConsultCall(c) if c.state == "ACTIVE"),
    )
    .await;

    assert_eq!(
        call_state(&alice.transfer_call("5002", &d).await.unwrap()),
        "DROP"
    );
    next_event(&mut b_events, "transferred call", |e| {
        is_call(e, &d, "ACTIVE")
    })
    .await;
    assert_eq!(alice.snapshot().state, Some(AgentState::WorkReady));
    let wrapped = alice.wrap_up("Sale", &d).await.unwrap();
    assert!(matches!(wrapped.data, EventData::DialogState { .. }));

    assert_eq!(call_state(&bob.release_call(&d).await.unwrap()), "DROP");
    assert_eq!(bob.snapshot().state, Some(AgentState::WorkReady));
    let view = rig.sim.dialog(&d).await.unwrap();
    assert!(view.ended);
    assert_eq!(view.wrap_up, [("1001".to_owned(), "Sale".to_owned())]);
    alice.make_ready().await.unwrap();
    assert_eq!(
        rig.sim.agent("1001").await.unwrap().state,
        AgentState::Ready
    );
    client.close().await;
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn wrap_up_timer_moves_the_agent_on() {
    let mut model = Model::default();
    model.system.wrap_up_timer_s = 0.3;
    let rig = Rig::with_model(model).await;
    let client = rig.client().await;
    let alice = client.agent("1001");
    alice.login("1234", "5001").await.unwrap();
    alice.make_ready().await.unwrap();
    let mut events = alice.events();
    let d = rig.sim.offer_call("1001", "5550000", &[]).await.unwrap();
    next_event(&mut events, "offer", |e| is_new_call(e, &d)).await;
    alice.answer_call(&d).await.unwrap();
    rig.sim.hang_up(&d).await.unwrap();
    next_event(
        &mut events,
        "WORK_READY",
        |e| matches!(&e.data, EventData::AgentState(s) if s.state == AgentState::WorkReady),
    )
    .await;
    next_event(
        &mut events,
        "READY after the wrap-up timer",
        |e| matches!(&e.data, EventData::AgentState(s) if s.state == AgentState::Ready),
    )
    .await;
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn errors_arrive_typed() {
    let rig = Rig::start().await;
    let client = rig.client().await;
    let alice = client.agent("1001");
    assert_eq!(
        gc_code(alice.login("wrong", "5001").await),
        ErrorCode::SubscriptionFailed
    );
    assert_eq!(
        gc_code(alice.login("1234", "50a1").await),
        ErrorCode::WrongExtension
    );
    assert_eq!(
        gc_code(client.agent("7777").login("1234", "5001").await),
        ErrorCode::UserNotFound
    );
    alice.login("1234", "5001").await.unwrap();
    alice.make_ready().await.unwrap();
    assert_eq!(
        gc_code(alice.make_ready().await),
        ErrorCode::CfInvalidObjectState
    );
    assert_eq!(
        gc_code(alice.logout().await),
        ErrorCode::CfInvalidObjectState
    );
    assert_eq!(
        gc_code(alice.make_not_ready(Some("99")).await),
        ErrorCode::PleaseRetry
    );
    assert_eq!(
        gc_code(alice.answer_call("123").await),
        ErrorCode::ECtiInvalidCallId
    );
    assert_eq!(
        gc_code(alice.make_call("5550100").await),
        ErrorCode::CfInvalidObjectState
    );
    // A command for an agent GC does not know asks the client to log in again.
    // It is an error: GC did not carry the command out.
    let stranger = client.agent("1003");
    assert!(matches!(
        stranger.get_state().await,
        Err(Error::SessionLost {
            command: "get_state",
            ..
        })
    ));
    client.close().await;
    rig.sim.shutdown().await;
}

/// Commands the Rust API refuses to send (empty required arguments),
/// written straight onto the queue as a sloppy client would.
#[tokio::test]
async fn missing_arguments_get_the_guides_errors() {
    let rig = Rig::start().await;
    let topic = unique_name("gcsim-raw");
    let mut tcfg = TransportConfig::new(BrokerUrl::parse(&rig.url).unwrap());
    tcfg.subscriptions = vec![format!("/topic/{topic}")];
    let (transport, mut rx) = Transport::start(tcfg);
    loop {
        match tokio::time::timeout(WAIT, rx.recv()).await.expect("broker") {
            Some(TransportEvent::Connected { .. }) => break,
            Some(_) => {}
            None => panic!("transport closed"),
        }
    }
    let mut n = 0;
    let mut ask = |jms_type: &str, body: &str| {
        n += 1;
        let cid = format!("raw-{n}");
        let headers = vec![
            ("type".to_owned(), jms_type.to_owned()),
            ("correlation-id".to_owned(), cid.clone()),
            ("reply-to".to_owned(), format!("/topic/{topic}")),
        ];
        let transport = transport.clone();
        let queue = format!("/queue/{}", rig.queue);
        let body = body.to_owned();
        async move {
            transport.send(&queue, headers, body).await.unwrap();
            cid
        }
    };
    let connect = format!("{topic},1234");
    let cases = [
        // Login before any Connect: GC does not know the agent.
        ("Login#1001", "1234,5001", "RE_LOGIN"),
        ("Connect#1001", "somewhere,", "MISSING_PASSWORD"),
        ("Connect#1001", "somewhere,wrong", "SUBSCRIPTION_FAILED"),
        // Success is answered with nothing.
        ("Connect#1001", connect.as_str(), ""),
        ("Login#1001", "", "MISSING_PASSWORD"),
        ("Login#1001", "1234,", "MISSING_EXTENSION"),
        ("Login#1001", "1234,5001", "AgentInfo"),
        ("MakeNotReadyWithReason#1001", "", "MISSING_REASON_CODE"),
        ("AnswerCall#1001", "", "MISSING_DIALOG_ID"),
        ("MakeCall#1001", "", "MISSING_NUMBER"),
        ("SHCEDULECALLBACK#1001", "5001,,,", "INVALID_CALL_DATA"),
        ("NoSuchCommand#1001", "x", "INVALID_CALL_DATA"),
    ];
    for (ty, body, expected) in cases {
        let cid = ask(ty, body).await;
        if expected.is_empty() {
            continue;
        }
        let reply = loop {
            let ev = tokio::time::timeout(WAIT, rx.recv())
                .await
                .unwrap_or_else(|_| panic!("no reply to {ty} `{body}`"));
            if let Some(TransportEvent::Message(m)) = ev {
                if m.correlation_id() == Some(cid.as_str()) {
                    // Replies carry an empty JMS type, as GC's do.
                    assert_eq!(m.jms_type(), Some(""));
                    // The one correlated event of the command.
                    break gcclient::Event::parse(&m.body);
                }
            }
        };
        match (&reply.data, reply.error_code()) {
            (_, Some(code)) => assert_eq!(code.as_str(), expected, "{ty} `{body}`"),
            (EventData::ReLogin, _) => assert_eq!("RE_LOGIN", expected, "{ty} `{body}`"),
            _ => assert_eq!(reply.data.wire_type(), expected, "{ty} `{body}`"),
        }
    }
    transport.close().await;
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn licence_limit_is_enforced() {
    let mut model = Model::default();
    model.system.licence_limit = 1;
    let rig = Rig::with_model(model).await;
    let client = rig.client().await;
    client.agent("1001").login("1234", "5001").await.unwrap();
    assert_eq!(
        gc_code(client.agent("1002").login("1234", "5002").await),
        ErrorCode::LicensesExceeded
    );
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn finesse_down_and_up_is_seen_by_the_client() {
    let rig = Rig::start().await;
    let client = rig.client().await;
    let alice = client.agent("1001");
    alice.login("1234", "5001").await.unwrap();
    rig.sim.set_in_service(false).await.unwrap();
    client
        .wait_for(ConnectionStatus::OutOfService, WAIT)
        .await
        .unwrap();
    assert!(matches!(
        alice.make_ready().await,
        Err(Error::GcOutOfService)
    ));
    rig.sim.set_in_service(true).await.unwrap();
    client.wait_in_service(WAIT).await.unwrap();
    alice.make_ready().await.unwrap();
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn gc_restart_makes_the_client_log_in_again() {
    let rig = Rig::start().await;
    let client = rig.client().await;
    let alice = client.agent("1001");
    alice.login("1234", "5001").await.unwrap();
    alice.make_ready().await.unwrap();
    let mut events = client.events();
    rig.sim.restart().await.unwrap();
    assert_eq!(rig.sim.agent("1001").await.unwrap().session, None);
    // The next Beat gets DESTINATION#<dest>#RECONNECT; the client re-logs in.
    next_event(&mut events, "DESTINATION RECONNECT", |e| {
        matches!(&e.data, EventData::DestinationReconnect { destination } if destination == client.destination())
    })
    .await;
    let n = next_notification(
        &mut events,
        "re-login",
        |n| matches!(n, Notification::Relogin { agent, .. } if agent == "1001"),
    )
    .await;
    assert!(
        matches!(n, Notification::Relogin { error: None, .. }),
        "{n:?}"
    );
    let view = rig.sim.agent("1001").await.unwrap();
    assert_eq!(view.session.as_deref(), Some(client.destination()));
    // Finesse kept the agent READY across the GC restart.
    assert_eq!(view.state, AgentState::Ready);
    assert_eq!(state(&alice.get_state().await.unwrap()), AgentState::Ready);
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn login_from_a_second_destination_invalidates_the_first() {
    let rig = Rig::start().await;
    let first = rig.client().await;
    let second = rig.client().await;
    first.agent("1001").login("1234", "5001").await.unwrap();
    let mut old = first.agent("1001").events();
    second.agent("1001").login("1234", "5001").await.unwrap();
    let e = next_event(&mut old, "SESSION_INVALIDATED", |e| {
        e.error_code().is_some()
    })
    .await;
    assert_eq!(e.error_code(), Some(&ErrorCode::SessionInvalidated));
    next_event(
        &mut old,
        "LOGOUT",
        |e| matches!(&e.data, EventData::AgentState(s) if s.state == AgentState::Logout),
    )
    .await;
    assert_eq!(
        rig.sim.agent("1001").await.unwrap().session.as_deref(),
        Some(second.destination())
    );
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn supervisor_sees_the_team_monitors_and_barges_in() {
    // TeamMemberStateChanged is "(Not Using)" in the guide: the model turns
    // it on so the client's handling of it is exercised.
    let mut model = Model::default();
    model.simulator.not_using_events = true;
    let rig = Rig::with_model(model).await;
    // One client (destination) per desktop, as the guide advises: GC's
    // call events carry no agent id, so agents sharing a topic cannot
    // always tell whose copy is whose.
    let client = rig.client().await;
    let alice_desktop = rig.client().await;
    let sup = client.agent("2001");
    let alice = alice_desktop.agent("1001");
    sup.login("1234", "6001").await.unwrap();
    alice.login("1234", "5001").await.unwrap();
    match &sup.get_team_users("1", true).await.unwrap().data {
        EventData::TeamUsersList { users } => {
            assert!(users
                .iter()
                .any(|u| u.login_id == "1001" && u.state == Some(gcclient::AgentState::NotReady)))
        }
        other => panic!("{other:?}"),
    }
    let mut sup_events = sup.events();
    alice.make_ready().await.unwrap();
    next_event(
        &mut sup_events,
        "TeamMemberStateChanged",
        |e| matches!(&e.data, EventData::TeamMemberStateChanged { state, .. } if state == "READY"),
    )
    .await;
    let mut a_events = alice.events();
    let d = rig.sim.offer_call("1001", "5551111", &[]).await.unwrap();
    next_event(&mut a_events, "offer", |e| is_new_call(e, &d)).await;
    alice.answer_call(&d).await.unwrap();
    match &sup.silent_monitor("5001").await.unwrap().data {
        EventData::InboundCall(c) => assert_eq!(c.call_type.as_deref(), Some("SUPERVISOR_MONITOR")),
        other => panic!("{other:?}"),
    }
    match &sup.barge_in("5001", &d).await.unwrap().data {
        EventData::InboundCall(c) => assert_eq!(c.participants_count, Some(3)),
        other => panic!("{other:?}"),
    }
    next_event(&mut sup_events, "ConferenceParticipants", |e| {
        matches!(&e.data, EventData::ConferenceParticipants { extensions } if extensions.len() == 3)
    })
    .await;
    sup.drop_participant("5001", &d).await.unwrap();
    next_event(&mut a_events, "agent dropped", |e| is_call(e, &d, "DROP")).await;
    assert_eq!(alice.snapshot().state, Some(AgentState::WorkReady));
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn queues_previews_and_callbacks() {
    let rig = Rig::start().await;
    let client = rig.client().await;
    let alice = client.agent("1001");
    alice.login("1234", "5001").await.unwrap();
    let waiting = |e: &gcclient::Event| match &e.data {
        EventData::QueueList { queues, .. } => queues[0].get("calls_in_queue").map(str::to_owned),
        _ => None,
    };
    assert_eq!(
        waiting(&alice.get_queue_list().await.unwrap()).as_deref(),
        Some("0")
    );
    let d = rig
        .sim
        .offer_to_queue("Sales", "5552222", &[])
        .await
        .unwrap();
    assert_eq!(
        waiting(&alice.get_queue_list().await.unwrap()).as_deref(),
        Some("1")
    );
    let mut events = alice.events();
    alice.make_ready().await.unwrap();
    next_event(&mut events, "queued call delivered", |e| is_new_call(e, &d)).await;
    alice.answer_call(&d).await.unwrap();
    let cb = alice
        .schedule_callback("5001", &d, "2030-01-01T10:00", "5552222")
        .await
        .unwrap();
    assert!(matches!(cb.data, EventData::CallbackScheduled { .. }));
    alice.cancel_callback("5001", &d).await.unwrap();
    alice.release_call(&d).await.unwrap();
    alice.make_ready().await.unwrap();

    let p = rig
        .sim
        .offer_preview("1001", "5553333", &[], false)
        .await
        .unwrap();
    next_event(&mut events, "NewOutboundPreviewCall", |e| {
        matches!(&e.data, EventData::NewOutboundPreviewCall(c) if c.dialog_id.as_deref() == Some(p.as_str()))
    })
    .await;
    assert_eq!(
        call_state(&alice.accept_outbound_preview(&p).await.unwrap()),
        "ACTIVE"
    );
    assert_eq!(
        call_state(&alice.reclassify_call("5001", &p, "VOICE").await.unwrap()),
        "ACTIVE"
    );
    alice.release_call(&p).await.unwrap();
    rig.sim.shutdown().await;
}

/// Every command of the guide reaches the simulator and gets a documented
/// answer (an event or a typed GC error), never silence.
#[tokio::test]
async fn every_command_gets_an_answer() {
    let rig = Rig::start().await;
    let client = rig.client().await;
    let sup = client.agent("2001");
    sup.login("1234", "6001").await.unwrap();
    for kind in CommandKind::ALL {
        if matches!(
            kind,
            CommandKind::Hello | CommandKind::Beat | CommandKind::Connect | CommandKind::Login
        ) {
            continue;
        }
        let command = match kind {
            CommandKind::MobileAgentLogin => Command::MobileAgentLogin {
                password: gcclient::protocol::Secret::new("1234"),
                extension: "6001".into(),
                dial_number: "5551234".into(),
                call_by_call: true,
            },
            k => Command::example(*k),
        };
        let result = sup
            .execute_with_timeout(command, Duration::from_secs(5))
            .await;
        match result {
            Ok(Some(e)) => assert!(
                !matches!(e.data, EventData::Malformed { .. }),
                "{kind:?}: {}",
                e.raw
            ),
            Err(Error::Gc { .. }) => {}
            other => panic!("{kind:?}: {other:?}"),
        }
    }
    rig.sim.shutdown().await;
}

/// A scripted shift: two agents and a supervisor, 20 calls with holds,
/// transfers and conferences, wrap-ups, then logout.
#[tokio::test]
async fn a_full_shift() {
    let rig = Rig::start().await;
    // One client (destination) per desktop, as the guide advises.
    let client = rig.client().await;
    let (desk_a, desk_b) = (rig.client().await, rig.client().await);
    let sup = client.agent("2001");
    let a = desk_a.agent("1001");
    let b = desk_b.agent("1002");
    sup.login("1234", "6001").await.unwrap();
    a.login("1234", "5001").await.unwrap();
    b.login("1234", "5002").await.unwrap();
    sup.get_team_users("1", true).await.unwrap();
    let mut a_events = a.events();
    let mut b_events = b.events();
    for i in 0..20 {
        for agent in [&a, &b] {
            if agent.snapshot().state != Some(AgentState::Ready) {
                agent.make_ready().await.unwrap();
            }
        }
        let (first, second, first_events, second_events, second_ext) = if i % 2 == 0 {
            (&a, &b, &mut a_events, &mut b_events, "5002")
        } else {
            (&b, &a, &mut b_events, &mut a_events, "5001")
        };
        let d = rig
            .sim
            .offer_call(
                first.id(),
                &format!("555{i:04}"),
                &[("callVariable1", &format!("call{i}"))],
            )
            .await
            .unwrap();
        next_event(first_events, "offer", |e| is_new_call(e, &d)).await;
        first.answer_call(&d).await.unwrap();
        first.hold_call(&d).await.unwrap();
        first.retrieve_call(&d).await.unwrap();
        match i % 4 {
            0 => {
                // Blind transfer.
                first.single_step_transfer(second_ext, &d).await.unwrap();
                next_event(second_events, "transferred offer", |e| is_new_call(e, &d)).await;
                second.answer_call(&d).await.unwrap();
                second.release_call(&d).await.unwrap();
            }
            1 => {
                let c = first.consult_call(second_ext, &d).await.unwrap();
                let consult = match &c.data {
                    EventData::ConsultCall(c) => c.associated_dialog_id.clone().unwrap(),
                    other => panic!("{other:?}"),
                };
                next_event(second_events, "consult offer", |e| is_new_call(e, &consult)).await;
                second.answer_call(&consult).await.unwrap();
                first.transfer_call(second_ext, &d).await.unwrap();
                rig.sim.hang_up(&d).await.unwrap();
                next_event(second_events, "customer hung up", |e| {
                    is_call(e, &d, "DROP")
                })
                .await;
            }
            2 => {
                let c = first.consult_call(second_ext, &d).await.unwrap();
                let consult = match &c.data {
                    EventData::ConsultCall(c) => c.associated_dialog_id.clone().unwrap(),
                    other => panic!("{other:?}"),
                };
                next_event(second_events, "consult offer", |e| is_new_call(e, &consult)).await;
                second.answer_call(&consult).await.unwrap();
                let conf = first.conference_call(second_ext, &d).await.unwrap();
                match &conf.data {
                    EventData::InboundCall(c) => assert_eq!(c.participants_count, Some(3)),
                    other => panic!("{other:?}"),
                }
                second.release_call(&d).await.unwrap();
                first.release_call(&d).await.unwrap();
            }
            _ => {
                first.release_call(&d).await.unwrap();
            }
        }
        first.wrap_up("Sale", &d).await.unwrap();
        assert!(
            rig.sim.calls().await.unwrap().is_empty(),
            "call {i} left behind"
        );
        for agent in [&a, &b] {
            let s = agent.snapshot().state;
            assert!(
                matches!(s, Some(AgentState::WorkReady) | Some(AgentState::Ready)),
                "call {i}: {} is {s:?}",
                agent.id()
            );
        }
    }
    for agent in [&a, &b, &sup] {
        agent.make_not_ready(Some("1")).await.unwrap();
        assert_eq!(
            state(&agent.logout_with_reason("11").await.unwrap()),
            AgentState::Logout
        );
    }
    let views = rig.sim.agents().await.unwrap();
    assert!(views.iter().all(|v| v.state == AgentState::Logout));
    client.close().await;
    rig.sim.shutdown().await;
}
