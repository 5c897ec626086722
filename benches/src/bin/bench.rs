//! One run of every benchmark of docs/benchmarks.md, on this machine, with
//! the peers measured in the same run (interleaved), so the ratios hold
//! even when the machine is busy. `scripts/bench` builds what it needs and
//! calls this; `--quick` is the smoke run of the test suite.
//!
//! ```text
//! bench [--quick] [--out FILE.md] [--json FILE] [--python PY] [--java-cp CP]
//!       [--kotlin CP LIBDIR [--kotlin-suspend]] [--dotnet EXE LIBDIR | --dotnet-missing WHY]
//!       [--codec-log FILE] [--ffi-log FILE] [--png NAME] [--no-recovery]
//! bench scale-client --stomp HOST:PORT --queue Q --agents N [--storm]
//! bench rt floor|floor-receipt|floor-gc-headers|rust N INFLIGHT     # one contender alone, for perf/callgrind
//! bench peer QUEUE                    # the GC peer alone (stdin EOF ends it)
//! bench recovery [AGENTS]             # the broker-restart recovery alone
//! ```
//!
//! Needs GCCLIENT_TEST_STOMP (and GCCLIENT_TEST_OPENWIRE for Java).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use gcclient::{ConnectionStatus, EventData, Notification};
use gcclient_benches::peer::BenchPeer;
use gcclient_benches::raw::RawStomp;
use gcclient_benches::{load_average, roundtrip, rss_kib, us, Stats};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};

const INFLIGHT: usize = 32;

struct Opts {
    quick: bool,
    out: Option<PathBuf>,
    json: Option<PathBuf>,
    python: Option<String>,
    java_cp: Option<String>,
    /// Classpath of the Kotlin binding + KotlinRoundTrip, and the directory
    /// of the release native library JNA should load.
    kotlin: Option<(String, String)>,
    /// The classpath above also holds KotlinSuspendKt (benches/kotlin).
    kotlin_suspend: bool,
    /// The C# driver (RoundTrip.exe) and the directory holding
    /// libgcclient_native.so.
    dotnet: Option<(String, String)>,
    /// Why there is no `dotnet`, when scripts/bench knows.
    dotnet_missing: Option<String>,
    codec_log: Option<PathBuf>,
    ffi_log: Option<PathBuf>,
    png: Option<String>,
    recovery: bool,
    stomp: String,
    openwire: Option<String>,
}

struct Sizes {
    rt_n: usize,
    rounds: usize,
    warmup: usize,
    events: usize,
    /// Events each gcclient receiver takes, unmeasured, before its flood.
    events_warmup: usize,
    scale: Vec<usize>,
    storm: usize,
    recovery_agents: usize,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("scale-client") => return scale_client(&args[1..]).await,
        Some("rt") => return rt_only(&args[1..]).await,
        Some("peer") => return peer_process(&args[1..]).await,
        Some("ev") => return ev_only(&args[1..]).await,
        Some("recovery") => {
            // The recovery section alone: bench recovery [AGENTS]
            let n = args.get(1).map(|s| s.parse()).transpose()?.unwrap_or(1_000);
            let sim = std::env::current_exe()?.with_file_name("gcclient-sim");
            let v = recovery(&sim, &write_model(n)?, n).await?;
            println!("{v}");
            return Ok(());
        }
        _ => {}
    }
    let opts = parse_opts(&args)?;
    let sizes = if opts.quick {
        Sizes {
            rt_n: 40,
            rounds: 2,
            warmup: 10,
            events: 2_000,
            events_warmup: 200,
            scale: vec![1, 10],
            storm: 10,
            recovery_agents: 10,
        }
    } else {
        Sizes {
            rt_n: 5_000,
            rounds: 5,
            // Each round starts the other languages' clients as new
            // processes, and after 500 warm-up requests the JVM's compilers
            // were still at work on the command path: Kotlin suspend p50
            // 414/517/505/318 µs sequentially against 284/256/306/274 after
            // 10,000 (benches/NOTES.md). Every client gets the same warm-up.
            warmup: 10_000,
            events: 200_000,
            // The JVM's C2 compiler was still at work on the delivery path
            // through a measured flood after 10,000 and after 50,000
            // (17.6-32.8 µs of CPU per event), not after 150,000 (12.4-14.4).
            events_warmup: 150_000,
            scale: vec![1, 100, 1_000],
            storm: 1_000,
            recovery_agents: 1_000,
        }
    };
    run(opts, sizes).await
}

fn parse_opts(args: &[String]) -> anyhow::Result<Opts> {
    let stomp = std::env::var("GCCLIENT_TEST_STOMP")
        .context("GCCLIENT_TEST_STOMP (host:port of the broker's STOMP connector) is not set")?;
    let mut o = Opts {
        quick: false,
        out: None,
        json: None,
        python: None,
        java_cp: None,
        kotlin: None,
        kotlin_suspend: false,
        dotnet: None,
        dotnet_missing: None,
        codec_log: None,
        ffi_log: None,
        png: None,
        recovery: true,
        stomp,
        openwire: std::env::var("GCCLIENT_TEST_OPENWIRE").ok(),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .with_context(|| format!("{a} needs a value"))
        };
        match a.as_str() {
            "--quick" => o.quick = true,
            "--no-recovery" => o.recovery = false,
            "--out" => o.out = Some(value()?.into()),
            "--json" => o.json = Some(value()?.into()),
            "--python" => o.python = Some(value()?),
            "--java-cp" => o.java_cp = Some(value()?),
            "--kotlin" => {
                let cp = value()?;
                let lib = it.next().context("--kotlin CP LIBDIR")?.clone();
                o.kotlin = Some((cp, lib));
            }
            "--kotlin-suspend" => o.kotlin_suspend = true,
            "--dotnet" => {
                let exe = value()?;
                let lib = it.next().context("--dotnet EXE LIBDIR")?.clone();
                o.dotnet = Some((exe, lib));
            }
            "--dotnet-missing" => o.dotnet_missing = Some(value()?),
            "--codec-log" => o.codec_log = Some(value()?.into()),
            "--ffi-log" => o.ffi_log = Some(value()?.into()),
            "--png" => o.png = Some(value()?),
            other => bail!("unknown argument {other:?}"),
        }
    }
    Ok(o)
}

/// How an event receiver runs: its command line (empty for the in-process
/// ones) and whether it needs the bench peer, or why it cannot run.
type ReceiverCmd = Result<(Vec<String>, bool), String>;

/// A round-trip contender.
#[derive(Clone)]
enum Contender {
    Floor,
    /// The floor sending gcclient's frame (receipt, expires, persistent).
    FloorGcFrame,
    Rust,
    /// The core's blocking API from plain threads (what bindings call).
    RustBlocking,
    /// A process printing `{"samples_us": [...]}`.
    External(Vec<String>),
}

struct Entry {
    /// What the goal table finds the row by.
    key: &'static str,
    name: String,
    contender: Option<Contender>,
    /// Why a wanted row has no figures.
    missing: Option<String>,
}

/// The asyncio floor's row, measured or not.
const PY_FLOOR: &str = "raw asyncio floor sending gcclient's frame (Python, bench only)";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

async fn run(o: Opts, z: Sizes) -> anyhow::Result<()> {
    let started = chrono_now();
    let load_start = load_average();
    eprintln!("bench: load average {load_start}");
    let root = repo_root();
    let mut md = String::new();
    let mut results = serde_json::Map::new();
    let mut loads = BTreeMap::new();
    loads.insert("start".to_owned(), load_start.clone());

    // ---------------------------------------------------------- round trip
    let queue = format!("bench.{}", uuid::Uuid::new_v4().simple());
    // The peer runs in a process of its own, as every external client does,
    // so the Rust contenders do not share a runtime with it.
    let peer = spawn_peer(&o.stomp, &queue).await.context("bench peer")?;
    let py_client = root.join("benches/python/roundtrip.py");
    let entry = |key: &'static str, name: String, contender: Option<Contender>| Entry {
        key,
        name,
        contender,
        missing: None,
    };
    let not_measured = |key: &'static str, name: &str, why: String| Entry {
        key,
        name: name.to_owned(),
        contender: None,
        missing: Some(why),
    };
    let mut entries = vec![
        entry(
            "floor",
            "raw STOMP floor (Rust, bench only)".into(),
            Some(Contender::Floor),
        ),
        entry(
            "floor-gc",
            "raw floor sending gcclient's frame (+receipt, expires, persistent)".into(),
            Some(Contender::FloorGcFrame),
        ),
        entry("rust", "gcclient (Rust)".into(), Some(Contender::Rust)),
        entry(
            "rust-blocking",
            "gcclient (Rust, blocking API from a plain thread per request in flight)".into(),
            Some(Contender::RustBlocking),
        ),
    ];
    let ext_args = |kind: &str| -> Vec<String> {
        vec![
            "--client".into(),
            kind.into(),
            "--stomp".into(),
            o.stomp.clone(),
            "--queue".into(),
            queue.clone(),
        ]
    };
    match &o.python {
        Some(py) => {
            let mut cmd = vec![py.clone(), py_client.display().to_string()];
            cmd.extend(ext_args("stomp.py"));
            entries.push(entry(
                "stomp.py",
                format!("stomp.py {} (Python)", py_module_version(py, "stomp").await),
                Some(Contender::External(cmd)),
            ));
            let mut cmd = vec![py.clone(), py_client.display().to_string()];
            cmd.extend(ext_args("asyncio-floor"));
            entries.push(entry(
                "py-floor",
                PY_FLOOR.into(),
                Some(Contender::External(cmd)),
            ));
        }
        None => {
            for (key, name) in [("stomp.py", "stomp.py (Python)"), ("py-floor", PY_FLOOR)] {
                entries.push(not_measured(
                    key,
                    name,
                    "no Python venv given (--python)".into(),
                ));
            }
        }
    }
    match (&o.java_cp, &o.openwire) {
        (Some(cp), Some(ow)) => entries.push(entry(
            "jms",
            "Java JMS (activemq-client, OpenWire)".into(),
            Some(Contender::External(vec![
                "java".into(),
                "-cp".into(),
                cp.clone(),
                "JmsRoundTrip".into(),
                "--openwire".into(),
                ow.clone(),
                "--queue".into(),
                queue.clone(),
            ])),
        )),
        _ => entries.push(not_measured(
            "jms",
            "Java JMS (activemq-client)",
            "no --java-cp or GCCLIENT_TEST_OPENWIRE".into(),
        )),
    }
    let py_gcclient = match &o.python {
        Some(py) => python_gcclient(py).await,
        None => Err("no Python venv given (--python)".into()),
    };
    for (key, kind, api) in [
        ("py-async", "gcclient", "asyncio"),
        (
            "py-sync",
            "gcclient-sync",
            "sync: gcclient.sync, a thread per request in flight",
        ),
    ] {
        match &py_gcclient {
            Ok(version) => {
                let mut cmd = vec![o.python.clone().unwrap(), py_client.display().to_string()];
                cmd.extend(ext_args(kind));
                entries.push(entry(
                    key,
                    format!("gcclient {version} (Python, {api})"),
                    Some(Contender::External(cmd)),
                ));
            }
            Err(why) => entries.push(not_measured(
                key,
                &format!("gcclient (Python, {api})"),
                why.clone(),
            )),
        }
    }
    let kotlin_cmd = |main: &str, mode: Option<&str>| -> Option<Vec<String>> {
        let (cp, lib) = o.kotlin.as_ref()?;
        let mut cmd = vec!["java".to_owned()];
        if !lib.is_empty() {
            cmd.push(format!("-Djna.library.path={lib}"));
        }
        cmd.extend(["-cp".into(), cp.clone(), main.into()]);
        cmd.extend(mode.map(str::to_owned));
        cmd.extend(["--stomp".into(), o.stomp.clone()]);
        Some(cmd)
    };
    let jvm_rows = [
        (
            "kt-suspend",
            "gcclient (Kotlin, suspend: coroutines on Dispatchers.Default)",
            "KotlinSuspendKt",
            None,
        ),
        (
            "java-blocking",
            "gcclient (Java, blocking: AgentSync from a thread per request in flight)",
            "KotlinRoundTrip",
            Some("rt"),
        ),
        (
            "java-future",
            "gcclient (Java, CompletableFuture: AgentAsync)",
            "KotlinRoundTrip",
            Some("future"),
        ),
    ];
    for (key, name, main, mode) in jvm_rows {
        let why = if o.kotlin.is_none() {
            Some(kotlin_status(&root))
        } else if key == "kt-suspend" && !o.kotlin_suspend {
            Some("the Kotlin driver (benches/kotlin) was not built".into())
        } else {
            None
        };
        match (why, kotlin_cmd(main, mode)) {
            (None, Some(mut cmd)) => {
                cmd.extend(["--queue".into(), queue.clone()]);
                entries.push(entry(key, name.into(), Some(Contender::External(cmd))));
            }
            (why, _) => entries.push(not_measured(key, name, why.unwrap_or_default())),
        }
    }
    let csharp_name = "gcclient (C#, Mono: Task API over the C ABI)";
    match dotnet_cmd(&o, "rt") {
        Ok(mut cmd) => {
            cmd.extend(["--queue".into(), queue.clone()]);
            entries.push(entry(
                "csharp",
                csharp_name.into(),
                Some(Contender::External(cmd)),
            ));
        }
        Err(why) => entries.push(not_measured("csharp", csharp_name, why)),
    }

    let modes = [("sequential", 1usize), ("32 in flight", INFLIGHT)];
    let mut samples: BTreeMap<(usize, usize), Vec<Duration>> = BTreeMap::new();
    let mut failures: BTreeMap<usize, String> = BTreeMap::new();
    let per_round = z.rt_n.div_ceil(z.rounds);
    for round in 0..z.rounds {
        for (m, (_, inflight)) in modes.iter().enumerate() {
            for (i, e) in entries.iter().enumerate() {
                let Some(c) = &e.contender else { continue };
                if failures.contains_key(&i) {
                    continue;
                }
                let n = per_round.min(z.rt_n - round * per_round);
                eprintln!("bench: round {round} {} x{inflight} n={n}", e.name);
                let r = match c {
                    Contender::Floor => {
                        roundtrip::floor(&o.stomp, &queue, n, *inflight, z.warmup).await
                    }
                    Contender::FloorGcFrame => {
                        roundtrip::floor_with(
                            &o.stomp,
                            &queue,
                            n,
                            *inflight,
                            z.warmup,
                            roundtrip::FloorFrame::GcclientHeaders,
                        )
                        .await
                    }
                    Contender::Rust => {
                        roundtrip::gcclient(&o.stomp, &queue, n, *inflight, z.warmup).await
                    }
                    Contender::RustBlocking => {
                        rust_blocking(&o.stomp, &queue, n, *inflight, z.warmup).await
                    }
                    Contender::External(cmd) => external(cmd, n, *inflight, z.warmup).await,
                };
                match r {
                    Ok(s) => samples.entry((i, m)).or_default().extend(s),
                    Err(err) => {
                        eprintln!("bench: {} failed: {err:#}", e.name);
                        failures.insert(i, format!("{err:#}"));
                    }
                }
            }
        }
    }
    drop(peer);
    loads.insert("after round trip".into(), load_average());

    writeln!(
        md,
        "## Round trip: GetState -> State through ActiveMQ\n\n\
         {} requests per client and mode, split into {} rounds that interleave the \
         clients (each round is a new process for the other languages' clients and starts with {} \
         unmeasured warm-up requests, enough for the JVM's compilers to finish with the command \
         path). The GC peer \
         (`benches/src/peer.rs`) answers at once on a raw socket. \"32 in flight\": 32 \
         requests outstanding at any time (gcclient: 32 agents on one client). The raw asyncio \
         floor (`benches/python/roundtrip.py --client asyncio-floor`) is the least any asyncio \
         client pays for the exchange: gcclient's frame written from a coroutine, the reply \
         found by its `correlation-id` in `data_received` and handed over through a future, \
         receipts skipped. Load average after this section: {}.\n",
        z.rt_n, z.rounds, z.warmup, loads["after round trip"]
    )?;
    let mut rt_json = Vec::new();
    for (m, (mode, _)) in modes.iter().enumerate() {
        writeln!(
            md,
            "### {mode}\n\n| client | requests | p50 µs | p99 µs | max µs | p50 / floor |\n|---|---|---|---|---|---|"
        )?;
        let floor = samples.get_mut(&(0, m)).map(|s| Stats::of(s));
        for (i, e) in entries.iter().enumerate() {
            if let Some(why) = e.missing.as_ref().or(failures.get(&i)) {
                writeln!(
                    md,
                    "| {} | not measured: {} | | | | |",
                    e.name,
                    one_line(why)
                )?;
                rt_json.push(json!({"key": e.key, "client": e.name, "mode": mode, "missing": why}));
                continue;
            }
            let Some(s) = samples.get_mut(&(i, m)) else {
                continue;
            };
            let st = Stats::of(s);
            let ratio = floor
                .map(|f| format!("{:.2}", st.p50.as_secs_f64() / f.p50.as_secs_f64()))
                .unwrap_or_default();
            writeln!(
                md,
                "| {} | {} | {} | {} | {} | {ratio} |",
                e.name,
                st.n,
                us(st.p50),
                us(st.p99),
                us(st.max)
            )?;
            rt_json.push(json!({"key": e.key, "client": e.name, "mode": mode, "stats": st}));
        }
        md.push('\n');
    }
    results.insert("roundtrip".into(), Value::Array(rt_json));

    // ---------------------------------------------------------- events
    let mut ev_json = Vec::new();
    writeln!(
        md,
        "## Event throughput\n\n`State` events flooded by a raw STOMP producer to one \
         client's topic ({} for Rust, {} for the bindings); events/s from the first send to the last event received, best of three interleaved runs. The raw \
         subscriber only finds each frame's end (the broker's own limit); gcclient parses the \
         frame, decodes the event, updates the agent snapshot and hands it to a subscriber. \
         Each gcclient receiver first takes a flood of {} events through the same path, \
         unmeasured (like the round trips' warm-up requests: on this machine the JVM's compilers \
         work on the delivery path through its first hundred thousand events or so). \"CPU µs/event\" is the receiving \
         process's CPU time (all its threads: the library's, the language runtime's, the \
         callback's) during the measured flood, per event, the least of the three runs: unlike \
         the rate, it does not move with the broker's pace.\n\n\
         | receiver | events/s | µs/event | CPU µs/event |\n|---|---|---|---|",
        z.events,
        z.events.min(50_000),
        z.events_warmup
    )?;
    // Every receiver runs once per round, the rounds interleave them, and
    // the best of the three runs counts for each (the rates sit near the
    // broker's, and one run on a shared machine moves by 10%).
    let bind_events = z.events.min(50_000);
    let warm = z.events_warmup;
    let py_events = |mode: &str| -> Result<Vec<String>, String> {
        py_gcclient.as_ref().map_err(Clone::clone)?;
        Ok(vec![
            o.python.clone().unwrap(),
            root.join("benches/python/events.py").display().to_string(),
            "--stomp".into(),
            o.stomp.clone(),
            "--events".into(),
            bind_events.to_string(),
            "--warmup-events".into(),
            warm.to_string(),
            "--mode".into(),
            mode.into(),
        ])
    };
    // These need the bench peer on their queue to come into service.
    let with_peer = |cmd: Result<Vec<String>, String>| {
        cmd.map(|mut c| {
            c.extend([
                "--events".into(),
                bind_events.to_string(),
                "--warmup-events".into(),
                warm.to_string(),
            ]);
            (c, true)
        })
    };
    let receivers: Vec<(&str, &str, ReceiverCmd)> = vec![
        (
            "raw",
            "raw STOMP subscriber (no decoding)",
            Ok((Vec::new(), false)),
        ),
        (
            "rust",
            "gcclient (Rust): decoded events",
            Ok((Vec::new(), false)),
        ),
        (
            "rust-bindings-count",
            "gcclient (Rust): decoded events, as many as the bindings get",
            Ok((Vec::new(), false)),
        ),
        (
            "py-callback",
            "gcclient (Python): `on_notification` callback",
            py_events("callback").map(|c| (c, false)),
        ),
        (
            "py-async",
            "gcclient (Python): `async for` over `events()`",
            py_events("async").map(|c| (c, false)),
        ),
        (
            "jvm-listener",
            "gcclient (Kotlin/JVM): listener callback",
            with_peer(
                kotlin_cmd("KotlinRoundTrip", Some("events")).ok_or_else(|| kotlin_status(&root)),
            ),
        ),
        (
            "csharp-handler",
            "gcclient (C#, Mono): `EventReceived` handler",
            with_peer(dotnet_cmd(&o, "events")),
        ),
    ];
    let mut ev_best: Vec<Result<EventRun, String>> = receivers
        .iter()
        .map(|(_, _, cmd)| match cmd {
            Ok(_) => Err(String::new()),
            Err(why) => Err(format!("not measured: {why}")),
        })
        .collect();
    for _round in 0..3 {
        for (i, (key, _, cmd)) in receivers.iter().enumerate() {
            let Ok((cmd, needs_peer)) = cmd else { continue };
            let r = match *key {
                "raw" => events_floor(&o.stomp, z.events).await,
                "rust" => events_gcclient(&o.stomp, z.events, warm).await,
                // The overhead of a binding is taken against the same flood.
                "rust-bindings-count" => events_gcclient(&o.stomp, bind_events, warm).await,
                _ if *needs_peer => {
                    let q = format!("bench.ev.{}", uuid::Uuid::new_v4().simple());
                    match spawn_peer(&o.stomp, &q).await {
                        Ok(_peer) => {
                            let mut c = cmd.clone();
                            c.extend(["--queue".into(), q]);
                            external_rate(&c).await
                        }
                        Err(e) => Err(e),
                    }
                }
                _ => external_rate(cmd).await,
            };
            eprintln!("bench: events {key}: {r:?}");
            ev_best[i] = match (std::mem::replace(&mut ev_best[i], Err(String::new())), r) {
                (Ok(old), Ok(new)) => Ok(old.best(new)),
                (_, Ok(new)) => Ok(new),
                (Ok(old), Err(_)) => Ok(old),
                (Err(_), Err(e)) => Err(format!("failed: {e:#}")),
            };
        }
    }
    let ev_rows: Vec<(&str, &str, Result<EventRun, String>)> = receivers
        .iter()
        .zip(ev_best)
        .map(|((key, name, _), r)| (*key, *name, r))
        .collect();
    for (key, name, r) in &ev_rows {
        match r {
            Ok(run) => {
                let cpu = run
                    .cpu_us
                    .map(|c| format!("{c:.2}"))
                    .unwrap_or_else(|| "n/a".into());
                writeln!(
                    md,
                    "| {name} | {:.0} | {:.2} | {cpu} |",
                    run.rate,
                    1e6 / run.rate
                )?;
                ev_json.push(
                    json!({"key": key, "receiver": name, "events_per_s": run.rate,
                                    "cpu_us_per_event": run.cpu_us}),
                );
            }
            Err(why) => {
                writeln!(md, "| {name} | {} | | |", one_line(why))?;
                ev_json.push(json!({"key": key, "receiver": name, "missing": why}));
            }
        }
    }
    md.push('\n');
    if let Some(log) = &o.ffi_log {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        writeln!(
            md,
            "Into C callbacks (`cargo bench -p gcclient-ffi --bench callback`, in process, \
             no broker: what the C ABI adds per event on top of the figures above):\n\n\
             | C callback | ns/event | events/s (this cost alone) |\n|---|---|---|"
        )?;
        for line in text.lines() {
            if let Some((name, rest)) = line.split_once(": ") {
                if let Some(ns) = rest
                    .split(" ns per event")
                    .next()
                    .and_then(|v| v.trim().parse::<f64>().ok())
                {
                    writeln!(md, "| {name} | {ns:.0} | {:.0} |", 1e9 / ns.max(1.0))?;
                    ev_json.push(json!({"receiver": format!("C: {name}"), "ns_per_event": ns}));
                }
            }
        }
        md.push('\n');
    }
    results.insert("events".into(), Value::Array(ev_json));
    loads.insert("after events".into(), load_average());

    // ---------------------------------------------------------- scale
    let sim_bin = std::env::current_exe()?
        .parent()
        .context("exe dir")?
        .join("gcclient-sim");
    let max_agents = z
        .scale
        .iter()
        .copied()
        .max()
        .unwrap_or(1)
        .max(z.storm)
        .max(z.recovery_agents);
    let model = write_model(max_agents)?;
    writeln!(
        md,
        "## Scale: agents on one client against the simulator\n\n\
         One client process per row (`bench scale-client`), the simulator (`gcclient-sim`, \
         {max_agents} agents in its model) in another. Logins: Connect + Login per agent, 100 \
         in flight. RSS is the client process's resident set (VmRSS) after the logins, \
         baseline = connected and IN_SERVICE with no agent.\n\n\
         | agents | login time ms | per agent µs | RSS MiB | baseline RSS MiB | peak RSS MiB |\n|---|---|---|---|---|---|"
    )?;
    let mut scale_json = Vec::new();
    let mut storm_line = String::new();
    let sim_queue = format!("bench.sim.{}", uuid::Uuid::new_v4().simple());
    let mut sim = spawn_sim(&sim_bin, &o.stomp, &sim_queue, &model)?;
    for &n in &z.scale {
        let storm = n == *z.scale.last().unwrap();
        match scale_run(&o.stomp, &sim_queue, n, storm.then_some(&mut sim)).await {
            Ok(v) => {
                let login_ms = v["login_ms"].as_f64().unwrap_or(0.0);
                writeln!(
                    md,
                    "| {n} | {login_ms:.0} | {:.0} | {:.1} | {:.1} | {:.1} |",
                    login_ms * 1000.0 / n as f64,
                    v["rss_kib"].as_f64().unwrap_or(0.0) / 1024.0,
                    v["baseline_rss_kib"].as_f64().unwrap_or(0.0) / 1024.0,
                    v["hwm_kib"].as_f64().unwrap_or(0.0) / 1024.0,
                )?;
                if let Some(ms) = v["storm_ms"].as_f64() {
                    storm_line = format!(
                        "Re-login storm: the simulator restarts (`restart` on its console: GC forgets \
                         every destination and session), the client's next Beat gets \
                         `DESTINATION#..#RECONNECT` and it logs all {n} agents in again: **{ms:.0} ms** \
                         from that event to the last agent's successful re-login ({} failed); \
                         {:.0} ms from the restart command, which includes waiting for the next Beat \
                         (beat interval {} ms in this run).\n",
                        v["storm_failed"].as_u64().unwrap_or(0),
                        v["storm_total_ms"].as_f64().unwrap_or(0.0),
                        v["beat_ms"].as_u64().unwrap_or(0),
                    );
                }
                scale_json.push(v);
            }
            Err(e) => {
                writeln!(
                    md,
                    "| {n} | failed: {} | | | | |",
                    one_line(&format!("{e:#}"))
                )?;
            }
        }
    }
    let _ = sim.kill().await;
    md.push('\n');
    md.push_str(&storm_line);
    md.push('\n');
    results.insert("scale".into(), Value::Array(scale_json));
    loads.insert("after scale".into(), load_average());

    // ---------------------------------------------------------- recovery
    if o.recovery {
        writeln!(md, "## Recovery after a broker restart\n")?;
        match recovery(&sim_bin, &model, z.recovery_agents).await {
            Ok(v) => {
                let runs: Vec<String> = v["runs"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|r| {
                                format!(
                                    "{:.0} / {:.0} / {:.0} ms ({:.2}x)",
                                    r["broker_restart_ms"].as_f64().unwrap_or(0.0),
                                    r["in_service_ms"].as_f64().unwrap_or(0.0),
                                    r["all_logged_in_ms"].as_f64().unwrap_or(0.0),
                                    r["ratio"].as_f64().unwrap_or(0.0)
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                writeln!(
                    md,
                    "A private broker (`PrivateBroker`, scripts/activemq.sh) restarts \
                     (graceful stop, start until its ports listen) under a client with {} agents \
                     logged in and the simulator connected, {RECOVERY_REPS} times; medians below. \
                     Defaults of `Config` except `hello_interval_ms` = 200.\n\n\
                     | | ms (median) |\n|---|---|\n\
                     | broker restart (stop + start) | {:.0} |\n\
                     | client: restart begins -> IN_SERVICE | {:.0} |\n\
                     | client: restart begins -> all agents logged in again | {:.0} |\n\
                     | ratio to the broker's restart | {:.2} |\n\n\
                     Each restart (broker / IN_SERVICE / all logged in): {}.\n",
                    z.recovery_agents,
                    v["broker_restart_ms"].as_f64().unwrap_or(0.0),
                    v["in_service_ms"].as_f64().unwrap_or(0.0),
                    v["all_logged_in_ms"].as_f64().unwrap_or(0.0),
                    v["ratio"].as_f64().unwrap_or(0.0),
                    runs.join("; "),
                )?;
                results.insert("recovery".into(), v);
            }
            Err(e) => writeln!(md, "not measured: {}\n", one_line(&format!("{e:#}")))?,
        }
        loads.insert("after recovery".into(), load_average());
    }

    // ---------------------------------------------------------- codec
    if let Some(log) = &o.codec_log {
        let rows = parse_criterion(&std::fs::read_to_string(log).unwrap_or_default());
        writeln!(
            md,
            "## Codec (criterion, `cargo bench -p gcclient --bench codec`)\n\n\
             `*_cpu` is thread CPU time (what one core does, unaffected by other processes \
             taking the core away), `*_wall` wall clock.\n\n\
             | benchmark | time per iteration | throughput |\n|---|---|---|"
        )?;
        for (name, time, thrpt) in &rows {
            writeln!(md, "| {name} | {time} | {thrpt} |")?;
        }
        md.push('\n');
        results.insert(
            "codec".into(),
            json!(rows
                .iter()
                .map(|(n, t, r)| json!({"bench": n, "time": t, "thrpt": r}))
                .collect::<Vec<_>>()),
        );
    }

    md.push_str(&goals(&results));
    md.push_str(&targets(&results));
    let notes = root.join("benches/NOTES.md");
    if let Ok(text) = std::fs::read_to_string(&notes) {
        md.push('\n');
        md.push_str(&text);
    }
    loads.insert("end".into(), load_average());
    let header = format!(
        "# Benchmarks\n\n\
         Generated by `scripts/bench` ({}) on {started}: {}; {} cores; load average (1/5/15 min) \
         at the start {load_start}, at the end {}. The machine is shared, so absolute figures \
         move with the load; the ratios are measured in the same run with interleaved rounds. \
         Broker: ActiveMQ {} (Debian), connectors with `transport.tcpNoDelay=true`, on \
         loopback.\n\n",
        if o.quick {
            "--quick: tiny counts, a smoke run, not figures"
        } else {
            "full run"
        },
        cpu_model(),
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0),
        loads["end"],
        activemq_version(),
    );
    results.insert("load_average".into(), json!(loads));
    results.insert("quick".into(), json!(o.quick));
    let plot = o
        .png
        .as_ref()
        .map(|p| format!("![round trip and event throughput]({p})\n\n"))
        .unwrap_or_default();
    let doc = format!("{header}{plot}{md}");
    match &o.out {
        Some(out) => {
            std::fs::write(out, &doc).with_context(|| format!("writing {}", out.display()))?
        }
        None => print!("{doc}"),
    }
    if let Some(path) = &o.json {
        std::fs::write(path, serde_json::to_string_pretty(&Value::Object(results))?)?;
    }
    Ok(())
}

fn one_line(s: &str) -> String {
    s.replace(['\n', '|'], " ")
}

fn chrono_now() -> String {
    std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}

fn activemq_version() -> String {
    std::process::Command::new("dpkg-query")
        .args(["-W", "-f=${Version}", "activemq"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_else(|| "?".into())
}

async fn py_module_version(py: &str, module: &str) -> String {
    let code = format!(
        "import importlib.metadata as m; print(m.version('{}'))",
        if module == "stomp" {
            "stomp.py"
        } else {
            module
        }
    );
    Command::new(py)
        .args(["-c", &code])
        .output()
        .await
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

/// The gcclient Python package's version, or why it cannot be measured.
async fn python_gcclient(py: &str) -> Result<String, String> {
    let out = Command::new(py)
        .args(["-c", "import gcclient; print(gcclient.__version__)"])
        .output()
        .await
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    } else {
        Err("the gcclient Python package is not installed in the bench venv (scripts/bench installs bindings/python when it builds)".into())
    }
}

/// `mono RoundTrip.exe MODE --stomp ..` with the native library on the
/// loader's path, or why the C# rows cannot run.
fn dotnet_cmd(o: &Opts, mode: &str) -> Result<Vec<String>, String> {
    let Some((exe, lib)) = &o.dotnet else {
        return Err(o.dotnet_missing.clone().unwrap_or_else(|| {
            "no C# driver given (--dotnet; scripts/bench builds it when mono and mcs are installed)"
                .into()
        }));
    };
    Ok(vec![
        "env".into(),
        format!("LD_LIBRARY_PATH={lib}"),
        "mono".into(),
        exe.clone(),
        mode.into(),
        "--stomp".into(),
        o.stomp.clone(),
    ])
}

/// Kotlin has no runnable bench harness here yet; say what exists.
fn kotlin_status(root: &Path) -> String {
    if root.join("bindings/kotlin/pom.xml").is_file() {
        "no Kotlin classpath given to the bench (scripts/bench builds bindings/kotlin with Maven when it can)".into()
    } else {
        "no Kotlin binding in this tree (bindings/kotlin)".into()
    }
}

/// Runs an external round-trip client: `cmd --n N --inflight K --warmup W`,
/// which prints one JSON line `{"samples_us": [...]}`.
async fn external(
    cmd: &[String],
    n: usize,
    inflight: usize,
    warmup: usize,
) -> anyhow::Result<Vec<Duration>> {
    let v = run_json(
        cmd,
        &[
            "--n".into(),
            n.to_string(),
            "--inflight".into(),
            inflight.to_string(),
            "--warmup".into(),
            warmup.to_string(),
        ],
    )
    .await?;
    let s = v["samples_us"]
        .as_array()
        .context("no samples_us in the client's output")?;
    if s.len() != n {
        bail!("{} samples, {n} expected", s.len());
    }
    Ok(s.iter()
        .map(|x| Duration::from_secs_f64(x.as_f64().unwrap_or(0.0) / 1e6))
        .collect())
}

/// One receiver's run of the event flood.
#[derive(Debug, Clone, Copy)]
struct EventRun {
    rate: f64,
    /// The receiving process's CPU time per event during the flood.
    cpu_us: Option<f64>,
}

impl EventRun {
    /// The best of two runs: the higher rate, the lower CPU time.
    fn best(self, other: EventRun) -> EventRun {
        let cpu_us = match (self.cpu_us, other.cpu_us) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        EventRun {
            rate: self.rate.max(other.rate),
            cpu_us,
        }
    }
}

/// This process's CPU time (user + system, all threads), from
/// /proc/self/stat: for the in-process receivers, like the drivers' own
/// process clocks.
fn process_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) in parentheses.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // USER_HZ is 100 on Linux.
    Some(Duration::from_millis(ticks * 10))
}

fn cpu_per_event(start: Option<Duration>, n: usize) -> Option<f64> {
    let used = process_cpu()?.checked_sub(start?)?;
    Some(used.as_secs_f64() * 1e6 / n as f64)
}

async fn external_rate(cmd: &[String]) -> anyhow::Result<EventRun> {
    let v = run_json(cmd, &[]).await?;
    Ok(EventRun {
        rate: v["events_per_s"].as_f64().context("no events_per_s")?,
        cpu_us: v["cpu_us_per_event"].as_f64(),
    })
}

async fn run_json(cmd: &[String], extra: &[String]) -> anyhow::Result<Value> {
    let mut c = Command::new(&cmd[0]);
    c.args(&cmd[1..]).args(extra);
    c.stdin(Stdio::null()).kill_on_drop(true);
    let out = tokio::time::timeout(Duration::from_secs(600), c.output())
        .await
        .context("timed out")??;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = err.lines().rev().take(5).collect();
        bail!(
            "{} exited with {}: {}",
            cmd[0],
            out.status,
            tail.into_iter().rev().collect::<Vec<_>>().join(" / ")
        );
    }
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .context("no JSON line in the output")?;
    Ok(serde_json::from_str(line)?)
}

// ------------------------------------------------------------------ events

fn flood_frames(topic: &str, agent: &str, n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n * 200);
    for i in 0..n {
        write!(
            Vecw(&mut out),
            "SEND\ndestination:{topic}\ntype:\n\n{agent}#State#READY##2025-01-31 14:30:00##{}#Zoë Ünal#{agent}#5001##Zoë Ünal#zunal\0",
            1738333800000u64 + i as u64
        )
        .unwrap();
    }
    out
}

struct Vecw<'a>(&'a mut Vec<u8>);
impl std::fmt::Write for Vecw<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

async fn flood(
    stomp: &str,
    topic: &str,
    agent: &str,
    n: usize,
) -> anyhow::Result<tokio::task::JoinHandle<anyhow::Result<()>>> {
    let frames = flood_frames(topic, agent, n);
    let mut s = RawStomp::connect(stomp).await?;
    Ok(tokio::spawn(async move {
        s.writer.write_all(&frames).await?;
        // A receipt on a last frame would tell when the broker has them all;
        // the receiver's count is what matters, so just keep the socket open.
        tokio::time::sleep(Duration::from_secs(600)).await;
        Ok(())
    }))
}

async fn events_floor(stomp: &str, n: usize) -> anyhow::Result<EventRun> {
    let topic = format!("/topic/flood.{}", uuid::Uuid::new_v4().simple());
    let mut sub = RawStomp::connect(stomp).await?;
    sub.subscribe(&topic).await?;
    let t = Instant::now();
    let producer = flood(stomp, &topic, "flood", n).await?;
    let cpu = process_cpu();
    let mut seen = 0;
    let r = tokio::time::timeout(Duration::from_secs(300), async {
        while seen < n {
            sub.reader.next().await?;
            if sub.reader.buf.starts_with(b"MESSAGE") {
                seen += 1;
            }
        }
        anyhow::Ok(())
    })
    .await;
    let rate = n as f64 / t.elapsed().as_secs_f64();
    let cpu_us = cpu_per_event(cpu, n);
    producer.abort();
    r.context("timed out")??;
    Ok(EventRun { rate, cpu_us })
}

/// `n` events through gcclient, after `warmup` unmeasured ones, as in the
/// bindings' drivers (a JIT compiles the delivery path during the first
/// flood; the round trips' warm-up requests keep that out too).
async fn events_gcclient(stomp: &str, n: usize, warmup: usize) -> anyhow::Result<EventRun> {
    let queue = format!("bench.ev.{}", uuid::Uuid::new_v4().simple());
    let _peer = BenchPeer::start(stomp, &queue).await?;
    let mut cfg = gcclient::Config::new(format!("tcp://{stomp}"));
    cfg.queue = queue;
    cfg.hello_interval_ms = 200;
    cfg.event_buffer = n.max(warmup).max(4096);
    // As the bindings' drivers: room for the whole flood.
    cfg.event_buffer_bytes = 256 * 1024 * 1024;
    let client = gcclient::Client::connect(cfg).await?;
    client.wait_in_service(Duration::from_secs(10)).await?;
    let agent = client.agent("flood");
    let mut events = agent.events();
    let topic = format!("/topic/{}", client.destination());
    let mut producers = Vec::new();
    let mut run = EventRun {
        rate: 0.0,
        cpu_us: None,
    };
    let r = tokio::time::timeout(Duration::from_secs(300), async {
        for count in [warmup, n] {
            let t = Instant::now();
            producers.push(flood(stomp, &topic, "flood", count).await?);
            let cpu = process_cpu();
            let mut seen = 0;
            while seen < count {
                match events.recv().await {
                    Some(Notification::Event(e))
                        if matches!(e.data, EventData::AgentState { .. }) =>
                    {
                        seen += 1
                    }
                    Some(Notification::Lagged { dropped }) => {
                        bail!("subscriber lagged: {dropped} dropped")
                    }
                    Some(_) => {}
                    None => bail!("event stream ended"),
                }
            }
            run = EventRun {
                rate: count as f64 / t.elapsed().as_secs_f64(),
                cpu_us: cpu_per_event(cpu, count),
            };
        }
        anyhow::Ok(())
    })
    .await;
    for p in producers {
        p.abort();
    }
    client.close().await;
    r.context("timed out")??;
    Ok(run)
}

// ------------------------------------------------------------------ scale

const AGENT_BASE: usize = 20_000;

fn write_model(agents: usize) -> anyhow::Result<PathBuf> {
    let default = include_str!("../../../sim/model/default.toml");
    let mut m = String::new();
    for line in default.lines() {
        if line.trim_start().starts_with("licence_limit") {
            writeln!(m, "licence_limit = {}", agents + 100)?;
        } else {
            writeln!(m, "{line}")?;
        }
    }
    for i in 0..agents {
        writeln!(
            m,
            "\n[[agents]]\nid = \"{}\"\npassword = \"pw\"\nextension = \"{}\"\nfirst_name = \"Bench\"\nlast_name = \"Agent{i}\"\nteam = \"1\"",
            AGENT_BASE + i,
            AGENT_BASE + 10_000 + i
        )?;
    }
    let path =
        std::env::temp_dir().join(format!("gcclient-bench-model-{}.toml", std::process::id()));
    std::fs::write(&path, m)?;
    Ok(path)
}

fn spawn_sim(bin: &Path, stomp: &str, queue: &str, model: &Path) -> anyhow::Result<Child> {
    if !bin.is_file() {
        bail!("{} is missing (cargo build -p gcclient-sim)", bin.display());
    }
    Ok(Command::new(bin)
        .args([
            "--broker",
            &format!("tcp://{stomp}"),
            "--queue",
            queue,
            "--model",
        ])
        .arg(model)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()?)
}

/// One `scale-client` process; with `storm`, the simulator is restarted once
/// the client reports its agents logged in.
async fn scale_run(
    stomp: &str,
    queue: &str,
    n: usize,
    storm: Option<&mut Child>,
) -> anyhow::Result<Value> {
    let mut c = Command::new(std::env::current_exe()?);
    c.args([
        "scale-client",
        "--stomp",
        stomp,
        "--queue",
        queue,
        "--agents",
        &n.to_string(),
    ]);
    if storm.is_some() {
        c.arg("--storm");
    }
    let mut child = c
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let result = tokio::time::timeout(Duration::from_secs(300), async {
        while let Some(line) = lines.next_line().await? {
            if line == "ready-for-storm" {
                return Ok::<_, anyhow::Error>(None);
            }
            if line.starts_with('{') {
                return Ok(Some(serde_json::from_str::<Value>(&line)?));
            }
        }
        bail!("scale-client ended without a result")
    })
    .await
    .context("scale-client timed out")??;
    let mut v = match result {
        Some(v) => v,
        None => {
            let sim = storm.context("storm without a simulator")?;
            let stdin = sim.stdin.as_mut().context("simulator stdin")?;
            let t = Instant::now();
            stdin.write_all(b"restart\n").await?;
            stdin.flush().await?;
            let line = tokio::time::timeout(Duration::from_secs(300), async {
                while let Some(line) = lines.next_line().await? {
                    if line.starts_with('{') {
                        return Ok(line);
                    }
                }
                bail!("scale-client ended without a result")
            })
            .await
            .context("storm timed out")??;
            let mut v: Value = serde_json::from_str(&line)?;
            v["storm_total_ms"] = json!(t.elapsed().as_secs_f64() * 1e3);
            v
        }
    };
    let _ = child.wait().await;
    v["agents"] = json!(n);
    Ok(v)
}

const BEAT_MS: u64 = 500;

/// The child of `scale_run`: logs in N agents, reports time and RSS as
/// JSON; with `--storm` then waits for the re-login storm.
async fn scale_client(args: &[String]) -> anyhow::Result<()> {
    let get = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
            .with_context(|| format!("{name} missing"))
    };
    let stomp = get("--stomp")?;
    let n: usize = get("--agents")?.parse()?;
    let storm = args.iter().any(|a| a == "--storm");
    let mut cfg = gcclient::Config::new(format!("tcp://{stomp}"));
    cfg.queue = get("--queue")?;
    cfg.hello_interval_ms = 200;
    cfg.beat_interval_ms = BEAT_MS;
    cfg.event_buffer = 65_536;
    let client = gcclient::Client::connect(cfg).await?;
    client.wait_in_service(Duration::from_secs(30)).await?;
    let (baseline, _) = rss_kib();
    let mut notes = client.events();
    let t = Instant::now();
    let sem = std::sync::Arc::new(tokio::sync::Semaphore::new(100));
    let mut tasks = Vec::with_capacity(n);
    for i in 0..n {
        let agent = client.agent(&(AGENT_BASE + i).to_string());
        let permit = sem.clone().acquire_owned().await?;
        tasks.push(tokio::spawn(async move {
            let r = agent
                .login("pw", &(AGENT_BASE + 10_000 + i).to_string())
                .await;
            drop(permit);
            r
        }));
    }
    for task in tasks {
        task.await?.context("login")?;
    }
    let login = t.elapsed();
    let (rss, hwm) = rss_kib();
    let mut v = json!({
        "login_ms": login.as_secs_f64() * 1e3,
        "rss_kib": rss,
        "baseline_rss_kib": baseline,
        "hwm_kib": hwm,
        "beat_ms": BEAT_MS,
    });
    if storm {
        // Everything the logins produced is behind us.
        while let Ok(Some(_)) = notes.try_recv() {}
        println!("ready-for-storm");
        let mut started = None;
        let (mut ok, mut failed) = (0usize, 0usize);
        let r = tokio::time::timeout(Duration::from_secs(240), async {
            while ok + failed < n {
                match notes.recv().await {
                    Some(Notification::Event(e))
                        if matches!(e.data, EventData::DestinationReconnect { .. }) =>
                    {
                        started.get_or_insert_with(Instant::now);
                    }
                    Some(Notification::Relogin { error, .. }) if started.is_some() => match error {
                        None => ok += 1,
                        Some(_) => failed += 1,
                    },
                    Some(Notification::Lagged { dropped }) => bail!("lagged: {dropped}"),
                    Some(_) => {}
                    None => bail!("event stream ended"),
                }
            }
            Ok(())
        })
        .await;
        r.context("re-login storm timed out")??;
        v["storm_ms"] = json!(started.unwrap().elapsed().as_secs_f64() * 1e3);
        v["storm_failed"] = json!(failed);
    }
    println!("{v}");
    client.close().await;
    Ok(())
}

// ------------------------------------------------------------------ recovery

async fn recovery(sim_bin: &Path, model: &Path, n: usize) -> anyhow::Result<Value> {
    let broker = gcclient_tests::broker::PrivateBroker::start_async().await;
    let stomp = broker.stomp_addr();
    let queue = format!("bench.rec.{}", uuid::Uuid::new_v4().simple());
    let _sim = spawn_sim(sim_bin, &stomp, &queue, model)?;
    let mut cfg = gcclient::Config::new(format!("tcp://{stomp}"));
    cfg.queue = queue;
    cfg.hello_interval_ms = 200;
    cfg.event_buffer = 65_536;
    let client = gcclient::Client::connect(cfg).await?;
    client.wait_in_service(Duration::from_secs(30)).await?;
    let sem = std::sync::Arc::new(tokio::sync::Semaphore::new(100));
    let mut tasks = Vec::new();
    for i in 0..n {
        let agent = client.agent(&(AGENT_BASE + i).to_string());
        let permit = sem.clone().acquire_owned().await?;
        tasks.push(tokio::spawn(async move {
            let r = agent
                .login("pw", &(AGENT_BASE + 10_000 + i).to_string())
                .await;
            drop(permit);
            r
        }));
    }
    for t in tasks {
        t.await?.context("login")?;
    }
    let mut notes = client.events();
    let mut reps = Vec::new();
    // Several restarts: where the client's reconnect back-off falls relative
    // to the broker's start varies from one restart to the next.
    for _ in 0..RECOVERY_REPS {
        let t0 = Instant::now();
        broker.restart_async().await;
        let restart = t0.elapsed();
        let mut in_service = None;
        let (mut ok, mut failed) = (0usize, 0usize);
        let mut left_service = false;
        // Status changes from the event stream, in order: a watch would
        // coalesce a quick loss and return into "no change" (the client can
        // be back before restart_async returns on a busy machine).
        let r = tokio::time::timeout(Duration::from_secs(300), async {
            loop {
                if in_service.is_some() && ok + failed >= n {
                    return anyhow::Ok(());
                }
                match notes.recv().await {
                    Some(Notification::Status { status, .. }) => {
                        if status != ConnectionStatus::InService {
                            left_service = true;
                        } else if left_service && in_service.is_none() {
                            in_service = Some(t0.elapsed());
                        }
                    }
                    Some(Notification::Relogin { error: None, .. }) => ok += 1,
                    Some(Notification::Relogin { error: Some(_), .. }) => failed += 1,
                    Some(Notification::Lagged { dropped }) => bail!("lagged: {dropped}"),
                    Some(_) => {}
                    None => bail!("event stream ended"),
                }
            }
        })
        .await;
        r.with_context(|| {
            format!(
                "recovery timed out (left service: {left_service}, in service: {in_service:?}, \
                 re-logins {ok} ok, {failed} failed of {n})"
            )
        })??;
        let all = t0.elapsed();
        reps.push(json!({
            "broker_restart_ms": restart.as_secs_f64() * 1e3,
            "in_service_ms": in_service.unwrap_or_default().as_secs_f64() * 1e3,
            "all_logged_in_ms": all.as_secs_f64() * 1e3,
            "relogin_failed": failed,
            "ratio": all.as_secs_f64() / restart.as_secs_f64(),
        }));
    }
    client.close().await;
    let median = |key: &str| {
        let mut v: Vec<f64> = reps.iter().filter_map(|r| r[key].as_f64()).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    Ok(json!({
        "agents": n,
        "broker_restart_ms": median("broker_restart_ms"),
        "in_service_ms": median("in_service_ms"),
        "all_logged_in_ms": median("all_logged_in_ms"),
        "ratio": median("ratio"),
        "runs": reps,
    }))
}

const RECOVERY_REPS: usize = 3;

// ------------------------------------------------------------------ codec

/// (benchmark, time, throughput) from criterion's text output.
fn parse_criterion(text: &str) -> Vec<(String, String, String)> {
    let mut rows = Vec::new();
    let mut name = String::new();
    let middle = |l: &str| -> String {
        let inner = l
            .split_once('[')
            .and_then(|(_, r)| r.split_once(']'))
            .map(|(m, _)| m)
            .unwrap_or("");
        let parts: Vec<&str> = inner.split_whitespace().collect();
        if parts.len() >= 4 {
            format!("{} {}", parts[2], parts[3])
        } else {
            inner.to_owned()
        }
    };
    for line in text.lines() {
        let trimmed = line.trim();
        if !line.starts_with(' ') && trimmed.contains('/') && !trimmed.starts_with("Benchmarking") {
            name = trimmed.split_whitespace().next().unwrap_or("").to_owned();
        }
        if line.contains('%') {
            // "change:" lines compare with criterion's previous run.
            continue;
        }
        if let Some(i) = line.find("time:") {
            rows.push((name.clone(), middle(&line[i..]), String::new()));
        } else if line.contains("thrpt:") && !line.contains("change") {
            if let Some(last) = rows.last_mut() {
                if last.2.is_empty() {
                    last.2 = middle(line);
                }
            }
        }
    }
    rows
}

/// One round-trip contender alone against the bench peer (for profiling).
/// [`roundtrip::gcclient_blocking`] on plain threads (the blocking API
/// refuses runtime threads), awaited without holding a runtime worker.
async fn rust_blocking(
    stomp: &str,
    queue: &str,
    n: usize,
    inflight: usize,
    warmup: usize,
) -> anyhow::Result<Vec<std::time::Duration>> {
    let (stomp, queue) = (stomp.to_owned(), queue.to_owned());
    tokio::task::spawn_blocking(move || {
        std::thread::spawn(move || {
            roundtrip::gcclient_blocking(&stomp, &queue, n, inflight, warmup)
        })
        .join()
        .map_err(|_| anyhow::anyhow!("the blocking client panicked"))?
    })
    .await?
}

/// One event row alone, for A/B runs: `bench ev raw|rust [N] [WARMUP]`
/// prints events/s and the process's CPU time per event.
async fn ev_only(args: &[String]) -> anyhow::Result<()> {
    let stomp = std::env::var("GCCLIENT_TEST_STOMP").context("GCCLIENT_TEST_STOMP")?;
    let n: usize = args
        .get(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(50_000);
    let warmup: usize = args
        .get(2)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(10_000);
    let run = match args.first().map(String::as_str) {
        Some("raw") => events_floor(&stomp, n).await?,
        Some("rust") => events_gcclient(&stomp, n, warmup).await?,
        _ => bail!("bench ev raw|rust [N] [WARMUP]"),
    };
    println!("{:.0} events/s, {:?} µs CPU/event", run.rate, run.cpu_us);
    Ok(())
}

async fn rt_only(args: &[String]) -> anyhow::Result<()> {
    let stomp = std::env::var("GCCLIENT_TEST_STOMP").context("GCCLIENT_TEST_STOMP")?;
    let which = args.first().context("floor or rust")?;
    let n: usize = args.get(1).map(|s| s.parse()).transpose()?.unwrap_or(5_000);
    let inflight: usize = args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(1);
    let queue = format!("bench.rt.{}", uuid::Uuid::new_v4().simple());
    let _peer = spawn_peer(&stomp, &queue).await?;
    let mut s = match which.as_str() {
        "floor" => roundtrip::floor(&stomp, &queue, n, inflight, 200).await?,
        "floor-receipt" => {
            roundtrip::floor_with(
                &stomp,
                &queue,
                n,
                inflight,
                200,
                roundtrip::FloorFrame::Receipt,
            )
            .await?
        }
        "floor-gc-headers" => {
            roundtrip::floor_with(
                &stomp,
                &queue,
                n,
                inflight,
                200,
                roundtrip::FloorFrame::GcclientHeaders,
            )
            .await?
        }
        "rust" => roundtrip::gcclient(&stomp, &queue, n, inflight, 200).await?,
        "rust-blocking" => rust_blocking(&stomp, &queue, n, inflight, 200).await?,
        other => bail!("unknown contender {other}"),
    };
    let st = Stats::of(&mut s);
    println!(
        "{which} x{inflight}: n {} p50 {} p99 {} max {} µs",
        st.n,
        us(st.p50),
        us(st.p99),
        us(st.max)
    );
    Ok(())
}

/// The last column of a goal or target row.
fn met_cell(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "yes",
        Some(false) => "**no**",
        None => "n/a",
    }
}

/// The round-trip rows of a run's results.
fn roundtrip_rows(r: &serde_json::Map<String, Value>) -> Vec<Value> {
    r.get("roundtrip")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// The goals of "Every binding at the speed of the core" (issue 23),
/// checked against this run's figures: one row per goal and binding.
fn goals(r: &serde_json::Map<String, Value>) -> String {
    let mut out = String::from(
        "## Goals: every binding at the speed of the core (this run)\n\n\
         Ratios of p50s from the round-trip tables above (same run, interleaved rounds); \
         event overhead = 1/binding rate - 1/Rust rate from the event table, Rust receiving \
         as many events as the bindings.\n\n\
         | goal | measured | met |\n|---|---|---|\n",
    );
    let mut row = |goal: &str, measured: String, met: Option<bool>| {
        let _ = writeln!(out, "| {goal} | {measured} | {} |", met_cell(met));
    };
    let rt = roundtrip_rows(r);
    let find = |key: &str, mode: &str| {
        rt.iter()
            .find(|e| e["mode"] == mode && e["key"] == key)
            .cloned()
    };
    let p50 = |key: &str, mode: &str| find(key, mode).and_then(|e| e["stats"]["p50"].as_f64());
    let label = |key: &str, mode: &str| {
        find(key, mode)
            .and_then(|e| e["client"].as_str().map(str::to_owned))
            .unwrap_or_else(|| key.to_owned())
    };
    let bindings = [
        ("py-async", Some("stomp.py")),
        ("py-sync", Some("stomp.py")),
        ("kt-suspend", Some("jms")),
        ("java-blocking", Some("jms")),
        ("java-future", Some("jms")),
        ("csharp", None),
    ];
    let ratio_row = |row: &mut dyn FnMut(&str, String, Option<bool>),
                     goal: String,
                     a: Option<f64>,
                     b: Option<f64>,
                     limit: f64| match (a, b) {
        (Some(a), Some(b)) => row(
            &goal,
            format!("{a:.0} µs vs {b:.0} µs: {:.2}x", a / b),
            Some(a <= limit * b),
        ),
        _ => row(&goal, "not measured".into(), None),
    };
    let mode = "sequential";
    for (key, peer) in bindings {
        let name = label(key, mode);
        ratio_row(
            &mut row,
            format!("sequential p50 <= 1.15x Rust core: {name}"),
            p50(key, mode),
            p50("rust", mode),
            1.15,
        );
        if let Some(peer) = peer {
            let peer_name = label(peer, mode);
            match (p50(key, mode), p50(peer, mode)) {
                (Some(a), Some(b)) => row(
                    &format!("sequential p50 below {peer_name}: {name}"),
                    format!("{a:.0} µs vs {b:.0} µs: {:.2}x", a / b),
                    Some(a < b),
                ),
                _ => row(
                    &format!("sequential p50 below {peer_name}: {name}"),
                    "not measured".into(),
                    None,
                ),
            }
        }
    }
    let mode = "32 in flight";
    for peer in ["stomp.py", "jms"] {
        ratio_row(
            &mut row,
            format!(
                "32 in flight p50: Rust core at or below {}",
                label(peer, mode)
            ),
            p50("rust", mode),
            p50(peer, mode),
            1.0,
        );
    }
    ratio_row(
        &mut row,
        "32 in flight p50: Rust core <= 1.05x the floor sending gcclient's frame".into(),
        p50("rust", mode),
        p50("floor-gc", mode),
        1.05,
    );
    for (key, _) in bindings {
        ratio_row(
            &mut row,
            format!("32 in flight p50 <= 1.25x Rust core: {}", label(key, mode)),
            p50(key, mode),
            p50("rust", mode),
            1.25,
        );
    }
    let ev = r
        .get("events")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let field = |key: &str, name: &str| {
        ev.iter()
            .find(|e| e["key"] == key)
            .and_then(|e| e[name].as_f64())
    };
    // (key, who, whether the issue sets a goal for it)
    let receivers = [
        ("py-callback", "Python (`on_notification` callback)", true),
        ("py-async", "Python (`async for`)", false),
        ("jvm-listener", "JVM (listener callback)", true),
        ("csharp-handler", ".NET (`EventReceived` handler)", true),
    ];
    for (key, who, _) in receivers.iter().filter(|r| r.2) {
        let goal = format!("event delivery overhead over Rust <= 1.5 µs/event: {who}");
        match (
            field(key, "events_per_s"),
            field("rust-bindings-count", "events_per_s"),
        ) {
            (Some(b), Some(rust)) => {
                let over = 1e6 / b - 1e6 / rust;
                let shown = if over < 0.0 {
                    format!("{over:.2} µs/event (faster than Rust in this run: within the noise)")
                } else {
                    format!("{over:.2} µs/event")
                };
                row(&goal, shown, Some(over <= 1.5));
            }
            _ => row(&goal, "not measured".into(), None),
        }
    }
    // Not a goal: what each binding's process spends per event, which the
    // rate hides while the binding keeps up with the broker.
    for (key, who, _) in &receivers {
        if let (Some(b), Some(rust)) = (
            field(key, "cpu_us_per_event"),
            field("rust-bindings-count", "cpu_us_per_event"),
        ) {
            row(
                &format!("(diagnosis) CPU of the receiving process per event: {who} vs Rust"),
                format!("{b:.1} µs vs {rust:.1} µs: {:+.1} µs", b - rust),
                None,
            );
        }
    }
    // Not goals: where the bindings' gaps come from. Each row is the ratio
    // of two p50s of the same mode, left out when either is not measured.
    let mut diagnosis = |mode: &str, a_key: &str, b_key: &str, what: &str| {
        if let (Some(a), Some(b)) = (p50(a_key, mode), p50(b_key, mode)) {
            row(
                &format!("(diagnosis, {mode}) {what}"),
                format!("{a:.0} µs vs {b:.0} µs: {:.2}x", a / b),
                None,
            );
        }
    };
    // What asyncio itself costs (the least any asyncio client pays for the
    // same exchange), and how much of the Python asyncio gap is gcclient's.
    for mode in ["sequential", "32 in flight"] {
        diagnosis(mode, "py-floor", "rust", "raw asyncio floor vs Rust core");
        diagnosis(
            mode,
            "py-async",
            "py-floor",
            "gcclient Python asyncio vs the raw asyncio floor",
        );
    }
    // How much of every binding's gap is being a caller from outside the
    // runtime (thread wake-ups), with no foreign language at all.
    for mode in ["sequential", "32 in flight"] {
        diagnosis(
            mode,
            "rust-blocking",
            "rust",
            "Rust core from plain threads vs from its runtime",
        );
    }
    out.push_str(
        "\nEvery p50 above has its p99 next to it in the round-trip tables. No row is \
         measured with a guarantee turned off: gcclient's frames keep their receipts, \
         replies are correlated, and every command ends confirmed or with an error.\n\n",
    );
    out
}

/// Earlier issues' targets, checked against this run's figures.
fn targets(r: &serde_json::Map<String, Value>) -> String {
    let mut out = String::from(
        "## Earlier targets (this run)\n\n| target | measured | met |\n|---|---|---|\n",
    );
    let mut row = |target: &str, measured: String, met: Option<bool>| {
        let _ = writeln!(out, "| {target} | {measured} | {} |", met_cell(met));
    };
    let rt = roundtrip_rows(r);
    let p50 = |prefix: &str, mode: &str| {
        rt.iter()
            .find(|e| {
                e["mode"] == mode && e["client"].as_str().is_some_and(|c| c.starts_with(prefix))
            })
            .and_then(|e| e["stats"]["p50"].as_f64())
    };
    for mode in ["sequential", "32 in flight"] {
        if let (Some(ours), Some(floor)) =
            (p50("gcclient (Rust)", mode), p50("raw STOMP floor", mode))
        {
            row(
                &format!("p50 <= 1.2x raw floor ({mode})"),
                format!("{ours:.0} µs vs {floor:.0} µs: {:.2}x", ours / floor),
                Some(ours <= 1.2 * floor),
            );
            if let Some(gc_frame) = p50("raw floor sending", mode) {
                row(
                    &format!("(diagnosis) p50 vs the floor sending gcclient's frame ({mode})"),
                    format!("{ours:.0} µs vs {gc_frame:.0} µs: {:.2}x", ours / gc_frame),
                    None,
                );
            }
            for peer in ["stomp.py", "Java JMS"] {
                match p50(peer, mode) {
                    Some(theirs) => row(
                        &format!("p50 below {peer} ({mode})"),
                        format!("{ours:.0} µs vs {theirs:.0} µs"),
                        Some(ours < theirs),
                    ),
                    None => row(
                        &format!("p50 below {peer} ({mode})"),
                        "not measured".into(),
                        None,
                    ),
                }
            }
        }
    }
    let codec = r
        .get("codec")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    match codec
        .iter()
        .find(|c| c["bench"] == "decode_cpu/mixed_events")
        .and_then(|c| c["thrpt"].as_str())
        .and_then(parse_rate)
    {
        Some(rate) => row(
            ">= 1M events/s decode per core",
            format!(
                "{:.2} M events/s (thread CPU time, mixed corpus)",
                rate / 1e6
            ),
            Some(rate >= 1e6),
        ),
        None => row(
            ">= 1M events/s decode per core",
            "not measured (no codec run)".into(),
            None,
        ),
    }
    let scale = r
        .get("scale")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    match scale
        .iter()
        .find(|v| v["agents"] == 1000)
        .and_then(|v| v["rss_kib"].as_f64())
    {
        Some(kib) => row(
            "1,000 agents < 50 MB RSS",
            format!("{:.1} MiB", kib / 1024.0),
            Some(kib * 1024.0 < 50e6),
        ),
        None => row(
            "1,000 agents < 50 MB RSS",
            "not measured (quick run)".into(),
            None,
        ),
    }
    match r.get("recovery") {
        Some(v) => {
            let ratio = v["ratio"].as_f64().unwrap_or(0.0);
            row(
                "recovery < 2x broker restart",
                format!("{ratio:.2}x (median of {RECOVERY_REPS} restarts)"),
                Some(ratio < 2.0),
            )
        }
        None => row("recovery < 2x broker restart", "not measured".into(), None),
    }
    out.push('\n');
    out
}

/// "2.71 Melem/s" -> 2.71e6.
fn parse_rate(s: &str) -> Option<f64> {
    let mut it = s.split_whitespace();
    let v: f64 = it.next()?.parse().ok()?;
    let unit = it.next()?;
    let k = match unit.chars().next()? {
        'G' => 1e9,
        'M' => 1e6,
        'K' | 'k' => 1e3,
        _ => 1.0,
    };
    Some(v * k)
}

async fn spawn_peer(stomp: &str, queue: &str) -> anyhow::Result<Child> {
    let mut child = Command::new(std::env::current_exe()?)
        .args(["peer", queue])
        .env("GCCLIENT_TEST_STOMP", stomp)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let mut lines = BufReader::new(child.stdout.take().context("peer stdout")?).lines();
    match tokio::time::timeout(Duration::from_secs(30), lines.next_line()).await {
        Ok(Ok(Some(l))) if l == "ready" => Ok(child),
        other => bail!("the peer did not start: {other:?}"),
    }
}

async fn peer_process(args: &[String]) -> anyhow::Result<()> {
    let stomp = std::env::var("GCCLIENT_TEST_STOMP").context("GCCLIENT_TEST_STOMP")?;
    let queue = args.first().context("queue")?;
    let peer = BenchPeer::start(&stomp, queue).await?;
    println!("ready");
    // Until the parent closes our stdin (or dies).
    let mut sink = Vec::new();
    let _ = tokio::io::AsyncReadExt::read_to_end(&mut tokio::io::stdin(), &mut sink).await;
    eprintln!(
        "peer answered {}",
        peer.answered.load(std::sync::atomic::Ordering::Relaxed)
    );
    Ok(())
}
