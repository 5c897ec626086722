//! `gcclient send`: one command, GC's reply as JSON on stdout.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use gcclient::protocol::{Command, CommandKind, Event, Target};
use gcclient::{Client, Error};
use serde_json::json;

use crate::connection::ConnectionArgs;
use crate::password::{build_command, PasswordArgs};

#[derive(Args, Debug)]
#[command(
    after_help = "The agent password (connect, login, mobile_agent_login, --login) comes
from $GCCLIENT_AGENT_PASSWORD (or --password-env VAR), else a no-echo prompt.
`login` sends Connect then Login back to back, as GC expects.

Exit status: 0 with the reply on stdout; 1 when GC answers with an Error event
(printed on stdout too) or the command could not be sent or answered.

Examples:
  gcclient send --broker tcp://amq:61613 --agent 1001 login 5001
  gcclient send --broker tcp://amq:61613 --agent 1001 --login 5001 make_ready
  gcclient send --broker tcp://amq:61613 --agent 1001 get_state"
)]
pub struct SendArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// The agent id the command is for (not needed for hello and beat).
    #[arg(long, short)]
    pub agent: Option<String>,
    /// Log the agent in first (Connect + Login with this extension), so GC
    /// knows it on this client's destination.
    #[arg(long, value_name = "EXTENSION", requires = "agent")]
    pub login: Option<String>,
    /// The agent is SSO-enabled (Connect carries `SSO`).
    #[arg(long)]
    pub sso: bool,
    #[command(flatten)]
    pub password: PasswordArgs,
    /// How long to wait for GC to be in service before sending.
    #[arg(long, value_name = "MS", default_value_t = 10_000)]
    pub wait_ms: u64,
    /// How long to wait for the reply (default: the config's request timeout).
    #[arg(long, value_name = "MS")]
    pub timeout_ms: Option<u64>,
    /// The command (see `gcclient encode --list`).
    pub command: String,
    /// The command's arguments in body order, as for `gcclient encode`.
    #[arg(allow_negative_numbers = true)]
    pub args: Vec<String>,
}

pub async fn run(args: SendArgs) -> anyhow::Result<ExitCode> {
    let kind = CommandKind::from_api_name(&args.command).with_context(|| {
        format!(
            "unknown command `{}` (see `gcclient encode --list`)",
            args.command
        )
    })?;
    let mut cfg = args.connection.config()?;
    if let Some(ms) = args.timeout_ms {
        cfg.request_timeout_ms = ms;
    }
    let agent_id = match (kind.spec().target, &args.agent) {
        (Target::Agent, None) => anyhow::bail!("`{kind}` needs --agent <agent id>"),
        (_, agent) => agent.clone(),
    };
    // Validate everything typed before connecting anywhere.
    let who = agent_id.clone().unwrap_or_default();
    let command = match kind {
        // Connect's destination is this client's own topic, filled in below.
        CommandKind::Connect => None,
        _ => Some(build_command(kind, &args.args, || {
            args.password.read(&who)
        })?),
    };
    let client = Client::connect(cfg).await?;
    let outcome = send(&client, &args, kind, command, agent_id.as_deref()).await;
    client.close().await;
    match outcome {
        Ok(reply) => {
            match reply {
                Some(event) => println!("{}", serde_json::to_string(&event)?),
                None => println!("{}", json!({ "reply": null, "confirmed_by_broker": true })),
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(Error::Gc { event, .. }) => {
            println!("{}", serde_json::to_string(&event)?);
            let code = event
                .error_code()
                .map(|c| c.to_string())
                .unwrap_or_default();
            let hint = event
                .error_code()
                .map(|c| c.suggested_action().describe())
                .unwrap_or_default();
            eprintln!("error: GC answered {code}: {hint}");
            Ok(ExitCode::FAILURE)
        }
        Err(e) => Err(e.into()),
    }
}

async fn send(
    client: &Client,
    args: &SendArgs,
    kind: CommandKind,
    command: Option<Command>,
    agent_id: Option<&str>,
) -> Result<Option<Event>, Error> {
    client
        .wait_in_service(Duration::from_millis(args.wait_ms))
        .await?;
    let Some(agent_id) = agent_id else {
        // hello / beat go to this client's own destination.
        let command = command.unwrap_or(Command::Hello);
        return client.execute(client.destination(), &command).await;
    };
    let agent = client.agent(agent_id);
    let password = || {
        args.password
            .read(agent_id)
            .map_err(|e| Error::Config(format!("{e:#}")))
    };
    if let Some(extension) = &args.login {
        let pw = password()?;
        let reply = if args.sso {
            agent.login_sso(pw.expose(), extension).await?
        } else {
            agent.login(pw.expose(), extension).await?
        };
        if !matches!(kind, CommandKind::Login | CommandKind::MobileAgentLogin) {
            // The login's own reply goes first, so every answer is visible.
            println!("{}", serde_json::to_string(&reply).unwrap_or_default());
        } else {
            return Ok(Some(reply));
        }
    }
    match command {
        None => {
            let sso = args.sso || args.args.iter().any(|a| a.eq_ignore_ascii_case("sso"));
            agent.connect(password()?.expose(), sso).await?;
            Ok(None)
        }
        Some(Command::Login {
            password,
            extension,
        }) => {
            let reply = if args.sso {
                agent.login_sso(password.expose(), &extension).await?
            } else {
                agent.login(password.expose(), &extension).await?
            };
            Ok(Some(reply))
        }
        Some(Command::MobileAgentLogin {
            password,
            extension,
            dial_number,
            call_by_call,
        }) => agent
            .mobile_agent_login(password.expose(), &extension, &dial_number, call_by_call)
            .await
            .map(Some),
        Some(command) => agent.execute(command).await,
    }
}
