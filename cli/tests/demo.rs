//! `gcclient demo`, run as a user runs it: on the simulator's loopback
//! endpoint (nothing installed, not even on PATH) and over the real ActiveMQ.

use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use gcclient_tests::broker::shared_broker;

const BIN: &str = env!("CARGO_BIN_EXE_gcclient");

/// Runs the demo; kills it and fails after 120 s.
fn demo(args: &[&str], path: Option<&str>) -> (Output, Duration) {
    let mut cmd = Command::new(BIN);
    cmd.arg("demo")
        .args(args)
        .env("GCCLIENT_LOG", "warn")
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(path) = path {
        cmd.env("PATH", path);
    }
    let start = Instant::now();
    let child = cmd.spawn().expect("the gcclient binary runs");
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(Duration::from_secs(120)) {
        Ok(out) => (out.expect("demo output"), start.elapsed()),
        Err(_) => {
            let _ = Command::new("kill").arg(pid.to_string()).status();
            panic!("gcclient demo did not finish within 120 s");
        }
    }
}

/// The timeline has every command of the scene in order, and the events
/// it caused (printed by another task, so not ordered against commands).
fn assert_scene(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "exit {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        out.status
    );
    let steps = [
        "→  2001  login (supervisor",
        "→  1001  login (extension 5001)",
        "→  1002  login (extension 5002)",
        "→  2001  get_team_users",
        "→  1001  make_ready",
        "a customer (5551234) calls agent 1001",
        "→  1001  answer",
        "→  1001  hold",
        "→  1001  retrieve",
        "→  1001  consult 5002",
        "→  1002  answer the consult",
        "→  1001  transfer to 5002",
        "→  1001  wrap_up \"Sale\"",
        "→  1002  release",
        "→  1002  wrap_up \"Callback requested\"",
        "→  2001  logout_with_reason 11",
        "demo finished",
    ];
    let mut from = 0;
    for step in steps {
        match stdout[from..].find(step) {
            Some(at) => from += at + step.len(),
            None => panic!("`{step}` missing (or out of order) in:\n{stdout}"),
        }
    }
    for event in [
        "←  2001  info: ",
        "←  1001  state READY",
        "←  1001  RING: call",
        "←  1001  state TALKING",
        "←  1002  state TALKING",
        "←  1001  state WORK",
        "←  1002  state LOGOUT",
    ] {
        assert!(stdout.contains(event), "`{event}` missing in:\n{stdout}");
    }
    assert!(!stdout.contains("ERROR"), "an error event:\n{stdout}");
    stdout
}

#[test]
fn demo_runs_on_the_loopback_endpoint_with_nothing_installed() {
    // An empty PATH: no bash, no java, no scripts/activemq.sh can be run.
    let (out, took) = demo(&[], Some(""));
    let stdout = assert_scene(&out);
    assert!(
        stdout.contains("on its loopback endpoint tcp://127.0.0.1:"),
        "{stdout}"
    );
    assert!(
        stdout.contains("through the loopback endpoint to the simulator"),
        "{stdout}"
    );
    eprintln!("demo on the loopback endpoint took {took:?}");
}

#[test]
fn demo_runs_the_same_over_activemq_with_broker() {
    let url = format!("tcp://{}", shared_broker().stomp);
    let (out, took) = demo(&["--broker", &url], None);
    let stdout = assert_scene(&out);
    assert!(stdout.contains(&format!("on ActiveMQ {url}")), "{stdout}");
    assert!(
        stdout.contains("through the broker to the simulator"),
        "{stdout}"
    );
    eprintln!("demo over ActiveMQ took {took:?}");
}

#[test]
fn demo_with_a_bad_broker_url_fails_clearly() {
    let (out, _) = demo(&["--broker", "http://127.0.0.1:61613"], None);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("starting the simulator"), "{stderr}");
    assert!(stderr.contains("http://127.0.0.1:61613"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
