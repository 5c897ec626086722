//! GC events and client notifications as uniffi records and enums.
//!
//! Record names differ from the enum variants that carry them
//! (`EventData::InboundCall { call: CallInfo }`) because Kotlin nests
//! variants inside the sealed class, where a same-named record would be
//! shadowed.

use gcclient::protocol as p;

use crate::types::{AgentState, ConnectionStatus, ErrorCodeInfo, KeyValue};

/// An event from GC.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Event {
    /// The agent it is for; None for system-wide events.
    pub agent: Option<String>,
    /// The variant as a stable snake_case name (`agent_state`, `error`).
    pub kind: String,
    /// The event type as spelled on the wire (`State`, `TeamInfoIDs`).
    pub wire_type: String,
    pub data: EventData,
    /// The body as received.
    pub raw: String,
}

impl From<p::Event> for Event {
    fn from(e: p::Event) -> Self {
        Event {
            agent: e.agent,
            kind: e.data.kind_name().to_owned(),
            wire_type: e.data.wire_type().to_owned(),
            data: e.data.into(),
            raw: e.raw,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SystemStatus {
    InService,
    OutOfService,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Team {
    pub id: String,
    pub name: String,
}

/// `AgentInfo` after login.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AgentDetails {
    pub first_name: String,
    pub last_name: String,
    pub is_supervisor: bool,
    pub wrap_up_mode: String,
    pub team_id: String,
    pub full_name: String,
    pub login_name: String,
    /// Supervisor form only: the teams it supervises.
    pub teams: Vec<Team>,
    pub total_teams: Option<i32>,
}

impl From<p::AgentInfo> for AgentDetails {
    fn from(i: p::AgentInfo) -> Self {
        AgentDetails {
            first_name: i.first_name,
            last_name: i.last_name,
            is_supervisor: i.is_supervisor,
            wrap_up_mode: i.wrap_up_mode,
            team_id: i.team_id,
            full_name: i.full_name,
            login_name: i.login_name,
            teams: i
                .teams
                .into_iter()
                .map(|t| Team {
                    id: t.id,
                    name: t.name,
                })
                .collect(),
            total_teams: i.total_teams.map(clamp_i32),
        }
    }
}

/// A `State` event.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AgentStateInfo {
    pub state: AgentState,
    /// `-1` on the first NOT_READY/LOGOUT, None when READY.
    pub reason_code_id: Option<String>,
    pub state_change_time_string: String,
    pub pending_state: Option<AgentState>,
    pub state_change_time: String,
    pub full_name: String,
    pub login_id: String,
    pub extension: String,
    pub reason_label: String,
    pub login_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CallParty {
    pub dialog_id: String,
    pub state: String,
    pub from_address: String,
    pub call_variables: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DialogInfo {
    pub dialog: CallParty,
    pub associated: Option<CallParty>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ReasonCategory {
    NotReady,
    Logout,
    WrapUp,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReasonCode {
    /// Empty for wrap-up reasons, which have labels only.
    pub code: String,
    pub label: String,
}

impl From<p::ReasonCode> for ReasonCode {
    fn from(r: p::ReasonCode) -> Self {
        ReasonCode {
            code: r.code,
            label: r.label,
        }
    }
}

/// `InboundCall`: a dialog's state as Finesse says it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CallInfo {
    /// ALERTING, ACTIVE, HELD, DROP, WRAP_UP, ...
    pub state: String,
    pub dialog_id: Option<String>,
    pub from_address: String,
    pub call_variables: Vec<String>,
    pub start_time: String,
    pub call_type: Option<String>,
    pub participants_count: Option<i32>,
    pub participants: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CallFailure {
    pub dialog_id: Option<String>,
    pub cause: String,
    pub full_name: String,
}

/// `NewInboundCall` and `NewOutboundPreviewCall`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewCallInfo {
    pub from_address: String,
    pub call_variables: Vec<String>,
    pub dialog_id: Option<String>,
    pub call_type: Option<String>,
    pub start_time: String,
}

impl From<p::NewCall> for NewCallInfo {
    fn from(c: p::NewCall) -> Self {
        NewCallInfo {
            from_address: c.from_address,
            call_variables: c.call_variables,
            dialog_id: c.dialog_id,
            call_type: c.call_type,
            start_time: c.start_time,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ConsultInfo {
    pub state: String,
    pub associated_dialog_id: Option<String>,
    pub from_address: String,
    pub call_variables: Vec<String>,
    pub agent_name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum QueueFlavor {
    Ucce,
    Uccx,
    Unknown,
}

/// One queue's statistics, in the order GC sent them.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct QueueStats {
    pub name: String,
    pub stats: Vec<KeyValue>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AgentSummary {
    pub login_id: String,
    pub name: String,
    pub extension: String,
    pub state: Option<AgentState>,
    pub team: String,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TeamUser {
    pub first_name: String,
    pub last_name: String,
    pub extension: String,
    pub login_id: String,
    pub state: Option<AgentState>,
    pub pending_state: Option<AgentState>,
    pub media_type: String,
    pub state_change_time: String,
    pub state_change_label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Phonebook {
    pub name: String,
    pub kind: String,
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PhonebookContact {
    pub description: String,
    pub first_name: String,
    pub last_name: String,
    pub phone_number: String,
    pub id: String,
}

/// What an event says: one variant per event of the guide.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum EventData {
    System {
        status: SystemStatus,
    },
    DestinationReconnect {
        destination: String,
    },
    CallbackScheduled {
        info: String,
    },
    AgentInfo {
        details: AgentDetails,
    },
    AgentState {
        info: AgentStateInfo,
    },
    ReLogin,
    /// `dialog` is None when the agent has no active dialog.
    DialogStatus {
        dialog: Option<DialogInfo>,
    },
    ReasonCodes {
        category: ReasonCategory,
        /// The category as sent, for `Other`.
        category_text: String,
        codes: Vec<ReasonCode>,
        full_name: String,
    },
    InboundCall {
        call: CallInfo,
    },
    InboundCallFailed {
        failure: CallFailure,
    },
    NewInboundCall {
        call: NewCallInfo,
    },
    NewOutboundPreviewCall {
        call: NewCallInfo,
    },
    DialogState {
        state: String,
        dialog_id: String,
        full_name: String,
    },
    ConsultCall {
        call: ConsultInfo,
    },
    TeamInfoIds {
        team_ids: Vec<String>,
        full_name: String,
    },
    TeamInfoNames {
        team_names: Vec<String>,
        full_name: String,
    },
    QueueList {
        flavor: QueueFlavor,
        queues: Vec<QueueStats>,
        full_name: String,
    },
    AgentsList {
        agents: Vec<AgentSummary>,
    },
    TeamUsersList {
        users: Vec<TeamUser>,
    },
    TeamMemberStateChanged {
        team_id: String,
        state: String,
        extra: Vec<String>,
    },
    ConferenceParticipants {
        extensions: Vec<String>,
    },
    PrintStatusBar {
        text: String,
    },
    /// `found` is false for `NoPhoneBookFound`.
    Phonebooks {
        found: bool,
        phonebooks: Vec<Phonebook>,
    },
    PhonebookContacts {
        found: bool,
        contacts: Vec<PhonebookContact>,
    },
    TeamPhonebooks {
        found: bool,
        phonebooks: Vec<Phonebook>,
    },
    CallbackMessage {
        title: String,
        data: String,
    },
    Error {
        error: ErrorCodeInfo,
        details: Vec<String>,
    },
    /// Well-formed but of a type this version does not know.
    Unknown,
    /// A known type whose fields could not be read.
    Malformed {
        reason: String,
    },
}

/// Counts cross as `i32`: uniffi's `u32` is Kotlin's `UInt`, which Java
/// cannot read.
fn clamp_i32(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

fn phonebooks(v: Vec<p::Phonebook>) -> Vec<Phonebook> {
    v.into_iter()
        .map(|b| Phonebook {
            name: b.name,
            kind: b.kind,
            id: b.id,
        })
        .collect()
}

fn party(c: p::CallParty) -> CallParty {
    CallParty {
        dialog_id: c.dialog_id,
        state: c.state,
        from_address: c.from_address,
        call_variables: c.call_variables,
    }
}

impl From<p::EventData> for EventData {
    fn from(d: p::EventData) -> Self {
        use p::EventData as D;
        match d {
            D::System { status } => EventData::System {
                status: match status {
                    p::SystemStatus::InService => SystemStatus::InService,
                    p::SystemStatus::OutOfService => SystemStatus::OutOfService,
                },
            },
            D::DestinationReconnect { destination } => {
                EventData::DestinationReconnect { destination }
            }
            D::CallbackScheduled { info } => EventData::CallbackScheduled { info },
            D::AgentInfo(i) => EventData::AgentInfo { details: i.into() },
            D::AgentState(s) => EventData::AgentState {
                info: AgentStateInfo {
                    state: s.state.into(),
                    reason_code_id: s.reason_code_id,
                    state_change_time_string: s.state_change_time_string,
                    pending_state: s.pending_state.map(Into::into),
                    state_change_time: s.state_change_time,
                    full_name: s.full_name,
                    login_id: s.login_id,
                    extension: s.extension,
                    reason_label: s.reason_label,
                    login_name: s.login_name,
                },
            },
            D::ReLogin => EventData::ReLogin,
            D::DialogStatus { dialog } => EventData::DialogStatus {
                dialog: dialog.map(|d| DialogInfo {
                    dialog: party(d.dialog),
                    associated: d.associated.map(party),
                }),
            },
            D::ReasonCodes {
                category,
                codes,
                full_name,
            } => {
                let (category, category_text) = match category {
                    p::ReasonCategory::NotReady => (ReasonCategory::NotReady, "NOT_READY".into()),
                    p::ReasonCategory::Logout => (ReasonCategory::Logout, "LOGOUT".into()),
                    p::ReasonCategory::WrapUp => (ReasonCategory::WrapUp, "WRAP_UP".into()),
                    p::ReasonCategory::Other(s) => (ReasonCategory::Other, s),
                };
                EventData::ReasonCodes {
                    category,
                    category_text,
                    codes: codes.into_iter().map(Into::into).collect(),
                    full_name,
                }
            }
            D::InboundCall(c) => EventData::InboundCall {
                call: CallInfo {
                    state: c.state,
                    dialog_id: c.dialog_id,
                    from_address: c.from_address,
                    call_variables: c.call_variables,
                    start_time: c.start_time,
                    call_type: c.call_type,
                    participants_count: c.participants_count.map(clamp_i32),
                    participants: c.participants,
                },
            },
            D::InboundCallFailed(f) => EventData::InboundCallFailed {
                failure: CallFailure {
                    dialog_id: f.dialog_id,
                    cause: f.cause,
                    full_name: f.full_name,
                },
            },
            D::NewInboundCall(c) => EventData::NewInboundCall { call: c.into() },
            D::NewOutboundPreviewCall(c) => EventData::NewOutboundPreviewCall { call: c.into() },
            D::DialogState {
                state,
                dialog_id,
                full_name,
            } => EventData::DialogState {
                state,
                dialog_id,
                full_name,
            },
            D::ConsultCall(c) => EventData::ConsultCall {
                call: ConsultInfo {
                    state: c.state,
                    associated_dialog_id: c.associated_dialog_id,
                    from_address: c.from_address,
                    call_variables: c.call_variables,
                    agent_name: c.agent_name,
                },
            },
            D::TeamInfoIds {
                team_ids,
                full_name,
            } => EventData::TeamInfoIds {
                team_ids,
                full_name,
            },
            D::TeamInfoNames {
                team_names,
                full_name,
            } => EventData::TeamInfoNames {
                team_names,
                full_name,
            },
            D::QueueList {
                flavor,
                queues,
                full_name,
            } => EventData::QueueList {
                flavor: match flavor {
                    p::QueueFlavor::Ucce => QueueFlavor::Ucce,
                    p::QueueFlavor::Uccx => QueueFlavor::Uccx,
                    p::QueueFlavor::Unknown => QueueFlavor::Unknown,
                },
                queues: queues
                    .into_iter()
                    .map(|q| QueueStats {
                        name: q.name,
                        stats: q
                            .stats
                            .into_iter()
                            .map(|(key, value)| KeyValue { key, value })
                            .collect(),
                    })
                    .collect(),
                full_name,
            },
            D::AgentsList { agents } => EventData::AgentsList {
                agents: agents
                    .into_iter()
                    .map(|a| AgentSummary {
                        login_id: a.login_id,
                        name: a.name,
                        extension: a.extension,
                        state: a.state.map(Into::into),
                        team: a.team,
                    })
                    .collect(),
            },
            D::TeamUsersList { users } => EventData::TeamUsersList {
                users: users
                    .into_iter()
                    .map(|u| TeamUser {
                        first_name: u.first_name,
                        last_name: u.last_name,
                        extension: u.extension,
                        login_id: u.login_id,
                        state: u.state.map(Into::into),
                        pending_state: u.pending_state.map(Into::into),
                        media_type: u.media_type,
                        state_change_time: u.state_change_time,
                        state_change_label: u.state_change_label,
                    })
                    .collect(),
            },
            D::TeamMemberStateChanged {
                team_id,
                state,
                extra,
            } => EventData::TeamMemberStateChanged {
                team_id,
                state,
                extra,
            },
            D::ConferenceParticipants { extensions } => {
                EventData::ConferenceParticipants { extensions }
            }
            D::PrintStatusBar { message } => EventData::PrintStatusBar { text: message },
            D::Phonebooks {
                found,
                phonebooks: b,
            } => EventData::Phonebooks {
                found,
                phonebooks: phonebooks(b),
            },
            D::PhonebookContacts { found, contacts } => EventData::PhonebookContacts {
                found,
                contacts: contacts
                    .into_iter()
                    .map(|c| PhonebookContact {
                        description: c.description,
                        first_name: c.first_name,
                        last_name: c.last_name,
                        phone_number: c.phone_number,
                        id: c.id,
                    })
                    .collect(),
            },
            D::TeamPhonebooks {
                found,
                phonebooks: b,
            } => EventData::TeamPhonebooks {
                found,
                phonebooks: phonebooks(b),
            },
            D::CallbackMessage { title, data } => EventData::CallbackMessage { title, data },
            D::Error { code, details } => EventData::Error {
                error: (&code).into(),
                details,
            },
            D::Unknown => EventData::Unknown,
            D::Malformed { reason } => EventData::Malformed { reason },
        }
    }
}

/// What a subscriber receives: GC events plus the client's own news.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum Notification {
    /// An event from GC (including unknown and malformed ones).
    GcEvent { event: Event },
    /// The connection status changed.
    Status {
        status: ConnectionStatus,
        detail: Option<String>,
    },
    /// Local clock minus the broker's, past the warning level.
    ClockSkew { skew_ms: i64 },
    /// An automatic re-login finished (`error` is None on success).
    Relogin {
        agent: String,
        error: Option<String>,
    },
    /// This subscriber fell behind and `dropped` notifications were lost.
    Lagged { dropped: i64 },
    /// An inbound frame over the size limit was dropped unread; the
    /// connection carries on. `destination` is None when its headers were
    /// over the limit too.
    OversizedFrame {
        size: i64,
        destination: Option<String>,
    },
    /// The broker refused the login; retries stop unless configured.
    BrokerAuth { broker: String, message: String },
}

impl From<gcclient::Notification> for Notification {
    fn from(n: gcclient::Notification) -> Self {
        use gcclient::Notification as N;
        match n {
            N::Event(e) => Notification::GcEvent { event: e.into() },
            N::Status { status, detail } => Notification::Status {
                status: status.into(),
                detail,
            },
            N::ClockSkew { skew_ms } => Notification::ClockSkew { skew_ms },
            N::Relogin { agent, error } => Notification::Relogin { agent, error },
            N::Lagged { dropped } => Notification::Lagged {
                dropped: i64::try_from(dropped).unwrap_or(i64::MAX),
            },
            N::OversizedFrame { size, destination } => Notification::OversizedFrame {
                size: i64::try_from(size).unwrap_or(i64::MAX),
                destination,
            },
            N::BrokerAuth { broker, message } => Notification::BrokerAuth { broker, message },
        }
    }
}

/// Parses one event body as GC sends it (for tools and tests); never fails.
#[uniffi::export]
pub fn parse_event(body: String) -> Event {
    p::Event::parse(&body).into()
}
