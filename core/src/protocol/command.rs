use std::borrow::Cow;
use std::fmt;

use super::wire_names::WireNames;
use crate::secret::Secret;

/// What a command is addressed to: `<Command>#<agent>` or `<Command>#<destination>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Agent,
    Destination,
}

/// How a body argument is checked before it is sent, and how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamRule {
    /// Must be non-empty and free of `,`.
    Required,
    /// May be empty; free of `,`.
    Optional,
    /// `true` or `false` on the wire.
    Bool,
    /// A literal word (`SSO`) appended when on, nothing when off.
    Marker(&'static str),
    /// `name=value|name=value`: no `,`; no `|` or `=` inside a name or value.
    CallVariables,
}

use ParamRule as Rule;

/// A parameter of a command body, in wire order.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    rule: Rule,
}

impl Param {
    pub fn rule(&self) -> ParamRule {
        self.rule
    }

    /// How the parameter is written in a body layout: `<name>`,
    /// `[<name>]`, `<name:true|false>`, `[SSO]`, `<name>=<value>|...`.
    pub fn layout(&self) -> String {
        match self.rule {
            Rule::Required => format!("<{}>", self.name),
            Rule::Optional => format!("[<{}>]", self.name),
            Rule::Bool => format!("<{}:true|false>", self.name),
            Rule::Marker(word) => format!("[{word}]"),
            Rule::CallVariables => "<name>=<value>|<name>=<value>...".to_owned(),
        }
    }
}

const fn req(name: &'static str) -> Param {
    Param {
        name,
        rule: Rule::Required,
    }
}
const fn flag(name: &'static str) -> Param {
    Param {
        name,
        rule: Rule::Bool,
    }
}
const fn marker(name: &'static str, word: &'static str) -> Param {
    Param {
        name,
        rule: Rule::Marker(word),
    }
}

/// Static facts about one command: names, body layout, expected reply.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    pub kind: CommandKind,
    /// Public, correctly spelled name (`get_skill_groups`); also the CLI name.
    pub api_name: &'static str,
    /// Wire spelling by default (`GETSKILLGROPU`).
    pub default_wire: &'static str,
    pub target: Target,
    pub params: &'static [Param],
    /// Body suffix that is always sent (`ACCEPT` for AcceptOutboundPreview).
    pub fixed_suffix: Option<&'static str>,
    /// The event type names GC answers with (empty: no reply on success).
    pub replies: &'static [&'static str],
    pub summary: &'static str,
}

impl CommandSpec {
    /// Whether GC answers success with a correlated event; `Connect` does not.
    pub fn expects_reply(&self) -> bool {
        !self.replies.is_empty()
    }

    pub fn param_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.params.iter().map(|p| p.name)
    }

    /// The JMS type with a placeholder target: `MakeCall#<agent_id>`.
    pub fn type_layout(&self) -> String {
        format!("{}#{}", self.default_wire, self.target.placeholder())
    }

    /// The body layout: `<extension>,<dialog_id>`, `<dialog_id>,ACCEPT`,
    /// `<destination>,<password>[,SSO]`; empty for argument-less commands.
    pub fn body_layout(&self) -> String {
        let mut out = String::new();
        for (i, p) in self.params.iter().enumerate() {
            match p.rule {
                // An absent marker leaves no trailing comma either.
                Rule::Marker(word) => out.push_str(&format!("[,{word}]")),
                _ => {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&p.layout());
                }
            }
        }
        if let Some(suffix) = self.fixed_suffix {
            if !out.is_empty() {
                out.push(',');
            }
            out.push_str(suffix);
        }
        out
    }
}

impl Target {
    /// `<agent_id>` or `<destination>`.
    pub fn placeholder(self) -> &'static str {
        match self {
            Target::Agent => "<agent_id>",
            Target::Destination => "<destination>",
        }
    }
}

macro_rules! kinds {
    ($($kind:ident { api: $api:literal, wire: $wire:literal, target: $target:ident, params: [$($p:expr),*], $(suffix: $suffix:literal,)? replies: [$($r:literal),*], summary: $summary:literal })*) => {
        /// One per command of the guide, without arguments.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        pub enum CommandKind { $($kind,)* }

        const SPECS: &[CommandSpec] = &[$(CommandSpec {
            kind: CommandKind::$kind,
            api_name: $api,
            default_wire: $wire,
            target: Target::$target,
            params: &[$($p),*],
            fixed_suffix: kinds!(@suffix $($suffix)?),
            replies: &[$($r),*],
            summary: $summary,
        },)*];

        impl CommandKind {
            pub const ALL: &'static [CommandKind] = &[$(CommandKind::$kind,)*];
        }
    };
    (@suffix) => { None };
    (@suffix $s:literal) => { Some($s) };
}

kinds! {
    Hello { api: "hello", wire: "Hello", target: Destination, params: [], replies: ["System", "DESTINATION"], summary: "Handshake; repeated until System#IN_SERVICE" }
    Connect { api: "connect", wire: "Connect", target: Agent, params: [req("destination"), req("password"), marker("sso", "SSO")], replies: [], summary: "Subscribe the agent to Finesse notifications (no reply on success)" }
    Login { api: "login", wire: "Login", target: Agent, params: [req("password"), req("extension")], replies: ["State", "AgentInfo", "DialogStatus"], summary: "Log the agent in to Finesse" }
    MobileAgentLogin { api: "mobile_agent_login", wire: "MOBILEAGENTLOGIN", target: Agent, params: [req("password"), req("extension"), req("dial_number"), flag("call_by_call")], replies: ["State", "AgentInfo", "DialogStatus"], summary: "Log in a mobile agent (call-by-call or nailed connection)" }
    Beat { api: "beat", wire: "Beat", target: Destination, params: [], replies: ["System", "DESTINATION"], summary: "Keep-alive after IN_SERVICE" }
    Logout { api: "logout", wire: "Logout", target: Agent, params: [], replies: ["State"], summary: "Log the agent out (supervisor command)" }
    LogoutWithReason { api: "logout_with_reason", wire: "logoutwithreason", target: Agent, params: [req("reason_code")], replies: ["State"], summary: "Log out with a logout reason code" }
    GetState { api: "get_state", wire: "GetState", target: Agent, params: [], replies: ["State"], summary: "Current agent state" }
    MakeNotReady { api: "make_not_ready", wire: "MakeNotReady", target: Agent, params: [], replies: ["State"], summary: "Set NOT_READY (supervisor command)" }
    MakeNotReadyWithReason { api: "make_not_ready_with_reason", wire: "MakeNotReadyWithReason", target: Agent, params: [req("reason_code")], replies: ["State"], summary: "Set NOT_READY with a reason code" }
    MakeReady { api: "make_ready", wire: "MakeReady", target: Agent, params: [], replies: ["State"], summary: "Set READY" }
    MakeWorkReady { api: "make_work_ready", wire: "MakeWorkReady", target: Agent, params: [], replies: ["State"], summary: "Set WORK_READY" }
    MakeWorkNotReady { api: "make_work_not_ready", wire: "MakeWorkNotReady", target: Agent, params: [], replies: ["State"], summary: "Set WORK (the guide's `MakeReady#` type is a slip)" }
    MakeCall { api: "make_call", wire: "MakeCall", target: Agent, params: [req("number")], replies: ["InboundCall", "DialogState"], summary: "Dial a number or extension" }
    AnswerCall { api: "answer_call", wire: "AnswerCall", target: Agent, params: [req("dialog_id")], replies: ["InboundCall"], summary: "Answer a ringing dialog" }
    ReleaseCall { api: "release_call", wire: "ReleaseCall", target: Agent, params: [req("dialog_id")], replies: ["InboundCall"], summary: "Drop a dialog" }
    HoldCall { api: "hold_call", wire: "HoldCall", target: Agent, params: [req("dialog_id")], replies: ["InboundCall"], summary: "Put a dialog on hold (UCCE)" }
    RetrieveCall { api: "retrieve_call", wire: "RetrieveCall", target: Agent, params: [req("dialog_id")], replies: ["InboundCall"], summary: "Retrieve a held dialog" }
    SingleStepTransfer { api: "single_step_transfer", wire: "Transfer_sst", target: Agent, params: [req("extension"), req("dialog_id")], replies: ["InboundCall"], summary: "Blind transfer" }
    ConsultCall { api: "consult_call", wire: "ConsultCall", target: Agent, params: [req("extension"), req("dialog_id")], replies: ["ConsultCall"], summary: "Start a consult call" }
    TransferCall { api: "transfer_call", wire: "TransferCall", target: Agent, params: [req("extension"), req("dialog_id")], replies: ["InboundCall"], summary: "Complete a consult transfer" }
    ConferenceCall { api: "conference_call", wire: "Conferencecall", target: Agent, params: [req("extension"), req("dialog_id")], replies: ["InboundCall"], summary: "Conference the consulted party" }
    GetDialogState { api: "get_dialog_state", wire: "GetDialogState", target: Agent, params: [req("dialog_id")], replies: ["DialogState"], summary: "State of one dialog" }
    GetLogoutReasonCodes { api: "get_logout_reason_codes", wire: "reasoncodelogout", target: Agent, params: [], replies: ["ReasonCodes"], summary: "Logout reason codes" }
    GetNotReadyReasonCodes { api: "get_not_ready_reason_codes", wire: "reasoncodenotready", target: Agent, params: [], replies: ["ReasonCodes"], summary: "Not-ready reason codes" }
    GetWrapUpReasons { api: "get_wrap_up_reasons", wire: "wrapupreasoncode", target: Agent, params: [], replies: ["ReasonCodes"], summary: "Wrap-up reasons" }
    Wrapup { api: "wrap_up", wire: "wrapup", target: Agent, params: [req("reason"), req("dialog_id")], replies: ["DialogState"], summary: "Set the wrap-up reason of a dialog" }
    UpdateCallVariables { api: "update_call_variables", wire: "update_call_variable", target: Agent, params: [req("dialog_id"), Param { name: "variables", rule: Rule::CallVariables }], replies: ["InboundCall"], summary: "Set call variables (`name=value|name=value`)" }
    GetAllAgents { api: "get_all_agents", wire: "getallagents", target: Agent, params: [], replies: ["AgentsList"], summary: "All logged-in users (admin); the guide's `##` is a slip" }
    GetPhonebooks { api: "get_phonebooks", wire: "getphonebooks", target: Agent, params: [], replies: ["Phonebooks"], summary: "Team and global phonebooks (wire name provisional)" }
    GetPhonebookContacts { api: "get_phonebook_contacts", wire: "getphonebookcontacts", target: Agent, params: [req("phonebook_id")], replies: ["PhonebookContacts"], summary: "Contacts of a phonebook (wire name provisional)" }
    GetTeamPhonebook { api: "get_team_phonebook", wire: "getteamphonebook", target: Agent, params: [], replies: ["TeamPhoneBooks"], summary: "Team phonebook (wire name provisional)" }
    GetQueueList { api: "get_queue_list", wire: "getqueuelist", target: Agent, params: [], replies: ["QueueList"], summary: "Queue statistics" }
    SilentMonitor { api: "silent_monitor", wire: "silentmonitor", target: Agent, params: [req("extension")], replies: ["InboundCall"], summary: "Silently monitor a team member (supervisor)" }
    EndSilentMonitor { api: "end_silent_monitor", wire: "endsilentmonitor", target: Agent, params: [req("dialog_id")], replies: ["InboundCall"], summary: "End silent monitoring (wire name provisional)" }
    DropParticipant { api: "drop_participant", wire: "dropparticipant", target: Agent, params: [req("extension"), req("dialog_id")], replies: ["InboundCall"], summary: "Drop a participant from a call (supervisor)" }
    GetTeamUsers { api: "get_team_users", wire: "getteamusers", target: Agent, params: [req("team_id"), flag("subscribe")], replies: ["TeamUsersList"], summary: "Team members, optionally subscribing to their events (supervisor)" }
    BargeIn { api: "barge_in", wire: "bargein", target: Agent, params: [req("extension"), req("dialog_id")], replies: ["InboundCall"], summary: "Barge in on a call (supervisor; wire name provisional)" }
    GetTeamUsersState { api: "get_team_users_state", wire: "getteamusersstate", target: Agent, params: [req("team_agent_id")], replies: ["TeamUsersList"], summary: "State of a team member (supervisor; wire name provisional)" }
    AcceptOutboundPreview { api: "accept_outbound_preview", wire: "AcceptOutboundPreview", target: Agent, params: [req("dialog_id")], suffix: "ACCEPT", replies: ["InboundCall"], summary: "Accept an outbound preview call or personal callback" }
    RejectOutboundPreview { api: "reject_outbound_preview", wire: "RejectOutboundPreview", target: Agent, params: [req("dialog_id")], suffix: "REJECT", replies: ["InboundCall"], summary: "Reject an outbound preview call or personal callback" }
    CloseOutboundPreview { api: "close_outbound_preview", wire: "CloseOutboundPreview", target: Agent, params: [req("dialog_id")], suffix: "CLOSE", replies: ["InboundCall"], summary: "Close an outbound preview call" }
    GetSkillGroups { api: "get_skill_groups", wire: "GETSKILLGROPU", target: Agent, params: [], replies: ["SkillGroups"], summary: "Skill groups (UCCE); the wire typo is GC's" }
    GetSupervisors { api: "get_supervisors", wire: "GETSUPERVISOR", target: Agent, params: [], replies: ["Supervisors"], summary: "Supervisors (UCCE)" }
    ScheduleCallback { api: "schedule_callback", wire: "SHCEDULECALLBACK", target: Agent, params: [req("target_media_address"), req("dialog_id"), req("callback_time"), req("callback_number")], replies: ["CallBack"], summary: "Schedule a campaign callback; the wire typo is GC's" }
    UpdateCallback { api: "update_callback", wire: "UPDATECALLBACK", target: Agent, params: [req("target_media_address"), req("dialog_id"), req("callback_time"), req("callback_number")], replies: ["CallBack"], summary: "Update a scheduled callback" }
    CancelCallback { api: "cancel_callback", wire: "CANCELSHCEDULECALLBACK", target: Agent, params: [req("target_media_address"), req("dialog_id")], replies: ["CallBack"], summary: "Cancel a scheduled callback" }
    ReclassifyCall { api: "reclassify_call", wire: "RECLASSIFYCALL", target: Agent, params: [req("target_media_address"), req("dialog_id"), req("value")], replies: ["InboundCall"], summary: "Reclassify a direct preview call" }
}

impl CommandKind {
    pub fn spec(self) -> &'static CommandSpec {
        // SPECS is generated in the same order as the enum.
        &SPECS[self as usize]
    }

    pub fn api_name(self) -> &'static str {
        self.spec().api_name
    }

    /// Accepts `make_call`, `make-call`, `MakeCall` and the default wire name.
    pub fn from_api_name(name: &str) -> Option<CommandKind> {
        let norm = |s: &str| {
            s.chars()
                .filter(|c| *c != '_' && *c != '-')
                .collect::<String>()
                .to_ascii_lowercase()
        };
        let wanted = norm(name);
        CommandKind::ALL.iter().copied().find(|k| {
            let spec = k.spec();
            norm(spec.api_name) == wanted
                || norm(&format!("{k:?}")) == wanted
                || spec.default_wire.eq_ignore_ascii_case(name)
        })
    }
}

impl fmt::Display for CommandKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.api_name())
    }
}

/// A command of the guide with its typed arguments.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    Hello,
    Connect {
        destination: String,
        password: Secret,
        sso: bool,
    },
    Login {
        password: Secret,
        extension: String,
    },
    MobileAgentLogin {
        password: Secret,
        extension: String,
        dial_number: String,
        call_by_call: bool,
    },
    Beat,
    Logout,
    LogoutWithReason {
        reason_code: String,
    },
    GetState,
    MakeNotReady,
    MakeNotReadyWithReason {
        reason_code: String,
    },
    MakeReady,
    MakeWorkReady,
    MakeWorkNotReady,
    MakeCall {
        number: String,
    },
    AnswerCall {
        dialog_id: String,
    },
    ReleaseCall {
        dialog_id: String,
    },
    HoldCall {
        dialog_id: String,
    },
    RetrieveCall {
        dialog_id: String,
    },
    SingleStepTransfer {
        extension: String,
        dialog_id: String,
    },
    ConsultCall {
        extension: String,
        dialog_id: String,
    },
    TransferCall {
        extension: String,
        dialog_id: String,
    },
    ConferenceCall {
        extension: String,
        dialog_id: String,
    },
    GetDialogState {
        dialog_id: String,
    },
    GetLogoutReasonCodes,
    GetNotReadyReasonCodes,
    GetWrapUpReasons,
    Wrapup {
        reason: String,
        dialog_id: String,
    },
    UpdateCallVariables {
        dialog_id: String,
        variables: Vec<(String, String)>,
    },
    GetAllAgents,
    GetPhonebooks,
    GetPhonebookContacts {
        phonebook_id: String,
    },
    GetTeamPhonebook,
    GetQueueList,
    SilentMonitor {
        extension: String,
    },
    EndSilentMonitor {
        dialog_id: String,
    },
    DropParticipant {
        extension: String,
        dialog_id: String,
    },
    GetTeamUsers {
        team_id: String,
        subscribe: bool,
    },
    BargeIn {
        extension: String,
        dialog_id: String,
    },
    GetTeamUsersState {
        team_agent_id: String,
    },
    AcceptOutboundPreview {
        dialog_id: String,
    },
    RejectOutboundPreview {
        dialog_id: String,
    },
    CloseOutboundPreview {
        dialog_id: String,
    },
    GetSkillGroups,
    GetSupervisors,
    ScheduleCallback {
        target_media_address: String,
        dialog_id: String,
        callback_time: String,
        callback_number: String,
    },
    UpdateCallback {
        target_media_address: String,
        dialog_id: String,
        callback_time: String,
        callback_number: String,
    },
    CancelCallback {
        target_media_address: String,
        dialog_id: String,
    },
    ReclassifyCall {
        target_media_address: String,
        dialog_id: String,
        value: String,
    },
}

/// A command ready for the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    pub jms_type: String,
    pub body: String,
}

/// An argument that the protocol cannot carry faithfully. The value is never
/// included, because it may be a password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid argument `{argument}` for `{command}`: {reason}{}", limit.map(|l| format!(" ({l} bytes)")).unwrap_or_default())]
pub struct InvalidArgument {
    pub command: &'static str,
    pub argument: &'static str,
    pub reason: &'static str,
    /// The size limit the argument exceeded, when that was the reason.
    pub limit: Option<usize>,
}

/// A command body or type GC would not understand (used by the simulator and
/// by tools that read commands off the queue).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandDecodeError {
    #[error("JMS type `{0}` has no `#<target>` part")]
    NoTarget(String),
    #[error("unknown command `{0}`")]
    UnknownCommand(String),
    #[error("argument `{argument}` of `{command}`: {reason}")]
    BadArgument {
        command: &'static str,
        argument: &'static str,
        reason: String,
    },
    #[error("`{command}` takes {expected} argument(s), got {got}")]
    TooManyArguments {
        command: &'static str,
        expected: usize,
        got: usize,
    },
}

fn yes_no(b: bool) -> Cow<'static, str> {
    Cow::Borrowed(if b { "true" } else { "false" })
}

impl Command {
    pub fn kind(&self) -> CommandKind {
        use Command as C;
        use CommandKind as K;
        match self {
            C::Hello => K::Hello,
            C::Connect { .. } => K::Connect,
            C::Login { .. } => K::Login,
            C::MobileAgentLogin { .. } => K::MobileAgentLogin,
            C::Beat => K::Beat,
            C::Logout => K::Logout,
            C::LogoutWithReason { .. } => K::LogoutWithReason,
            C::GetState => K::GetState,
            C::MakeNotReady => K::MakeNotReady,
            C::MakeNotReadyWithReason { .. } => K::MakeNotReadyWithReason,
            C::MakeReady => K::MakeReady,
            C::MakeWorkReady => K::MakeWorkReady,
            C::MakeWorkNotReady => K::MakeWorkNotReady,
            C::MakeCall { .. } => K::MakeCall,
            C::AnswerCall { .. } => K::AnswerCall,
            C::ReleaseCall { .. } => K::ReleaseCall,
            C::HoldCall { .. } => K::HoldCall,
            C::RetrieveCall { .. } => K::RetrieveCall,
            C::SingleStepTransfer { .. } => K::SingleStepTransfer,
            C::ConsultCall { .. } => K::ConsultCall,
            C::TransferCall { .. } => K::TransferCall,
            C::ConferenceCall { .. } => K::ConferenceCall,
            C::GetDialogState { .. } => K::GetDialogState,
            C::GetLogoutReasonCodes => K::GetLogoutReasonCodes,
            C::GetNotReadyReasonCodes => K::GetNotReadyReasonCodes,
            C::GetWrapUpReasons => K::GetWrapUpReasons,
            C::Wrapup { .. } => K::Wrapup,
            C::UpdateCallVariables { .. } => K::UpdateCallVariables,
            C::GetAllAgents => K::GetAllAgents,
            C::GetPhonebooks => K::GetPhonebooks,
            C::GetPhonebookContacts { .. } => K::GetPhonebookContacts,
            C::GetTeamPhonebook => K::GetTeamPhonebook,
            C::GetQueueList => K::GetQueueList,
            C::SilentMonitor { .. } => K::SilentMonitor,
            C::EndSilentMonitor { .. } => K::EndSilentMonitor,
            C::DropParticipant { .. } => K::DropParticipant,
            C::GetTeamUsers { .. } => K::GetTeamUsers,
            C::BargeIn { .. } => K::BargeIn,
            C::GetTeamUsersState { .. } => K::GetTeamUsersState,
            C::AcceptOutboundPreview { .. } => K::AcceptOutboundPreview,
            C::RejectOutboundPreview { .. } => K::RejectOutboundPreview,
            C::CloseOutboundPreview { .. } => K::CloseOutboundPreview,
            C::GetSkillGroups => K::GetSkillGroups,
            C::GetSupervisors => K::GetSupervisors,
            C::ScheduleCallback { .. } => K::ScheduleCallback,
            C::UpdateCallback { .. } => K::UpdateCallback,
            C::CancelCallback { .. } => K::CancelCallback,
            C::ReclassifyCall { .. } => K::ReclassifyCall,
        }
    }

    /// Body arguments in wire order (call variables already joined).
    fn args(&self) -> Vec<Cow<'_, str>> {
        use Command as C;
        fn s(v: &str) -> Cow<'_, str> {
            Cow::Borrowed(v)
        }
        match self {
            C::Hello
            | C::Beat
            | C::Logout
            | C::GetState
            | C::MakeNotReady
            | C::MakeReady
            | C::MakeWorkReady
            | C::MakeWorkNotReady
            | C::GetLogoutReasonCodes
            | C::GetNotReadyReasonCodes
            | C::GetWrapUpReasons
            | C::GetAllAgents
            | C::GetPhonebooks
            | C::GetTeamPhonebook
            | C::GetQueueList
            | C::GetSkillGroups
            | C::GetSupervisors => vec![],
            C::Connect {
                destination,
                password,
                sso,
            } => {
                let mut v = vec![s(destination), Cow::Borrowed(password.expose())];
                if *sso {
                    v.push(Cow::Borrowed("SSO"));
                }
                v
            }
            C::Login {
                password,
                extension,
            } => vec![Cow::Borrowed(password.expose()), s(extension)],
            C::MobileAgentLogin {
                password,
                extension,
                dial_number,
                call_by_call,
            } => vec![
                Cow::Borrowed(password.expose()),
                s(extension),
                s(dial_number),
                yes_no(*call_by_call),
            ],
            C::LogoutWithReason { reason_code } | C::MakeNotReadyWithReason { reason_code } => {
                vec![s(reason_code)]
            }
            C::MakeCall { number } => vec![s(number)],
            C::AnswerCall { dialog_id }
            | C::ReleaseCall { dialog_id }
            | C::HoldCall { dialog_id }
            | C::RetrieveCall { dialog_id }
            | C::GetDialogState { dialog_id }
            | C::EndSilentMonitor { dialog_id }
            | C::AcceptOutboundPreview { dialog_id }
            | C::RejectOutboundPreview { dialog_id }
            | C::CloseOutboundPreview { dialog_id } => vec![s(dialog_id)],
            C::SingleStepTransfer {
                extension,
                dialog_id,
            }
            | C::ConsultCall {
                extension,
                dialog_id,
            }
            | C::TransferCall {
                extension,
                dialog_id,
            }
            | C::ConferenceCall {
                extension,
                dialog_id,
            }
            | C::DropParticipant {
                extension,
                dialog_id,
            }
            | C::BargeIn {
                extension,
                dialog_id,
            } => vec![s(extension), s(dialog_id)],
            C::Wrapup { reason, dialog_id } => vec![s(reason), s(dialog_id)],
            C::UpdateCallVariables {
                dialog_id,
                variables,
            } => {
                let joined = variables
                    .iter()
                    .map(|(n, v)| format!("{n}={v}"))
                    .collect::<Vec<_>>()
                    .join("|");
                vec![s(dialog_id), Cow::Owned(joined)]
            }
            C::GetPhonebookContacts { phonebook_id } => vec![s(phonebook_id)],
            C::SilentMonitor { extension } => vec![s(extension)],
            C::GetTeamUsers { team_id, subscribe } => vec![s(team_id), yes_no(*subscribe)],
            C::GetTeamUsersState { team_agent_id } => vec![s(team_agent_id)],
            C::ScheduleCallback {
                target_media_address,
                dialog_id,
                callback_time,
                callback_number,
            }
            | C::UpdateCallback {
                target_media_address,
                dialog_id,
                callback_time,
                callback_number,
            } => vec![
                s(target_media_address),
                s(dialog_id),
                s(callback_time),
                s(callback_number),
            ],
            C::CancelCallback {
                target_media_address,
                dialog_id,
            } => vec![s(target_media_address), s(dialog_id)],
            C::ReclassifyCall {
                target_media_address,
                dialog_id,
                value,
            } => vec![s(target_media_address), s(dialog_id), s(value)],
        }
    }

    /// Checks every argument, then renders `(JMS type, body)`. `target` is the
    /// agent id, or the client destination for Hello and Beat.
    pub fn encode(&self, target: &str, names: &WireNames) -> Result<Encoded, InvalidArgument> {
        let kind = self.kind();
        let spec = kind.spec();
        let bad = |argument, reason| InvalidArgument {
            command: spec.api_name,
            argument,
            reason,
            limit: None,
        };
        let target_name = match spec.target {
            Target::Agent => "agent_id",
            Target::Destination => "destination",
        };
        super::limits::check_id(target).map_err(|reason| bad(target_name, reason))?;
        if let Command::UpdateCallVariables { variables, .. } = self {
            check_call_variables(variables).map_err(|reason| bad("variables", reason))?;
        }
        let args = self.args();
        for (param, value) in spec.params.iter().zip(args.iter()) {
            if value.contains('\0') {
                return Err(bad(param.name, "must not contain NUL"));
            }
            match param.rule {
                Rule::Required if value.is_empty() => {
                    return Err(bad(param.name, "must not be empty"))
                }
                Rule::CallVariables if value.is_empty() => {
                    return Err(bad(param.name, "at least one call variable is needed"))
                }
                _ => {}
            }
            // `,` splits the body, `#` splits the events that echo the
            // value back, `|` splits list fields: with no escaping in the
            // protocol, any of them would corrupt data silently.
            let delimiters: &[char] = match param.rule {
                Rule::CallVariables => &[',', '#'],
                _ => &[',', '#', '|'],
            };
            if value.contains(delimiters) {
                return Err(bad(
                    param.name,
                    "must not contain `,`, `#` or `|` (protocol delimiters; the protocol has no escaping)",
                ));
            }
        }
        let mut body = args.join(",");
        if let Some(suffix) = spec.fixed_suffix {
            body.push(',');
            body.push_str(suffix);
        }
        Ok(Encoded {
            jms_type: format!("{}#{}", names.get(kind), target),
            body,
        })
    }

    /// Builds a command from positional body arguments. Lenient on purpose:
    /// missing arguments become empty so a GC peer can answer with the
    /// guide's MISSING_* errors instead of dropping the command.
    pub fn from_args(kind: CommandKind, args: &[&str]) -> Result<Command, CommandDecodeError> {
        use Command as C;
        use CommandKind as K;
        let spec = kind.spec();
        let at = |i: usize| args.get(i).map(|s| s.to_string()).unwrap_or_default();
        let bool_at = |i: usize| -> Result<bool, CommandDecodeError> {
            match args.get(i).map(|s| s.trim()) {
                None | Some("") => Ok(false),
                Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
                Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
                Some(v) => Err(CommandDecodeError::BadArgument {
                    command: spec.api_name,
                    argument: spec.params.get(i).map(|p| p.name).unwrap_or("?"),
                    reason: format!("`{v}` is not true/false"),
                }),
            }
        };
        Ok(match kind {
            K::Hello => C::Hello,
            K::Connect => C::Connect {
                destination: at(0),
                password: Secret::new(at(1)),
                sso: at(2).eq_ignore_ascii_case("SSO"),
            },
            K::Login => C::Login {
                password: Secret::new(at(0)),
                extension: at(1),
            },
            K::MobileAgentLogin => C::MobileAgentLogin {
                password: Secret::new(at(0)),
                extension: at(1),
                dial_number: at(2),
                call_by_call: bool_at(3)?,
            },
            K::Beat => C::Beat,
            K::Logout => C::Logout,
            K::LogoutWithReason => C::LogoutWithReason { reason_code: at(0) },
            K::GetState => C::GetState,
            K::MakeNotReady => C::MakeNotReady,
            K::MakeNotReadyWithReason => C::MakeNotReadyWithReason { reason_code: at(0) },
            K::MakeReady => C::MakeReady,
            K::MakeWorkReady => C::MakeWorkReady,
            K::MakeWorkNotReady => C::MakeWorkNotReady,
            K::MakeCall => C::MakeCall { number: at(0) },
            K::AnswerCall => C::AnswerCall { dialog_id: at(0) },
            K::ReleaseCall => C::ReleaseCall { dialog_id: at(0) },
            K::HoldCall => C::HoldCall { dialog_id: at(0) },
            K::RetrieveCall => C::RetrieveCall { dialog_id: at(0) },
            K::SingleStepTransfer => C::SingleStepTransfer {
                extension: at(0),
                dialog_id: at(1),
            },
            K::ConsultCall => C::ConsultCall {
                extension: at(0),
                dialog_id: at(1),
            },
            K::TransferCall => C::TransferCall {
                extension: at(0),
                dialog_id: at(1),
            },
            K::ConferenceCall => C::ConferenceCall {
                extension: at(0),
                dialog_id: at(1),
            },
            K::GetDialogState => C::GetDialogState { dialog_id: at(0) },
            K::GetLogoutReasonCodes => C::GetLogoutReasonCodes,
            K::GetNotReadyReasonCodes => C::GetNotReadyReasonCodes,
            K::GetWrapUpReasons => C::GetWrapUpReasons,
            K::Wrapup => C::Wrapup {
                reason: at(0),
                dialog_id: at(1),
            },
            K::UpdateCallVariables => C::UpdateCallVariables {
                dialog_id: at(0),
                variables: parse_call_variables(&at(1)),
            },
            K::GetAllAgents => C::GetAllAgents,
            K::GetPhonebooks => C::GetPhonebooks,
            K::GetPhonebookContacts => C::GetPhonebookContacts {
                phonebook_id: at(0),
            },
            K::GetTeamPhonebook => C::GetTeamPhonebook,
            K::GetQueueList => C::GetQueueList,
            K::SilentMonitor => C::SilentMonitor { extension: at(0) },
            K::EndSilentMonitor => C::EndSilentMonitor { dialog_id: at(0) },
            K::DropParticipant => C::DropParticipant {
                extension: at(0),
                dialog_id: at(1),
            },
            K::GetTeamUsers => C::GetTeamUsers {
                team_id: at(0),
                subscribe: bool_at(1)?,
            },
            K::BargeIn => C::BargeIn {
                extension: at(0),
                dialog_id: at(1),
            },
            K::GetTeamUsersState => C::GetTeamUsersState {
                team_agent_id: at(0),
            },
            K::AcceptOutboundPreview => C::AcceptOutboundPreview { dialog_id: at(0) },
            K::RejectOutboundPreview => C::RejectOutboundPreview { dialog_id: at(0) },
            K::CloseOutboundPreview => C::CloseOutboundPreview { dialog_id: at(0) },
            K::GetSkillGroups => C::GetSkillGroups,
            K::GetSupervisors => C::GetSupervisors,
            K::ScheduleCallback => C::ScheduleCallback {
                target_media_address: at(0),
                dialog_id: at(1),
                callback_time: at(2),
                callback_number: at(3),
            },
            K::UpdateCallback => C::UpdateCallback {
                target_media_address: at(0),
                dialog_id: at(1),
                callback_time: at(2),
                callback_number: at(3),
            },
            K::CancelCallback => C::CancelCallback {
                target_media_address: at(0),
                dialog_id: at(1),
            },
            K::ReclassifyCall => C::ReclassifyCall {
                target_media_address: at(0),
                dialog_id: at(1),
                value: at(2),
            },
        })
    }

    /// Builds a command from arguments as a person types them (the CLI, the
    /// bindings): one value per parameter in [`CommandSpec::params`] order;
    /// `true`/`false` for boolean and marker parameters (a missing one is
    /// `false`; a marker also accepts its word, e.g. `SSO`); for
    /// `update_call_variables`, every argument after the dialog id is one
    /// `name=value` pair. Missing text arguments are left empty, so
    /// [`Command::encode`] names them. Values are never echoed in errors
    /// except for a rejected boolean word.
    pub fn from_user_args(kind: CommandKind, args: &[&str]) -> Result<Command, CommandDecodeError> {
        let spec = kind.spec();
        let bad = |argument: &'static str, reason: String| CommandDecodeError::BadArgument {
            command: spec.api_name,
            argument,
            reason,
        };
        let mut wire: Vec<String> = Vec::with_capacity(spec.params.len());
        let mut variables = None;
        for (i, param) in spec.params.iter().enumerate() {
            let value = args.get(i).copied();
            match param.rule {
                Rule::Required | Rule::Optional => wire.push(value.unwrap_or("").to_owned()),
                Rule::Bool => {
                    let on = parse_bool(value.unwrap_or("false"), None).ok_or_else(|| {
                        bad(
                            param.name,
                            format!("`{}` is not true/false", value.unwrap_or("")),
                        )
                    })?;
                    wire.push(if on { "true" } else { "false" }.to_owned());
                }
                Rule::Marker(word) => {
                    let on = parse_bool(value.unwrap_or("false"), Some(word)).ok_or_else(|| {
                        bad(
                            param.name,
                            format!("`{}` is not true/false", value.unwrap_or("")),
                        )
                    })?;
                    wire.push(if on { word.to_owned() } else { String::new() });
                }
                Rule::CallVariables => {
                    let pairs = args
                        .get(i..)
                        .unwrap_or_default()
                        .iter()
                        .map(|pair| {
                            pair.split_once('=')
                                .map(|(n, v)| (n.to_owned(), v.to_owned()))
                                .ok_or_else(|| {
                                    bad(param.name, "expected `name=value` pairs".to_owned())
                                })
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    variables = Some(pairs);
                }
            }
        }
        if variables.is_none() && args.len() > spec.params.len() {
            return Err(CommandDecodeError::TooManyArguments {
                command: spec.api_name,
                expected: spec.params.len(),
                got: args.len(),
            });
        }
        let refs: Vec<&str> = wire.iter().map(String::as_str).collect();
        let mut command = Command::from_args(kind, &refs)?;
        if let (Command::UpdateCallVariables { variables: v, .. }, Some(pairs)) =
            (&mut command, variables)
        {
            *v = pairs;
        }
        Ok(command)
    }

    /// A plausible instance of every command, for documentation, the CLI,
    /// tests and benchmarks.
    pub fn example(kind: CommandKind) -> Command {
        use Command as C;
        use CommandKind as K;
        let d = || "16777217".to_owned();
        let ext = || "1002".to_owned();
        match kind {
            K::Connect => C::Connect {
                destination: "gcclient.host1.d3b07384".to_owned(),
                password: Secret::new("secret"),
                sso: false,
            },
            K::Login => C::Login {
                password: Secret::new("secret"),
                extension: "1001".to_owned(),
            },
            K::MobileAgentLogin => C::MobileAgentLogin {
                password: Secret::new("secret"),
                extension: "1001".to_owned(),
                dial_number: "+15551234567".to_owned(),
                call_by_call: true,
            },
            K::LogoutWithReason => C::LogoutWithReason {
                reason_code: "12".to_owned(),
            },
            K::MakeNotReadyWithReason => C::MakeNotReadyWithReason {
                reason_code: "7".to_owned(),
            },
            K::MakeCall => C::MakeCall {
                number: "5551234".to_owned(),
            },
            K::Wrapup => C::Wrapup {
                reason: "Sale".to_owned(),
                dialog_id: d(),
            },
            K::UpdateCallVariables => C::UpdateCallVariables {
                dialog_id: d(),
                variables: vec![
                    ("callVariable1".to_owned(), "VIP".to_owned()),
                    ("BAAccountNumber".to_owned(), "42".to_owned()),
                ],
            },
            K::GetPhonebookContacts => C::GetPhonebookContacts {
                phonebook_id: "5".to_owned(),
            },
            K::SilentMonitor => C::SilentMonitor { extension: ext() },
            K::GetTeamUsers => C::GetTeamUsers {
                team_id: "3".to_owned(),
                subscribe: true,
            },
            K::GetTeamUsersState => C::GetTeamUsersState {
                team_agent_id: "1003".to_owned(),
            },
            K::ScheduleCallback | K::UpdateCallback => {
                let target_media_address = "1001".to_owned();
                let callback_time = "2025-01-31T14:30".to_owned();
                let callback_number = "5551234".to_owned();
                if kind == K::ScheduleCallback {
                    C::ScheduleCallback {
                        target_media_address,
                        dialog_id: d(),
                        callback_time,
                        callback_number,
                    }
                } else {
                    C::UpdateCallback {
                        target_media_address,
                        dialog_id: d(),
                        callback_time,
                        callback_number,
                    }
                }
            }
            K::CancelCallback => C::CancelCallback {
                target_media_address: "1001".to_owned(),
                dialog_id: d(),
            },
            K::ReclassifyCall => C::ReclassifyCall {
                target_media_address: "1001".to_owned(),
                dialog_id: d(),
                value: "VOICE".to_owned(),
            },
            // Everything else takes (extension, dialog id), a dialog id, or nothing.
            _ => {
                let spec = kind.spec();
                let args: Vec<String> = spec
                    .params
                    .iter()
                    .map(|p| if p.name == "extension" { ext() } else { d() })
                    .collect();
                let refs: Vec<&str> = args.iter().map(String::as_str).collect();
                // Only text parameters reach this arm, which cannot fail.
                Command::from_args(kind, &refs).unwrap_or(C::Hello)
            }
        }
    }

    /// Reads a command as GC does: `(JMS type, body)` -> `(target, command)`.
    pub fn decode(
        jms_type: &str,
        body: &str,
        names: &WireNames,
    ) -> Result<(String, Command), CommandDecodeError> {
        let (wire, target) = jms_type
            .split_once('#')
            .ok_or_else(|| CommandDecodeError::NoTarget(jms_type.to_owned()))?;
        let kind = names
            .kind_of(wire.trim())
            .ok_or_else(|| CommandDecodeError::UnknownCommand(wire.to_owned()))?;
        let args: Vec<&str> = if body.is_empty() {
            vec![]
        } else {
            body.split(',').collect()
        };
        let command = Command::from_args(kind, &args)?;
        Ok((target.trim().to_owned(), command))
    }
}

/// `true`/`false` (any case), or the marker word when one is given.
fn parse_bool(s: &str, marker: Option<&str>) -> Option<bool> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("true") || marker.is_some_and(|m| s.eq_ignore_ascii_case(m)) {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") || (marker.is_some() && s.is_empty()) {
        Some(false)
    } else {
        None
    }
}

fn check_call_variables(vars: &[(String, String)]) -> Result<(), &'static str> {
    if vars.is_empty() {
        return Err("at least one call variable is needed");
    }
    for (name, value) in vars {
        if name.is_empty() {
            return Err("a call variable name must not be empty");
        }
        if name.contains(['|', '=', ',']) || value.contains(['|', '=', ',']) {
            return Err("call variable names and values must not contain `|`, `=` or `,`");
        }
    }
    Ok(())
}

/// `name=value|name=value`; a pair without `=` keeps an empty value.
pub(crate) fn parse_call_variables(s: &str) -> Vec<(String, String)> {
    s.split('|')
        .filter(|p| !p.trim().is_empty())
        .map(|p| match p.split_once('=') {
            Some((n, v)) => (n.trim().to_owned(), v.to_owned()),
            None => (p.trim().to_owned(), String::new()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_are_in_enum_order() {
        for (i, k) in CommandKind::ALL.iter().enumerate() {
            assert_eq!(*k as usize, i);
            assert_eq!(SPECS[i].kind, *k);
        }
        assert_eq!(CommandKind::ALL.len(), 48);
    }

    #[test]
    fn api_names_resolve() {
        for k in CommandKind::ALL {
            assert_eq!(CommandKind::from_api_name(k.api_name()), Some(*k));
        }
        assert_eq!(
            CommandKind::from_api_name("make-call"),
            Some(CommandKind::MakeCall)
        );
        assert_eq!(
            CommandKind::from_api_name("GETSKILLGROPU"),
            Some(CommandKind::GetSkillGroups)
        );
        assert_eq!(CommandKind::from_api_name("nope"), None);
    }
}
