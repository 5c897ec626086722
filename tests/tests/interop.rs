//! gcclient <-> ActiveMQ <-> a Java JMS (OpenWire) peer, as the real GC is.
//! Every command of the API is checked field by field as JMS sees it, and
//! every event form of the guide is sent by JMS and checked typed at the
//! client. The command table is `CommandKind::spec()`, which is what
//! docs/protocol.md prints (a codec test keeps the two identical).

mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use common::{wait_for, T};
use gcclient::protocol::tables::EVENT_FORMS;
use gcclient::protocol::{Command, CommandKind, Target, WireNames};
use gcclient::{Client, Error, Notification};
use gcclient_tests::broker::shared_broker;
use gcclient_tests::jms_peer::{AutoRule, JmsPeer, RecordedMessage};

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

async fn start(persistent: bool, ttl_ms: u64) -> (JmsPeer, Client) {
    common::init_tracing();
    let queue = gcclient_tests::broker::unique_name("interop");
    let peer = JmsPeer::start(&shared_broker().openwire, &queue)
        .await
        .expect("JMS peer");
    peer.auto(&[
        AutoRule::reply("Hello#", "System#IN_SERVICE"),
        AutoRule::reply("Beat#", "System#IN_SERVICE"),
    ])
    .await
    .unwrap();
    let mut cfg = common::config(&queue);
    cfg.persistent = persistent;
    cfg.command_ttl_ms = ttl_ms;
    // The TTL sent is capped at the request timeout.
    cfg.request_timeout_ms = cfg.request_timeout_ms.max(ttl_ms);
    cfg.beat_interval_ms = 60_000; // keep the recording free of Beats
    let client = Client::connect(cfg).await.expect("connect");
    client
        .wait_in_service(T)
        .await
        .expect("IN_SERVICE from the JMS peer");
    (peer, client)
}

/// The next recorded message that is not a keep-alive.
async fn next_command(peer: &JmsPeer) -> RecordedMessage {
    loop {
        let m = peer
            .next_message(T)
            .await
            .expect("a message at the JMS peer");
        if !matches!(m.command(), Some("Hello" | "Beat")) {
            return m;
        }
    }
}

#[tokio::test]
async fn every_command_arrives_as_the_text_message_gc_reads() {
    let ttl = 9000;
    let (peer, client) = start(false, ttl).await;
    let dest = client.destination().to_owned();
    let mut seen_ids = std::collections::HashSet::new();
    for &kind in CommandKind::ALL {
        if matches!(kind, CommandKind::Hello | CommandKind::Beat) {
            continue; // answered automatically; checked in hello_and_beat below
        }
        let spec = kind.spec();
        let command = Command::example(kind);
        let target = match spec.target {
            Target::Agent => "1001".to_owned(),
            Target::Destination => dest.clone(),
        };
        let expected = command.encode(&target, &WireNames::default()).unwrap();
        let sent_at = now_ms();
        let c = client.clone();
        let t = target.clone();
        let cmd = command.clone();
        let call = tokio::spawn(async move { c.execute(&t, &cmd).await });

        let m = next_command(&peer).await;
        let what = spec.api_name;
        assert!(
            m.is_text(),
            "{what}: JMS class {} (GC reads TextMessage only)",
            m.jms_class
        );
        assert_eq!(
            m.jms_type.as_deref(),
            Some(expected.jms_type.as_str()),
            "{what}: JMSType"
        );
        assert_eq!(
            m.jms_type.as_deref(),
            Some(format!("{}#{target}", spec.default_wire).as_str()),
            "{what}: wire name per the table"
        );
        assert_eq!(
            m.body.as_deref(),
            Some(expected.body.as_str()),
            "{what}: body"
        );
        let cid = m.correlation_id.clone().unwrap_or_default();
        assert!(cid.len() >= 16, "{what}: correlation id `{cid}`");
        assert!(seen_ids.insert(cid), "{what}: correlation id reused");
        assert_eq!(
            m.reply_to.as_deref(),
            Some(format!("topic://{dest}").as_str()),
            "{what}: JMSReplyTo"
        );
        assert!(
            m.expiration >= sent_at + ttl as i64 - 50 && m.expiration <= now_ms() + ttl as i64,
            "{what}: JMSExpiration {} not now + {ttl} ms (sent at {sent_at})",
            m.expiration
        );
        assert_eq!(m.delivery_mode, 1, "{what}: non-persistent by default");

        if spec.expects_reply() {
            // Any correlated Error completes the request: proves the reply path.
            let agent_prefix = if spec.target == Target::Agent {
                format!("{target}#")
            } else {
                String::new()
            };
            peer.reply_to(&m, &format!("{agent_prefix}Error#CF_GENERIC_ERROR"))
                .await
                .unwrap();
            let r = tokio::time::timeout(T, call)
                .await
                .expect("reply routed")
                .unwrap();
            assert!(matches!(r, Err(Error::Gc { .. })), "{what}: {r:?}");
        } else {
            let r = tokio::time::timeout(T, call)
                .await
                .expect("receipt")
                .unwrap();
            assert!(matches!(r, Ok(None)), "{what}: {r:?}");
        }
    }
    client.close().await;
}

#[tokio::test]
async fn hello_and_beat_and_persistent_delivery_mode() {
    let (peer, client) = start(true, 5000).await;
    let m = peer.next_message(T).await.unwrap();
    assert_eq!(
        m.jms_type.as_deref(),
        Some(format!("Hello#{}", client.destination()).as_str())
    );
    assert!(m.is_text());
    assert_eq!(m.body.as_deref(), Some(""));
    assert_eq!(
        m.delivery_mode, 2,
        "persistent = true gives DeliveryMode PERSISTENT"
    );
    client.close().await;
}

#[tokio::test]
async fn supplementary_characters_reach_jms_readable() {
    let (peer, client) = start(false, 5000).await;
    let c = client.clone();
    let call = tokio::spawn(async move { c.agent("1001").make_call("Zoë 🎉 𠀀").await });
    let m = next_command(&peer).await;
    assert!(
        m.body_error.is_none(),
        "JMS could not read the text: {:?}",
        m.body_error
    );
    assert_eq!(m.body.as_deref(), Some("Zoë 🎉 𠀀"));
    peer.reply_to(&m, "1001#Error#CF_GENERIC_ERROR")
        .await
        .unwrap();
    let _ = call.await;
    client.close().await;
}

#[tokio::test]
async fn every_event_form_of_the_guide_arrives_typed() {
    let (peer, client) = start(false, 5000).await;
    let topic = format!("topic://{}", client.destination());
    let mut events = client.events();
    for form in EVENT_FORMS {
        peer.send_text(&topic, form.sample).await.unwrap();
        let n = wait_for(&mut events, form.sample, |n| {
            n.event().is_some_and(|e| e.raw == form.sample)
        })
        .await;
        let ev = n.event().unwrap();
        assert_eq!(
            ev.kind_name(),
            form.parsed_as,
            "{} / {}: {:?}",
            form.wire_type,
            form.form,
            ev.data
        );
        // The same event as JSON-able value must round-trip through serde.
        serde_json::to_string(ev).expect("event serialises");
    }
    client.close().await;
}

/// An event for agent 1001: not a System answer to one of the client's
/// Hellos, which can still come after the subscription.
fn is_agent_event(n: &Notification) -> bool {
    n.event()
        .is_some_and(|e| e.agent.as_deref() == Some("1001"))
}

#[tokio::test]
async fn text_from_jms_survives_intact_in_every_shape() {
    let (peer, client) = start(false, 5000).await;
    let topic = format!("topic://{}", client.destination());
    let mut events = client.events();
    let big_name = "Ł".repeat(32 * 1024); // 64 KB of UTF-8
    let cases = [
        "1001#Control#PrintStatusBar#Zoë Ünal aus Łódź: 中文 日本語 한국어".to_owned(),
        "1001#Control#PrintStatusBar#".to_owned(),
        "1001#Control#PrintStatusBar#emoji 🎉 and 𠀀 from Java".to_owned(),
        format!("1001#Control#PrintStatusBar#{big_name}"),
    ];
    for body in &cases {
        peer.send_text(&topic, body).await.unwrap();
        let n = wait_for(&mut events, "text event", is_agent_event).await;
        assert_eq!(
            &n.event().unwrap().raw,
            body,
            "TextMessage body changed on the way"
        );
    }
    // A BytesMessage body is read as UTF-8 text as well.
    let body = "1001#Control#PrintStatusBar#bytes: Zoë 🎉";
    peer.send_bytes(&topic, body).await.unwrap();
    let n = wait_for(&mut events, "bytes event", is_agent_event).await;
    assert_eq!(n.event().unwrap().raw, body);
    assert!(matches!(n, Notification::Event(_)));
    client.close().await;
}

#[tokio::test]
async fn a_reply_with_an_empty_jms_type_completes_the_request() {
    let (peer, client) = start(false, 5000).await;
    let c = client.clone();
    let call = tokio::spawn(async move { c.agent("1001").get_state().await });
    let m = next_command(&peer).await;
    peer.reply_to(
        &m,
        "1001#State#READY##2025-01-31 14:30:00##1738333800000#Zoë Ünal#1001#5001##Zoë Ünal#zunal",
    )
    .await
    .unwrap();
    let ev = tokio::time::timeout(T, call)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(ev.kind_name(), "agent_state");
    client.close().await;
}

/// Issue 24: a command the caller gave up on must not run late, also when
/// the caller's own deadline (`Agent::with_timeout`) is shorter than the
/// config's: the broker expires the message when the caller stops waiting.
#[tokio::test]
async fn a_per_call_deadline_caps_the_message_expiry() {
    let (peer, client) = start(false, 9000).await;
    let deadline = std::time::Duration::from_millis(1500);
    let agent = client.agent("1001").with_timeout(deadline);
    let sent_at = now_ms();
    let call = tokio::spawn(async move { agent.get_state().await });
    let m = next_command(&peer).await;
    assert_eq!(m.command(), Some("GetState"));
    assert!(
        m.expiration >= sent_at + 1500 - 50 && m.expiration <= now_ms() + 1500,
        "JMSExpiration {} not now + 1500 ms (sent at {sent_at}); the config's TTL is 9000",
        m.expiration
    );
    // Nobody answers: the caller's deadline, not the config's, ends the wait.
    let err = call.await.unwrap().unwrap_err();
    assert!(matches!(err, gcclient::Error::Timeout { .. }), "{err:?}");
}
