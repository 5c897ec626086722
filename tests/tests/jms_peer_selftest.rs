//! Self-test of the JMS peer (`tests/jms-peer`) and of ActiveMQ's STOMP <-> JMS
//! mapping, with a minimal raw STOMP 1.2 client written inline on a plain
//! `TcpStream` (independent of gcclient's own STOMP code on purpose).
//!
//! Each test documents one fact of `docs/interop.md`.
//!
//! Broker: `GCCLIENT_TEST_STOMP` / `GCCLIENT_TEST_OPENWIRE` (host:port) if set,
//! otherwise the shared test broker of `gcclient_tests::broker`.

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use gcclient_tests::jms_peer::{AutoRule, JmsPeer, OutgoingMessage, PeerError};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::TcpStream;

const T: Duration = Duration::from_secs(10);

/// Names with German, Polish, CJK and Korean: all in the Basic Multilingual
/// Plane (at most 3 bytes in UTF-8), which survive STOMP <-> JMS as text.
const INTL: &str = "Zoë Ünal, Łódź, 中文 日本語 한국어";
/// The same plus characters outside the BMP (4-byte UTF-8): an emoji and a
/// CJK Extension B ideograph. These break ActiveMQ's text conversion (AMQ-8398).
const INTL4: &str = "Zoë Ünal, Łódź, 中文 日本語 한국어 🎉 𠀀";

// ---------------------------------------------------------------- broker

struct Broker {
    stomp: String,
    openwire: String,
}

/// The shared test broker (`GCCLIENT_TEST_STOMP` / `GCCLIENT_TEST_OPENWIRE`,
/// or a private one for this process). Never `None`: without a broker the
/// tests fail rather than skip.
fn broker() -> Broker {
    let b = gcclient_tests::broker::shared_broker();
    Broker {
        stomp: b.stomp.clone(),
        openwire: b.openwire.clone(),
    }
}

fn unique(prefix: &str) -> String {
    gcclient_tests::broker::unique_name(prefix)
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

// ---------------------------------------------------------------- raw STOMP

#[derive(Debug)]
struct Frame {
    command: String,
    /// In wire order, unescaped; repeated headers kept (the first one counts).
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Frame {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn header_map(&self) -> HashMap<&str, &str> {
        let mut m = HashMap::new();
        for (k, v) in &self.headers {
            m.entry(k.as_str()).or_insert(v.as_str());
        }
        m
    }

    fn body_str(&self) -> &str {
        std::str::from_utf8(&self.body).expect("UTF-8 body")
    }
}

fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => o.push_str("\\\\"),
            ':' => o.push_str("\\c"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            c => o.push(c),
        }
    }
    o
}

fn unescape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            o.push(c);
            continue;
        }
        match it.next() {
            Some('c') => o.push(':'),
            Some('n') => o.push('\n'),
            Some('r') => o.push('\r'),
            Some('\\') => o.push('\\'),
            other => panic!("bad STOMP escape \\{other:?} in {s:?}"),
        }
    }
    o
}

struct Stomp {
    rd: BufReader<OwnedReadHalf>,
    wr: OwnedWriteHalf,
    receipts: u32,
}

impl Stomp {
    async fn connect(addr: &str) -> Stomp {
        let tcp = TcpStream::connect(addr)
            .await
            .expect("connect to STOMP port");
        tcp.set_nodelay(true).unwrap();
        let (rd, wr) = tcp.into_split();
        let mut s = Stomp {
            rd: BufReader::new(rd),
            wr,
            receipts: 0,
        };
        s.send_frame(
            "CONNECT",
            &[
                ("accept-version", "1.2"),
                ("host", "localhost"),
                ("heart-beat", "0,0"),
            ],
            b"",
        )
        .await;
        let f = s.read_frame(T).await;
        assert_eq!(f.command, "CONNECTED", "{f:?}");
        assert_eq!(f.header("version"), Some("1.2"));
        s
    }

    async fn send_frame(&mut self, command: &str, headers: &[(&str, &str)], body: &[u8]) {
        let mut buf = Vec::with_capacity(body.len() + 256);
        buf.extend_from_slice(command.as_bytes());
        buf.push(b'\n');
        for (k, v) in headers {
            // CONNECT headers are not escaped (STOMP 1.2), ours have nothing to escape.
            if command == "CONNECT" {
                buf.extend_from_slice(format!("{k}:{v}\n").as_bytes());
            } else {
                buf.extend_from_slice(format!("{}:{}\n", escape(k), escape(v)).as_bytes());
            }
        }
        buf.push(b'\n');
        buf.extend_from_slice(body);
        buf.push(0);
        self.wr.write_all(&buf).await.unwrap();
        self.wr.flush().await.unwrap();
    }

    /// Sends a frame with a fresh `receipt` header and waits for its RECEIPT.
    async fn send_with_receipt(&mut self, command: &str, headers: &[(&str, &str)], body: &[u8]) {
        self.receipts += 1;
        let id = format!("r-{}", self.receipts);
        let mut h: Vec<(&str, &str)> = headers.to_vec();
        h.push(("receipt", &id));
        self.send_frame(command, &h, body).await;
        let f = self.read_frame(T).await;
        assert_eq!(
            f.command,
            "RECEIPT",
            "{f:?} (body {:?})",
            String::from_utf8_lossy(&f.body)
        );
        assert_eq!(f.header("receipt-id"), Some(id.as_str()));
    }

    async fn subscribe(&mut self, destination: &str, id: &str) {
        self.send_with_receipt(
            "SUBSCRIBE",
            &[("destination", destination), ("id", id), ("ack", "auto")],
            b"",
        )
        .await;
    }

    async fn read_frame(&mut self, timeout: Duration) -> Frame {
        tokio::time::timeout(timeout, self.read_frame_inner())
            .await
            .expect("timed out waiting for a STOMP frame")
    }

    async fn read_frame_inner(&mut self) -> Frame {
        // Skip heart-beat EOLs.
        let mut line = String::new();
        loop {
            line.clear();
            let n = self.rd.read_line(&mut line).await.unwrap();
            assert!(n > 0, "broker closed the connection");
            if !line.trim_end_matches(['\r', '\n']).is_empty() {
                break;
            }
        }
        let command = line.trim_end_matches(['\r', '\n']).to_string();
        let mut headers = Vec::new();
        loop {
            line.clear();
            self.rd.read_line(&mut line).await.unwrap();
            let l = line.trim_end_matches('\n').trim_end_matches('\r');
            if l.is_empty() {
                break;
            }
            let (k, v) = l.split_once(':').expect("header with ':'");
            headers.push((unescape(k), unescape(v)));
        }
        let len = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .map(|(_, v)| v.parse::<usize>().expect("numeric content-length"));
        let body = match len {
            Some(n) => {
                let mut b = vec![0u8; n + 1];
                self.rd.read_exact(&mut b).await.unwrap();
                assert_eq!(
                    b.pop(),
                    Some(0),
                    "frame not NUL-terminated after content-length"
                );
                b
            }
            None => {
                let mut b = Vec::new();
                self.rd.read_until(0, &mut b).await.unwrap();
                assert_eq!(b.pop(), Some(0), "EOF inside a frame");
                b
            }
        };
        Frame {
            command,
            headers,
            body,
        }
    }

    /// The next MESSAGE frame (fails on ERROR).
    async fn next_message(&mut self) -> Frame {
        let f = self.read_frame(T).await;
        assert_eq!(
            f.command,
            "MESSAGE",
            "{f:?} (body {:?})",
            String::from_utf8_lossy(&f.body)
        );
        f
    }
}

async fn peer(b: &Broker, queue: &str) -> JmsPeer {
    JmsPeer::start(&b.openwire, queue)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

// ---------------------------------------------------------------- client -> GC

/// STOMP SEND without content-length, with the headers a gcclient command
/// carries, is a JMS TextMessage with every field mapped.
#[tokio::test]
async fn send_without_content_length_is_text_message_with_mapped_headers() {
    let b = broker();
    let queue = unique("selftest-q");
    let topic = unique("selftest-t");
    let p = peer(&b, &queue).await;
    let mut s = Stomp::connect(&b.stomp).await;

    let sent_at = now_ms();
    let expires = (sent_at + 10_000).to_string();
    let reply_to = format!("/topic/{topic}");
    s.send_with_receipt(
        "SEND",
        &[
            ("destination", &format!("/queue/{queue}")),
            ("type", "Login#1001"),
            ("correlation-id", "corr-1"),
            ("reply-to", &reply_to),
            ("expires", &expires),
            ("persistent", "false"),
        ],
        INTL.as_bytes(),
    )
    .await;

    let m = p.next_message(T).await.unwrap();
    eprintln!("{m:#?}");
    assert_eq!(m.jms_class, "TextMessage");
    assert_eq!(m.jms_type.as_deref(), Some("Login#1001"));
    assert_eq!(m.correlation_id.as_deref(), Some("corr-1"));
    assert_eq!(
        m.reply_to.as_deref(),
        Some(format!("topic://{topic}").as_str())
    );
    assert_eq!(
        m.destination.as_deref(),
        Some(format!("queue://{queue}").as_str())
    );
    // `expires` is copied verbatim into JMSExpiration (absolute epoch ms).
    assert_eq!(m.expiration, sent_at + 10_000);
    let ttl_left = m.expiration - m.received_at;
    assert!(
        (9_000..=10_000).contains(&ttl_left),
        "expiration - receivedAt = {ttl_left}"
    );
    assert_eq!(m.delivery_mode, 1, "persistent:false -> NON_PERSISTENT");
    assert_eq!(m.body.as_deref(), Some(INTL));
    assert_eq!(m.priority, Some(4), "no priority header -> JMS default 4");
    // The broker stamps JMSTimestamp when it receives the SEND.
    assert!(
        m.timestamp >= sent_at - 1_000 && m.timestamp <= m.received_at + 1_000,
        "{m:?}"
    );
    // Standard headers do not leak into JMS properties.
    assert!(m.properties.is_empty(), "properties: {:?}", m.properties);
    p.quit().await.unwrap();
}

/// Without `persistent`, `expires`, `type`, `correlation-id`, `reply-to`: the
/// JMS defaults (non-persistent, no expiry, nulls). `persistent:true` gives
/// DeliveryMode 2. Unknown headers become string properties.
#[tokio::test]
async fn defaults_persistent_and_custom_headers() {
    let b = broker();
    let queue = unique("selftest-q");
    let p = peer(&b, &queue).await;
    let mut s = Stomp::connect(&b.stomp).await;
    let dest = format!("/queue/{queue}");

    s.send_with_receipt("SEND", &[("destination", &dest)], b"bare")
        .await;
    let m = p.next_message(T).await.unwrap();
    assert_eq!(m.jms_class, "TextMessage");
    assert_eq!(m.body.as_deref(), Some("bare"));
    assert_eq!(m.delivery_mode, 1, "no persistent header -> NON_PERSISTENT");
    assert_eq!(m.expiration, 0, "no expires header -> never expires");
    assert_eq!(m.jms_type, None);
    assert_eq!(m.correlation_id, None);
    assert_eq!(m.reply_to, None);

    s.send_with_receipt(
        "SEND",
        &[("destination", &dest), ("persistent", "true")],
        b"durable",
    )
    .await;
    let m = p.next_message(T).await.unwrap();
    assert_eq!(m.delivery_mode, 2, "persistent:true -> PERSISTENT");

    // An empty `type:` header gives an empty (not null) JMSType.
    s.send_with_receipt(
        "SEND",
        &[("destination", &dest), ("type", "")],
        b"empty type",
    )
    .await;
    let m = p.next_message(T).await.unwrap();
    assert_eq!(m.jms_type.as_deref(), Some(""));

    // A custom header becomes a String property; an escaped ':' survives.
    s.send_with_receipt(
        "SEND",
        &[("destination", &dest), ("x-gc-note", "a:b")],
        b"custom",
    )
    .await;
    let m = p.next_message(T).await.unwrap();
    assert_eq!(
        m.properties.get("x-gc-note").and_then(|v| v.as_str()),
        Some("a:b"),
        "{:?}",
        m.properties
    );
    p.quit().await.unwrap();
}

/// A SEND with content-length is a BytesMessage: GC (which reads TextMessage)
/// could not read it. The bytes are intact.
#[tokio::test]
async fn send_with_content_length_is_bytes_message() {
    let b = broker();
    let queue = unique("selftest-q");
    let p = peer(&b, &queue).await;
    let mut s = Stomp::connect(&b.stomp).await;

    // Bytes pass through untouched, even 4-byte UTF-8.
    let len = INTL4.len().to_string();
    s.send_with_receipt(
        "SEND",
        &[
            ("destination", &format!("/queue/{queue}")),
            ("type", "Login#1001"),
            ("content-length", &len),
        ],
        INTL4.as_bytes(),
    )
    .await;
    let m = p.next_message(T).await.unwrap();
    assert_eq!(m.jms_class, "BytesMessage");
    assert_eq!(m.body_length, Some(INTL4.len() as i64));
    assert_eq!(m.body.as_deref(), Some(INTL4));
    assert_eq!(m.body_utf8_valid, Some(true));
    assert_eq!(m.jms_type.as_deref(), Some("Login#1001"));
    p.quit().await.unwrap();
}

// ---------------------------------------------------------------- GC -> client

/// GC's reply (TextMessage, JMSType "", JMSCorrelationID, default delivery
/// mode) arrives with `correlation-id`, an empty `type:` header, no
/// content-length, `persistent:true`, `expires:0`, and the UTF-8 body intact.
#[tokio::test]
async fn reply_arrives_with_correlation_id_and_empty_type() {
    let b = broker();
    let queue = unique("selftest-q");
    let topic = unique("selftest-t");
    let p = peer(&b, &queue).await;
    let mut s = Stomp::connect(&b.stomp).await;
    s.subscribe(&format!("/topic/{topic}"), "sub-1").await;

    let before = now_ms();
    p.reply("corr-42", &format!("topic://{topic}"), INTL)
        .await
        .unwrap();
    let f = s.next_message().await;
    eprintln!("{:#?}", f.header_map());
    assert_eq!(f.header("correlation-id"), Some("corr-42"));
    assert_eq!(
        f.header("type"),
        Some(""),
        "JMSType \"\" -> empty type header"
    );
    assert_eq!(
        f.header("content-length"),
        None,
        "TextMessage -> no content-length"
    );
    assert_eq!(f.header("persistent"), Some("true"));
    assert_eq!(f.header("expires"), Some("0"));
    assert_eq!(
        f.header("destination"),
        Some(format!("/topic/{topic}").as_str())
    );
    assert_eq!(f.header("subscription"), Some("sub-1"));
    assert_eq!(f.header("priority"), Some("4"));
    assert!(f.header("message-id").is_some());
    let ts: i64 = f.header("timestamp").unwrap().parse().unwrap();
    assert!(
        ts >= before - 1_000 && ts <= now_ms() + 1_000,
        "timestamp {ts}"
    );
    assert_eq!(f.body_str(), INTL);
    p.quit().await.unwrap();
}

/// An unsolicited TextMessage with a null JMSType has no `type` header and no
/// `correlation-id`; a BytesMessage arrives with `content-length`.
#[tokio::test]
async fn unsolicited_text_and_bytes_events() {
    let b = broker();
    let queue = unique("selftest-q");
    let topic = unique("selftest-t");
    let p = peer(&b, &queue).await;
    let mut s = Stomp::connect(&b.stomp).await;
    s.subscribe(&format!("/topic/{topic}"), "sub-1").await;

    p.send_text(&topic, "1001#AgentState#READY").await.unwrap();
    let f = s.next_message().await;
    assert_eq!(f.header("type"), None, "null JMSType -> no type header");
    assert_eq!(f.header("correlation-id"), None);
    assert_eq!(f.header("content-length"), None);
    assert_eq!(f.body_str(), "1001#AgentState#READY");

    p.send_bytes(&topic, INTL4).await.unwrap();
    let f = s.next_message().await;
    assert_eq!(
        f.header("content-length"),
        Some(INTL4.len().to_string().as_str()),
        "BytesMessage -> content-length"
    );
    assert_eq!(
        f.body_str(),
        INTL4,
        "bytes pass through untouched, even 4-byte UTF-8"
    );

    // Explicit JMSType and non-persistent delivery are visible too.
    p.send(&OutgoingMessage {
        jms_type: Some("Event".into()),
        persistent: Some(false),
        ..OutgoingMessage::text(format!("topic://{topic}"), "x")
    })
    .await
    .unwrap();
    let f = s.next_message().await;
    assert_eq!(f.header("type"), Some("Event"));
    assert_eq!(
        f.header("persistent"),
        None,
        "non-persistent -> no persistent header"
    );
    p.quit().await.unwrap();
}

/// 64 KB bodies of multi-byte text survive both directions.
#[tokio::test]
async fn large_bodies_are_intact() {
    let b = broker();
    let queue = unique("selftest-q");
    let topic = unique("selftest-t");
    let p = peer(&b, &queue).await;
    let mut s = Stomp::connect(&b.stomp).await;
    s.subscribe(&format!("/topic/{topic}"), "sub-1").await;

    let mut big = String::new();
    while big.len() < 64 * 1024 {
        big.push_str(INTL);
        big.push('#');
    }
    assert!(big.len() >= 65_536);

    s.send_with_receipt(
        "SEND",
        &[("destination", &format!("/queue/{queue}"))],
        big.as_bytes(),
    )
    .await;
    let m = p.next_message(T).await.unwrap();
    assert_eq!(m.jms_class, "TextMessage");
    assert!(
        m.body.as_deref() == Some(big.as_str()),
        "64 KB text body differs"
    );

    p.reply("big", &format!("topic://{topic}"), &big)
        .await
        .unwrap();
    let f = s.next_message().await;
    assert!(f.body_str() == big, "64 KB reply differs");

    p.send_bytes(&topic, &big).await.unwrap();
    let f = s.next_message().await;
    assert_eq!(
        f.header("content-length"),
        Some(big.len().to_string().as_str())
    );
    assert!(f.body_str() == big, "64 KB bytes event differs");
    p.quit().await.unwrap();
}

/// JMSTimestamp is stamped by the *sender*: for a STOMP SEND the broker stamps
/// its clock unless the frame carries a `timestamp` header, which is taken
/// verbatim; for a JMS producer (GC) it is the producer's clock (0 when the
/// producer disables timestamps), and the STOMP MESSAGE shows it unchanged.
#[tokio::test]
async fn timestamp_comes_from_the_sender() {
    let b = broker();
    let queue = unique("selftest-q");
    let topic = unique("selftest-t");
    let p = peer(&b, &queue).await;
    let mut s = Stomp::connect(&b.stomp).await;
    s.subscribe(&format!("/topic/{topic}"), "sub-1").await;
    let dest = format!("/queue/{queue}");

    let before = now_ms();
    s.send_with_receipt("SEND", &[("destination", &dest)], b"a")
        .await;
    let m = p.next_message(T).await.unwrap();
    assert!(
        m.timestamp >= before - 1_000 && m.timestamp <= now_ms() + 1_000,
        "broker clock: {}",
        m.timestamp
    );

    let expires = (now_ms() + 10_000).to_string();
    s.send_with_receipt(
        "SEND",
        &[
            ("destination", &dest),
            ("timestamp", "1000"),
            ("expires", &expires),
        ],
        b"b",
    )
    .await;
    let m = p.next_message(T).await.unwrap();
    assert_eq!(
        m.timestamp, 1000,
        "a SEND's timestamp header is copied verbatim"
    );
    assert_eq!(
        m.expiration.to_string(),
        expires,
        "expires stays absolute, not timestamp-relative"
    );

    p.send(&OutgoingMessage {
        timestamp: Some(false),
        ..OutgoingMessage::text(topic.clone(), "c")
    })
    .await
    .unwrap();
    let f = s.next_message().await;
    assert_eq!(
        f.header("timestamp"),
        Some("0"),
        "the JMS producer stamps, not the broker"
    );
    p.quit().await.unwrap();
}

// ---------------------------------------------------------------- characters outside the BMP

/// Java encodes a supplementary character as a surrogate pair, each half as 3
/// bytes ("CESU-8", what Java's modified UTF-8 does).
fn cesu8(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for c in s.chars() {
        if (c as u32) < 0x10000 {
            let mut b = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
        } else {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                let u = *u as u32;
                out.extend_from_slice(&[
                    0xE0 | (u >> 12) as u8,
                    0x80 | ((u >> 6) & 0x3F) as u8,
                    0x80 | (u & 0x3F) as u8,
                ]);
            }
        }
    }
    out
}

/// AMQ-8398, STOMP -> JMS: a text body with 4-byte UTF-8 reaches the JMS
/// consumer as a TextMessage whose `getText()` throws UTFDataFormatException
/// (GC cannot read it). The same text encoded as CESU-8 reads correctly.
#[tokio::test]
async fn four_byte_utf8_text_from_stomp_is_unreadable_by_jms() {
    let b = broker();
    let queue = unique("selftest-q");
    let p = peer(&b, &queue).await;
    let mut s = Stomp::connect(&b.stomp).await;
    let dest = format!("/queue/{queue}");

    s.send_with_receipt(
        "SEND",
        &[("destination", &dest), ("type", "MakeCall#1001")],
        INTL4.as_bytes(),
    )
    .await;
    let m = p.next_message(T).await.unwrap();
    assert_eq!(m.jms_class, "TextMessage");
    assert_eq!(
        m.jms_type.as_deref(),
        Some("MakeCall#1001"),
        "headers are fine"
    );
    assert_eq!(m.body, None, "getText() must fail");
    assert!(
        m.body_error
            .as_deref()
            .unwrap_or("")
            .contains("UTFDataFormatException"),
        "{m:?}"
    );
    assert_eq!(
        m.raw_body().as_deref(),
        Some(INTL4.as_bytes()),
        "the broker stored the STOMP bytes as they were"
    );

    s.send_with_receipt("SEND", &[("destination", &dest)], &cesu8(INTL4))
        .await;
    let m = p.next_message(T).await.unwrap();
    assert_eq!(
        m.body.as_deref(),
        Some(INTL4),
        "CESU-8 is what the JMS side decodes"
    );
    assert!(p.async_errors().is_empty(), "{:?}", p.async_errors());
    p.quit().await.unwrap();
}

/// JMS -> STOMP: a TextMessage with supplementary characters arrives as CESU-8
/// (not valid UTF-8), and U+0000 arrives as C0 80 (Java modified UTF-8). A
/// BytesMessage's bytes are untouched.
#[tokio::test]
async fn supplementary_characters_from_jms_arrive_as_cesu8() {
    let b = broker();
    let queue = unique("selftest-q");
    let topic = unique("selftest-t");
    let p = peer(&b, &queue).await;
    let mut s = Stomp::connect(&b.stomp).await;
    s.subscribe(&format!("/topic/{topic}"), "sub-1").await;

    p.reply("c-1", &format!("topic://{topic}"), INTL4)
        .await
        .unwrap();
    let f = s.next_message().await;
    assert_eq!(f.header("content-length"), None);
    assert!(std::str::from_utf8(&f.body).is_err(), "not valid UTF-8");
    assert_eq!(f.body, cesu8(INTL4));
    // 🎉 U+1F389 = surrogates D83C DF89
    assert!(f
        .body
        .windows(6)
        .any(|w| w == [0xED, 0xA0, 0xBC, 0xED, 0xBE, 0x89]));

    p.reply("c-2", &format!("topic://{topic}"), "a\u{0}b")
        .await
        .unwrap();
    let f = s.next_message().await;
    assert_eq!(
        f.body,
        [b'a', 0xC0, 0x80, b'b'],
        "U+0000 -> C0 80, so the frame's NUL is unambiguous"
    );

    p.send_bytes(&topic, INTL4).await.unwrap();
    let f = s.next_message().await;
    assert_eq!(f.body, INTL4.as_bytes());
    p.quit().await.unwrap();
}

/// Headers are converted as Java Strings both ways, so JMSType and
/// JMSCorrelationID with 4-byte characters are intact; custom properties are not.
#[tokio::test]
async fn supplementary_characters_in_headers() {
    let b = broker();
    let queue = unique("selftest-q");
    let topic = unique("selftest-t");
    let p = peer(&b, &queue).await;
    let mut s = Stomp::connect(&b.stomp).await;
    s.subscribe(&format!("/topic/{topic}"), "sub-1").await;

    s.send_with_receipt(
        "SEND",
        &[
            ("destination", &format!("/queue/{queue}")),
            ("type", "Login#🎉ł"),
            ("correlation-id", "c-🎉"),
            ("x-prop", "p🎉"),
        ],
        b"x",
    )
    .await;
    let m = p.next_message(T).await.unwrap();
    assert_eq!(m.jms_type.as_deref(), Some("Login#🎉ł"));
    assert_eq!(m.correlation_id.as_deref(), Some("c-🎉"));
    let prop = m
        .properties
        .get("x-prop")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string();
    eprintln!("x-prop arrived as {prop:?}");
    assert_ne!(
        prop, "p🎉",
        "custom String properties lose supplementary characters"
    );

    p.send(&OutgoingMessage {
        jms_type: Some("T🎉".into()),
        correlation_id: Some("c-🎉ł".into()),
        ..OutgoingMessage::text(topic.clone(), "x")
    })
    .await
    .unwrap();
    let f = s.next_message().await;
    assert_eq!(f.header("type"), Some("T🎉"));
    assert_eq!(f.header("correlation-id"), Some("c-🎉ł"));
    p.quit().await.unwrap();
}

// ---------------------------------------------------------------- the peer itself

/// Request/reply via an auto rule, `{agent}` substitution, swallowing rules.
#[tokio::test]
async fn auto_rules_answer_requests() {
    let b = broker();
    let queue = unique("selftest-q");
    let topic = unique("selftest-t");
    let p = peer(&b, &queue).await;
    p.auto(&[
        AutoRule::swallow("Connect#"),
        AutoRule::reply("Hello#", "{agent}#System#IN_SERVICE"),
    ])
    .await
    .unwrap();
    let mut s = Stomp::connect(&b.stomp).await;
    s.subscribe(&format!("/topic/{topic}"), "sub-1").await;
    let dest = format!("/queue/{queue}");
    let reply_to = format!("/topic/{topic}");

    s.send_with_receipt(
        "SEND",
        &[
            ("destination", &dest),
            ("type", "Connect#1001"),
            ("correlation-id", "c-0"),
            ("reply-to", &reply_to),
        ],
        b"Connect#1001",
    )
    .await;
    s.send_with_receipt(
        "SEND",
        &[
            ("destination", &dest),
            ("type", "Hello#1001"),
            ("correlation-id", "c-1"),
            ("reply-to", &reply_to),
        ],
        b"",
    )
    .await;
    assert_eq!(p.next_message(T).await.unwrap().command(), Some("Connect"));
    let m = p.next_message(T).await.unwrap();
    assert_eq!(m.type_argument(), Some("1001"));
    assert_eq!(m.reply_topic(), Some(topic.as_str()));
    let a = p.next_auto_reply(T).await.unwrap();
    assert_eq!(a.body, "1001#System#IN_SERVICE");
    let f = s.next_message().await;
    assert_eq!(
        f.header("correlation-id"),
        Some("c-1"),
        "Connect was swallowed, Hello answered"
    );
    assert_eq!(f.header("type"), Some(""));
    assert_eq!(f.body_str(), "1001#System#IN_SERVICE");

    // Rules off: nothing answered; manual reply_to works.
    p.auto(&[]).await.unwrap();
    s.send_with_receipt(
        "SEND",
        &[
            ("destination", &dest),
            ("type", "Hello#1002"),
            ("correlation-id", "c-2"),
            ("reply-to", &reply_to),
        ],
        b"",
    )
    .await;
    let m = p.next_message(T).await.unwrap();
    p.reply_to(&m, "manual").await.unwrap();
    let f = s.next_message().await;
    assert_eq!(f.header("correlation-id"), Some("c-2"));
    assert_eq!(f.body_str(), "manual");
    p.expect_no_message(Duration::from_millis(200))
        .await
        .unwrap();
    assert!(p.async_errors().is_empty(), "{:?}", p.async_errors());
    p.quit().await.unwrap();
}

/// Bad commands come back as errors and the peer keeps working.
#[tokio::test]
async fn peer_reports_bad_commands_and_survives() {
    let b = broker();
    let p = peer(&b, &unique("selftest-q")).await;
    let e = p.reply("c", "", "x").await.unwrap_err();
    assert!(
        matches!(e, PeerError::Peer { ref op, .. } if op == "reply"),
        "{e}"
    );
    p.ping().await.unwrap();
    p.send_text(&unique("selftest-t"), "still alive")
        .await
        .unwrap();
    p.quit().await.unwrap();
}

/// A peer that cannot reach the broker fails `start` with the reason.
#[tokio::test]
async fn start_fails_cleanly_without_broker() {
    // Port 1 on loopback: connection refused. Needs java and the jar only.
    let e = match JmsPeer::start("127.0.0.1:1", "nowhere").await {
        Ok(_) => panic!("start succeeded without a broker"),
        Err(e) => e,
    };
    assert!(
        e.to_string().contains("Connection refused") || e.to_string().contains("connect"),
        "{e}"
    );
}
