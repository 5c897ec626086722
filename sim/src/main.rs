//! `gcclient-sim`: plays GC + Finesse on a broker until Ctrl-C, with a
//! line-based control console on stdin (type `help`).

use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use gcclient_sim::{Model, SimConfig, SimHandle, Simulator};
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
}

const HELP: &str = "\
commands:
  offer <agent> <from> [name=value ...]     inbound call to a READY agent
  queue <queue> <from> [name=value ...]     call to a queue (waits for a READY agent)
  preview <agent> <number> [name=value ...] outbound preview reservation
  callback <agent> <number>                 personal callback reservation
  hangup <dialog>                           the customer hangs up
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
    let mut cfg = SimConfig::new(args.broker[0].clone())
        .with_queue(&args.queue)
        .with_model(model);
    cfg.brokers = args.broker.clone();
    let sim = Simulator::start(cfg)
        .await
        .context("starting the simulator")?;
    eprintln!(
        "gcclient-sim serving queue {} on {}; type `help`",
        args.queue,
        args.broker.join(", ")
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
                        if let Err(e) = console(&sim, &line).await {
                            println!("error: {e}");
                        }
                    }
                },
            }
        }
    }
    sim.shutdown().await;
    Ok(())
}

async fn console(sim: &SimHandle, line: &str) -> anyhow::Result<()> {
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
        ["help"] => println!("{HELP}"),
        ["offer", agent, from, rest @ ..] => {
            let v = refs(&vars(rest)?);
            let v: Vec<(&str, &str)> = v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            println!("dialog {}", sim.offer_call(agent, from, &v).await?);
        }
        ["queue", queue, from, rest @ ..] => {
            let v = vars(rest)?;
            let v: Vec<(&str, &str)> = v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            println!("dialog {}", sim.offer_to_queue(queue, from, &v).await?);
        }
        ["preview", agent, number, rest @ ..] => {
            let v = vars(rest)?;
            let v: Vec<(&str, &str)> = v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            println!(
                "dialog {}",
                sim.offer_preview(agent, number, &v, false).await?
            );
        }
        ["callback", agent, number] => {
            println!(
                "dialog {}",
                sim.offer_preview(agent, number, &[], true).await?
            );
        }
        ["hangup", dialog] => sim.hang_up(dialog).await?,
        ["down"] => sim.set_in_service(false).await?,
        ["up"] => sim.set_in_service(true).await?,
        ["restart"] => sim.restart().await?,
        ["say", agent, message @ ..] => sim.print_status(agent, &message.join(" ")).await?,
        ["agents"] => {
            for a in sim.agents().await? {
                println!(
                    "{:6} {:26} ext {:6} {}",
                    a.id,
                    a.state.to_string()
                        + &a.pending
                            .map(|p| format!(" (pending {p})"))
                            .unwrap_or_default(),
                    a.extension,
                    a.session.unwrap_or_default()
                );
            }
        }
        ["calls"] => {
            for c in sim.calls().await? {
                println!(
                    "{} {} from {} {:?} {:?}",
                    c.dialog_id, c.call_type, c.from, c.parties, c.variables
                );
            }
        }
        _ => anyhow::bail!("unknown command; type `help`"),
    }
    Ok(())
}
