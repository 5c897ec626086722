//! The `gcclient` binary, run as a user runs it. `encode`/`decode` need
//! nothing; `listen`/`send` run against the real ActiveMQ broker with a
//! scripted GC stand-in on its own queue (the broker is real, GC's replies
//! are canned).

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gcclient::stomp::{BrokerUrl, Transport, TransportConfig, TransportEvent};
use gcclient_tests::broker::{shared_broker, unique_name};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_gcclient");

fn gcclient(args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("GCCLIENT_AGENT_PASSWORD")
        .env_remove("GCCLIENT_BROKERS")
        .env("GCCLIENT_LOG", "warn");
    cmd
}

fn run_with_stdin(mut cmd: Command, stdin: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the gcclient binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn run(args: &[&str]) -> Output {
    run_with_stdin(gcclient(args), "")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json_lines(o: &Output) -> Vec<Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect()
}

// ---------------------------------------------------------------- encode

#[test]
fn encode_prints_type_and_body() {
    let o = run(&["encode", "make_call", "--agent", "1001", "5002"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "type: MakeCall#1001\nbody: 5002\n");
    let o = run(&[
        "encode",
        "update_call_variables",
        "--agent",
        "1001",
        "d-17",
        "callVariable1=42",
        "BAStatus=open",
    ]);
    assert_eq!(
        stdout(&o),
        "type: update_call_variable#1001\nbody: d-17,callVariable1=42|BAStatus=open\n"
    );
    // Guide spellings and corrections, reached by any spelling of the name.
    let o = run(&["encode", "SingleStepTransfer", "-a", "1001", "1002", "7"]);
    assert_eq!(stdout(&o), "type: Transfer_sst#1001\nbody: 1002,7\n");
    let o = run(&["encode", "make-work-not-ready", "-a", "1001"]);
    assert_eq!(stdout(&o), "type: MakeWorkNotReady#1001\nbody: \n");
    let o = run(&["encode", "hello", "--destination", "gcclient.h.1"]);
    assert_eq!(stdout(&o), "type: Hello#gcclient.h.1\nbody: \n");
    let o = run(&["encode", "logout_with_reason", "-a", "1001", "-1"]);
    assert_eq!(stdout(&o), "type: logoutwithreason#1001\nbody: -1\n");
}

#[test]
fn encode_refuses_what_the_protocol_cannot_carry() {
    let o = run(&["encode", "make_call", "--agent", "1001", "50,02"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert_eq!(
        stderr(&o).trim(),
        "error: invalid argument `number` for `make_call`: must not contain `,`, `#` or `|` (protocol delimiters; the protocol has no escaping)"
    );
    let o = run(&["encode", "make_ready", "--agent", "10#01"]);
    assert!(stderr(&o).contains("`agent_id`"), "{}", stderr(&o));
    let o = run(&["encode", "update_call_variables", "-a", "1", "d", "a=x|y"]);
    assert!(stderr(&o).contains("`variables`"), "{}", stderr(&o));
    let o = run(&["encode", "make_call", "--agent", "1001"]);
    assert!(stderr(&o).contains("`number`") && stderr(&o).contains("empty"));
    let o = run(&["encode", "make_call", "5002"]);
    assert!(stderr(&o).contains("needs --agent"), "{}", stderr(&o));
    let o = run(&["encode", "teleport", "-a", "1"]);
    assert!(stderr(&o).contains("unknown command `teleport`"));
    let o = run(&["encode", "get_team_users", "-a", "1", "3", "maybe"]);
    assert!(stderr(&o).contains("subscribe"), "{}", stderr(&o));
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn encode_takes_the_password_from_env_or_stdin_and_masks_it() {
    let mut cmd = gcclient(&["encode", "login", "--agent", "1001", "5001"]);
    cmd.env("GCCLIENT_AGENT_PASSWORD", "Zoë-s3cret");
    let o = run_with_stdin(cmd, "");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "type: Login#1001\nbody: ***,5001\n");
    // --reveal-password shows exactly what goes on the wire.
    let mut cmd = gcclient(&["encode", "login", "-a", "1001", "5001", "--reveal-password"]);
    cmd.env("GCCLIENT_AGENT_PASSWORD", "Zoë-s3cret");
    assert_eq!(
        stdout(&run_with_stdin(cmd, "")),
        "type: Login#1001\nbody: Zoë-s3cret,5001\n"
    );
    // A custom variable, and SSO on Connect.
    let mut cmd = gcclient(&[
        "encode",
        "connect",
        "-a",
        "1001",
        "gcclient.h.1",
        "SSO",
        "--password-env",
        "MY_PW",
        "--json",
    ]);
    cmd.env("MY_PW", "pw");
    let v: Value = serde_json::from_str(&stdout(&run_with_stdin(cmd, ""))).unwrap();
    assert_eq!(v["jms_type"], "Connect#1001");
    assert_eq!(v["body"], "gcclient.h.1,***,SSO");
    // Not a terminal: one line from stdin.
    let o = run_with_stdin(
        gcclient(&["encode", "login", "-a", "1001", "5001", "--reveal-password"]),
        "piped-pw\n",
    );
    assert_eq!(stdout(&o), "type: Login#1001\nbody: piped-pw,5001\n");
    // No password anywhere: a clear error, nothing printed.
    let o = run(&["encode", "login", "-a", "1001", "5001"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert!(
        stderr(&o).contains("GCCLIENT_AGENT_PASSWORD"),
        "{}",
        stderr(&o)
    );
    // A password with a comma is refused without being echoed.
    let mut cmd = gcclient(&["encode", "login", "-a", "1001", "5001"]);
    cmd.env("GCCLIENT_AGENT_PASSWORD", "a,secret");
    let o = run_with_stdin(cmd, "");
    assert!(stderr(&o).contains("`password`"));
    assert!(!stderr(&o).contains("a,secret"));
}

#[test]
fn encode_list_names_every_command_and_overrides_apply() {
    let o = run(&["encode", "--list"]);
    let out = stdout(&o);
    for kind in gcclient::CommandKind::ALL {
        let spec = kind.spec();
        assert!(
            out.lines()
                .any(|l| l.starts_with(&format!("{} ", spec.api_name))
                    && l.contains(&format!("{}#", spec.default_wire))),
            "{} missing from --list",
            spec.api_name
        );
    }
    let o = run(&[
        "encode",
        "get_phonebooks",
        "-a",
        "1001",
        "--wire-name",
        "get_phonebooks=getPhoneBooks",
    ]);
    assert_eq!(stdout(&o), "type: getPhoneBooks#1001\nbody: \n");
    let o = run(&[
        "encode",
        "get_phonebooks",
        "-a",
        "1001",
        "--wire-name",
        "get_phonebooks=a#b",
    ]);
    assert_eq!(o.status.code(), Some(1));
}

// ---------------------------------------------------------------- decode

#[test]
fn decode_prints_the_typed_event() {
    let o = run(&[
        "decode",
        "1001#State#READY##2026-11-25T10:00:00Z##1764064800000#Ada Lovelace#1001#5001###ada",
    ]);
    assert!(o.status.success());
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["agent"], "1001");
    assert_eq!(v["type"], "agent_state");
    assert_eq!(v["state"], "READY");
    assert_eq!(v["full_name"], "Ada Lovelace");
    assert_eq!(v["login_name"], "ada");
}

#[test]
fn decode_reads_lines_from_stdin_and_strict_flags_unknown_ones() {
    let input = "System#IN_SERVICE\n1001#Error#CF_RESOURCE_BUSY\n\n1001#State#SLEEPING\n";
    let o = run_with_stdin(gcclient(&["decode"]), input);
    assert!(o.status.success());
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["status"], "IN_SERVICE");
    assert_eq!(lines[1]["code"], "CF_RESOURCE_BUSY");
    assert_eq!(lines[2]["type"], "malformed");
    assert_eq!(lines[2]["raw"], "1001#State#SLEEPING");
    let o = run_with_stdin(gcclient(&["decode", "--strict"]), input);
    assert_eq!(o.status.code(), Some(1));
    let o = run(&["decode", "--strict", "--compact", "System#IN_SERVICE"]);
    assert!(o.status.success());
    assert_eq!(stdout(&o).lines().count(), 1);
    let o = run(&[
        "decode",
        "--hash-token",
        "%23",
        "1001#Control#PrintStatusBar#Queue %233",
    ]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["message"], "Queue #3");
    // A token holding `#` could never be seen: fields are split on `#` first.
    let o = run(&["decode", "--hash-token", "&#35;", "System#IN_SERVICE"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("hash-token"), "{}", stderr(&o));
}

// ------------------------------------------------------- listen and send

fn broker_url() -> String {
    format!("tcp://{}", shared_broker().stomp)
}

type Script = Arc<dyn Fn(&str, &str) -> Vec<String> + Send + Sync>;

/// A GC stand-in: consumes `queue` on the real broker, records every
/// command, and answers on the command's reply-to with its correlation id.
struct FakeGc {
    transport: Transport,
    seen: Arc<Mutex<Vec<(String, String)>>>,
}

impl FakeGc {
    async fn start(queue: &str, script: Script) -> FakeGc {
        let url = BrokerUrl::parse(&broker_url()).unwrap();
        let mut cfg = TransportConfig::new(url);
        cfg.subscriptions = vec![format!("/queue/{queue}")];
        let (transport, mut rx) = Transport::start(cfg);
        loop {
            match rx.recv().await.expect("transport runs") {
                TransportEvent::Connected { .. } => break,
                TransportEvent::Disconnected { reason, .. } => panic!("broker: {reason}"),
                _ => {}
            }
        }
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (t, log) = (transport.clone(), seen.clone());
        tokio::spawn(async move {
            while let Some(ev) = rx.recv().await {
                let TransportEvent::Message(m) = ev else {
                    continue;
                };
                let jms_type = m.jms_type().unwrap_or_default().to_owned();
                log.lock().unwrap().push((jms_type.clone(), m.body.clone()));
                let (Some(reply_to), cid) = (m.reply_to(), m.correlation_id()) else {
                    continue;
                };
                for body in script(&jms_type, &m.body) {
                    let headers = vec![
                        (
                            "correlation-id".to_owned(),
                            cid.unwrap_or_default().to_owned(),
                        ),
                        ("type".to_owned(), String::new()),
                    ];
                    t.send(reply_to, headers, body).await.expect("reply sent");
                }
            }
        });
        FakeGc { transport, seen }
    }

    fn commands(&self) -> Vec<(String, String)> {
        self.seen.lock().unwrap().clone()
    }
}

/// Answers Hello/Beat with IN_SERVICE and the rest per `agent_replies`.
fn script(agent_replies: fn(&str, &str) -> Vec<String>) -> Script {
    Arc::new(move |jms_type, body| {
        if jms_type.starts_with("Hello#") || jms_type.starts_with("Beat#") {
            vec!["System#IN_SERVICE".to_owned()]
        } else {
            agent_replies(jms_type, body)
        }
    })
}

async fn output_of(cmd: Command) -> Output {
    tokio::task::spawn_blocking(move || run_with_stdin(cmd, ""))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_prints_the_reply_and_exits_zero() {
    let queue = unique_name("cli-send-q");
    let gc = FakeGc::start(
        &queue,
        script(|t, _| match t {
            "MakeReady#1001" => vec!["1001#State#READY##t##1#Zoë Ünal#1001#5001###zunal".into()],
            _ => vec![],
        }),
    )
    .await;
    let url = broker_url();
    let o = output_of(gcclient(&[
        "send",
        "--broker",
        &url,
        "--queue",
        &queue,
        "--agent",
        "1001",
        "make_ready",
    ]))
    .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 1, "{}", stdout(&o));
    assert_eq!(lines[0]["type"], "agent_state");
    assert_eq!(lines[0]["state"], "READY");
    assert_eq!(lines[0]["full_name"], "Zoë Ünal");
    assert!(gc
        .commands()
        .contains(&("MakeReady#1001".to_owned(), String::new())));
    gc.transport.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_reports_a_gc_error_with_exit_one() {
    let queue = unique_name("cli-send-err-q");
    let gc = FakeGc::start(
        &queue,
        script(|t, _| match t {
            "MakeNotReadyWithReason#1001" => vec!["1001#Error#CF_INVALID_OBJECT_STATE".into()],
            _ => vec![],
        }),
    )
    .await;
    let url = broker_url();
    let o = output_of(gcclient(&[
        "send",
        "--broker",
        &url,
        "--queue",
        &queue,
        "-a",
        "1001",
        "make_not_ready_with_reason",
        "7",
    ]))
    .await;
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let lines = json_lines(&o);
    assert_eq!(lines[0]["code"], "CF_INVALID_OBJECT_STATE");
    assert!(
        stderr(&o).contains("CF_INVALID_OBJECT_STATE"),
        "{}",
        stderr(&o)
    );
    assert!(gc
        .commands()
        .contains(&("MakeNotReadyWithReason#1001".to_owned(), "7".to_owned())));
    gc.transport.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_login_sends_connect_then_login_and_never_prints_the_password() {
    let queue = unique_name("cli-login-q");
    let gc = FakeGc::start(
        &queue,
        script(|t, _| match t {
            // Connect has no reply on success.
            "Login#1001" => vec!["1001#State#NOT_READY#-1#t##1#Ada#1001#5001###ada".into()],
            _ => vec![],
        }),
    )
    .await;
    let url = broker_url();
    let destination = unique_name("cli-login-dest");
    let mut cmd = gcclient(&[
        "send",
        "--broker",
        &url,
        "--queue",
        &queue,
        "--destination",
        &destination,
        "-a",
        "1001",
        "login",
        "5001",
    ]);
    cmd.env("GCCLIENT_AGENT_PASSWORD", "Zoë-s3cret");
    cmd.env("GCCLIENT_LOG", "debug");
    let o = output_of(cmd).await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(json_lines(&o)[0]["state"], "NOT_READY");
    let agent_commands: Vec<(String, String)> = gc
        .commands()
        .into_iter()
        .filter(|(t, _)| !t.starts_with("Hello#") && !t.starts_with("Beat#"))
        .collect();
    assert_eq!(
        agent_commands,
        vec![
            (
                "Connect#1001".to_owned(),
                format!("{destination},Zoë-s3cret")
            ),
            ("Login#1001".to_owned(), "Zoë-s3cret,5001".to_owned()),
        ]
    );
    assert!(!stdout(&o).contains("s3cret"));
    assert!(
        !stderr(&o).contains("s3cret"),
        "debug logs must not show it"
    );
    gc.transport.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_fails_clearly_without_a_broker() {
    let o = output_of(gcclient(&[
        "send",
        "--broker",
        "tcp://127.0.0.1:9",
        "--connect-timeout-ms",
        "1000",
        "--agent",
        "1001",
        "make_ready",
    ]))
    .await;
    assert_eq!(o.status.code(), Some(1));
    let last = stderr(&o).lines().last().unwrap_or_default().to_owned();
    assert!(
        last.starts_with("error: no broker reachable"),
        "{}",
        stderr(&o)
    );
    assert!(o.stdout.is_empty());
    let o = output_of(gcclient(&[
        "send",
        "--broker",
        "nonsense://x",
        "-a",
        "1",
        "make_ready",
    ]))
    .await;
    assert!(stderr(&o).contains("brokers"), "{}", stderr(&o));
}

/// Reads a child's stdout lines on a thread, so the test can wait for one.
fn line_reader(child: &mut Child) -> mpsc::Receiver<String> {
    let out = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

fn next_line(rx: &mpsc::Receiver<String>) -> Value {
    let line = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("a line within 20 s");
    serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON: {line}: {e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listen_on_a_topic_prints_events_with_correlation_ids() {
    let topic = unique_name("cli-tap");
    let url = broker_url();
    let mut child = gcclient(&[
        "listen", "--broker", &url, "--topic", &topic, "--count", "2",
    ])
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let lines = line_reader(&mut child);
    let first = tokio::task::block_in_place(|| next_line(&lines));
    assert_eq!(first["notification"], "listening");
    let connected = tokio::task::block_in_place(|| next_line(&lines));
    assert_eq!(connected["state"], "connected", "{connected}");

    let (publisher, mut events) =
        Transport::start(TransportConfig::new(BrokerUrl::parse(&url).unwrap()));
    while !matches!(events.recv().await, Some(TransportEvent::Connected { .. })) {}
    let dest = format!("/topic/{topic}");
    publisher
        .send(
            &dest,
            vec![("correlation-id".into(), "c-42".into())],
            "1001#State#RE_LOGIN".into(),
        )
        .await
        .unwrap();
    publisher
        .send(&dest, vec![], "1001#Teleported#x#y".into())
        .await
        .unwrap();

    let a = tokio::task::block_in_place(|| next_line(&lines));
    assert_eq!(a["notification"], "event");
    assert_eq!(a["type"], "re_login");
    assert_eq!(a["agent"], "1001");
    assert_eq!(a["correlation_id"], "c-42");
    let b = tokio::task::block_in_place(|| next_line(&lines));
    assert_eq!(b["type"], "unknown");
    assert_eq!(b["raw"], "1001#Teleported#x#y");
    let status = tokio::task::block_in_place(|| child.wait()).unwrap();
    assert!(status.success(), "--count 2 ends the listener");
    publisher.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listen_as_a_client_says_hello_and_prints_gc_events() {
    let queue = unique_name("cli-listen-q");
    let gc = FakeGc::start(&queue, script(|_, _| vec![])).await;
    let url = broker_url();
    let o = output_of(gcclient(&[
        "listen",
        "--broker",
        &url,
        "--queue",
        &queue,
        "--count",
        "1",
        "--events-only",
        "--duration-ms",
        "20000",
    ]))
    .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 1, "{}", stdout(&o));
    assert_eq!(lines[0]["notification"], "event");
    assert_eq!(lines[0]["type"], "system");
    assert_eq!(lines[0]["status"], "IN_SERVICE");
    assert!(gc
        .commands()
        .iter()
        .any(|(t, _)| t.starts_with("Hello#gcclient.")));
    gc.transport.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listen_can_log_an_agent_in_and_follow_its_events() {
    let queue = unique_name("cli-listen-login-q");
    let gc = FakeGc::start(
        &queue,
        script(|t, _| match t {
            "Login#1001" => vec!["1001#State#NOT_READY#-1#t##1#Ada#1001#5001###ada".into()],
            _ => vec![],
        }),
    )
    .await;
    let url = broker_url();
    let mut cmd = gcclient(&[
        "listen",
        "--broker",
        &url,
        "--queue",
        &queue,
        "--agent",
        "1001",
        "--login",
        "5001",
        "--count",
        "2",
        "--events-only",
        "--duration-ms",
        "20000",
    ]);
    cmd.env("GCCLIENT_AGENT_PASSWORD", "Zoë-s3cret");
    let o = output_of(cmd).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let lines = json_lines(&o);
    assert!(
        lines.iter().any(|l| l["type"] == "agent_state"
            && l["state"] == "NOT_READY"
            && l["agent"] == "1001"),
        "{}",
        stdout(&o)
    );
    assert!(gc
        .commands()
        .iter()
        .any(|(t, b)| t == "Login#1001" && b == "Zoë-s3cret,5001"));
    assert!(!stdout(&o).contains("s3cret") && !stderr(&o).contains("s3cret"));
    gc.transport.close().await;
}
