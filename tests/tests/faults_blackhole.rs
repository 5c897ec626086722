//! A TCP black hole: a loopback proxy between client and broker stops
//! forwarding without closing anything (a dead NAT entry, a pulled cable
//! two hops away). Only the STOMP heart-beats can tell; the client must
//! give the connection up within about 3x the interval, end the command in
//! flight, and come back by itself once the network heals.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::gc_peer::GcPeer;
use common::{wait_for, T};
use gcclient::stomp::TransportError;
use gcclient::{Client, ConnectionStatus, Error, Notification};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};

const HEARTBEAT_MS: u64 = 1000;

/// Forwards loopback connections to `upstream` until [`Proxy::hole`] is
/// opened. From then on every connection it ever carried is dead: bytes
/// are read and thrown away, and no FIN or RST is passed on either way.
/// New connections made while the hole is open are accepted and go
/// nowhere. After [`Proxy::heal`] new connections work again.
struct Proxy {
    addr: String,
    hole: Arc<AtomicBool>,
}

impl Proxy {
    async fn start(upstream: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let hole = Arc::new(AtomicBool::new(false));
        let h = hole.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let hole = h.clone();
                let upstream = upstream.clone();
                tokio::spawn(async move {
                    let (c_read, c_write) = client.into_split();
                    if hole.load(Ordering::SeqCst) {
                        swallow(c_read, c_write).await;
                        return;
                    }
                    let Ok(server) = TcpStream::connect(&upstream).await else {
                        return;
                    };
                    let (s_read, s_write) = server.into_split();
                    tokio::spawn(pump(c_read, s_write, hole.clone()));
                    pump(s_read, c_write, hole).await;
                });
            }
        });
        Proxy { addr, hole }
    }

    fn open_hole(&self) {
        self.hole.store(true, Ordering::SeqCst);
    }

    fn heal(&self) {
        self.hole.store(false, Ordering::SeqCst);
    }
}

/// Copies `from` to `to` until the hole opens; then the connection stays
/// dead for good (the peer has given up on it by the time the hole heals).
async fn pump(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, hole: Arc<AtomicBool>) {
    let mut buf = vec![0u8; 16 * 1024];
    let mut dead = false;
    loop {
        let read = from.read(&mut buf).await;
        // Checked after the read: bytes read once the hole is open are lost.
        dead |= hole.load(Ordering::SeqCst);
        match read {
            Ok(0) | Err(_) if dead => break,
            Ok(0) | Err(_) => return, // an ordinary close is passed on
            Ok(n) if !dead => {
                if to.write_all(&buf[..n]).await.is_err() {
                    return;
                }
            }
            Ok(_) => {}
        }
    }
    // Dropping `to` would send a FIN: keep it open while the test lives.
    std::future::pending::<()>().await;
    drop(to);
}

/// A connection into the hole: read everything, answer nothing, never close.
async fn swallow(mut from: OwnedReadHalf, to: OwnedWriteHalf) {
    let mut buf = vec![0u8; 16 * 1024];
    while matches!(from.read(&mut buf).await, Ok(n) if n > 0) {}
    std::future::pending::<()>().await;
    drop(to);
}

#[tokio::test]
async fn a_black_hole_is_detected_by_heart_beats_and_the_client_comes_back() {
    common::init_tracing();
    let stomp = common::stomp_addr();
    let queue = gcclient_tests::broker::unique_name("gc-hole");
    let peer = GcPeer::start(&stomp, &queue).await;
    let proxy = Proxy::start(stomp.clone()).await;

    let mut cfg = common::config(&queue);
    cfg.brokers = vec![format!("tcp://{}", proxy.addr)];
    cfg.stomp_heartbeat_ms = HEARTBEAT_MS;
    // GC's own Beat check (3x beat + 0.5 s) must not be what notices.
    cfg.beat_interval_ms = 10_000;
    cfg.connect_timeout_ms = 2_000;
    cfg.receipt_timeout_ms = 10_000;
    cfg.request_timeout_ms = 10_000;
    let client = Client::connect(cfg).await.unwrap();
    client.wait_in_service(T).await.unwrap();
    let agent = client.agent("1001");
    agent.login("pw", "5001").await.unwrap();
    assert_eq!(peer.next_named("Login").await.target(), "1001");
    let mut status = client.status_watch();
    status.borrow_and_update();
    let mut events = client.events();
    // Sit idle for a few intervals first: heart-beats alone keep it up.
    tokio::time::sleep(Duration::from_millis(3 * HEARTBEAT_MS)).await;
    assert!(!status.has_changed().unwrap(), "{:?}", client.status());

    proxy.open_hole();
    let opened = Instant::now();
    // A command sent into the hole: the broker never sees it, so it must
    // end with an error when the connection is declared dead, not hang.
    let a = agent.clone();
    let in_flight = tokio::spawn(async move {
        let r = a.get_state().await;
        (r, opened.elapsed())
    });
    // The first status change after the hole opens must be the detection.
    let n = wait_for(&mut events, "a status change", |n| {
        matches!(n, Notification::Status { .. })
    })
    .await;
    let Notification::Status {
        status: ConnectionStatus::Reconnecting,
        detail,
    } = n
    else {
        panic!("unexpected status before detection: {n:?}");
    };
    let detail = detail.unwrap_or_default();
    let detected = opened.elapsed();
    assert!(detail.contains("heart-beat"), "{detail}");
    let hb = Duration::from_millis(HEARTBEAT_MS);
    // The broker beat at most 1x ago when the hole opened: 2x..3x, plus
    // the 100 ms check period and scheduling slack.
    assert!(
        detected >= hb * 2 - Duration::from_millis(200) && detected <= hb * 3 + hb,
        "detected after {detected:?}"
    );
    let (r, ended) = tokio::time::timeout(T, in_flight).await.unwrap().unwrap();
    match r {
        Err(Error::Transport(TransportError::ConnectionLost(_))) => {}
        other => panic!("the command in the hole must end as ConnectionLost: {other:?}"),
    }
    assert!(ended <= detected + Duration::from_millis(500), "{ended:?}");

    // While the hole lasts, reconnecting cannot succeed.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(client.status(), ConnectionStatus::Reconnecting);

    proxy.heal();
    let healed = Instant::now();
    let n = wait_for(&mut events, "Relogin", |n| {
        matches!(n, Notification::Relogin { .. })
    })
    .await;
    let recovered = healed.elapsed();
    assert_eq!(
        n,
        Notification::Relogin {
            agent: "1001".into(),
            error: None
        }
    );
    // GC saw the re-login and never the command lost in the hole.
    let next = peer.next_command().await;
    assert_eq!(next.command(), "Connect");
    let next = peer.next_command().await;
    assert_eq!((next.command(), next.body.as_str()), ("Login", "pw,5001"));
    agent.make_ready().await.unwrap();
    assert_eq!(peer.next_command().await.command(), "MakeReady");
    eprintln!(
        "[faults] heart-beat {HEARTBEAT_MS} ms: black hole detected after {} ms, \
         command in flight ended after {} ms; re-logged {} ms after the network healed",
        detected.as_millis(),
        ended.as_millis(),
        recovered.as_millis()
    );
    client.close().await;
}
