//! `gcclient agent --script`: the desktop's operations run as a user runs
//! them, against the GC simulator on the real ActiveMQ broker.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use gcclient_sim::{SimConfig, SimHandle, Simulator};
use gcclient_tests::broker::{shared_broker, unique_name};
use serde_json::Value;
use tokio::sync::mpsc;

const BIN: &str = env!("CARGO_BIN_EXE_gcclient");

struct Desk {
    child: Child,
    lines: mpsc::UnboundedReceiver<Value>,
    _script: TempScript,
}

/// Removes the script file when the test is done with it.
struct TempScript(std::path::PathBuf);

impl Drop for TempScript {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

async fn sim() -> (SimHandle, String, String) {
    let broker = format!("tcp://{}", shared_broker().stomp);
    let queue = unique_name("Connector");
    let sim = Simulator::start(SimConfig::new(broker.clone()).with_queue(&queue))
        .await
        .expect("simulator starts");
    (sim, broker, queue)
}

/// Starts `gcclient agent --script`; its stdout arrives as parsed JSON lines.
fn desk(broker: &str, queue: &str, agent: &str, ext: &str, script: &str) -> Desk {
    let path = std::env::temp_dir().join(format!("{}.script", unique_name("desk")));
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(script.as_bytes()))
        .unwrap();
    let mut child = Command::new(BIN)
        .args([
            "agent", "--broker", broker, "--queue", queue, "--agent", agent,
        ])
        .args(["--extension", ext, "--step-timeout-ms", "5000", "--script"])
        .arg(&path)
        .env("GCCLIENT_AGENT_PASSWORD", "1234")
        .env("GCCLIENT_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the gcclient binary runs");
    let out = child.stdout.take().unwrap();
    let (tx, lines) = mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let v = serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON: {line}: {e}"));
            if tx.send(v).is_err() {
                break;
            }
        }
    });
    Desk {
        child,
        lines,
        _script: TempScript(path),
    }
}

impl Desk {
    /// Reads lines until one satisfies `pred`; returns every line read.
    async fn until(&mut self, pred: impl Fn(&Value) -> bool) -> Vec<Value> {
        let mut seen = Vec::new();
        loop {
            let next = tokio::time::timeout(Duration::from_secs(20), self.lines.recv())
                .await
                .unwrap_or_else(|_| panic!("timed out; so far: {seen:#?}"));
            let Some(v) = next else {
                panic!("stdout closed; so far: {seen:#?}")
            };
            let done = pred(&v);
            seen.push(v);
            if done {
                return seen;
            }
        }
    }

    /// Waits for the process to exit; returns its status, the rest of
    /// stdout and stderr.
    fn finish(mut self) -> (std::process::ExitStatus, Vec<Value>, String) {
        let status = self.child.wait().unwrap();
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut self.child.stderr.take().unwrap(), &mut stderr).unwrap();
        let mut rest = Vec::new();
        while let Ok(v) = self.lines.try_recv() {
            rest.push(v);
        }
        (status, rest, stderr)
    }
}

fn is_event(v: &Value, kind: &str, field: &str, value: &str) -> bool {
    v["notification"] == "event" && v["type"] == kind && v[field] == value
}

fn step(lines: &[Value], text: &str) -> Value {
    lines
        .iter()
        .find(|v| v["line"] == text)
        .cloned()
        .unwrap_or_else(|| panic!("no result for `{text}` in {lines:#?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scripted_call_from_login_to_wrap_up() {
    let (sim, broker, queue) = sim().await;
    let mut desk = desk(
        &broker,
        &queue,
        "1001",
        "5001",
        "# one inbound call, end to end
login
wait agent_state state=NOT_READY
ready
wait agent_state state=READY
wait new_inbound_call from_address=5551234
answer
wait inbound_call state=ACTIVE
set callVariable2=gold
hold
wait inbound_call state=HELD
retrieve
release
wait inbound_call state=DROP
wrap_up Sale
-not_ready 99
not_ready 2
wait agent_state state=NOT_READY reason_code_id=2
logout
",
    );
    let mut lines = desk
        .until(|v| is_event(v, "agent_state", "state", "READY"))
        .await;
    let dialog = sim
        .offer_call("1001", "5551234", &[("callVariable1", "VIP")])
        .await
        .unwrap();
    let (status, rest, stderr) = desk.finish();
    lines.extend(rest);
    assert!(status.success(), "{stderr}\n{lines:#?}");

    // Every step reported, in order, with GC's reply where it sends one.
    let login = step(&lines, "login");
    assert_eq!(login["ok"], true);
    assert_eq!(login["reply"]["type"], "agent_state");
    let ringing = lines
        .iter()
        .position(|v| v["type"] == "new_inbound_call")
        .unwrap();
    assert_eq!(lines[ringing]["dialog_id"], dialog.as_str());
    assert_eq!(lines[ringing]["call_variables"][0], "VIP");
    let answered = lines.iter().position(|v| v["line"] == "answer").unwrap();
    assert!(ringing < answered, "answer came after the ring");
    assert_eq!(step(&lines, "answer")["ok"], true);
    assert_eq!(step(&lines, "retrieve")["ok"], true);
    let bad = step(&lines, "-not_ready 99");
    assert_eq!(bad["ok"], false, "{bad}");
    assert!(
        bad["code"].is_string(),
        "GC's error code is reported: {bad}"
    );
    assert_eq!(step(&lines, "logout")["ok"], true);
    // The last line is the client closing.
    assert_eq!(lines.last().unwrap()["status"], "closed", "{lines:#?}");

    // And the simulator saw the desk do it.
    let call = sim.dialog(&dialog).await.unwrap();
    assert!(call.ended);
    assert_eq!(call.wrap_up, vec![("1001".into(), "Sale".into())]);
    assert!(
        call.variables
            .contains(&("callVariable2".into(), "gold".into())),
        "{:?}",
        call.variables
    );
    assert_eq!(
        sim.agent("1001").await.unwrap().state,
        gcclient::AgentState::Logout
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_step_stops_the_script_with_status_1() {
    let (sim, broker, queue) = sim().await;
    let desk = desk(&broker, &queue, "1002", "5002", "login\nanswer\nready\n");
    let (status, lines, stderr) = desk.finish();
    assert_eq!(status.code(), Some(1), "{stderr}");
    let answer = step(&lines, "answer");
    assert_eq!(answer["ok"], false);
    assert_eq!(answer["error"], "no call to answer");
    assert!(stderr.contains("script line 2 `answer` failed"), "{stderr}");
    assert!(
        lines.iter().all(|v| v["line"] != "ready"),
        "nothing runs after a failure: {lines:#?}"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_reads_team_and_queues() {
    let (sim, broker, queue) = sim().await;
    let desk = desk(
        &broker,
        &queue,
        "2001",
        "6001",
        "login\nwait agent_info is_supervisor=true\nteam 1\nqueues\n",
    );
    let (status, lines, stderr) = desk.finish();
    assert!(status.success(), "{stderr}\n{lines:#?}");
    let team = step(&lines, "team 1");
    assert_eq!(team["reply"]["type"], "team_users_list", "{team}");
    let members: Vec<&str> = team["reply"]["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["login_id"].as_str().unwrap())
        .collect();
    assert!(
        members.contains(&"1001") && members.contains(&"1002"),
        "{members:?}"
    );
    let queues = step(&lines, "queues");
    assert_eq!(queues["reply"]["type"], "queue_list", "{queues}");
    assert!(!queues["reply"]["queues"].as_array().unwrap().is_empty());
    sim.shutdown().await;
}

#[test]
fn a_bad_script_fails_before_connecting() {
    // Port 9 (discard) on loopback: nothing listens, and nothing is tried.
    let desk = desk(
        "tcp://127.0.0.1:9",
        "Connector1",
        "1001",
        "5001",
        "login\nwait agent_state READY\n",
    );
    let (status, lines, stderr) = desk.finish();
    assert_eq!(status.code(), Some(1));
    assert!(lines.is_empty(), "{lines:#?}");
    assert!(stderr.contains("script line 2"), "{stderr}");
    assert!(stderr.contains("FIELD=VALUE"), "{stderr}");
}

#[test]
fn the_desktop_refuses_to_start_without_a_terminal() {
    let out = Command::new(BIN)
        .args(["agent", "--broker", "tcp://127.0.0.1:9", "--agent", "1001"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs a terminal; use --script"), "{err}");
}

#[test]
fn the_password_is_never_an_argument() {
    let out = Command::new(BIN)
        .args(["agent", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("--password-env"), "{help}");
    assert!(!help.contains("--password "), "{help}");
}
