use std::time::Duration;

use super::client::Client;
use super::notification::EventReceiver;
use super::snapshot::AgentSnapshot;
use super::state::Credentials;
use crate::error::{Error, Result};
use crate::protocol::{Command, Event, Secret};

/// One agent on a client: one async method per command of the guide.
///
/// Methods for commands GC answers return the reply event (or
/// `Error::Gc` with the error code); `connect` returns once the broker
/// confirmed it, since GC sends nothing on success.
#[derive(Clone, Debug)]
pub struct Agent {
    client: Client,
    id: String,
}

macro_rules! simple {
    ($($(#[$doc:meta])* $name:ident => $cmd:ident;)*) => {
        $($(#[$doc])* pub async fn $name(&self) -> Result<Event> {
            self.request(Command::$cmd).await
        })*
    };
}

macro_rules! dialog {
    ($($(#[$doc:meta])* $name:ident => $cmd:ident;)*) => {
        $($(#[$doc])* pub async fn $name(&self, dialog_id: &str) -> Result<Event> {
            self.request(Command::$cmd { dialog_id: dialog_id.to_owned() }).await
        })*
    };
}

macro_rules! extension_dialog {
    ($($(#[$doc:meta])* $name:ident => $cmd:ident;)*) => {
        $($(#[$doc])* pub async fn $name(&self, extension: &str, dialog_id: &str) -> Result<Event> {
            self.request(Command::$cmd {
                extension: extension.to_owned(),
                dialog_id: dialog_id.to_owned(),
            })
            .await
        })*
    };
}

impl Agent {
    pub(crate) fn new(client: Client, id: String) -> Self {
        Agent { client, id }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// What the client knows about this agent, kept from events.
    pub fn snapshot(&self) -> AgentSnapshot {
        self.client.shared.snapshot(&self.id)
    }

    /// Events and notifications for this agent only.
    pub fn events(&self) -> EventReceiver {
        self.client.agent_events(&self.id)
    }

    /// Sends a command and waits for the reply GC sends for it (the
    /// correlated event), or for the broker receipt when GC sends none.
    pub async fn execute(&self, command: Command) -> Result<Option<Event>> {
        self.client.execute(&self.id, &command).await
    }

    /// Like [`Agent::execute`] with an explicit reply timeout.
    pub async fn execute_with_timeout(
        &self,
        command: Command,
        timeout: Duration,
    ) -> Result<Option<Event>> {
        self.client
            .shared
            .execute(&self.id, &command, timeout)
            .await
    }

    /// Sends a command GC answers and returns the answer.
    pub async fn request(&self, command: Command) -> Result<Event> {
        let name = command.kind().api_name();
        self.execute(command).await?.ok_or(Error::Timeout {
            command: name,
            agent: self.id.clone(),
            after_ms: 0,
        })
    }

    /// `Connect`: subscribes the agent to Finesse notifications. GC answers
    /// only on failure, with an error event delivered to subscribers.
    pub async fn connect(&self, password: &str, sso: bool) -> Result<()> {
        self.execute(Command::Connect {
            destination: self.client.destination().to_owned(),
            password: Secret::new(password),
            sso,
        })
        .await
        .map(|_| ())
    }

    /// `Connect` then `Login`, back to back as the guide asks; returns the
    /// agent's state event. The credentials stay in memory for automatic
    /// re-login until `logout` or SESSION_INVALIDATED.
    pub async fn login(&self, password: &str, extension: &str) -> Result<Event> {
        self.login_with(
            Command::Login {
                password: Secret::new(password),
                extension: extension.to_owned(),
            },
            false,
        )
        .await
    }

    /// Login for an SSO-enabled agent (Connect carries `SSO`).
    pub async fn login_sso(&self, password: &str, extension: &str) -> Result<Event> {
        self.login_with(
            Command::Login {
                password: Secret::new(password),
                extension: extension.to_owned(),
            },
            true,
        )
        .await
    }

    /// Mobile agent login (`call_by_call` false means a nailed connection).
    pub async fn mobile_login(
        &self,
        password: &str,
        extension: &str,
        dial_number: &str,
        call_by_call: bool,
    ) -> Result<Event> {
        self.login_with(
            Command::MobileAgentLogin {
                password: Secret::new(password),
                extension: extension.to_owned(),
                dial_number: dial_number.to_owned(),
                call_by_call,
            },
            false,
        )
        .await
    }

    async fn login_with(&self, login: Command, sso: bool) -> Result<Event> {
        let password = match &login {
            Command::Login { password, .. } | Command::MobileAgentLogin { password, .. } => {
                password.clone()
            }
            _ => Secret::default(),
        };
        let creds = Credentials {
            login,
            password,
            sso,
        };
        let shared = &self.client.shared;
        shared
            .login(&self.id, creds, shared.cfg.request_timeout())
            .await
    }

    /// `Logout` (a supervisor command in the guide). The credentials are
    /// forgotten before it is sent: no automatic re-login afterwards.
    pub async fn logout(&self) -> Result<Event> {
        let shared = &self.client.shared;
        shared
            .logout(&self.id, &Command::Logout, shared.cfg.request_timeout())
            .await
    }

    /// `logoutwithreason`; like [`Agent::logout`].
    pub async fn logout_with_reason(&self, reason_code: &str) -> Result<Event> {
        let shared = &self.client.shared;
        let command = Command::LogoutWithReason {
            reason_code: reason_code.to_owned(),
        };
        shared
            .logout(&self.id, &command, shared.cfg.request_timeout())
            .await
    }

    /// NOT_READY, with a reason code when given.
    pub async fn make_not_ready(&self, reason_code: Option<&str>) -> Result<Event> {
        match reason_code {
            Some(r) => {
                self.request(Command::MakeNotReadyWithReason {
                    reason_code: r.to_owned(),
                })
                .await
            }
            None => self.request(Command::MakeNotReady).await,
        }
    }

    simple! {
        /// The agent's current state.
        get_state => GetState;
        make_ready => MakeReady;
        make_work_ready => MakeWorkReady;
        make_work_not_ready => MakeWorkNotReady;
        get_logout_reason_codes => GetLogoutReasonCodes;
        get_not_ready_reason_codes => GetNotReadyReasonCodes;
        get_wrap_up_reasons => GetWrapUpReasons;
        /// All logged-in users (admin).
        get_all_agents => GetAllAgents;
        get_phonebooks => GetPhonebooks;
        get_team_phonebook => GetTeamPhonebook;
        get_queue_list => GetQueueList;
        /// Skill groups (UCCE).
        get_skill_groups => GetSkillGroups;
        /// Supervisors (UCCE).
        get_supervisors => GetSupervisors;
    }

    dialog! {
        answer => AnswerCall;
        release => ReleaseCall;
        hold => HoldCall;
        retrieve => RetrieveCall;
        get_dialog_state => GetDialogState;
        end_silent_monitor => EndSilentMonitor;
        accept_outbound_preview => AcceptOutboundPreview;
        reject_outbound_preview => RejectOutboundPreview;
        close_outbound_preview => CloseOutboundPreview;
    }

    extension_dialog! {
        /// Blind transfer (`Transfer_sst`).
        single_step_transfer => SingleStepTransfer;
        consult => ConsultCall;
        /// Completes a consult transfer.
        transfer => TransferCall;
        conference => ConferenceCall;
        drop_participant => DropParticipant;
        barge_in => BargeIn;
    }

    pub async fn make_call(&self, number: &str) -> Result<Event> {
        self.request(Command::MakeCall {
            number: number.to_owned(),
        })
        .await
    }

    pub async fn wrap_up(&self, reason: &str, dialog_id: &str) -> Result<Event> {
        self.request(Command::Wrapup {
            reason: reason.to_owned(),
            dialog_id: dialog_id.to_owned(),
        })
        .await
    }

    pub async fn update_call_variables(
        &self,
        dialog_id: &str,
        variables: &[(&str, &str)],
    ) -> Result<Event> {
        self.request(Command::UpdateCallVariables {
            dialog_id: dialog_id.to_owned(),
            variables: variables
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
        })
        .await
    }

    pub async fn get_phonebook_contacts(&self, phonebook_id: &str) -> Result<Event> {
        self.request(Command::GetPhonebookContacts {
            phonebook_id: phonebook_id.to_owned(),
        })
        .await
    }

    pub async fn silent_monitor(&self, extension: &str) -> Result<Event> {
        self.request(Command::SilentMonitor {
            extension: extension.to_owned(),
        })
        .await
    }

    pub async fn get_team_users(&self, team_id: &str, subscribe: bool) -> Result<Event> {
        self.request(Command::GetTeamUsers {
            team_id: team_id.to_owned(),
            subscribe,
        })
        .await
    }

    pub async fn get_team_users_state(&self, team_agent_id: &str) -> Result<Event> {
        self.request(Command::GetTeamUsersState {
            team_agent_id: team_agent_id.to_owned(),
        })
        .await
    }

    pub async fn schedule_callback(
        &self,
        target_media_address: &str,
        dialog_id: &str,
        callback_time: &str,
        callback_number: &str,
    ) -> Result<Event> {
        self.request(Command::ScheduleCallback {
            target_media_address: target_media_address.to_owned(),
            dialog_id: dialog_id.to_owned(),
            callback_time: callback_time.to_owned(),
            callback_number: callback_number.to_owned(),
        })
        .await
    }

    pub async fn update_callback(
        &self,
        target_media_address: &str,
        dialog_id: &str,
        callback_time: &str,
        callback_number: &str,
    ) -> Result<Event> {
        self.request(Command::UpdateCallback {
            target_media_address: target_media_address.to_owned(),
            dialog_id: dialog_id.to_owned(),
            callback_time: callback_time.to_owned(),
            callback_number: callback_number.to_owned(),
        })
        .await
    }

    pub async fn cancel_callback(
        &self,
        target_media_address: &str,
        dialog_id: &str,
    ) -> Result<Event> {
        self.request(Command::CancelCallback {
            target_media_address: target_media_address.to_owned(),
            dialog_id: dialog_id.to_owned(),
        })
        .await
    }

    pub async fn reclassify_call(
        &self,
        target_media_address: &str,
        dialog_id: &str,
        value: &str,
    ) -> Result<Event> {
        self.request(Command::ReclassifyCall {
            target_media_address: target_media_address.to_owned(),
            dialog_id: dialog_id.to_owned(),
            value: value.to_owned(),
        })
        .await
    }
}
