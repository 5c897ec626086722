//! Agent passwords for the CLI: from an environment variable or a no-echo
//! prompt, never from a command-line argument (visible in `ps` and shell
//! history).

use std::io::{BufRead, IsTerminal};

use anyhow::{bail, Context};
use clap::Args;
use gcclient::protocol::{Command, CommandKind, Secret};

pub const DEFAULT_PASSWORD_ENV: &str = "GCCLIENT_AGENT_PASSWORD";

#[derive(Args, Debug, Clone)]
pub struct PasswordArgs {
    /// Environment variable holding the agent password. When it is unset the
    /// password is prompted for (no echo), or read as one line from stdin
    /// when stdin is not a terminal.
    #[arg(long, value_name = "VAR", default_value = DEFAULT_PASSWORD_ENV)]
    pub password_env: String,
}

impl PasswordArgs {
    pub fn read(&self, agent: &str) -> anyhow::Result<Secret> {
        if let Ok(value) = std::env::var(&self.password_env) {
            if !value.is_empty() {
                return Ok(Secret::new(value));
            }
        }
        let value = if std::io::stdin().is_terminal() {
            rpassword::prompt_password(format!("password for agent {agent}: "))
                .context("reading the password from the terminal")?
        } else {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .context("reading the password from stdin")?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        };
        if value.is_empty() {
            bail!(
                "no password: set ${} (or --password-env VAR), or type it at the prompt",
                self.password_env
            );
        }
        Ok(Secret::new(value))
    }
}

/// Whether the command's body carries the agent password.
pub fn needs_password(kind: CommandKind) -> bool {
    kind.spec().params.iter().any(|p| p.name == "password")
}

/// Builds a command from the arguments typed after its name; the password
/// parameter, if any, is filled in from `password` instead.
pub fn build_command(
    kind: CommandKind,
    args: &[String],
    password: impl FnOnce() -> anyhow::Result<Secret>,
) -> anyhow::Result<Command> {
    let mut values: Vec<String> = args.to_vec();
    let secret;
    if let Some(pos) = kind.spec().params.iter().position(|p| p.name == "password") {
        secret = password()?;
        values.insert(pos.min(values.len()), secret.expose().to_owned());
    }
    let refs: Vec<&str> = values.iter().map(String::as_str).collect();
    Ok(Command::from_user_args(kind, &refs)?)
}

/// The same command with its password replaced, for printing.
pub fn masked(cmd: &Command) -> Command {
    let mut cmd = cmd.clone();
    match &mut cmd {
        Command::Connect { password, .. }
        | Command::Login { password, .. }
        | Command::MobileAgentLogin { password, .. } => *password = Secret::new("***"),
        _ => {}
    }
    cmd
}
