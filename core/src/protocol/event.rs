use serde::Serialize;

use super::agent_state::AgentState;
use super::error_code::ErrorCode;

/// An event from GC: who it is for, what it says, and the raw body it came in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// The `<for>` field: an agent id, or `None` for system-wide events and
    /// for the documented forms without it.
    pub agent: Option<String>,
    #[serde(flatten)]
    pub data: EventData,
    pub raw: String,
}

/// Options for reading event bodies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// The token GC sends in place of a `#` inside a field ("symbol
    /// handling" in the guide). Unknown in the field, so off by default.
    pub hash_token: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SystemStatus {
    InService,
    OutOfService,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Team {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgentInfo {
    pub first_name: String,
    pub last_name: String,
    pub is_supervisor: bool,
    pub wrap_up_mode: String,
    pub team_id: String,
    pub full_name: String,
    pub login_name: String,
    /// Supervisor form only: the teams it supervises.
    pub teams: Vec<Team>,
    pub total_teams: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgentStateInfo {
    pub state: AgentState,
    /// `-1` on first NOT_READY/LOGOUT, empty (None) when READY.
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallParty {
    pub dialog_id: String,
    pub state: String,
    pub from_address: String,
    pub call_variables: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DialogInfo {
    pub dialog: CallParty,
    pub associated: Option<CallParty>,
}

/// `DialogStatus`: `None` means "no active dialog" (`DialogStatus###`).
pub type DialogStatus = Option<DialogInfo>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReasonCategory {
    NotReady,
    Logout,
    WrapUp,
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReasonCode {
    /// Empty for wrap-up reasons, which have labels only.
    pub code: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InboundCall {
    /// ALERTING, ACTIVE, HELD, DROP, WRAP_UP, ... as Finesse says it.
    pub state: String,
    pub dialog_id: Option<String>,
    pub from_address: String,
    pub call_variables: Vec<String>,
    pub start_time: String,
    pub call_type: Option<String>,
    pub participants_count: Option<u32>,
    pub participants: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InboundCallFailed {
    pub dialog_id: Option<String>,
    pub cause: String,
    pub full_name: String,
}

/// NewInboundCall and NewOutboundPreviewCall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewCall {
    pub from_address: String,
    pub call_variables: Vec<String>,
    pub dialog_id: Option<String>,
    pub call_type: Option<String>,
    pub start_time: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsultCall {
    pub state: String,
    pub associated_dialog_id: Option<String>,
    pub from_address: String,
    pub call_variables: Vec<String>,
    pub agent_name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum QueueFlavor {
    Ucce,
    Uccx,
    Unknown,
}

/// One queue's statistics, named after the guide's field list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueueStats {
    pub name: String,
    pub stats: Vec<(String, String)>,
}

impl QueueStats {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.stats
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgentSummary {
    pub login_id: String,
    pub name: String,
    pub extension: String,
    pub state: String,
    pub team: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamUser {
    pub first_name: String,
    pub last_name: String,
    pub extension: String,
    pub login_id: String,
    pub state: String,
    pub pending_state: String,
    pub media_type: String,
    pub state_change_time: String,
    pub state_change_label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phonebook {
    pub name: String,
    pub kind: String,
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhonebookContact {
    pub description: String,
    pub first_name: String,
    pub last_name: String,
    pub phone_number: String,
    pub id: String,
}

/// What an event says. One variant per event of the guide.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
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
    AgentInfo(AgentInfo),
    AgentState(AgentStateInfo),
    ReLogin,
    DialogStatus {
        dialog: DialogStatus,
    },
    ReasonCodes {
        category: ReasonCategory,
        codes: Vec<ReasonCode>,
        full_name: String,
    },
    InboundCall(InboundCall),
    InboundCallFailed(InboundCallFailed),
    NewInboundCall(NewCall),
    NewOutboundPreviewCall(NewCall),
    DialogState {
        state: String,
        dialog_id: String,
        full_name: String,
    },
    ConsultCall(ConsultCall),
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
        message: String,
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
        code: ErrorCode,
        details: Vec<String>,
    },
    /// Well-formed but of a type this version does not know.
    Unknown,
    /// A known type whose fields could not be read.
    Malformed {
        reason: String,
    },
}

/// Event type names as they appear on the wire, in the position after `<for>`.
const TYPES: &[&str] = &[
    "System",
    "DESTINATION",
    "CallBack",
    "AgentInfo",
    "State",
    "DialogStatus",
    "ReasonCodes",
    "InboundCall",
    "NewInboundCall",
    "NewOutboundPreviewCall",
    "DialogState",
    "ConsultCall",
    "TeamInfoIDs",
    "TeamInfoNames",
    "QueueList",
    "AgentsList",
    "TeamUsersList",
    "TeamMemberStateChanged",
    "ConferenceParticipants",
    "Control",
    "Phonebooks",
    "PhonebookContacts",
    "TeamPhoneBooks",
    "Error",
];

fn is_type(s: &str) -> bool {
    TYPES.contains(&s)
}

impl Event {
    /// Parses one event body. Never fails and never panics: unreadable
    /// bodies become `Unknown` or `Malformed`, with the raw body kept.
    pub fn parse(body: &str) -> Event {
        Event::parse_with(body, &ParseOptions::default())
    }

    pub fn parse_with(body: &str, opts: &ParseOptions) -> Event {
        let trimmed = body.trim_end_matches(['\r', '\n']);
        let mut fields: Vec<String> = trimmed.split('#').map(str::to_owned).collect();
        if let Some(token) = opts.hash_token.as_deref().filter(|t| !t.is_empty()) {
            for f in &mut fields {
                if f.contains(token) {
                    *f = f.replace(token, "#");
                }
            }
        }
        let (agent, ty_index) = if fields.first().is_some_and(|f| is_type(f)) {
            (None, 0)
        } else if fields.len() >= 2 {
            let agent = fields[0].trim();
            ((!agent.is_empty()).then(|| agent.to_owned()), 1)
        } else {
            return Event {
                agent: None,
                data: EventData::Unknown,
                raw: body.to_owned(),
            };
        };
        let ty = fields[ty_index].clone();
        let args = &fields[ty_index + 1..];
        let data =
            parse_data(&ty, args, agent.is_some()).unwrap_or_else(|reason| EventData::Malformed {
                reason: format!("{ty}: {reason}"),
            });
        Event {
            agent,
            data,
            raw: body.to_owned(),
        }
    }

    /// The variant name as used in JSON (`agent_state`, `error`, ...).
    pub fn kind_name(&self) -> &'static str {
        self.data.kind_name()
    }

    /// The error code, when this is an `Error` event.
    pub fn error_code(&self) -> Option<&ErrorCode> {
        match &self.data {
            EventData::Error { code, .. } => Some(code),
            _ => None,
        }
    }
}

impl EventData {
    pub fn kind_name(&self) -> &'static str {
        match self {
            EventData::System { .. } => "system",
            EventData::DestinationReconnect { .. } => "destination_reconnect",
            EventData::CallbackScheduled { .. } => "callback_scheduled",
            EventData::AgentInfo(_) => "agent_info",
            EventData::AgentState(_) => "agent_state",
            EventData::ReLogin => "re_login",
            EventData::DialogStatus { .. } => "dialog_status",
            EventData::ReasonCodes { .. } => "reason_codes",
            EventData::InboundCall(_) => "inbound_call",
            EventData::InboundCallFailed(_) => "inbound_call_failed",
            EventData::NewInboundCall(_) => "new_inbound_call",
            EventData::NewOutboundPreviewCall(_) => "new_outbound_preview_call",
            EventData::DialogState { .. } => "dialog_state",
            EventData::ConsultCall(_) => "consult_call",
            EventData::TeamInfoIds { .. } => "team_info_ids",
            EventData::TeamInfoNames { .. } => "team_info_names",
            EventData::QueueList { .. } => "queue_list",
            EventData::AgentsList { .. } => "agents_list",
            EventData::TeamUsersList { .. } => "team_users_list",
            EventData::TeamMemberStateChanged { .. } => "team_member_state_changed",
            EventData::ConferenceParticipants { .. } => "conference_participants",
            EventData::PrintStatusBar { .. } => "print_status_bar",
            EventData::Phonebooks { .. } => "phonebooks",
            EventData::PhonebookContacts { .. } => "phonebook_contacts",
            EventData::TeamPhonebooks { .. } => "team_phonebooks",
            EventData::CallbackMessage { .. } => "callback_message",
            EventData::Error { .. } => "error",
            EventData::Unknown => "unknown",
            EventData::Malformed { .. } => "malformed",
        }
    }
}

type Parsed = Result<EventData, String>;

fn arg(args: &[String], i: usize) -> String {
    args.get(i).map(|s| s.trim().to_owned()).unwrap_or_default()
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

fn comma_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `Key:value` field lookup; keys are matched case-insensitively.
fn keyed<'a>(args: &'a [String], key: &str) -> Option<&'a str> {
    args.iter().find_map(|f| {
        let (k, v) = f.split_once(':')?;
        k.trim().eq_ignore_ascii_case(key).then_some(v.trim())
    })
}

fn is_keyed(field: &str, keys: &[&str]) -> bool {
    field
        .split_once(':')
        .is_some_and(|(k, _)| keys.iter().any(|key| k.trim().eq_ignore_ascii_case(key)))
}

fn parse_data(ty: &str, args: &[String], has_agent: bool) -> Parsed {
    match ty {
        "System" => match arg(args, 0).as_str() {
            "IN_SERVICE" => Ok(EventData::System {
                status: SystemStatus::InService,
            }),
            "OUT_OF_SERVICE" => Ok(EventData::System {
                status: SystemStatus::OutOfService,
            }),
            other => Err(format!("unknown system status `{other}`")),
        },
        "DESTINATION" => {
            let dest = arg(args, 0);
            if dest.is_empty() || !arg(args, 1).eq_ignore_ascii_case("RECONNECT") {
                return Err("expected DESTINATION#<dest>#RECONNECT".into());
            }
            Ok(EventData::DestinationReconnect { destination: dest })
        }
        "CallBack" => Ok(EventData::CallbackScheduled {
            info: args.join("#"),
        }),
        "AgentInfo" => parse_agent_info(args),
        "State" => parse_state(args),
        "DialogStatus" => Ok(EventData::DialogStatus {
            dialog: parse_dialog_status(args),
        }),
        "ReasonCodes" => parse_reason_codes(args),
        "InboundCall" => parse_inbound_call(args),
        "NewInboundCall" => Ok(EventData::NewInboundCall(parse_new_call(args))),
        "NewOutboundPreviewCall" => Ok(EventData::NewOutboundPreviewCall(parse_new_call(args))),
        "DialogState" => {
            let state = arg(args, 0);
            if state.is_empty() {
                return Err("missing dialog state".into());
            }
            Ok(EventData::DialogState {
                state,
                dialog_id: arg(args, 1),
                full_name: arg(args, 2),
            })
        }
        "ConsultCall" => {
            let plain: Vec<&String> = args
                .iter()
                .skip(1)
                .filter(|f| !is_keyed(f, &["AssDialogID"]))
                .collect();
            let at = |i: usize| {
                plain
                    .get(i)
                    .map(|s| s.trim().to_owned())
                    .unwrap_or_default()
            };
            Ok(EventData::ConsultCall(ConsultCall {
                state: arg(args, 0),
                associated_dialog_id: keyed(args, "AssDialogID").map(str::to_owned),
                from_address: at(0),
                call_variables: comma_list(&at(1)),
                agent_name: at(2),
            }))
        }
        "TeamInfoIDs" => Ok(EventData::TeamInfoIds {
            team_ids: comma_list(&labelled_list(args, "TeamID")),
            full_name: arg(args, 2),
        }),
        "TeamInfoNames" => Ok(EventData::TeamInfoNames {
            team_names: comma_list(&labelled_list(args, "TeamName")),
            full_name: arg(args, 2),
        }),
        "QueueList" => Ok(parse_queue_list(args)),
        "AgentsList" => Ok(EventData::AgentsList {
            agents: parse_agents_list(&args.join("#")),
        }),
        "TeamUsersList" => Ok(EventData::TeamUsersList {
            users: parse_team_users(&args.join("#")),
        }),
        "TeamMemberStateChanged" => Ok(EventData::TeamMemberStateChanged {
            team_id: arg(args, 0),
            state: arg(args, 1),
            extra: args.iter().skip(2).cloned().collect(),
        }),
        "ConferenceParticipants" => Ok(EventData::ConferenceParticipants {
            extensions: comma_list(&args.join(",")),
        }),
        "Control" => {
            if arg(args, 0) != "PrintStatusBar" {
                return Err(format!("unknown control `{}`", arg(args, 0)));
            }
            Ok(EventData::PrintStatusBar {
                message: args.get(1..).map(|r| r.join("#")).unwrap_or_default(),
            })
        }
        "Phonebooks" => {
            let (found, items) = records(args, "NoPhoneBookFound");
            Ok(EventData::Phonebooks {
                found,
                phonebooks: items.iter().map(|r| phonebook(r)).collect(),
            })
        }
        "TeamPhoneBooks" => {
            let (found, items) = records(args, "NoTeamPhoneBookFound");
            Ok(EventData::TeamPhonebooks {
                found,
                phonebooks: items.iter().map(|r| phonebook(r)).collect(),
            })
        }
        "PhonebookContacts" => {
            let (found, items) = records(args, "NoContactFound");
            Ok(EventData::PhonebookContacts {
                found,
                contacts: items
                    .iter()
                    .map(|r| PhonebookContact {
                        description: field_of(r, "description"),
                        first_name: field_of(r, "firstName"),
                        last_name: field_of(r, "lastName"),
                        phone_number: field_of(r, "phoneNumber"),
                        id: field_of(r, "id"),
                    })
                    .collect(),
            })
        }
        "Error" => {
            let code = arg(args, 0);
            if code.is_empty() {
                return Err("missing error code".into());
            }
            Ok(EventData::Error {
                code: ErrorCode::parse(&code),
                details: args.iter().skip(1).cloned().collect(),
            })
        }
        // `<agent>#<title>#<data>`: the guide's CallbackMessage has a free
        // title, so any unknown type with an agent and one data field is one.
        _ if has_agent && args.len() == 1 && !ty.is_empty() => Ok(EventData::CallbackMessage {
            title: ty.to_owned(),
            data: args[0].clone(),
        }),
        _ => Ok(EventData::Unknown),
    }
}

/// `TeamID#a,b,c` (label as its own field) or `TeamID:a,b,c`.
fn labelled_list(args: &[String], label: &str) -> String {
    if arg(args, 0).eq_ignore_ascii_case(label) {
        arg(args, 1)
    } else if let Some(v) = keyed(args, label) {
        v.to_owned()
    } else {
        arg(args, 0)
    }
}

fn parse_agent_info(args: &[String]) -> Parsed {
    if args.len() < 4 {
        return Err(format!("expected at least 4 fields, got {}", args.len()));
    }
    let is_supervisor = arg(args, 2).eq_ignore_ascii_case("true");
    let base = AgentInfo {
        first_name: arg(args, 0),
        last_name: arg(args, 1),
        is_supervisor,
        wrap_up_mode: arg(args, 3),
        team_id: String::new(),
        full_name: String::new(),
        login_name: String::new(),
        teams: vec![],
        total_teams: None,
    };
    // The supervisor form inserts `TotalNumberOfTeams:N#<teams>` after the
    // wrap-up mode; detect it by key rather than by the supervisor flag.
    let info = if let Some(total) = args
        .get(4)
        .and_then(|f| f.trim().strip_prefix("TotalNumberOfTeams:"))
    {
        AgentInfo {
            total_teams: total.trim().parse().ok(),
            teams: parse_teams(&arg(args, 5)),
            team_id: arg(args, 6),
            full_name: arg(args, 7),
            login_name: arg(args, 8),
            ..base
        }
    } else {
        AgentInfo {
            team_id: arg(args, 4),
            full_name: arg(args, 5),
            login_name: arg(args, 6),
            ..base
        }
    };
    Ok(EventData::AgentInfo(info))
}

/// `<id><name>|<id><name>`: the guide prints id and name with no visible
/// separator; accept `:`, `,`, `=` or a space, else split leading digits.
fn parse_teams(s: &str) -> Vec<Team> {
    s.split('|')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            if let Some((id, name)) = t.split_once([':', ',', '=', ' ']) {
                Team {
                    id: id.trim().to_owned(),
                    name: name.trim().to_owned(),
                }
            } else {
                let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
                Team {
                    id: t[..split].to_owned(),
                    name: t[split..].to_owned(),
                }
            }
        })
        .collect()
}

fn parse_state(args: &[String]) -> Parsed {
    let raw = arg(args, 0);
    if raw.eq_ignore_ascii_case("RE_LOGIN") {
        return Ok(EventData::ReLogin);
    }
    let state = raw.parse::<AgentState>()?;
    let pending = arg(args, 3);
    let pending_state = if pending.is_empty() {
        None
    } else {
        Some(pending.parse::<AgentState>()?)
    };
    Ok(EventData::AgentState(AgentStateInfo {
        state,
        reason_code_id: non_empty(arg(args, 1)),
        state_change_time_string: arg(args, 2),
        pending_state,
        state_change_time: arg(args, 4),
        full_name: arg(args, 5),
        login_id: arg(args, 6),
        extension: arg(args, 7),
        reason_label: arg(args, 8),
        login_name: arg(args, 10),
    }))
}

fn parse_dialog_status(args: &[String]) -> DialogStatus {
    if args.iter().all(|f| f.trim().is_empty()) {
        return None;
    }
    let party = |off: usize| CallParty {
        dialog_id: arg(args, off),
        state: arg(args, off + 1),
        from_address: arg(args, off + 2),
        call_variables: comma_list(&arg(args, off + 3)),
    };
    let associated = party(4);
    Some(DialogInfo {
        dialog: party(0),
        associated: (!associated.dialog_id.is_empty()).then_some(associated),
    })
}

fn parse_reason_codes(args: &[String]) -> Parsed {
    let category = keyed(args, "Category").ok_or("missing Category:")?;
    let category = match category
        .to_ascii_uppercase()
        .replace(['-', ' '], "_")
        .as_str()
    {
        "NOT_READY" | "NOTREADY" => ReasonCategory::NotReady,
        "LOGOUT" => ReasonCategory::Logout,
        "WRAP_UP" | "WRAPUP" => ReasonCategory::WrapUp,
        _ => ReasonCategory::Other(category.to_owned()),
    };
    let labels = comma_list(keyed(args, "Labels").unwrap_or(""));
    let cat_pos = args
        .iter()
        .position(|f| is_keyed(f, &["Category"]))
        .unwrap_or(0);
    let label_pos = args.iter().position(|f| is_keyed(f, &["Labels"]));
    let codes = match label_pos {
        Some(lp) if lp > cat_pos + 1 => comma_list(&args[cat_pos + 1..lp].join(",")),
        _ => vec![],
    };
    if !codes.is_empty() && codes.len() != labels.len() {
        return Err(format!("{} codes but {} labels", codes.len(), labels.len()));
    }
    let full_name = label_pos.map(|lp| arg(args, lp + 1)).unwrap_or_default();
    let pairs = labels
        .into_iter()
        .enumerate()
        .map(|(i, label)| ReasonCode {
            code: codes.get(i).cloned().unwrap_or_default(),
            label,
        })
        .collect();
    Ok(EventData::ReasonCodes {
        category,
        codes: pairs,
        full_name,
    })
}

const CALL_KEYS: &[&str] = &["DialogID", "CallType", "ParticipantsCount", "participants"];

fn parse_inbound_call(args: &[String]) -> Parsed {
    let state = arg(args, 0);
    if state.is_empty() {
        return Err("missing call state".into());
    }
    let plain: Vec<String> = args
        .iter()
        .skip(1)
        .filter(|f| !is_keyed(f, CALL_KEYS))
        .map(|s| s.trim().to_owned())
        .collect();
    let at = |i: usize| plain.get(i).cloned().unwrap_or_default();
    let dialog_id = keyed(args, "DialogID").map(str::to_owned);
    if state.eq_ignore_ascii_case("FAILED") {
        return Ok(EventData::InboundCallFailed(InboundCallFailed {
            dialog_id,
            cause: at(0),
            full_name: at(1),
        }));
    }
    Ok(EventData::InboundCall(InboundCall {
        state,
        dialog_id,
        from_address: at(0),
        call_variables: comma_list(&at(1)),
        start_time: at(2),
        call_type: keyed(args, "CallType").map(str::to_owned),
        participants_count: keyed(args, "ParticipantsCount").and_then(|v| v.parse().ok()),
        participants: comma_list(keyed(args, "participants").unwrap_or("")),
    }))
}

fn parse_new_call(args: &[String]) -> NewCall {
    let plain: Vec<String> = args
        .iter()
        .filter(|f| !is_keyed(f, CALL_KEYS))
        .map(|s| s.trim().to_owned())
        .collect();
    let at = |i: usize| plain.get(i).cloned().unwrap_or_default();
    NewCall {
        from_address: at(0),
        call_variables: comma_list(&at(1)),
        dialog_id: keyed(args, "DialogID").map(str::to_owned),
        call_type: keyed(args, "CallType").map(str::to_owned),
        start_time: at(2),
    }
}

const UCCE_QUEUE_FIELDS: &[&str] = &[
    "calls_in_queue",
    "agents_ready",
    "agents_not_ready",
    "agents_talking_inbound",
    "agents_talking_outbound",
    "agents_talking_internal",
    "agents_wrap_up_ready",
    "agents_wrap_up_not_ready",
];
const UCCX_QUEUE_FIELDS: &[&str] = &[
    "waiting_calls",
    "agents_logged_in",
    "agents_after_call_work",
    "agents_talking",
    "agents_reserved",
    "handled_calls",
    "abandoned_calls",
    "total_calls",
    "longest_handle_time",
];

/// Layout decided in docs/protocol.md (the guide leaves it blank): one `#`
/// field per queue, `name,value,...` (or `key:value` pairs); a last field
/// without `,` is the supervisor's full name.
fn parse_queue_list(args: &[String]) -> EventData {
    let mut queues = vec![];
    let mut full_name = String::new();
    let mut flavor = QueueFlavor::Unknown;
    for f in args.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let parts: Vec<&str> = f.split(',').map(str::trim).collect();
        if parts.len() == 1 {
            full_name = f.to_owned();
            continue;
        }
        let name = parts[0].to_owned();
        let values = &parts[1..];
        let names: Option<&[&str]> = match values.len() {
            8 => Some(UCCE_QUEUE_FIELDS),
            9 => Some(UCCX_QUEUE_FIELDS),
            _ => None,
        };
        let stats = if values.iter().all(|v| v.contains(':')) {
            values
                .iter()
                .filter_map(|v| v.split_once(':'))
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .collect()
        } else if let Some(names) = names {
            flavor = if names.len() == 8 {
                QueueFlavor::Ucce
            } else {
                QueueFlavor::Uccx
            };
            names
                .iter()
                .zip(values)
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        } else {
            values
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("field{}", i + 1), (*v).to_owned()))
                .collect()
        };
        queues.push(QueueStats { name, stats });
    }
    EventData::QueueList {
        flavor,
        queues,
        full_name,
    }
}

/// Splits `Key=v,Key=v Key=v` into pairs; the guide's sample misses a comma
/// before `Extension=`, and names may contain spaces.
fn key_values(record: &str, sep: char) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![];
    for piece in record.split(',') {
        for word in piece.split(' ') {
            match word.split_once(sep) {
                Some((k, v))
                    if !k.is_empty()
                        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
                {
                    out.push((k.to_owned(), v.to_owned()))
                }
                _ => {
                    if let Some((_, v)) = out.last_mut() {
                        if !word.is_empty() {
                            v.push(' ');
                            v.push_str(word);
                        }
                    }
                }
            }
        }
    }
    out
}

fn lookup(pairs: &[(String, String)], key: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default()
}

fn parse_agents_list(s: &str) -> Vec<AgentSummary> {
    s.split('|')
        .filter(|r| !r.trim().is_empty())
        .map(|r| {
            let kv = key_values(r, '=');
            AgentSummary {
                login_id: lookup(&kv, "LoginId"),
                name: lookup(&kv, "Name"),
                extension: lookup(&kv, "Extension"),
                state: lookup(&kv, "State"),
                team: lookup(&kv, "Team"),
            }
        })
        .collect()
}

fn parse_team_users(s: &str) -> Vec<TeamUser> {
    s.split('|')
        .filter(|r| !r.trim().is_empty())
        .map(|r| {
            let kv: Vec<(String, String)> = r
                .split(',')
                .filter_map(|p| p.split_once(':'))
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .collect();
            TeamUser {
                first_name: lookup(&kv, "FirstName"),
                last_name: lookup(&kv, "LastName"),
                extension: lookup(&kv, "Extension"),
                login_id: lookup(&kv, "LoginId"),
                state: lookup(&kv, "State"),
                pending_state: lookup(&kv, "PendingState"),
                media_type: lookup(&kv, "MediaType"),
                state_change_time: lookup(&kv, "StateChangeTime"),
                state_change_label: lookup(&kv, "StateChangeLabel"),
            }
        })
        .collect()
}

/// Records separated by `|` or by `#`; `none_marker` means an empty result.
fn records(args: &[String], none_marker: &str) -> (bool, Vec<Vec<(String, String)>>) {
    if args
        .iter()
        .any(|f| f.trim().eq_ignore_ascii_case(none_marker))
    {
        return (false, vec![]);
    }
    let items = args
        .iter()
        .flat_map(|f| f.split('|'))
        .filter(|r| r.contains(':'))
        .map(|r| {
            r.split(',')
                .filter_map(|p| p.split_once(':'))
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .collect()
        })
        .collect();
    (true, items)
}

fn field_of(r: &[(String, String)], key: &str) -> String {
    lookup(r, key)
}

fn phonebook(r: &[(String, String)]) -> Phonebook {
    Phonebook {
        name: field_of(r, "name"),
        kind: field_of(r, "type"),
        id: field_of(r, "id"),
    }
}
