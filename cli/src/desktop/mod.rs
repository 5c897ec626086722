//! `gcclient agent`: a terminal agent desktop on the SDK, and the same
//! operations from a script (`--script FILE`) as JSON lines.
//!
//! - [`action`]: the operations, their text syntax, and how each is sent.
//! - [`model`]: the screen's state; pure, driven by notifications and keys.
//! - [`view`]: draws the model with ratatui.
//! - [`ui`]: the terminal event loop.
//! - [`script`]: the non-interactive runner.

mod action;
mod model;
mod script;
mod ui;
mod view;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context};
use clap::Args;
use gcclient::{Client, Config};

use crate::connection::ConnectionArgs;
use crate::password::PasswordArgs;

pub use action::LoginDetails;

#[derive(Args, Debug)]
#[command(after_help = "\
The agent password comes from $GCCLIENT_AGENT_PASSWORD (or --password-env VAR),
else a no-echo prompt; it is read once, when --extension is given.

Interactive (needs a terminal): logs in with --extension unless --no-login;
press ? for the keys. Quitting leaves the agent's Finesse state as it is.

Script (--script FILE, - for stdin): one command per line, as typed at the
desktop's `:` prompt, plus `wait TYPE [FIELD=VALUE...]` to wait for an event
(TYPE is the event's JSON type, e.g. agent_state, new_inbound_call). A line
starting with `-` may fail. `#` starts a comment. Nothing is sent implicitly:
start with `login`. Every notification and step result is printed as one JSON
line on stdout; the exit status is 1 when a step fails.

Examples:
  gcclient agent --broker tcp://amq:61613 --agent 1001 --extension 5001
  gcclient agent --broker tcp://amq:61613 --agent 1001 --extension 5001 --script calls.txt")]
pub struct AgentArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// The agent (login id).
    #[arg(long, short)]
    pub agent: String,
    /// The agent's phone extension, to log in with.
    #[arg(long, short)]
    pub extension: Option<String>,
    /// The agent is SSO-enabled (Connect carries `SSO`).
    #[arg(long)]
    pub sso: bool,
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Open the desktop without logging in (press l to log in).
    #[arg(long)]
    pub no_login: bool,
    /// Run the commands of FILE (- for stdin) and print events as JSON lines.
    #[arg(long, value_name = "FILE")]
    pub script: Option<PathBuf>,
    /// How long to wait for GC to be in service before starting.
    #[arg(long, value_name = "MS", default_value_t = 10_000)]
    pub wait_ms: u64,
    /// How long a script's `wait` waits for its event.
    #[arg(long, value_name = "MS", default_value_t = 10_000)]
    pub step_timeout_ms: u64,
}

pub async fn run(args: AgentArgs) -> anyhow::Result<()> {
    let cfg = args.connection.config()?;
    // Everything that can be wrong with the input fails before connecting.
    let script = match &args.script {
        None => None,
        Some(path) => {
            let source = if path.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin())
                    .context("reading the script from stdin")?
            } else {
                std::fs::read_to_string(path)
                    .with_context(|| format!("reading the script {}", path.display()))?
            };
            Some(script::parse(&source)?)
        }
    };
    if script.is_none() {
        need_terminal()?;
    }
    let password = match &args.extension {
        Some(_) => Some(args.password.read(&args.agent)?),
        None => None,
    };
    let login = LoginDetails {
        extension: args.extension.clone(),
        sso: args.sso,
        password,
    };
    match script {
        Some(lines) => {
            let timeouts = (
                Duration::from_millis(args.wait_ms),
                Duration::from_millis(args.step_timeout_ms),
            );
            run_script(cfg, &args.agent, login, &lines, timeouts).await
        }
        None => {
            let auto_login = args.extension.is_some() && !args.no_login;
            interactive(cfg, &args.agent, login, auto_login).await
        }
    }
}

fn need_terminal() -> anyhow::Result<()> {
    if !(std::io::stdout().is_terminal() && std::io::stdin().is_terminal()) {
        bail!("the desktop needs a terminal; use --script FILE to run without one");
    }
    Ok(())
}

/// The interactive desktop for one agent; `auto_login` sends Connect +
/// Login at once. Also what `gcclient demo --desktop` opens.
pub async fn interactive(
    cfg: Config,
    agent_id: &str,
    login: LoginDetails,
    auto_login: bool,
) -> anyhow::Result<()> {
    need_terminal()?;
    let client = Client::connect(cfg).await?;
    let agent = client.agent(agent_id);
    // Subscribed before anything is sent, so no reply is missed.
    let events = agent.events();
    let outcome = ui::run(&client, agent, events, login, auto_login).await;
    client.close().await;
    outcome
}

/// Runs a parsed script once GC is in service (`timeouts`: for that, and
/// for each `wait`).
async fn run_script(
    cfg: Config,
    agent_id: &str,
    login: LoginDetails,
    lines: &[script::Line],
    (in_service, step): (Duration, Duration),
) -> anyhow::Result<()> {
    let client = Client::connect(cfg).await?;
    let agent = client.agent(agent_id);
    let events = agent.events();
    let mut runner = script::Runner::new(agent, events, login, std::io::stdout());
    runner.step_timeout = step;
    let ran = async {
        client.wait_in_service(in_service).await?;
        runner.run(lines).await
    }
    .await;
    // Prints what was still on its way, up to the client's `closed`.
    let finished = runner.finish(&client).await;
    ran.and(finished)
}
