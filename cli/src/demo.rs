//! `gcclient demo`: a short call-centre scene against the simulator, printed
//! as a readable timeline of commands and events.
//!
//! Without `--broker` the simulator serves on its embedded loopback STOMP
//! endpoint ([`gcclient_sim::Loopback`], demo only, not a broker), so the
//! demo needs nothing but the Rust toolchain. With `--broker` the same scene
//! runs over a real ActiveMQ.

use std::future::Future;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use gcclient::protocol::EventData;
use gcclient::{Agent, Client, Config, Event, Notification};
use gcclient_sim::{Loopback, SimConfig, Simulator};

#[derive(clap::Args, Debug, Clone)]
pub struct DemoArgs {
    /// Run over this ActiveMQ (`tcp://host:61613`) instead of the
    /// simulator's embedded loopback endpoint.
    #[arg(long)]
    pub broker: Option<String>,
    /// GC command queue for the demo (default: `Connector1` on the loopback
    /// endpoint; a private one on a broker, so a real GC there is never
    /// disturbed).
    #[arg(long)]
    pub queue: Option<String>,
    /// Also print each event's raw body.
    #[arg(long)]
    pub raw: bool,
}

/// One line per event, in words.
fn describe(e: &Event) -> String {
    let who = e.agent.as_deref().unwrap_or("GC");
    let what = match &e.data {
        EventData::System { status } => format!("system {status:?}"),
        EventData::AgentState(s) => {
            let mut t = format!("state {}", s.state);
            if let Some(p) = s.pending_state {
                t.push_str(&format!(" (pending {p})"));
            }
            if !s.reason_label.is_empty() {
                t.push_str(&format!(" reason {}", s.reason_label));
            }
            t
        }
        EventData::AgentInfo(i) => format!(
            "info: {} {}{}",
            i.first_name,
            i.last_name,
            if i.is_supervisor { ", supervisor" } else { "" }
        ),
        EventData::DialogStatus { dialog: None } => "no active dialog".into(),
        EventData::DialogStatus { dialog: Some(d) } => {
            format!("active dialog {} {}", d.dialog.dialog_id, d.dialog.state)
        }
        EventData::NewInboundCall(c) => format!(
            "RING: call {} from {} {:?}",
            c.dialog_id.as_deref().unwrap_or("?"),
            c.from_address,
            c.call_variables
        ),
        EventData::InboundCall(c) => format!(
            "call {} {} ({} parties, {})",
            c.dialog_id.as_deref().unwrap_or("?"),
            c.state,
            c.participants_count.unwrap_or(0),
            c.call_type.as_deref().unwrap_or("")
        ),
        EventData::ConsultCall(c) => format!(
            "consult {} {} with {}",
            c.associated_dialog_id.as_deref().unwrap_or("?"),
            c.state,
            c.agent_name
        ),
        EventData::DialogState {
            state, dialog_id, ..
        } => format!("dialog {dialog_id} {state}"),
        EventData::TeamUsersList { users } => format!(
            "team: {}",
            users
                .iter()
                .map(|u| format!("{} {}", u.login_id, u.state))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        EventData::TeamMemberStateChanged {
            team_id,
            state,
            extra,
        } => format!("team {team_id}: {} is now {state}", extra.join(" ")),
        EventData::Error { code, .. } => format!("ERROR {code}: {}", code.summary()),
        other => other.kind_name().replace('_', " "),
    };
    format!("{who:>5}  {what}")
}

struct Timeline {
    start: Instant,
}

impl Timeline {
    fn line(&self, arrow: &str, text: &str) {
        let ms = self.start.elapsed().as_millis();
        println!("{:>6} ms {arrow} {text}", ms);
    }

    /// Prints the command, runs it, and prints the outcome.
    async fn step<F, T>(&self, who: &Agent, what: &str, f: F) -> anyhow::Result<T>
    where
        F: Future<Output = gcclient::Result<T>>,
    {
        self.line("→", &format!("{:>5}  {what}", who.id()));
        f.await.with_context(|| format!("{} {what}", who.id()))
    }
}

pub async fn run(args: DemoArgs) -> anyhow::Result<()> {
    let (loopback, url, default_queue) = match &args.broker {
        Some(b) => (
            None,
            b.clone(),
            format!("gcclient-demo-{}", std::process::id()),
        ),
        None => {
            let lb = Loopback::start()
                .await
                .context("starting the loopback endpoint")?;
            let url = lb.url();
            (Some(lb), url, "Connector1".to_owned())
        }
    };
    let queue = args.queue.clone().unwrap_or(default_queue);
    let sim = Simulator::start(SimConfig::new(&url).with_queue(&queue))
        .await
        .context("starting the simulator")?;
    match &loopback {
        Some(_) => println!(
            "simulator (GC + Finesse) serving queue {queue} on its loopback endpoint {url}\n\
             (an in-process STOMP endpoint for this demo only; real deployments use ActiveMQ: --broker URL)\n"
        ),
        None => println!("simulator (GC + Finesse) serving queue {queue} on ActiveMQ {url}\n"),
    }

    let mut cfg = Config::new(url.clone());
    cfg.queue = queue.clone();
    cfg.hello_interval_ms = 300;
    let client = Client::connect(cfg).await?;
    let t = Timeline {
        start: Instant::now(),
    };
    let mut events = client.events();
    let printer = {
        let start = t.start;
        let raw = args.raw;
        tokio::spawn(async move {
            let t = Timeline { start };
            while let Some(n) = events.recv().await {
                match n {
                    Notification::Event(e) => {
                        t.line("←", &describe(&e));
                        if raw {
                            t.line(" ", &format!("       {}", e.raw));
                        }
                    }
                    Notification::Status { status, .. } => {
                        t.line("·", &format!("         connection {}", status.as_str()))
                    }
                    _ => {}
                }
            }
        })
    };
    client.wait_in_service(Duration::from_secs(10)).await?;

    let result = scene(&client, &sim, &t).await;
    // Let the last events print before the summary.
    tokio::time::sleep(Duration::from_millis(200)).await;
    client.close().await;
    sim.shutdown().await;
    let _ = printer.await;
    let via = match loopback {
        Some(lb) => {
            lb.shutdown().await;
            "the loopback endpoint"
        }
        None => "the broker",
    };
    result?;
    println!("\ndemo finished: every command above went through {via} to the simulator.");
    Ok(())
}

async fn scene(client: &Client, sim: &gcclient_sim::SimHandle, t: &Timeline) -> anyhow::Result<()> {
    let sup = client.agent("2001");
    let alice = client.agent("1001");
    let bob = client.agent("1002");
    t.step(
        &sup,
        "login (supervisor, extension 6001)",
        sup.login("1234", "6001"),
    )
    .await?;
    t.step(
        &alice,
        "login (extension 5001)",
        alice.login("1234", "5001"),
    )
    .await?;
    t.step(&bob, "login (extension 5002)", bob.login("1234", "5002"))
        .await?;
    t.step(
        &sup,
        "get_team_users 1, subscribe",
        sup.get_team_users("1", true),
    )
    .await?;
    t.step(&alice, "make_ready", alice.make_ready()).await?;
    t.step(&bob, "make_ready", bob.make_ready()).await?;

    let mut ring = alice.events();
    t.line("☎", "   sim  a customer (5551234) calls agent 1001");
    let dialog = sim
        .offer_call(
            "1001",
            "5551234",
            &[("callVariable1", "VIP"), ("BAAccountNumber", "42")],
        )
        .await?;
    wait_for(&mut ring, |e| matches!(&e.data, EventData::NewInboundCall(c) if c.dialog_id.as_deref() == Some(dialog.as_str()))).await?;
    t.step(&alice, "answer", alice.answer_call(&dialog)).await?;
    t.step(&alice, "hold", alice.hold_call(&dialog)).await?;
    t.step(&alice, "retrieve", alice.retrieve_call(&dialog))
        .await?;
    let consult = t
        .step(&alice, "consult 5002", alice.consult_call("5002", &dialog))
        .await?;
    let consult_id = match &consult.data {
        EventData::ConsultCall(c) => c
            .associated_dialog_id
            .clone()
            .context("consult dialog id")?,
        other => bail!("unexpected reply to consult: {other:?}"),
    };
    t.step(&bob, "answer the consult", bob.answer_call(&consult_id))
        .await?;
    t.step(
        &alice,
        "transfer to 5002",
        alice.transfer_call("5002", &dialog),
    )
    .await?;
    t.step(&alice, "wrap_up \"Sale\"", alice.wrap_up("Sale", &dialog))
        .await?;
    t.step(&alice, "make_ready (leave wrap-up)", alice.make_ready())
        .await?;
    t.step(&bob, "release", bob.release_call(&dialog)).await?;
    t.step(
        &bob,
        "wrap_up \"Callback requested\"",
        bob.wrap_up("Callback requested", &dialog),
    )
    .await?;
    for a in [&alice, &bob, &sup] {
        t.step(
            a,
            "make_not_ready reason 1 (Break)",
            a.make_not_ready(Some("1")),
        )
        .await?;
        t.step(
            a,
            "logout_with_reason 11 (End of shift)",
            a.logout_with_reason("11"),
        )
        .await?;
    }
    Ok(())
}

async fn wait_for(
    rx: &mut gcclient::EventReceiver,
    pred: impl Fn(&Event) -> bool,
) -> anyhow::Result<()> {
    tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(n) = rx.recv().await {
            if n.event().is_some_and(&pred) {
                return Ok(());
            }
        }
        bail!("event stream closed")
    })
    .await
    .context("the simulator's call did not ring")?
}
