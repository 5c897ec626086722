//! The `gcclient-sim` binary on its loopback endpoint, controlled over its
//! localhost HTTP endpoint, with a gcclient Client as the agent desktop.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use gcclient::protocol::AgentState;
use gcclient::{Client, Config, EventData, Notification};

/// Kills the simulator when the test ends, pass or fail.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary and reads its STOMP URL and HTTP address from stderr.
fn start() -> (Running, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gcclient-sim"))
        .args(["--loopback", "--http", "127.0.0.1:0", "--no-console"])
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gcclient-sim runs");
    let stderr = child.stderr.take().unwrap();
    let running = Running(child);
    let mut lines = BufReader::new(stderr).lines();
    let line = lines
        .find_map(|l| l.ok().filter(|l| l.contains("serving queue")))
        .expect("the simulator announces itself");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("tcp://"))
        .expect("a tcp:// URL")
        .to_owned();
    let http = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split(';').next())
        .expect("an http:// address")
        .to_owned();
    // Keep draining stderr so the simulator never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (running, url, http)
}

/// One request; returns (status code, body).
fn http(addr: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    s.read_to_string(&mut response).unwrap();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("not HTTP: {response:?}"));
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_serves_on_loopback_and_takes_commands_over_http() {
    let (_sim, url, addr) = tokio::task::spawn_blocking(start).await.unwrap();
    let get = |path: &'static str| {
        let addr = addr.clone();
        tokio::task::spawn_blocking(move || http(&addr, "GET", path, ""))
    };
    let post = |line: &str| {
        let (addr, line) = (addr.clone(), line.to_owned());
        tokio::task::spawn_blocking(move || http(&addr, "POST", "/", &line))
    };

    let (status, agents) = get("/agents").await.unwrap();
    assert_eq!(status, 200, "{agents}");
    assert!(
        agents.contains("1001") && agents.contains("LOGOUT"),
        "{agents}"
    );
    let (status, text) = get("/nothing").await.unwrap();
    assert_eq!(status, 404, "{text}");
    let (status, text) = post("offer 1001 5551234").await.unwrap();
    assert_eq!(status, 400, "{text}");
    assert!(text.starts_with("error: "), "{text}");
    let (status, text) = post("frobnicate").await.unwrap();
    assert_eq!(
        (status, text.as_str()),
        (400, "error: unknown command; type `help`\n")
    );

    let mut cfg = Config::new(url);
    cfg.hello_interval_ms = 200;
    let client = Client::connect(cfg).await.unwrap();
    client
        .wait_in_service(Duration::from_secs(10))
        .await
        .unwrap();
    let alice = client.agent("1001");
    alice.login("1234", "5001").await.unwrap();
    alice.make_ready().await.unwrap();
    let mut events = alice.events();

    let (status, text) = post("offer 1001 5551234 callVariable1=VIP").await.unwrap();
    assert_eq!(status, 200, "{text}");
    let dialog = text
        .trim()
        .strip_prefix("dialog ")
        .expect("dialog id")
        .to_owned();
    let rang = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(n) = events.recv().await {
            if let Notification::Event(e) = n {
                if let EventData::NewInboundCall(c) = e.data {
                    return c;
                }
            }
        }
        panic!("event stream closed");
    })
    .await
    .expect("the call rings");
    assert_eq!(rang.dialog_id.as_deref(), Some(dialog.as_str()));
    let (status, calls) = get("/calls").await.unwrap();
    assert_eq!(status, 200);
    assert!(
        calls.contains(&dialog) && calls.contains("5551234"),
        "{calls}"
    );

    alice.answer_call(&dialog).await.unwrap();
    let mut events = alice.events();
    let (status, text) = post(&format!("hangup {dialog}")).await.unwrap();
    assert_eq!(status, 200, "{text}");
    tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(n) = events.recv().await {
            if let Some(EventData::AgentState(s)) = n.event().map(|e| &e.data) {
                if s.state != AgentState::Talking {
                    return;
                }
            }
        }
    })
    .await
    .expect("the hang-up reaches the agent");
    client.close().await;
}

/// The control commands that provoke what no client command does (armed
/// errors, failed calls, progressive reservations), with a raw STOMP peer
/// as the agent so only the simulator is under test.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_provokes_errors_failures_and_reservations() {
    use gcclient::stomp::{BrokerUrl, Transport, TransportConfig, TransportEvent};
    let (_sim, url, addr) = tokio::task::spawn_blocking(start).await.unwrap();
    let post = |line: &str| {
        let (addr, line) = (addr.clone(), line.to_owned());
        tokio::task::spawn_blocking(move || http(&addr, "POST", "/", &line))
    };
    for bad in [
        "error 1001 NO_SUCH_CODE",
        "error 1001 GENERAL_ERROR make_call",
        "error 1001 CF_GENERIC_OPERATION no_such_command",
        "error 9999 CF_GENERIC_OPERATION",
        "reserve 1001",
        "dial 1001 5553333",
        "fail 42 cause",
    ] {
        let (status, text) = post(bad).await.unwrap();
        assert_eq!(status, 400, "{bad}: {text}");
        assert!(text.starts_with("error: "), "{bad}: {text}");
    }

    let topic = "client.raw";
    let mut tcfg = TransportConfig::new(BrokerUrl::parse(&url).unwrap());
    tcfg.subscriptions = vec![format!("/topic/{topic}")];
    let (transport, mut rx) = Transport::start(tcfg);
    let mut n = 0;
    let mut send = |ty: &str, body: &str| {
        n += 1;
        let headers = vec![
            ("type".to_owned(), ty.to_owned()),
            ("correlation-id".to_owned(), format!("raw-{n}")),
            ("reply-to".to_owned(), format!("/topic/{topic}")),
        ];
        let (transport, body) = (transport.clone(), body.to_owned());
        async move {
            transport
                .send("/queue/Connector1", headers, body)
                .await
                .unwrap()
        }
    };
    loop {
        match tokio::time::timeout(Duration::from_secs(10), rx.recv()).await {
            Ok(Some(TransportEvent::Connected { .. })) => break,
            Ok(Some(_)) => {}
            _ => panic!("no connection to the loopback endpoint"),
        }
    }
    send(&format!("Hello#{topic}"), "").await;
    send("Connect#1001", &format!("{topic},1234")).await;
    send("Login#1001", "1234,5001").await;
    next_body(&mut rx, "#AgentInfo#").await;

    let (status, text) = post("error 1001 CF_GENERIC_OPERATION get_state")
        .await
        .unwrap();
    assert_eq!(status, 200, "{text}");
    send("GetState#1001", "").await;
    next_body(&mut rx, "1001#Error#CF_GENERIC_OPERATION").await;

    send("MakeReady#1001", "").await;
    next_body(&mut rx, "#State#READY#").await;
    let (status, text) = post("reserve 1001").await.unwrap();
    assert_eq!(status, 200, "{text}");
    next_body(&mut rx, "#State#RESERVED_OUTBOUND#").await;
    let (status, text) = post("dial 1001 5553333").await.unwrap();
    assert_eq!(status, 200, "{text}");
    let dialog = text
        .trim()
        .strip_prefix("dialog ")
        .expect("dialog id")
        .to_owned();
    let offer = next_body(&mut rx, "NewInboundCall#").await;
    assert!(offer.starts_with("NewInboundCall#5553333#"), "{offer}");
    let (status, text) = post(&format!("fail {dialog} NO_ANSWER")).await.unwrap();
    assert_eq!(status, 200, "{text}");
    let failed = next_body(&mut rx, "#FAILED#").await;
    assert_eq!(
        failed,
        format!("1001#InboundCall#FAILED#DialogID:{dialog}#NO_ANSWER#Alice Archer")
    );
    transport.close().await;
}

/// The next message on the raw peer's topic whose body contains `want`.
async fn next_body(
    rx: &mut tokio::sync::mpsc::UnboundedReceiver<gcclient::stomp::TransportEvent>,
    want: &str,
) -> String {
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match rx.recv().await {
                Some(gcclient::stomp::TransportEvent::Message(m)) if m.body.contains(want) => {
                    return m.body
                }
                Some(_) => {}
                None => panic!("transport closed"),
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no event with `{want}`"))
}
