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
