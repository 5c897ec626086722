//! Broker-level faults with private brokers: restart, kill -9 with commands
//! in flight, TLS, broker credentials, heart-beats.

mod common;

use std::time::Duration;

use common::gc_peer::GcPeer;
use common::{wait_for, T};
use gcclient::stomp::{BrokerUrl, Transport, TransportConfig, TransportError, TransportEvent};
use gcclient::{Client, ConnectionStatus, Error, Notification};
use gcclient_tests::broker::{BrokerOptions, PrivateBroker};

fn config_for(stomp: &str, queue: &str) -> gcclient::Config {
    let mut cfg = gcclient::Config::new(format!("tcp://{stomp}"));
    cfg.queue = queue.to_owned();
    cfg.hello_interval_ms = 200;
    cfg.beat_interval_ms = 500;
    cfg.backoff_max_ms = 300;
    cfg.connect_timeout_ms = 5000;
    cfg
}

async fn next_event(
    rx: &mut tokio::sync::mpsc::UnboundedReceiver<TransportEvent>,
) -> TransportEvent {
    tokio::time::timeout(T, rx.recv())
        .await
        .expect("transport event")
        .expect("transport ended")
}

#[tokio::test]
async fn heart_beats_are_negotiated_and_keep_an_idle_connection() {
    let broker = PrivateBroker::start();
    let mut cfg = TransportConfig::new(BrokerUrl::parse(&broker.stomp_addr()).unwrap());
    cfg.heartbeat = Duration::from_millis(500);
    let (transport, mut events) = Transport::start(cfg);
    let hb = loop {
        if let TransportEvent::Connected {
            heartbeat, server, ..
        } = next_event(&mut events).await
        {
            assert!(server.unwrap_or_default().contains("ActiveMQ"));
            break heartbeat;
        }
    };
    assert!(hb.0 >= 500 && hb.1 >= 500, "negotiated {hb:?}");
    // ActiveMQ drops a client silent for 3x the interval (1.5 s): staying
    // connected for 4 s idle proves our beats go out. Absence of an event
    // can only be checked by waiting.
    let quiet = tokio::time::timeout(Duration::from_secs(4), events.recv()).await;
    assert!(
        quiet.is_err(),
        "unexpected transport event while idle: {quiet:?}"
    );
    transport
        .send("/queue/hb.check", vec![], "still here".into())
        .await
        .unwrap();
    transport.close().await;
    assert!(matches!(
        next_event(&mut events).await,
        TransportEvent::Closed
    ));
}

#[tokio::test]
async fn a_killed_broker_is_detected_every_command_ends_and_agents_are_logged_in_again() {
    common::init_tracing();
    let broker = PrivateBroker::start();
    let stomp = broker.stomp_addr();
    let peer = GcPeer::start(&stomp, "Connector1").await;
    let client = Client::connect(config_for(&stomp, "Connector1"))
        .await
        .unwrap();
    client.wait_in_service(T).await.unwrap();
    let agent = client.agent("1001");
    agent.login("pw", "5001").await.unwrap();
    let mut events = client.events();

    // Commands in flight while the broker dies: each must end, one way or the other.
    peer.set_script(|_| vec![]); // GC does not answer: they stay pending
    let inflight: Vec<_> = (0..10)
        .map(|_| {
            let a = agent.clone();
            tokio::spawn(async move { a.get_state().await })
        })
        .collect();
    // Wait until GC has seen them all, so they are truly in flight.
    for _ in 0..10 {
        peer.next_named("GetState").await;
    }
    broker.kill9();
    for t in inflight {
        let r = tokio::time::timeout(T, t)
            .await
            .expect("a command hung")
            .unwrap();
        let e = r.expect_err("no reply was sent, so no success is possible");
        assert!(
            matches!(e, Error::ConnectionLost { .. } | Error::Timeout { .. }),
            "{e:?}"
        );
    }
    wait_for(&mut events, "Reconnecting", |n| {
        matches!(
            n,
            Notification::Status {
                status: ConnectionStatus::Reconnecting,
                ..
            }
        )
    })
    .await;
    let err = agent.make_ready().await.unwrap_err();
    assert!(matches!(err, Error::NotInService(_)), "{err:?}");

    broker.start_again();
    peer.set_script(common::gc_peer::default_script);
    let n = wait_for(&mut events, "Relogin", |n| {
        matches!(n, Notification::Relogin { .. })
    })
    .await;
    assert!(
        matches!(n, Notification::Relogin { ref agent, error: None } if agent == "1001"),
        "{n:?}"
    );
    assert_eq!(client.status(), ConnectionStatus::InService);
    let login = peer.next_named("Login").await;
    assert_eq!((login.target(), login.body.as_str()), ("1001", "pw,5001"));
    agent.make_ready().await.unwrap();
    client.close().await;
}

#[tokio::test]
async fn tls_broker_with_a_private_ca() {
    let broker = PrivateBroker::start_with(BrokerOptions::default().tls());
    let ssl = broker.stomp_ssl_addr().expect("ssl connector");
    let peer = GcPeer::start(&broker.stomp_addr(), "Connector1").await;
    let mut cfg = config_for(&ssl, "Connector1");
    cfg.brokers = vec![format!("ssl://{ssl}")];
    cfg.tls_ca_file = Some(broker.ca_pem().unwrap().to_owned());
    let client = Client::connect(cfg.clone()).await.unwrap();
    client.wait_in_service(T).await.unwrap();
    client.agent("1001").login("pw", "5001").await.unwrap();
    client.close().await;
    drop(peer);

    // Without our CA, the handshake is refused with a reason.
    cfg.tls_ca_file = None;
    cfg.connect_timeout_ms = 1500;
    match Client::connect(cfg).await {
        Err(Error::BrokerUnreachable { last_error, .. }) => {
            assert!(
                last_error.contains("TLS") || last_error.contains("certificate"),
                "{last_error}"
            )
        }
        Err(Error::Config(m)) => assert!(m.contains("CA"), "{m}"),
        other => panic!("expected a TLS failure, got {other:?}"),
    }
}

#[tokio::test]
async fn broker_credentials_are_used_and_a_refusal_is_explained() {
    let broker = PrivateBroker::start_with(BrokerOptions::default().credentials("gc", "p@ss:w0rd"));
    let stomp = broker.stomp_addr();
    let mut cfg = TransportConfig::new(BrokerUrl::parse(&stomp).unwrap());
    cfg.login = Some("gc".into());
    cfg.passcode = Some("p@ss:w0rd".into());
    let (t, mut events) = Transport::start(cfg.clone());
    loop {
        match next_event(&mut events).await {
            TransportEvent::Connected { .. } => break,
            TransportEvent::Disconnected { reason, .. } => panic!("refused: {reason}"),
            _ => {}
        }
    }
    t.close().await;

    cfg.passcode = Some("wrong".into());
    let (t, mut events) = Transport::start(cfg);
    let reason = loop {
        if let TransportEvent::Disconnected { reason, .. } = next_event(&mut events).await {
            break reason;
        }
    };
    assert!(reason.contains("refused"), "{reason}");
    assert!(
        !reason.contains("wrong"),
        "the passcode must not appear: {reason}"
    );
    assert_eq!(
        t.send("/queue/x", vec![], "x".into()).await,
        Err(TransportError::NotConnected)
    );
    t.close().await;
}
