//! What the agent can ask GC to do, in one vocabulary shared by the keys of
//! the terminal UI, its `:` command line and `--script` files.

use anyhow::{bail, Context};
use gcclient::protocol::{Command, CommandKind, Secret};
use gcclient::{Agent, Event};

/// One operation. `dialog: None` means "the current call", filled in by
/// [`super::model::Model::resolve`] before the action is performed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Login,
    Logout {
        reason: Option<String>,
    },
    Ready,
    NotReady {
        reason: Option<String>,
    },
    WorkReady,
    WorkNotReady,
    GetState,
    Answer {
        dialog: Option<String>,
    },
    Release {
        dialog: Option<String>,
    },
    Hold {
        dialog: Option<String>,
    },
    Retrieve {
        dialog: Option<String>,
    },
    Consult {
        extension: String,
        dialog: Option<String>,
    },
    /// Completes a consult transfer.
    Transfer {
        extension: String,
        dialog: Option<String>,
    },
    BlindTransfer {
        extension: String,
        dialog: Option<String>,
    },
    Conference {
        extension: String,
        dialog: Option<String>,
    },
    WrapUp {
        reason: String,
        dialog: Option<String>,
    },
    SetCallVariables {
        variables: Vec<(String, String)>,
        dialog: Option<String>,
    },
    MakeCall {
        number: String,
    },
    NotReadyReasons,
    LogoutReasons,
    WrapUpReasons,
    /// Supervisor: the team's members, subscribing to their state changes.
    TeamUsers {
        team_id: String,
    },
    /// Supervisor: queue statistics.
    Queues,
    SilentMonitor {
        extension: String,
    },
    EndSilentMonitor {
        dialog: Option<String>,
    },
    BargeIn {
        extension: String,
        dialog: Option<String>,
    },
    /// Any other command of the guide, by its API name.
    Send(Command),
}

/// Syntax of script lines and the UI's `:` prompt, shown by `help`.
pub const SYNTAX: &str = "\
login | logout [code] | ready | not_ready [code] | work_ready | work_not_ready | state
answer [dialog] | release [dialog] | hold [dialog] | retrieve [dialog]
consult EXT [dialog] | transfer EXT [dialog] | blind_transfer EXT [dialog]
conference EXT [dialog] | wrap_up REASON... | set NAME=VALUE... | call NUMBER
reasons | team TEAM_ID | queues | monitor EXT | end_monitor [dialog]
barge_in EXT [dialog] | send COMMAND [ARGS...]   (see `gcclient encode --list`)";

impl Action {
    /// Parses one line: a verb and its words. The caller strips comments.
    pub fn parse(line: &str) -> anyhow::Result<Action> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some((&verb, rest)) = words.split_first() else {
            bail!("empty command");
        };
        let opt = |i: usize| rest.get(i).map(|s| (*s).to_owned());
        let need = |i: usize, what: &str| -> anyhow::Result<String> {
            rest.get(i)
                .map(|s| (*s).to_owned())
                .with_context(|| format!("`{verb}` needs {what}"))
        };
        let max = |n: usize| -> anyhow::Result<()> {
            if rest.len() > n {
                bail!("`{verb}` takes at most {n} argument(s), got {}", rest.len());
            }
            Ok(())
        };
        let action = match verb {
            "login" => {
                max(0)?;
                Action::Login
            }
            "logout" => {
                max(1)?;
                Action::Logout { reason: opt(0) }
            }
            "ready" => {
                max(0)?;
                Action::Ready
            }
            "not_ready" => {
                max(1)?;
                Action::NotReady { reason: opt(0) }
            }
            "work_ready" => {
                max(0)?;
                Action::WorkReady
            }
            "work_not_ready" => {
                max(0)?;
                Action::WorkNotReady
            }
            "state" => {
                max(0)?;
                Action::GetState
            }
            "answer" | "release" | "hold" | "retrieve" | "end_monitor" => {
                max(1)?;
                let dialog = opt(0);
                match verb {
                    "answer" => Action::Answer { dialog },
                    "release" => Action::Release { dialog },
                    "hold" => Action::Hold { dialog },
                    "retrieve" => Action::Retrieve { dialog },
                    _ => Action::EndSilentMonitor { dialog },
                }
            }
            "consult" | "transfer" | "blind_transfer" | "conference" | "barge_in" => {
                max(2)?;
                let extension = need(0, "an extension")?;
                let dialog = opt(1);
                match verb {
                    "consult" => Action::Consult { extension, dialog },
                    "transfer" => Action::Transfer { extension, dialog },
                    "blind_transfer" => Action::BlindTransfer { extension, dialog },
                    "conference" => Action::Conference { extension, dialog },
                    _ => Action::BargeIn { extension, dialog },
                }
            }
            "wrap_up" => {
                if rest.is_empty() {
                    bail!("`wrap_up` needs a reason");
                }
                Action::WrapUp {
                    reason: rest.join(" "),
                    dialog: None,
                }
            }
            "set" => {
                if rest.is_empty() {
                    bail!("`set` needs NAME=VALUE");
                }
                let variables = rest
                    .iter()
                    .map(|pair| parse_variable(pair))
                    .collect::<anyhow::Result<_>>()?;
                Action::SetCallVariables {
                    variables,
                    dialog: None,
                }
            }
            "call" => {
                max(1)?;
                Action::MakeCall {
                    number: need(0, "a number")?,
                }
            }
            "reasons" => {
                max(0)?;
                Action::NotReadyReasons
            }
            "team" => {
                max(1)?;
                Action::TeamUsers {
                    team_id: need(0, "a team id")?,
                }
            }
            "queues" => {
                max(0)?;
                Action::Queues
            }
            "monitor" => {
                max(1)?;
                Action::SilentMonitor {
                    extension: need(0, "an extension")?,
                }
            }
            "send" => {
                let name = need(0, "a command name")?;
                let kind = CommandKind::from_api_name(&name).with_context(|| {
                    format!("unknown command `{name}` (see `gcclient encode --list`)")
                })?;
                if matches!(
                    kind,
                    CommandKind::Connect | CommandKind::Login | CommandKind::MobileAgentLogin
                ) {
                    bail!("`send {name}` would put the password in the script: use `login`");
                }
                Action::Send(Command::from_user_args(kind, &rest[1..])?)
            }
            _ => bail!("unknown command `{verb}`; commands:\n{SYNTAX}"),
        };
        Ok(action)
    }

    /// A short name for logs and script output.
    pub fn label(&self) -> String {
        match self {
            Action::Login => "login".into(),
            Action::Logout { .. } => "logout".into(),
            Action::Ready => "ready".into(),
            Action::NotReady { .. } => "not_ready".into(),
            Action::WorkReady => "work_ready".into(),
            Action::WorkNotReady => "work_not_ready".into(),
            Action::GetState => "state".into(),
            Action::Answer { .. } => "answer".into(),
            Action::Release { .. } => "release".into(),
            Action::Hold { .. } => "hold".into(),
            Action::Retrieve { .. } => "retrieve".into(),
            Action::Consult { .. } => "consult".into(),
            Action::Transfer { .. } => "transfer".into(),
            Action::BlindTransfer { .. } => "blind_transfer".into(),
            Action::Conference { .. } => "conference".into(),
            Action::WrapUp { .. } => "wrap_up".into(),
            Action::SetCallVariables { .. } => "set".into(),
            Action::MakeCall { .. } => "call".into(),
            Action::NotReadyReasons => "not_ready_reasons".into(),
            Action::LogoutReasons => "logout_reasons".into(),
            Action::WrapUpReasons => "wrap_up_reasons".into(),
            Action::TeamUsers { .. } => "team".into(),
            Action::Queues => "queues".into(),
            Action::SilentMonitor { .. } => "monitor".into(),
            Action::EndSilentMonitor { .. } => "end_monitor".into(),
            Action::BargeIn { .. } => "barge_in".into(),
            Action::Send(cmd) => format!("send {}", cmd.kind().api_name()),
        }
    }

    /// The dialog slot of actions that work on a call.
    pub fn dialog_mut(&mut self) -> Option<&mut Option<String>> {
        match self {
            Action::Answer { dialog }
            | Action::Release { dialog }
            | Action::Hold { dialog }
            | Action::Retrieve { dialog }
            | Action::Consult { dialog, .. }
            | Action::Transfer { dialog, .. }
            | Action::BlindTransfer { dialog, .. }
            | Action::Conference { dialog, .. }
            | Action::WrapUp { dialog, .. }
            | Action::SetCallVariables { dialog, .. }
            | Action::EndSilentMonitor { dialog }
            | Action::BargeIn { dialog, .. } => Some(dialog),
            _ => None,
        }
    }
}

/// `name=value`, as typed in `set` and the call variable prompt.
pub fn parse_variable(pair: &str) -> anyhow::Result<(String, String)> {
    let (name, value) = pair
        .split_once('=')
        .with_context(|| format!("`{pair}`: expected NAME=VALUE"))?;
    if name.trim().is_empty() {
        bail!("`{pair}`: the variable name is empty");
    }
    Ok((name.trim().to_owned(), value.to_owned()))
}

/// What performing an action came to.
pub type Outcome = Result<Option<Event>, gcclient::Error>;

fn dialog(d: &Option<String>) -> Result<&str, gcclient::Error> {
    d.as_deref()
        .ok_or_else(|| gcclient::Error::Config("no call selected".into()))
}

/// Sends the action's command(s) and waits for GC's answer.
pub async fn perform(agent: &Agent, action: &Action, login: &LoginDetails) -> Outcome {
    let reply = match action {
        Action::Login => {
            let extension = login
                .extension
                .as_deref()
                .ok_or_else(|| gcclient::Error::Config("login needs --extension".into()))?;
            let secret = login.password.as_ref().ok_or_else(|| {
                gcclient::Error::Config("no password was read (start with --extension)".into())
            })?;
            if login.sso {
                agent.login_sso(secret.expose(), extension).await?
            } else {
                agent.login(secret.expose(), extension).await?
            }
        }
        Action::Logout { reason: None } => agent.logout().await?,
        Action::Logout { reason: Some(r) } => agent.logout_with_reason(r).await?,
        Action::Ready => agent.make_ready().await?,
        Action::NotReady { reason } => agent.make_not_ready(reason.as_deref()).await?,
        Action::WorkReady => agent.make_work_ready().await?,
        Action::WorkNotReady => agent.make_work_not_ready().await?,
        Action::GetState => agent.get_state().await?,
        Action::Answer { dialog: d } => agent.answer_call(dialog(d)?).await?,
        Action::Release { dialog: d } => agent.release_call(dialog(d)?).await?,
        Action::Hold { dialog: d } => agent.hold_call(dialog(d)?).await?,
        Action::Retrieve { dialog: d } => agent.retrieve_call(dialog(d)?).await?,
        Action::Consult {
            extension,
            dialog: d,
        } => agent.consult_call(extension, dialog(d)?).await?,
        Action::Transfer {
            extension,
            dialog: d,
        } => agent.transfer_call(extension, dialog(d)?).await?,
        Action::BlindTransfer {
            extension,
            dialog: d,
        } => agent.single_step_transfer(extension, dialog(d)?).await?,
        Action::Conference {
            extension,
            dialog: d,
        } => agent.conference_call(extension, dialog(d)?).await?,
        Action::WrapUp { reason, dialog: d } => agent.wrap_up(reason, dialog(d)?).await?,
        Action::SetCallVariables {
            variables,
            dialog: d,
        } => {
            let pairs: Vec<(&str, &str)> = variables
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            agent.update_call_variables(dialog(d)?, &pairs).await?
        }
        Action::MakeCall { number } => agent.make_call(number).await?,
        Action::NotReadyReasons => agent.get_not_ready_reason_codes().await?,
        Action::LogoutReasons => agent.get_logout_reason_codes().await?,
        Action::WrapUpReasons => agent.get_wrap_up_reasons().await?,
        Action::TeamUsers { team_id } => agent.get_team_users(team_id, true).await?,
        Action::Queues => agent.get_queue_list().await?,
        Action::SilentMonitor { extension } => agent.silent_monitor(extension).await?,
        Action::EndSilentMonitor { dialog: d } => agent.end_silent_monitor(dialog(d)?).await?,
        Action::BargeIn {
            extension,
            dialog: d,
        } => agent.barge_in(extension, dialog(d)?).await?,
        Action::Send(command) => return agent.execute(command.clone()).await,
    };
    Ok(Some(reply))
}

/// What `Login` needs, read once at start-up (the password from the
/// environment or a prompt, never from the command line).
#[derive(Debug, Clone, Default)]
pub struct LoginDetails {
    pub extension: Option<String>,
    pub sso: bool,
    pub password: Option<Secret>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_verbs() {
        assert_eq!(Action::parse("ready").unwrap(), Action::Ready);
        assert_eq!(
            Action::parse("  not_ready   2 ").unwrap(),
            Action::NotReady {
                reason: Some("2".into())
            }
        );
        assert_eq!(
            Action::parse("consult 5002").unwrap(),
            Action::Consult {
                extension: "5002".into(),
                dialog: None
            }
        );
        assert_eq!(
            Action::parse("transfer 5002 d-9").unwrap(),
            Action::Transfer {
                extension: "5002".into(),
                dialog: Some("d-9".into())
            }
        );
        assert_eq!(
            Action::parse("wrap_up No sale").unwrap(),
            Action::WrapUp {
                reason: "No sale".into(),
                dialog: None
            }
        );
        assert_eq!(
            Action::parse("set callVariable1=VIP BAStatus=a=b").unwrap(),
            Action::SetCallVariables {
                variables: vec![
                    ("callVariable1".into(), "VIP".into()),
                    ("BAStatus".into(), "a=b".into())
                ],
                dialog: None
            }
        );
        assert!(matches!(
            Action::parse("send get_queue_list").unwrap(),
            Action::Send(Command::GetQueueList)
        ));
    }

    #[test]
    fn bad_lines_get_clear_errors() {
        let err = |l: &str| format!("{:#}", Action::parse(l).unwrap_err());
        assert!(err("").contains("empty"));
        assert!(err("dance").contains("unknown command `dance`"));
        assert!(err("consult").contains("needs an extension"));
        assert!(err("ready now").contains("at most 0"));
        assert!(err("set novalue").contains("NAME=VALUE"));
        assert!(err("set =x").contains("name is empty"));
        assert!(err("send nope").contains("unknown command `nope`"));
        assert!(err("send login 5001").contains("password"));
        assert!(err("wrap_up").contains("needs a reason"));
    }

    #[test]
    fn call_actions_expose_their_dialog() {
        let mut a = Action::parse("hold").unwrap();
        *a.dialog_mut().unwrap() = Some("d1".into());
        assert_eq!(
            a,
            Action::Hold {
                dialog: Some("d1".into())
            }
        );
        assert!(Action::Ready.dialog_mut().is_none());
    }
}
