//! A laptop-sleep style pause: the client process is stopped (SIGSTOP) long
//! enough for the broker to drop it, then continued (SIGCONT). It must
//! notice, reconnect, say Hello, re-log its agent and serve commands again
//! by itself.
//!
//! The pause is 20 s by default: anything past the broker's 3x heart-beat
//! grace (3 s here) takes the same path (connection dropped by the broker,
//! every timer of the client late at once), so 60 s would only add 40 s to
//! every run. `GCCLIENT_FAULTS_SLEEP_SECS=60` runs the exact figure.

mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::gc_peer::GcPeer;
use common::T;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{ChildStdout, Command};

const HEARTBEAT_MS: u64 = 1000;

fn pause() -> Duration {
    let secs = std::env::var("GCCLIENT_FAULTS_SLEEP_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    Duration::from_secs(secs)
}

fn signal(pid: u32, sig: &str) {
    let ok = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("kill -{sig} {pid}"))
        .status()
        .expect("sh")
        .success();
    assert!(ok, "kill -{sig} {pid} failed");
}

/// The next line of the client, or a failure after `T`.
async fn line(out: &mut Lines<BufReader<ChildStdout>>) -> String {
    tokio::time::timeout(T, out.next_line())
        .await
        .expect("the client said nothing in time")
        .expect("reading the client")
        .expect("the client exited")
}

async fn until(out: &mut Lines<BufReader<ChildStdout>>, what: &str, seen: &mut Vec<String>) {
    loop {
        let l = line(out).await;
        seen.push(l.clone());
        assert!(!l.starts_with("error"), "client: {l}");
        if l == what {
            return;
        }
    }
}

#[tokio::test]
async fn a_stopped_client_recovers_by_itself_after_sigcont() {
    common::init_tracing();
    let stomp = common::stomp_addr();
    let queue = gcclient_tests::broker::unique_name("gc-sleep");
    let peer = GcPeer::start(&stomp, &queue).await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_faults_client"))
        .env("FAULTS_STOMP", &stomp)
        .env("FAULTS_QUEUE", &queue)
        .env("FAULTS_HEARTBEAT_MS", HEARTBEAT_MS.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start faults_client");
    let pid = child.id().expect("pid");
    let mut stdin = child.stdin.take().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    until(&mut out, "ready", &mut seen).await;
    let first = peer.next_named("Login").await;
    assert_eq!(first.target(), "1001");

    let pause = pause();
    signal(pid, "STOP");
    // The pause is the fault itself, not a wait for something.
    tokio::time::sleep(pause).await;
    let woke = Instant::now();
    signal(pid, "CONT");

    let mut after = Vec::new();
    until(&mut out, "relogin 1001 ok", &mut after).await;
    let relogged = woke.elapsed();
    assert!(
        after.iter().any(|l| l == "status reconnecting"),
        "the broker dropped the stopped client, so it must have reconnected: {after:?}"
    );
    let login = peer.next_named("Login").await;
    assert_eq!((login.target(), login.body.as_str()), ("1001", "pw,5001"));

    stdin.write_all(b"get_state\n").await.unwrap();
    let mut answer = Vec::new();
    loop {
        let l = line(&mut out).await;
        if l.starts_with("get_state") {
            answer.push(l);
            break;
        }
    }
    assert_eq!(answer, ["get_state ok READY"]);
    eprintln!(
        "[faults] paused {} s; re-logged in {} ms after SIGCONT; lines: {after:?}",
        pause.as_secs(),
        relogged.as_millis()
    );

    stdin.write_all(b"quit\n").await.unwrap();
    let status = tokio::time::timeout(T, child.wait())
        .await
        .expect("client did not quit")
        .unwrap();
    assert!(status.success(), "{status:?}");
}
