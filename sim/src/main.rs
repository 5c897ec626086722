//! `gcclient-sim`: plays GC + Finesse on a broker until Ctrl-C, with a
//! line-based control console on stdin (type `help`) and, with `--http`, the
//! same commands over a minimal localhost HTTP endpoint.

mod http;

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use gcclient_sim::{Loopback, Model, SimConfig, SimHandle, Simulator};
use tokio::io::{AsyncBufReadExt, BufReader};

#[derive(Parser, Debug)]
#[command(
    name = "gcclient-sim",
    version,
    about = "A Generic Connector + Finesse simulator"
)]
struct Args {
    /// Broker STOMP URL(s), tried in order.
    #[arg(
        long,
        env = "GCCLIENT_SIM_BROKER",
        default_value = "tcp://127.0.0.1:61613"
    )]
    broker: Vec<String>,
    /// GC's command queue.
    #[arg(long, default_value = "Connector1")]
    queue: String,
    /// A model TOML file (default: the embedded model; see --print-model).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Print the embedded default model and exit.
    #[arg(long)]
    print_model: bool,
    /// Do not read control commands from stdin.
    #[arg(long)]
    no_console: bool,
    /// Serve on the embedded loopback STOMP endpoint (127.0.0.1, ephemeral
    /// port; demo use only, not a broker); --broker is then ignored.
    #[arg(long)]
    loopback: bool,
    /// Also take console commands over HTTP on this loopback address
    /// (`127.0.0.1:8080`; port 0 picks one): `GET /agents`, `GET /calls`,
    /// `POST /` with a console line as the body.
    #[arg(long)]
    http: Option<SocketAddr>,
}

const HELP: &str = "\
commands:
  offer <agent> <from> [name=value ...]     inbound call to a READY agent
  queue <queue> <from> [name=value ...]     call to a queue (waits for a READY agent)
  preview <agent> <number> [name=value ...] outbound preview reservation
  callback <agent> <number>                 personal callback reservation
  hangup <dialog>                           the customer hangs up
  fail <dialog> <cause...>                  the dialog fails (InboundCall#FAILED)
  reserve <agent>                           progressive/predictive: READY -> RESERVED_OUTBOUND
  dial <agent> <number> [name=value ...]    the dialer's call rings a RESERVED_OUTBOUND agent
  error <agent> <CODE> [command]            answer the agent's next command (e.g. login,
                                            make_call) with <agent>#Error#<CODE>
  down | up                                 Finesse out of / back in service
  restart                                   GC forgets destinations and sessions
  say <agent> <message...>                  Control#PrintStatusBar
  agents | calls                            list
  quit";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    if args.print_model {
        print!("{}", gcclient_sim::model::DEFAULT_MODEL_TOML);
        return Ok(());
    }
    let model = match &args.model {
        Some(p) => Model::from_file(p)?,
        None => Model::default(),
    };
    let loopback = match args.loopback {
        true => Some(
            Loopback::start()
                .await
                .context("starting the loopback endpoint")?,
        ),
        false => None,
    };
    let brokers = match &loopback {
        Some(lb) => vec![lb.url()],
        None => args.broker.clone(),
    };
    let mut cfg = SimConfig::new(brokers[0].clone())
        .with_queue(&args.queue)
        .with_model(model);
    cfg.brokers = brokers.clone();
    let sim = Simulator::start(cfg)
        .await
        .context("starting the simulator")?;
    let http = match args.http {
        Some(addr) => Some(http::serve(addr, sim.clone()).await?),
        None => None,
    };
    eprintln!(
        "gcclient-sim serving queue {} on {}{}{}; type `help`",
        args.queue,
        brokers.join(", "),
        match loopback {
            Some(_) => " (loopback endpoint: demo only, not a broker)",
            None => "",
        },
        http.map(|a| format!("; HTTP control on http://{a}"))
            .unwrap_or_default()
    );
    if args.no_console {
        tokio::signal::ctrl_c().await?;
    } else {
        let mut lines = BufReader::new(tokio::io::stdin()).lines();
        loop {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => break,
                line = lines.next_line() => match line? {
                    None => { tokio::signal::ctrl_c().await?; break; }
                    Some(line) => {
                        if line.trim() == "quit" { break; }
                        match console(&sim, &line).await {
                            Ok(out) => print!("{out}"),
                            Err(e) => println!("error: {e}"),
                        }
                    }
                },
            }
        }
    }
    sim.shutdown().await;
    if let Some(lb) = loopback {
        lb.shutdown().await;
    }
    Ok(())
}

/// Runs one console command; returns what it prints.
async fn console(sim: &SimHandle, line: &str) -> anyhow::Result<String> {
    let mut out = String::new();
    let words: Vec<&str> = line.split_whitespace().collect();
    let vars = |rest: &[&str]| -> anyhow::Result<Vec<(String, String)>> {
        rest.iter()
            .map(|p| {
                p.split_once('=')
                    .map(|(n, v)| (n.to_owned(), v.to_owned()))
                    .with_context(|| format!("`{p}` is not name=value"))
            })
            .collect()
    };
    let refs = |v: &[(String, String)]| -> Vec<(String, String)> { v.to_vec() };
    match words.as_slice() {
        [] => {}
        ["help"] => writeln!(out, "{HELP}")?,
        ["offer", agent, from, rest @ ..] => {
            let v = refs(&vars(rest)?);
            let v: Vec<(&str, &str)> = v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            writeln!(out, "dialog {}", sim.offer_call(agent, from, &v).await?)?;
        }
        ["queue", queue, from, rest @ ..] => {
            let v = vars(rest)?;
            let v: Vec<(&str, &str)> = v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            writeln!(out, "dialog {}", sim.offer_to_queue(queue, from, &v).await?)?;
        }
        ["preview", agent, number, rest @ ..] => {
            let v = vars(rest)?;
            let v: Vec<(&str, &str)> = v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            writeln!(
                out,
                "dialog {}",
                sim.offer_preview(agent, number, &v, false).await?
            )?;
        }
        ["callback", agent, number] => {
            writeln!(
                out,
                "dialog {}",
                sim.offer_preview(agent, number, &[], true).await?
            )?;
        }
        ["hangup", dialog] => sim.hang_up(dialog).await?,
        ["fail", dialog, cause @ ..] if !cause.is_empty() => {
            sim.fail_call(dialog, &cause.join(" ")).await?
        }
        ["reserve", agent] => sim.reserve_outbound(agent).await?,
        ["dial", agent, number, rest @ ..] => {
            let v = vars(rest)?;
            let v: Vec<(&str, &str)> = v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            writeln!(
                out,
                "dialog {}",
                sim.outbound_call(agent, number, &v).await?
            )?;
        }
        ["error", agent, code, command @ ..] if command.len() <= 1 => {
            let code = gcclient::protocol::ErrorCode::parse(code);
            let command = match command.first() {
                Some(name) => Some(
                    gcclient::CommandKind::from_api_name(name)
                        .with_context(|| format!("no command `{name}`"))?,
                ),
                None => None,
            };
            sim.inject_error(agent, code, command).await?
        }
        ["down"] => sim.set_in_service(false).await?,
        ["up"] => sim.set_in_service(true).await?,
        ["restart"] => sim.restart().await?,
        ["say", agent, message @ ..] => sim.print_status(agent, &message.join(" ")).await?,
        ["agents"] => {
            for a in sim.agents().await? {
                writeln!(
                    out,
                    "{:6} {:26} ext {:6} {}",
                    a.id,
                    a.state.to_string()
                        + &a.pending
                            .map(|p| format!(" (pending {p})"))
                            .unwrap_or_default(),
                    a.extension,
                    a.session.unwrap_or_default()
                )?;
            }
        }
        ["calls"] => {
            for c in sim.calls().await? {
                writeln!(
                    out,
                    "{} {} from {} {:?} {:?}",
                    c.dialog_id, c.call_type, c.from, c.parties, c.variables
                )?;
            }
        }
        _ => anyhow::bail!("unknown command; type `help`"),
    }
    Ok(out)
}
