//! `gcclient encode <command> --agent <id> [args...]`

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::Args;
use gcclient::protocol::{CommandKind, Target, WireNames};
use gcclient::Config;

use crate::connection::split_wire_name;
use crate::password::{build_command, masked, needs_password, PasswordArgs};

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  gcclient encode make_call --agent 1001 5002
  gcclient encode update_call_variables --agent 1001 16777217 callVariable1=42 BAStatus=open
  GCCLIENT_AGENT_PASSWORD=secret gcclient encode login --agent 1001 5001
  gcclient encode hello --destination gcclient.host1.d3b07384
  gcclient encode --list")]
pub struct EncodeArgs {
    /// The command: API name (make_call), its CamelCase (MakeCall) or its
    /// wire name (Transfer_sst). See --list.
    #[arg(required_unless_present = "list")]
    pub command: Option<String>,
    /// The command's arguments in body order (see --list). The password of
    /// connect / login / mobile_agent_login is not typed here (see
    /// --password-env). Booleans are true/false; update_call_variables
    /// takes the dialog id then name=value pairs.
    #[arg(allow_negative_numbers = true)]
    pub args: Vec<String>,
    /// The agent id (for hello and beat: the client destination).
    #[arg(long, short, visible_alias = "destination")]
    pub agent: Option<String>,
    /// Print {"jms_type": ..., "body": ...} instead of two lines.
    #[arg(long)]
    pub json: bool,
    /// List every command with its JMS type and body layout.
    #[arg(long)]
    pub list: bool,
    /// Override a command's wire name, e.g. get_phonebooks=getPhoneBooks.
    #[arg(long = "wire-name", value_name = "API=WIRE")]
    pub wire_names: Vec<String>,
    /// Take wire-name overrides from a client configuration file (TOML).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Print the password in the body instead of `***`.
    #[arg(long)]
    pub reveal_password: bool,
}

pub fn run(args: EncodeArgs) -> anyhow::Result<ExitCode> {
    let names = wire_names(&args)?;
    if args.list {
        print!("{}", list(&names));
        return Ok(ExitCode::SUCCESS);
    }
    let name = args.command.as_deref().unwrap_or_default();
    let kind = CommandKind::from_api_name(name)
        .with_context(|| format!("unknown command `{name}` (see `gcclient encode --list`)"))?;
    let Some(target) = args.agent.as_deref() else {
        match kind.spec().target {
            Target::Agent => bail!("`{kind}` needs --agent <agent id>"),
            Target::Destination => bail!("`{kind}` needs --destination <client topic>"),
        }
    };
    let command = build_command(kind, &args.args, || args.password.read(target))?;
    let encoded = command.encode(target, &names)?;
    let shown = if args.reveal_password || !needs_password(kind) {
        encoded
    } else {
        masked(&command).encode(target, &names)?
    };
    if args.json {
        let v = serde_json::json!({ "jms_type": shown.jms_type, "body": shown.body });
        println!("{v}");
    } else {
        println!("type: {}", shown.jms_type);
        println!("body: {}", shown.body);
    }
    Ok(ExitCode::SUCCESS)
}

fn wire_names(args: &EncodeArgs) -> anyhow::Result<WireNames> {
    let mut names = match &args.config {
        Some(path) => Config::from_toml_file(path)?.wire_names()?,
        None => WireNames::default(),
    };
    for pair in &args.wire_names {
        let (api, wire) = split_wire_name(pair)?;
        let kind = CommandKind::from_api_name(api)
            .with_context(|| format!("--wire-name: unknown command `{api}`"))?;
        names.set(kind, wire).map_err(anyhow::Error::msg)?;
    }
    Ok(names)
}

fn list(names: &WireNames) -> String {
    let mut out = String::new();
    for kind in CommandKind::ALL {
        let spec = kind.spec();
        let body = spec.body_layout();
        let jms_type = format!("{}#{}", names.get(*kind), spec.target.placeholder());
        let body = if body.is_empty() {
            "(empty body)"
        } else {
            &body
        };
        out.push_str(&format!("{:<27} {jms_type:<42} {body}\n", spec.api_name));
    }
    out
}
