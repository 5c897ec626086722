use std::borrow::Cow;

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

/// An event from GC. (How an [`Event`] crosses the uniffi boundary, a
/// custom type: with its kind and wire type, so foreign code needs no table
/// of its own.)
#[cfg(feature = "uniffi")]
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct EventRecord {
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

// `kind` and `wire_type` follow from `data`: only the rest is read back.
#[cfg(feature = "uniffi")]
uniffi::custom_type!(Event, EventRecord, {
    lower: |e| EventRecord {
        agent: e.agent,
        kind: e.data.kind_name().to_owned(),
        wire_type: e.data.wire_type().to_owned(),
        data: e.data,
        raw: e.raw,
    },
    try_lift: |r| Ok(Event {
        agent: r.agent,
        data: r.data,
        raw: r.raw,
    }),
});

/// Reply types the command table expects (for `get_skill_groups` and
/// `get_supervisors`) whose layout the guide does not print: they are read
/// as titled free-form events (`CallbackMessage { title, data }`).
pub const UNTYPED_REPLY_TYPES: &[&str] = &["SkillGroups", "Supervisors"];

/// Options for reading event bodies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// The token GC sends in place of a `#` inside a field ("symbol
    /// handling" in the guide). Unknown in the field, so off by default.
    /// Fields are split on `#` first, so a token that is empty or holds a
    /// `#` itself could never match and is ignored.
    pub hash_token: Option<String>,
    /// Titles read as `<agent>#<title>#<data>` CallbackMessage events. The
    /// guide gives the layout but names no title, so none is assumed: any
    /// other unknown type stays `Unknown` with its raw text.
    pub callback_message_titles: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SystemStatus {
    InService,
    OutOfService,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Team {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
// Named apart from the EventData variant that carries it: Kotlin nests
// variants inside the sealed class, where a same-named record is shadowed.
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "AgentDetails")
)]
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
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
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
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CallParty {
    pub dialog_id: String,
    pub state: String,
    pub from_address: String,
    pub call_variables: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DialogInfo {
    pub dialog: CallParty,
    pub associated: Option<CallParty>,
}

/// `DialogStatus`: `None` means "no active dialog" (`DialogStatus###`).
pub type DialogStatus = Option<DialogInfo>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ReasonCategory {
    NotReady,
    Logout,
    WrapUp,
    /// A category the guide does not name: `ReasonCodes::category_text`
    /// says which.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReasonCode {
    /// Empty for wrap-up reasons, which have labels only.
    pub code: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi(name = "CallInfo"))]
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
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "CallFailure")
)]
pub struct InboundCallFailed {
    pub dialog_id: Option<String>,
    pub cause: String,
    pub full_name: String,
}

/// NewInboundCall and NewOutboundPreviewCall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "NewCallInfo")
)]
pub struct NewCall {
    pub from_address: String,
    pub call_variables: Vec<String>,
    pub dialog_id: Option<String>,
    pub call_type: Option<String>,
    pub start_time: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "ConsultInfo")
)]
pub struct ConsultCall {
    pub state: String,
    pub associated_dialog_id: Option<String>,
    pub from_address: String,
    pub call_variables: Vec<String>,
    pub agent_name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum QueueFlavor {
    Ucce,
    Uccx,
    Unknown,
}

/// One queue's statistics, named after the guide's field list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct QueueStats {
    pub name: String,
    pub stats: Vec<KeyValue>,
}

impl QueueStats {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.stats
            .iter()
            .find(|kv| kv.key == key)
            .map(|kv| kv.value.as_str())
    }
}

/// A name/value pair, in order (queue statistics; call variables in the
/// bindings). A struct, not a tuple: it crosses the FFI as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct KeyValue {
    pub key: String,
    pub value: String,
}

impl KeyValue {
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        KeyValue {
            key: key.into(),
            value: value.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AgentSummary {
    pub login_id: String,
    pub name: String,
    pub extension: String,
    /// `None` when absent or not a state of the guide (the raw text stays in
    /// the event's `raw`).
    pub state: Option<AgentState>,
    pub team: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Phonebook {
    pub name: String,
    pub kind: String,
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PhonebookContact {
    pub description: String,
    pub first_name: String,
    pub last_name: String,
    pub phone_number: String,
    pub id: String,
}

pub use super::event_kinds::EventData;

/// The event types of the guide, as spelled on the wire (after `<for>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    System,
    Destination,
    CallBack,
    AgentInfo,
    State,
    DialogStatus,
    ReasonCodes,
    InboundCall,
    NewInboundCall,
    NewOutboundPreviewCall,
    DialogState,
    ConsultCall,
    TeamInfoIds,
    TeamInfoNames,
    QueueList,
    AgentsList,
    TeamUsersList,
    TeamMemberStateChanged,
    ConferenceParticipants,
    Control,
    Phonebooks,
    PhonebookContacts,
    TeamPhoneBooks,
    Error,
}

/// Type names are matched exactly: GC is one implementation with fixed
/// spellings, and a loose match would collide with CallbackMessage titles.
fn type_of(s: &str) -> Option<Ty> {
    Some(match s {
        "System" => Ty::System,
        "DESTINATION" => Ty::Destination,
        "CallBack" => Ty::CallBack,
        "AgentInfo" => Ty::AgentInfo,
        "State" => Ty::State,
        "DialogStatus" => Ty::DialogStatus,
        "ReasonCodes" => Ty::ReasonCodes,
        "InboundCall" => Ty::InboundCall,
        "NewInboundCall" => Ty::NewInboundCall,
        "NewOutboundPreviewCall" => Ty::NewOutboundPreviewCall,
        "DialogState" => Ty::DialogState,
        "ConsultCall" => Ty::ConsultCall,
        "TeamInfoIDs" => Ty::TeamInfoIds,
        "TeamInfoNames" => Ty::TeamInfoNames,
        "QueueList" => Ty::QueueList,
        "AgentsList" => Ty::AgentsList,
        "TeamUsersList" => Ty::TeamUsersList,
        "TeamMemberStateChanged" => Ty::TeamMemberStateChanged,
        "ConferenceParticipants" => Ty::ConferenceParticipants,
        "Control" => Ty::Control,
        "Phonebooks" => Ty::Phonebooks,
        "PhonebookContacts" => Ty::PhonebookContacts,
        "TeamPhoneBooks" => Ty::TeamPhoneBooks,
        "Error" => Ty::Error,
        _ => return None,
    })
}

/// The event type names this parser knows, as spelled on the wire.
pub const EVENT_TYPES: &[&str] = &[
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

/// Fields of one body, split on `#`. Borrowed from the body unless the hash
/// token had to be replaced, so parsing allocates only what it returns.
type Fields<'a> = [Cow<'a, str>];

impl Event {
    /// Parses one event body. Never fails and never panics: unreadable
    /// bodies become `Unknown` or `Malformed`, with the raw body kept.
    pub fn parse(body: &str) -> Event {
        Event::parse_with(body, &ParseOptions::default())
    }

    pub fn parse_with(body: &str, opts: &ParseOptions) -> Event {
        let trimmed = body.trim_end_matches(['\r', '\n']);
        let token = opts
            .hash_token
            .as_deref()
            .filter(|t| !t.is_empty() && !t.contains('#'));
        let mut fields: Vec<Cow<'_, str>> = Vec::with_capacity(16);
        fields.extend(trimmed.split('#').map(|f| match token {
            Some(t) if f.contains(t) => Cow::Owned(f.replace(t, "#")),
            _ => Cow::Borrowed(f),
        }));
        let (agent, ty_index) = if type_of(&fields[0]).is_some() {
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
        let ty = &fields[ty_index];
        let args = &fields[ty_index + 1..];
        let data = match type_of(ty) {
            Some(t) => parse_known(t, args).unwrap_or_else(|reason| EventData::Malformed {
                reason: format!("{ty}: {reason}"),
            }),
            // `<agent>#<title>#<data>`: the guide's CallbackMessage has a
            // free title, so an unknown type with an agent and exactly one
            // data field is read as one.
            None if agent.is_some()
                && args.len() == 1
                && (UNTYPED_REPLY_TYPES.contains(&ty.trim())
                    || opts
                        .callback_message_titles
                        .iter()
                        .any(|t| t.eq_ignore_ascii_case(ty.trim()))) =>
            {
                EventData::CallbackMessage {
                    title: ty.trim().to_owned(),
                    data: args[0].to_string(),
                }
            }
            None => EventData::Unknown,
        };
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

type Parsed = Result<EventData, String>;

/// Field `i`, trimmed; empty when absent.
fn get<'a>(args: &'a Fields<'_>, i: usize) -> &'a str {
    args.get(i).map(|s| s.trim()).unwrap_or("")
}

/// Field `i`, trimmed and owned; empty when absent.
fn arg(args: &Fields<'_>, i: usize) -> String {
    get(args, i).to_owned()
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// A comma-separated list of names or ids; blanks are dropped.
fn comma_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Call-variable values: positional (names are not sent), so empty values
/// are kept; only a wholly empty field means "no variables".
fn call_vars(s: &str) -> Vec<String> {
    if s.trim().is_empty() {
        return vec![];
    }
    s.split(',').map(|v| v.trim().to_owned()).collect()
}

/// `Key:value` field lookup; keys are matched case-insensitively.
fn keyed<'a>(args: &'a Fields<'_>, key: &str) -> Option<&'a str> {
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

/// The fields that are not `Key:value` for one of `keys`, trimmed, in order.
fn plain<'a>(args: &'a Fields<'_>, keys: &[&str]) -> Vec<&'a str> {
    args.iter()
        .filter(|f| !is_keyed(f, keys))
        .map(|f| f.trim())
        .collect()
}

fn at(fields: &[&str], i: usize) -> String {
    fields.get(i).map(|s| (*s).to_owned()).unwrap_or_default()
}

fn parse_known(ty: Ty, args: &Fields<'_>) -> Parsed {
    match ty {
        Ty::System => match get(args, 0) {
            "IN_SERVICE" => Ok(EventData::System {
                status: SystemStatus::InService,
            }),
            "OUT_OF_SERVICE" => Ok(EventData::System {
                status: SystemStatus::OutOfService,
            }),
            // `System#Error#<code>`: an error GC reports for no one agent.
            "Error" => parse_known(Ty::Error, &args[1..]),
            other => Err(format!("unknown system status `{other}`")),
        },
        Ty::Destination => {
            let dest = get(args, 0);
            if dest.is_empty() || !get(args, 1).eq_ignore_ascii_case("RECONNECT") {
                return Err("expected DESTINATION#<dest>#RECONNECT".into());
            }
            Ok(EventData::DestinationReconnect {
                destination: dest.to_owned(),
            })
        }
        Ty::CallBack => Ok(EventData::CallbackScheduled {
            info: args.join("#"),
        }),
        Ty::AgentInfo => parse_agent_info(args),
        Ty::State => parse_state(args),
        Ty::DialogStatus => Ok(EventData::DialogStatus {
            dialog: parse_dialog_status(args),
        }),
        Ty::ReasonCodes => parse_reason_codes(args),
        Ty::InboundCall => parse_inbound_call(args),
        Ty::NewInboundCall => Ok(EventData::NewInboundCall(parse_new_call(args))),
        Ty::NewOutboundPreviewCall => Ok(EventData::NewOutboundPreviewCall(parse_new_call(args))),
        Ty::DialogState => {
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
        Ty::ConsultCall => {
            let state = arg(args, 0);
            if state.is_empty() {
                return Err("missing consult call state".into());
            }
            let rest = plain(args.get(1..).unwrap_or_default(), &["AssDialogID"]);
            Ok(EventData::ConsultCall(ConsultCall {
                state,
                associated_dialog_id: keyed(args, "AssDialogID").map(str::to_owned),
                from_address: at(&rest, 0),
                call_variables: call_vars(rest.get(1).copied().unwrap_or("")),
                agent_name: at(&rest, 2),
            }))
        }
        Ty::TeamInfoIds => {
            let (list, full_name) = labelled_list(args, "TeamID");
            Ok(EventData::TeamInfoIds {
                team_ids: comma_list(list),
                full_name,
            })
        }
        Ty::TeamInfoNames => {
            let (list, full_name) = labelled_list(args, "TeamName");
            Ok(EventData::TeamInfoNames {
                team_names: comma_list(list),
                full_name,
            })
        }
        Ty::QueueList => Ok(parse_queue_list(args)),
        Ty::AgentsList => Ok(EventData::AgentsList {
            agents: split_records(args)
                .flat_map(|r| split_on_repeat(key_values(r, b'=', true)))
                .map(|kv| AgentSummary {
                    login_id: lookup(&kv, "LoginId"),
                    name: lookup(&kv, "Name"),
                    extension: lookup(&kv, "Extension"),
                    state: state_of(&kv, "State"),
                    team: lookup(&kv, "Team"),
                })
                .collect(),
        }),
        Ty::TeamUsersList => Ok(EventData::TeamUsersList {
            users: split_records(args)
                .flat_map(|r| split_on_repeat(key_values(r, b':', false)))
                .map(|kv| TeamUser {
                    first_name: lookup(&kv, "FirstName"),
                    last_name: lookup(&kv, "LastName"),
                    extension: lookup(&kv, "Extension"),
                    login_id: lookup(&kv, "LoginId"),
                    state: state_of(&kv, "State"),
                    pending_state: state_of(&kv, "PendingState"),
                    media_type: lookup(&kv, "MediaType"),
                    state_change_time: lookup(&kv, "StateChangeTime"),
                    state_change_label: lookup(&kv, "StateChangeLabel"),
                })
                .collect(),
        }),
        Ty::TeamMemberStateChanged => Ok(EventData::TeamMemberStateChanged {
            team_id: arg(args, 0),
            state: arg(args, 1),
            extra: args.iter().skip(2).map(|f| f.to_string()).collect(),
        }),
        Ty::ConferenceParticipants => Ok(EventData::ConferenceParticipants {
            extensions: args.iter().flat_map(|f| comma_list(f)).collect(),
        }),
        Ty::Control => match get(args, 0) {
            "PrintStatusBar" => Ok(EventData::PrintStatusBar {
                message: args.get(1..).map(|r| r.join("#")).unwrap_or_default(),
            }),
            // A control this version does not know: a new event, not a broken one.
            _ => Ok(EventData::Unknown),
        },
        Ty::Phonebooks => {
            let (found, items) = records(args, "NoPhoneBookFound");
            Ok(EventData::Phonebooks {
                found,
                phonebooks: items.iter().map(|r| phonebook(r)).collect(),
            })
        }
        Ty::TeamPhoneBooks => {
            let (found, items) = records(args, "NoTeamPhoneBookFound");
            Ok(EventData::TeamPhonebooks {
                found,
                phonebooks: items.iter().map(|r| phonebook(r)).collect(),
            })
        }
        Ty::PhonebookContacts => {
            let (found, items) = records(args, "NoContactFound");
            Ok(EventData::PhonebookContacts {
                found,
                contacts: items
                    .iter()
                    .map(|r| PhonebookContact {
                        description: lookup(r, "description"),
                        first_name: lookup(r, "firstName"),
                        last_name: lookup(r, "lastName"),
                        phone_number: lookup(r, "phoneNumber"),
                        id: lookup(r, "id"),
                    })
                    .collect(),
            })
        }
        Ty::Error => {
            let code = get(args, 0);
            if code.is_empty() {
                return Err("missing error code".into());
            }
            Ok(EventData::Error {
                code: ErrorCode::parse(code),
                details: args.iter().skip(1).map(|f| f.to_string()).collect(),
            })
        }
    }
}

/// `TeamID#a,b,c#<name>` (label as its own field, as the guide shows),
/// `TeamID:a,b,c#<name>`, or `a,b,c#<name>`. Returns the list and the name.
fn labelled_list<'a>(args: &'a Fields<'_>, label: &str) -> (&'a str, String) {
    let first = get(args, 0);
    if first.eq_ignore_ascii_case(label) {
        (get(args, 1), arg(args, 2))
    } else if let Some((k, v)) = first.split_once(':') {
        if k.trim().eq_ignore_ascii_case(label) {
            (v.trim(), arg(args, 1))
        } else {
            (first, arg(args, 1))
        }
    } else {
        (first, arg(args, 1))
    }
}

fn parse_agent_info(args: &Fields<'_>) -> Parsed {
    if args.len() < 4 {
        return Err(format!("expected at least 4 fields, got {}", args.len()));
    }
    let is_supervisor = get(args, 2).eq_ignore_ascii_case("true");
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
    let total = get(args, 4)
        .split_once(':')
        .filter(|(k, _)| k.trim().eq_ignore_ascii_case("TotalNumberOfTeams"))
        .map(|(_, v)| v.trim());
    let info = if let Some(total) = total {
        AgentInfo {
            total_teams: total.parse().ok(),
            teams: parse_teams(get(args, 5)),
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
/// separator. Accept `:`, `,` or `=` between them; else split off leading
/// digits (names may hold spaces); else split at the first space.
fn parse_teams(s: &str) -> Vec<Team> {
    let team = |id: &str, name: &str| Team {
        id: id.trim().to_owned(),
        name: name.trim().to_owned(),
    };
    s.split('|')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            if let Some((id, name)) = t.split_once([':', ',', '=']) {
                return team(id, name);
            }
            let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
            if digits > 0 {
                return team(&t[..digits], &t[digits..]);
            }
            match t.split_once(' ') {
                Some((id, name)) => team(id, name),
                None => team(t, ""),
            }
        })
        .collect()
}

fn parse_state(args: &Fields<'_>) -> Parsed {
    let raw = get(args, 0);
    if raw.eq_ignore_ascii_case("RE_LOGIN") {
        return Ok(EventData::ReLogin);
    }
    let state = raw.parse::<AgentState>()?;
    let pending = get(args, 3);
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
        // Field 9 repeats the full name.
        login_name: arg(args, 10),
    }))
}

fn parse_dialog_status(args: &Fields<'_>) -> DialogStatus {
    if args.iter().all(|f| f.trim().is_empty()) {
        return None;
    }
    let party = |off: usize| CallParty {
        dialog_id: arg(args, off),
        state: arg(args, off + 1),
        from_address: arg(args, off + 2),
        call_variables: call_vars(get(args, off + 3)),
    };
    let associated = (!get(args, 4).is_empty()).then(|| party(4));
    Some(DialogInfo {
        dialog: party(0),
        associated,
    })
}

fn parse_reason_codes(args: &Fields<'_>) -> Parsed {
    let cat_pos = args
        .iter()
        .position(|f| is_keyed(f, &["Category"]))
        .ok_or("missing Category:")?;
    let category = keyed(&args[cat_pos..], "Category").unwrap_or("");
    let category_text = category.to_owned();
    let norm: String = category
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .collect::<String>()
        .to_ascii_uppercase();
    let category = match norm.as_str() {
        "NOTREADY" => ReasonCategory::NotReady,
        "LOGOUT" | "SIGNOUT" => ReasonCategory::Logout,
        "WRAPUP" => ReasonCategory::WrapUp,
        _ => ReasonCategory::Other,
    };
    let label_pos = args.iter().position(|f| is_keyed(f, &["Labels"]));
    let labels = label_pos
        .map(|lp| comma_list(keyed(&args[lp..], "Labels").unwrap_or("")))
        .unwrap_or_default();
    let codes: Vec<String> = match label_pos {
        Some(lp) if lp > cat_pos + 1 => args[cat_pos + 1..lp]
            .iter()
            .flat_map(|f| comma_list(f))
            .collect(),
        _ => vec![],
    };
    if !codes.is_empty() && codes.len() != labels.len() {
        return Err(format!("{} codes but {} labels", codes.len(), labels.len()));
    }
    let full_name = label_pos.map(|lp| arg(args, lp + 1)).unwrap_or_default();
    let mut codes = codes.into_iter();
    let pairs = labels
        .into_iter()
        .map(|label| ReasonCode {
            code: codes.next().unwrap_or_default(),
            label,
        })
        .collect();
    Ok(EventData::ReasonCodes {
        category,
        category_text,
        codes: pairs,
        full_name,
    })
}

const CALL_KEYS: &[&str] = &["DialogID", "CallType", "ParticipantsCount", "participants"];

fn parse_inbound_call(args: &Fields<'_>) -> Parsed {
    let state = arg(args, 0);
    if state.is_empty() {
        return Err("missing call state".into());
    }
    let rest = plain(args.get(1..).unwrap_or_default(), CALL_KEYS);
    let dialog_id = keyed(args, "DialogID").map(str::to_owned);
    if state.eq_ignore_ascii_case("FAILED") {
        return Ok(EventData::InboundCallFailed(InboundCallFailed {
            dialog_id,
            cause: at(&rest, 0),
            full_name: at(&rest, 1),
        }));
    }
    Ok(EventData::InboundCall(InboundCall {
        state,
        dialog_id,
        from_address: at(&rest, 0),
        call_variables: call_vars(rest.get(1).copied().unwrap_or("")),
        start_time: at(&rest, 2),
        call_type: keyed(args, "CallType").map(str::to_owned),
        participants_count: keyed(args, "ParticipantsCount").and_then(|v| v.parse().ok()),
        participants: comma_list(keyed(args, "participants").unwrap_or("")),
    }))
}

fn parse_new_call(args: &Fields<'_>) -> NewCall {
    let rest = plain(args, CALL_KEYS);
    NewCall {
        from_address: at(&rest, 0),
        call_variables: call_vars(rest.get(1).copied().unwrap_or("")),
        dialog_id: keyed(args, "DialogID").map(str::to_owned),
        call_type: keyed(args, "CallType").map(str::to_owned),
        start_time: at(&rest, 2),
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

/// Layout decided in docs/protocol.md (the guide leaves it blank): one entry
/// per queue, entries separated by `#` or `|`, each `name,value,...` with
/// the guide's field order (8 values: UCCE, 9: UCCX) or `name,key:value,...`;
/// an entry without `,` is the full name of the agent.
fn parse_queue_list(args: &Fields<'_>) -> EventData {
    let mut queues = vec![];
    let mut full_name = String::new();
    let mut flavor = QueueFlavor::Unknown;
    for entry in args
        .iter()
        .flat_map(|f| f.split('|'))
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let Some((name, rest)) = entry.split_once(',') else {
            full_name = entry.to_owned();
            continue;
        };
        let values: Vec<&str> = rest.split(',').map(str::trim).collect();
        let stats = if values.iter().all(|v| v.contains(':')) {
            values
                .iter()
                .filter_map(|v| v.split_once(':'))
                .map(|(k, v)| KeyValue::new(k.trim(), v.trim()))
                .collect()
        } else {
            let names: Option<&[&str]> = match values.len() {
                8 => Some(UCCE_QUEUE_FIELDS),
                9 => Some(UCCX_QUEUE_FIELDS),
                _ => None,
            };
            match names {
                Some(names) => {
                    flavor = if names.len() == 8 {
                        QueueFlavor::Ucce
                    } else {
                        QueueFlavor::Uccx
                    };
                    names
                        .iter()
                        .zip(&values)
                        .map(|(k, v)| KeyValue::new(*k, *v))
                        .collect()
                }
                None => values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| KeyValue::new(format!("field{}", i + 1), *v))
                    .collect(),
            }
        };
        queues.push(QueueStats {
            name: name.trim().to_owned(),
            stats,
        });
    }
    EventData::QueueList {
        flavor,
        queues,
        full_name,
    }
}

/// Records of a list event: separated by `|` (the guide's AgentsList) or by
/// `#`; blank records are skipped.
fn split_records<'a>(args: &'a Fields<'_>) -> impl Iterator<Item = &'a str> + 'a {
    args.iter()
        .flat_map(|f| f.split('|'))
        .filter(|r| !r.trim().is_empty())
}

/// Splits `Key=v,Key=v` into `(key, value)` slices. A key is an ASCII word
/// followed by `sep` at the start of the record or after `,` (or after a
/// space when `after_space`: the guide's AgentsList sample misses a comma
/// before `Extension=`). A value runs to the next key, so names with spaces
/// or commas survive.
fn key_values(record: &str, sep: u8, after_space: bool) -> Vec<(&str, &str)> {
    let bytes = record.as_bytes();
    let mut keys: Vec<(usize, usize)> = Vec::with_capacity(10);
    let mut i = 0;
    while i < bytes.len() {
        let starts = i == 0 || bytes[i - 1] == b',' || (after_space && bytes[i - 1] == b' ');
        if starts {
            let mut j = i;
            while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
                j += 1;
            }
            if j > i && j < bytes.len() && bytes[j] == sep {
                keys.push((i, j + 1));
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    keys.iter()
        .enumerate()
        .map(|(n, &(key_start, value_start))| {
            let end = keys.get(n + 1).map_or(bytes.len(), |k| k.0);
            let value = record[value_start..end].trim_end_matches([',', ' ']).trim();
            (&record[key_start..value_start - 1], value)
        })
        .collect()
}

fn lookup(pairs: &[(&str, &str)], key: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| (*v).to_owned())
        .unwrap_or_default()
}

/// `key:value,...` records separated by `|` or `#`; `none_marker` means an
/// empty result (`found: false`).
fn records<'a>(args: &'a Fields<'_>, none_marker: &str) -> (bool, Vec<Vec<(&'a str, &'a str)>>) {
    if args
        .iter()
        .any(|f| f.trim().eq_ignore_ascii_case(none_marker))
    {
        return (false, vec![]);
    }
    let items = split_records(args)
        .filter(|r| r.contains(':'))
        .flat_map(|r| split_on_repeat(key_values(r, b':', false)))
        .collect();
    (true, items)
}

/// The guide writes several records in one field, one after the other with
/// `,` (`name:a,type:x,id:1,name:b,type:y,id:2`): a key seen again starts
/// the next record.
fn split_on_repeat<'a>(pairs: Vec<(&'a str, &'a str)>) -> Vec<Vec<(&'a str, &'a str)>> {
    let mut out: Vec<Vec<(&str, &str)>> = Vec::new();
    let mut current: Vec<(&str, &str)> = Vec::new();
    for (k, v) in pairs {
        if current.iter().any(|(seen, _)| seen.eq_ignore_ascii_case(k)) {
            out.push(std::mem::take(&mut current));
        }
        current.push((k, v));
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn state_of(pairs: &[(&str, &str)], key: &str) -> Option<AgentState> {
    let v = lookup(pairs, key);
    (!v.trim().is_empty())
        .then(|| v.trim().parse().ok())
        .flatten()
}

fn phonebook(r: &[(&str, &str)]) -> Phonebook {
    Phonebook {
        name: lookup(r, "name"),
        kind: lookup(r, "type"),
        id: lookup(r, "id"),
    }
}
