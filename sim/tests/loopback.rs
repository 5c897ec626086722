//! The demo-only loopback STOMP endpoint: gcclient's Client and the
//! simulator through it, and the endpoint's STOMP subset seen frame by frame.
//! (Everything else in the project is tested against a real ActiveMQ; this
//! file tests the endpoint itself.)

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use gcclient::protocol::{AgentState, EventData};
use gcclient::stomp::{Frame, Incoming, Outgoing, StompCodec};
use gcclient::{Client, Config, Notification};
use gcclient_sim::{Loopback, SimConfig, Simulator};
use tokio::net::TcpStream;
use tokio_util::codec::Framed;

const WAIT: Duration = Duration::from_secs(10);

type Conn = Framed<TcpStream, StompCodec>;

#[tokio::test]
async fn client_and_simulator_talk_through_the_loopback_endpoint() {
    let lb = Loopback::start().await.unwrap();
    assert!(lb.url().starts_with("tcp://127.0.0.1:"), "{}", lb.url());
    let sim = Simulator::start(SimConfig::new(lb.url())).await.unwrap();
    let mut cfg = Config::new(lb.url());
    cfg.hello_interval_ms = 200;
    cfg.request_timeout_ms = 5_000;
    let client = Client::connect(cfg).await.unwrap();
    client.wait_in_service(WAIT).await.unwrap();

    let alice = client.agent("1001");
    match alice.login("1234", "5001").await.unwrap().data {
        EventData::AgentState(s) => assert_eq!(s.state, AgentState::NotReady),
        other => panic!("login answered {other:?}"),
    }
    alice.make_ready().await.unwrap();
    assert_eq!(sim.agent("1001").await.unwrap().state, AgentState::Ready);

    let mut events = alice.events();
    let dialog = sim
        .offer_call("1001", "5551234", &[("callVariable1", "VIP")])
        .await
        .unwrap();
    let rang = tokio::time::timeout(WAIT, async {
        while let Some(n) = events.recv().await {
            if let Notification::Event(e) = n {
                if let EventData::NewInboundCall(c) = &e.data {
                    return Some(c.clone());
                }
            }
        }
        None
    })
    .await
    .expect("the call rings within 10 s")
    .expect("event stream open");
    assert_eq!(rang.dialog_id.as_deref(), Some(dialog.as_str()));
    assert_eq!(rang.from_address, "5551234");
    assert_eq!(rang.call_variables[0], "VIP");

    match alice.answer_call(&dialog).await.unwrap().data {
        EventData::InboundCall(c) => assert_eq!(c.state, "ACTIVE"),
        other => panic!("answer answered {other:?}"),
    }
    assert_eq!(sim.agent("1001").await.unwrap().state, AgentState::Talking);
    alice.release_call(&dialog).await.unwrap();
    assert!(sim.dialog(&dialog).await.unwrap().ended);

    client.close().await;
    sim.shutdown().await;
    lb.shutdown().await;
}

async fn open(lb: &Loopback, heart_beat: &str) -> (Conn, Frame) {
    let tcp = TcpStream::connect(lb.addr()).await.unwrap();
    let mut conn = Framed::new(tcp, StompCodec::default());
    conn.send(Outgoing::Frame(
        Frame::new("CONNECT")
            .header("accept-version", "1.1,1.2")
            .header("host", "localhost")
            .header("heart-beat", heart_beat),
    ))
    .await
    .unwrap();
    let connected = next_frame(&mut conn).await;
    assert_eq!(connected.command, "CONNECTED", "{connected:?}");
    (conn, connected)
}

async fn connect(lb: &Loopback) -> Conn {
    open(lb, "0,0").await.0
}

/// The next frame (heart-beats skipped); panics after 10 s or on close.
async fn next_frame(conn: &mut Conn) -> Frame {
    tokio::time::timeout(WAIT, async {
        loop {
            match conn.next().await {
                Some(Ok(Incoming::Frame(f))) => return f,
                Some(Ok(Incoming::HeartBeat)) => {}
                other => panic!("connection ended: {other:?}"),
            }
        }
    })
    .await
    .expect("a frame within 10 s")
}

/// Sends a frame with a receipt and waits for that RECEIPT.
async fn confirmed(conn: &mut Conn, frame: Frame, receipt: &str) {
    conn.send(Outgoing::Frame(frame.header("receipt", receipt)))
        .await
        .unwrap();
    let f = next_frame(conn).await;
    assert_eq!(f.command, "RECEIPT", "{f:?}");
    assert_eq!(f.get("receipt-id"), Some(receipt));
}

async fn subscribe(conn: &mut Conn, id: &str, destination: &str) {
    let f = Frame::new("SUBSCRIBE")
        .header("id", id)
        .header("destination", destination)
        .header("ack", "auto");
    confirmed(conn, f, &format!("sub-{id}")).await;
}

async fn send(conn: &mut Conn, destination: &str, body: &str) {
    let f = Frame::new("SEND")
        .header("destination", destination)
        .body(body.to_owned());
    confirmed(conn, f, &format!("send-{body}")).await;
}

/// Sends a frame and expects ERROR (with the receipt id) and then the close.
async fn refused(conn: &mut Conn, frame: Frame, words: &str) {
    conn.send(Outgoing::Frame(frame.header("receipt", "bad")))
        .await
        .unwrap();
    let f = next_frame(conn).await;
    assert_eq!(f.command, "ERROR", "{f:?}");
    assert_eq!(f.get("receipt-id"), Some("bad"));
    let message = f.get("message").unwrap_or_default();
    assert!(message.contains(words), "`{message}` lacks `{words}`");
    let end = tokio::time::timeout(WAIT, conn.next()).await.unwrap();
    assert!(end.is_none(), "connection still open: {end:?}");
}

fn body(f: &Frame) -> &str {
    std::str::from_utf8(&f.body).unwrap()
}

#[tokio::test]
async fn a_queue_holds_messages_until_a_consumer_and_then_round_robins() {
    let lb = Loopback::start().await.unwrap();
    let mut producer = connect(&lb).await;
    let sent = Frame::new("SEND")
        .header("destination", "/queue/work")
        .header("type", "Login#1001")
        .header("correlation-id", "c-1")
        .header("reply-to", "/topic/desk")
        .header("expires", "0")
        .header("persistent", "false")
        .body("first");
    confirmed(&mut producer, sent, "r1").await;
    send(&mut producer, "/queue/work", "second").await;

    let mut a = connect(&lb).await;
    subscribe(&mut a, "qa", "/queue/work").await;
    let first = next_frame(&mut a).await;
    assert_eq!(first.command, "MESSAGE");
    assert_eq!(body(&first), "first");
    assert_eq!(first.get("destination"), Some("/queue/work"));
    assert_eq!(first.get("subscription"), Some("qa"));
    assert_eq!(first.get("type"), Some("Login#1001"));
    assert_eq!(first.get("correlation-id"), Some("c-1"));
    assert_eq!(first.get("reply-to"), Some("/topic/desk"));
    assert_eq!(first.get("persistent"), Some("false"));
    assert_eq!(first.get("expires"), Some("0"));
    assert_eq!(first.get("receipt"), None);
    assert!(first.get("message-id").is_some_and(|m| !m.is_empty()));
    let ts: u64 = first.get("timestamp").unwrap().parse().unwrap();
    assert!(ts > 1_600_000_000_000, "timestamp {ts}");
    let second = next_frame(&mut a).await;
    assert_eq!(body(&second), "second");
    assert_ne!(first.get("message-id"), second.get("message-id"));

    let mut b = connect(&lb).await;
    subscribe(&mut b, "qb", "/queue/work").await;
    for n in 0..4 {
        send(&mut producer, "/queue/work", &format!("m{n}")).await;
    }
    let (mut got_a, mut got_b) = (Vec::new(), Vec::new());
    for _ in 0..2 {
        got_a.push(body(&next_frame(&mut a).await).to_owned());
        got_b.push(body(&next_frame(&mut b).await).to_owned());
    }
    let mut all: Vec<String> = got_a.iter().chain(&got_b).cloned().collect();
    all.sort();
    assert_eq!(all, ["m0", "m1", "m2", "m3"], "a {got_a:?} b {got_b:?}");
    assert_ne!(got_a[0], got_a[1]);
    lb.shutdown().await;
}

#[tokio::test]
async fn a_topic_reaches_every_subscriber_and_keeps_nothing() {
    let lb = Loopback::start().await.unwrap();
    let mut producer = connect(&lb).await;
    send(&mut producer, "/topic/news", "nobody hears this").await;
    let mut a = connect(&lb).await;
    let mut b = connect(&lb).await;
    subscribe(&mut a, "1", "/topic/news").await;
    subscribe(&mut b, "1", "/topic/news").await;
    send(&mut producer, "/topic/news", "hello").await;
    for c in [&mut a, &mut b] {
        let f = next_frame(c).await;
        assert_eq!(body(&f), "hello");
        assert_eq!(f.get("destination"), Some("/topic/news"));
    }

    // After UNSUBSCRIBE, b hears nothing more: the next frame it gets is
    // the receipt of a marker it sends itself.
    let unsub = Frame::new("UNSUBSCRIBE").header("id", "1");
    confirmed(&mut b, unsub, "u").await;
    send(&mut producer, "/topic/news", "again").await;
    assert_eq!(body(&next_frame(&mut a).await), "again");
    let marker = Frame::new("SEND").header("destination", "/topic/elsewhere");
    confirmed(&mut b, marker, "marker").await;
    lb.shutdown().await;
}

#[tokio::test]
async fn expired_messages_are_not_delivered() {
    let lb = Loopback::start().await.unwrap();
    let mut producer = connect(&lb).await;
    let stale = Frame::new("SEND")
        .header("destination", "/queue/q")
        .header("expires", "1000")
        .body("stale");
    confirmed(&mut producer, stale, "s").await;
    send(&mut producer, "/queue/q", "fresh").await;
    let mut c = connect(&lb).await;
    subscribe(&mut c, "s", "/queue/q").await;
    assert_eq!(body(&next_frame(&mut c).await), "fresh");
    lb.shutdown().await;
}

#[tokio::test]
async fn nonsense_gets_an_error_and_the_connection_closes() {
    let lb = Loopback::start().await.unwrap();
    let bad_destination = Frame::new("SEND").header("destination", "/exchange/x");
    refused(&mut connect(&lb).await, bad_destination, "neither").await;
    let no_destination = Frame::new("SEND").body("x");
    refused(&mut connect(&lb).await, no_destination, "destination").await;
    let no_id = Frame::new("SUBSCRIBE").header("destination", "/queue/q");
    refused(&mut connect(&lb).await, no_id, "`id`").await;
    let unknown = Frame::new("UNSUBSCRIBE").header("id", "nope");
    refused(&mut connect(&lb).await, unknown, "no subscription").await;
    refused(&mut connect(&lb).await, Frame::new("BEGIN"), "transactions").await;
    refused(
        &mut connect(&lb).await,
        Frame::new("FROB"),
        "unknown command",
    )
    .await;

    let mut dup = connect(&lb).await;
    subscribe(&mut dup, "x", "/topic/t").await;
    let again = Frame::new("SUBSCRIBE")
        .header("id", "x")
        .header("destination", "/topic/u");
    refused(&mut dup, again, "already in use").await;

    // A frame before CONNECT, and a client that does not speak 1.2.
    let tcp = TcpStream::connect(lb.addr()).await.unwrap();
    let mut early = Framed::new(tcp, StompCodec::default());
    let send = Frame::new("SEND").header("destination", "/queue/q");
    refused(&mut early, send, "expected CONNECT").await;
    let tcp = TcpStream::connect(lb.addr()).await.unwrap();
    let mut old = Framed::new(tcp, StompCodec::default());
    let connect = Frame::new("CONNECT").header("accept-version", "1.0,1.1");
    refused(&mut old, connect, "1.2").await;

    // A broken frame (lower-case command) is a codec error: ERROR, close.
    let mut raw = TcpStream::connect(lb.addr()).await.unwrap();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    raw.write_all(b"CONNECT\naccept-version:1.2\n\n\0send\n\n\0")
        .await
        .unwrap();
    let mut out = Vec::new();
    tokio::time::timeout(WAIT, raw.read_to_end(&mut out))
        .await
        .unwrap()
        .unwrap();
    let text = String::from_utf8_lossy(&out);
    assert!(text.starts_with("CONNECTED\n"), "{text}");
    assert!(text.contains("ERROR\n"), "{text}");
    lb.shutdown().await;
}

#[tokio::test]
async fn disconnect_is_confirmed_and_heart_beats_are_negotiated() {
    let lb = Loopback::start().await.unwrap();
    let mut c = connect(&lb).await;
    let bye = Frame::new("DISCONNECT");
    confirmed(&mut c, bye, "bye").await;
    let end = tokio::time::timeout(WAIT, c.next()).await.unwrap();
    assert!(end.is_none(), "connection still open: {end:?}");

    // The client can beat every 200 ms and wants one every 300 ms; the
    // endpoint's floor is 1000 ms both ways.
    let (mut c, connected) = open(&lb, "200,300").await;
    assert_eq!(connected.get("version"), Some("1.2"));
    assert_eq!(connected.get("heart-beat"), Some("1000,1000"));
    let beat = tokio::time::timeout(Duration::from_secs(5), c.next())
        .await
        .expect("a heart-beat within 5 s");
    assert!(matches!(beat, Some(Ok(Incoming::HeartBeat))), "{beat:?}");
    // The client never beats: after twice the agreed 1000 ms the endpoint
    // hangs up.
    let end = tokio::time::timeout(WAIT, async {
        loop {
            match c.next().await {
                Some(Ok(Incoming::HeartBeat)) => {}
                other => return other,
            }
        }
    })
    .await
    .expect("the silent client is dropped within 10 s");
    assert!(end.is_none(), "{end:?}");
    lb.shutdown().await;
}
