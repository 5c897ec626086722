//! Reference tables of the protocol, generated from the code so the docs
//! cannot drift: `docs/protocol.md` embeds [`commands_markdown`] and
//! [`events_markdown`], and a test fails when they differ.

use std::fmt::Write as _;

use super::agent_state::AgentState;
use super::command::CommandKind;
use super::error_code::ErrorCode;

/// One documented form of an event, with a sample body that parses to it.
#[derive(Debug, Clone, Copy)]
pub struct EventForm {
    /// The type as spelled on the wire (`State`, `TeamInfoIDs`, ...).
    pub wire_type: &'static str,
    /// Which form of that type (`RE_LOGIN`, `supervisor`, `not found`, ...).
    pub form: &'static str,
    /// The body layout. `[<agent>#]` marks a prefix that may be absent.
    pub layout: &'static str,
    /// [`EventData::kind_name`](super::EventData::kind_name) of the result.
    pub parsed_as: &'static str,
    pub sample: &'static str,
}

const fn form(
    wire_type: &'static str,
    form: &'static str,
    layout: &'static str,
    parsed_as: &'static str,
    sample: &'static str,
) -> EventForm {
    EventForm {
        wire_type,
        form,
        layout,
        parsed_as,
        sample,
    }
}

/// Every event form of the guide (plus the fallbacks), with a sample each.
pub const EVENT_FORMS: &[EventForm] = &[
    form("System", "in service", "[<agent>#]System#IN_SERVICE", "system", "System#IN_SERVICE"),
    form("System", "out of service", "[<agent>#]System#OUT_OF_SERVICE", "system", "System#OUT_OF_SERVICE"),
    form(
        "DESTINATION",
        "reconnect",
        "[<agent>#]DESTINATION#<destination>#RECONNECT",
        "destination_reconnect",
        "DESTINATION#gcclient.host1.d3b07384#RECONNECT",
    ),
    form(
        "CallBack",
        "scheduled",
        "[<agent>#]CallBack#<info>...",
        "callback_scheduled",
        "CallBack#Callback scheduled for 2025-01-31T14:30",
    ),
    form(
        "AgentInfo",
        "agent",
        "<agent>#AgentInfo#<first_name>#<last_name>#<is_supervisor>#<wrap_up_mode>#<team_id>#<full_name>#<login_name>",
        "agent_info",
        "1001#AgentInfo#Zoë#Ünal#false#REQUIRED#3#Zoë Ünal#zunal",
    ),
    form(
        "AgentInfo",
        "supervisor",
        "<agent>#AgentInfo#<first_name>#<last_name>#<is_supervisor>#<wrap_up_mode>#TotalNumberOfTeams:<total_teams>#<id>:<name>|<id>:<name>...#<team_id>#<full_name>#<login_name>",
        "agent_info",
        "2001#AgentInfo#Anna#Łódź#true#OPTIONAL#TotalNumberOfTeams:2#3:Sales|4:Support#3#Anna Łódź#alodz",
    ),
    form(
        "State",
        "agent state",
        "<agent>#State#<state>#<reason_code_id>#<state_change_time_string>#<pending_state>#<state_change_time>#<full_name>#<login_id>#<extension>#<reason_label>#<full_name>#<login_name>",
        "agent_state",
        "1001#State#NOT_READY#7#2025-01-31 14:30:00#READY#1738333800000#Zoë Ünal#1001#1001#Lunch#Zoë Ünal#zunal",
    ),
    form("State", "RE_LOGIN", "<agent>#State#RE_LOGIN", "re_login", "1001#State#RE_LOGIN"),
    form("DialogStatus", "no active dialog", "<agent>#DialogStatus###", "dialog_status", "1001#DialogStatus###"),
    form(
        "DialogStatus",
        "detailed",
        "<agent>#DialogStatus#<dialog_id>#<state>#<from_address>#<call_variables>#<associated_dialog_id>#<state>#<from_address>#<call_variables>",
        "dialog_status",
        "1001#DialogStatus#16777217#ACTIVE#5551234#VIP,,42#16777218#INITIATED#1002#",
    ),
    form(
        "ReasonCodes",
        "NOT_READY",
        "<agent>#ReasonCodes#Category:NOT_READY#<code>,<code>...#Labels:<label>,<label>...#<full_name>",
        "reason_codes",
        "1001#ReasonCodes#Category:NOT_READY#7,8#Labels:Lunch,Meeting#Zoë Ünal",
    ),
    form(
        "ReasonCodes",
        "LOGOUT",
        "<agent>#ReasonCodes#Category:LOGOUT#<code>,<code>...#Labels:<label>,<label>...#<full_name>",
        "reason_codes",
        "1001#ReasonCodes#Category:LOGOUT#12#Labels:End of shift#Zoë Ünal",
    ),
    form(
        "ReasonCodes",
        "WRAP_UP (labels only)",
        "<agent>#ReasonCodes#Category:WRAP_UP##Labels:<label>,<label>...#<full_name>",
        "reason_codes",
        "1001#ReasonCodes#Category:WRAP_UP##Labels:Sale,No sale#Zoë Ünal",
    ),
    form(
        "InboundCall",
        "normal",
        "[<agent>#]InboundCall#<state>#[DialogID:<dialog_id>#]<from_address>#<call_variables>#<start_time>#CallType:<call_type>#ParticipantsCount:<n>#participants:<p>,<p>...",
        "inbound_call",
        "InboundCall#ACTIVE#DialogID:16777217#5551234#VIP,,42#2025-01-31T14:30:00Z#CallType:ACD_IN#ParticipantsCount:2#participants:1001,5551234",
    ),
    form(
        "InboundCall",
        "FAILED",
        "[<agent>#]InboundCall#FAILED#DialogID:<dialog_id>#<cause>#<full_name>",
        "inbound_call_failed",
        "1001#InboundCall#FAILED#DialogID:16777217#CF_RESOURCE_BUSY#Zoë Ünal",
    ),
    form(
        "NewInboundCall",
        "ringing",
        "[<agent>#]NewInboundCall#<from_address>#<call_variables>#DialogID:<dialog_id>#CallType:<call_type>#<start_time>",
        "new_inbound_call",
        "NewInboundCall#5551234#VIP,42#DialogID:16777217#CallType:ACD_IN#2025-01-31T14:30:00Z",
    ),
    form(
        "NewOutboundPreviewCall",
        "preview offered",
        "[<agent>#]NewOutboundPreviewCall#<from_address>#<call_variables>#DialogID:<dialog_id>#CallType:<call_type>",
        "new_outbound_preview_call",
        "NewOutboundPreviewCall#5551234#VIP,42#DialogID:16777219#CallType:OUTBOUND_PREVIEW",
    ),
    form(
        "DialogState",
        "dialog state",
        "<agent>#DialogState#<state>#<dialog_id>#<full_name>",
        "dialog_state",
        "1001#DialogState#ACTIVE#16777217#Zoë Ünal",
    ),
    form(
        "ConsultCall",
        "consult state",
        "<agent>#ConsultCall#<state>#AssDialogID:<associated_dialog_id>#<from_address>#<call_variables>#<agent_name>",
        "consult_call",
        "1001#ConsultCall#INITIATED#AssDialogID:16777217#1002#VIP,42#Zoë Ünal",
    ),
    form(
        "TeamInfoIDs",
        "supervisor teams",
        "<agent>#TeamInfoIDs#TeamID#<team_id>,<team_id>...#<full_name>",
        "team_info_ids",
        "2001#TeamInfoIDs#TeamID#3,4#Anna Łódź",
    ),
    form(
        "TeamInfoNames",
        "supervisor teams",
        "<agent>#TeamInfoNames#TeamName#<team_name>,<team_name>...#<full_name>",
        "team_info_names",
        "2001#TeamInfoNames#TeamName#Sales,Support#Anna Łódź",
    ),
    form(
        "QueueList",
        "UCCE",
        "<agent>#QueueList#<name>,<calls_in_queue>,<agents_ready>,<agents_not_ready>,<agents_talking_inbound>,<agents_talking_outbound>,<agents_talking_internal>,<agents_wrap_up_ready>,<agents_wrap_up_not_ready>#...#<full_name>",
        "queue_list",
        "2001#QueueList#Sales,3,2,1,4,0,1,0,0#Support,0,1,1,0,0,0,0,1#Anna Łódź",
    ),
    form(
        "QueueList",
        "UCCX",
        "<agent>#QueueList#<name>,<waiting_calls>,<agents_logged_in>,<agents_after_call_work>,<agents_talking>,<agents_reserved>,<handled_calls>,<abandoned_calls>,<total_calls>,<longest_handle_time>#...#<full_name>",
        "queue_list",
        "2001#QueueList#CSQ_Sales,3,5,1,2,0,120,4,127,00:05:12#Anna Łódź",
    ),
    form(
        "AgentsList",
        "admin",
        "<agent>#AgentsList#LoginId=<id>,Name=<name>,Extension=<ext>,State=<state>,Team=<team>|...",
        "agents_list",
        "9001#AgentsList#LoginId=1001,Name=Zoë Ünal Extension=1001,State=READY,Team=Sales|LoginId=1002,Name=王小明,Extension=1002,State=TALKING,Team=Support",
    ),
    form(
        "TeamUsersList",
        "supervisor",
        "<agent>#TeamUsersList#FirstName:<v>,LastName:<v>,Extension:<v>,LoginId:<v>,State:<v>,PendingState:<v>,MediaType:<v>,StateChangeTime:<v>,StateChangeLabel:<v>|...",
        "team_users_list",
        "2001#TeamUsersList#FirstName:Zoë,LastName:Ünal,Extension:1001,LoginId:1001,State:READY,PendingState:,MediaType:1,StateChangeTime:2025-01-31T14:30:00Z,StateChangeLabel:|FirstName:小明,LastName:王,Extension:1002,LoginId:1002,State:TALKING,PendingState:NOT_READY,MediaType:1,StateChangeTime:2025-01-31T14:31:00Z,StateChangeLabel:",
    ),
    form(
        "TeamMemberStateChanged",
        "supervisor",
        "<agent>#TeamMemberStateChanged#<team_id>#<state>[#<extra>...]",
        "team_member_state_changed",
        "2001#TeamMemberStateChanged#3#TALKING",
    ),
    form(
        "ConferenceParticipants",
        "supervisor",
        "<agent>#ConferenceParticipants#<extension>,<extension>...",
        "conference_participants",
        "2001#ConferenceParticipants#1001,1002,5551234",
    ),
    form(
        "Control",
        "PrintStatusBar",
        "<agent>#Control#PrintStatusBar#<message>",
        "print_status_bar",
        "1001#Control#PrintStatusBar#Supervisor Anna Łódź joined",
    ),
    form(
        "Phonebooks",
        "found",
        "<agent>#Phonebooks#name:<name>,type:<type>,id:<id>|...",
        "phonebooks",
        "1001#Phonebooks#name:Global,type:GLOBAL,id:1|name:Sales team,type:TEAM,id:5",
    ),
    form("Phonebooks", "not found", "<agent>#Phonebooks#NoPhoneBookFound", "phonebooks", "1001#Phonebooks#NoPhoneBookFound"),
    form(
        "PhonebookContacts",
        "found",
        "<agent>#PhonebookContacts#description:<v>,firstName:<v>,lastName:<v>,phoneNumber:<v>,id:<v>|...",
        "phonebook_contacts",
        "1001#PhonebookContacts#description:Head office,firstName:Zoë,lastName:Ünal,phoneNumber:5551234,id:77",
    ),
    form(
        "PhonebookContacts",
        "not found",
        "<agent>#PhonebookContacts#NoContactFound",
        "phonebook_contacts",
        "1001#PhonebookContacts#NoContactFound",
    ),
    form(
        "TeamPhoneBooks",
        "found",
        "<agent>#TeamPhoneBooks#name:<name>,type:<type>,id:<id>|...",
        "team_phonebooks",
        "2001#TeamPhoneBooks#name:Sales team,type:TEAM,id:5",
    ),
    form(
        "TeamPhoneBooks",
        "not found",
        "<agent>#TeamPhoneBooks#NoTeamPhoneBookFound",
        "team_phonebooks",
        "2001#TeamPhoneBooks#NoTeamPhoneBookFound",
    ),
    form(
        "(free title)",
        "CallbackMessage (a title listed in `callback_message_titles`; else `unknown`)",
        "<agent>#<title>#<data>",
        "unknown",
        "1001#Callback due#Call 5551234 back at 14:30",
    ),
    form("Error", "known code", "[<agent>#]Error#<code>[#<details>...]", "error", "1001#Error#SUBSCRIPTION_FAILED"),
    form("Error", "unknown code", "[<agent>#]Error#<code>", "error", "1001#Error#SOMETHING_NEW"),
    form(
        "(other)",
        "unknown type",
        "anything else that is not a known type",
        "unknown",
        "1001#SkillGroupList#5#Sales",
    ),
    form(
        "(any known type)",
        "unreadable fields",
        "a known type whose fields cannot be read",
        "malformed",
        "1001#State#SLEEPING",
    ),
];

/// Markdown table cell: `|` must be escaped even inside code spans.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

fn code(s: &str) -> String {
    if s.is_empty() {
        "(empty)".to_owned()
    } else {
        format!("`{}`", cell(s))
    }
}

/// The command table of `docs/protocol.md`, generated from
/// [`CommandKind::ALL`] and each [`CommandSpec`](super::CommandSpec).
pub fn commands_markdown() -> String {
    let mut out = String::from(
        "| API name | JMS type | Target | Body | Replies | Summary |\n|---|---|---|---|---|---|\n",
    );
    for kind in CommandKind::ALL {
        let spec = kind.spec();
        let replies = if spec.replies.is_empty() {
            "none on success".to_owned()
        } else {
            spec.replies
                .iter()
                .map(|r| format!("`{r}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let target = match spec.target {
            super::Target::Agent => "agent",
            super::Target::Destination => "destination",
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} |",
            spec.api_name,
            code(&spec.type_layout()),
            target,
            code(&spec.body_layout()),
            replies,
            cell(spec.summary),
        );
    }
    out
}

/// The event table of `docs/protocol.md`, generated from [`EVENT_FORMS`].
pub fn events_markdown() -> String {
    let mut out =
        String::from("| Type | Form | Layout | Parsed as | Sample |\n|---|---|---|---|---|\n");
    for f in EVENT_FORMS {
        let _ = writeln!(
            out,
            "| {} | {} | {} | `{}` | {} |",
            cell(f.wire_type),
            cell(f.form),
            code(f.layout),
            f.parsed_as,
            code(f.sample),
        );
    }
    out
}

/// The error table: the guide's 20 codes with origin and suggested action.
pub fn errors_markdown() -> String {
    let mut out = String::from(
        "| Code | Origin | Summary | Suggested client action (`ClientAction`) |\n|---|---|---|---|\n",
    );
    for code in ErrorCode::ALL {
        let action = code.suggested_action();
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} (`{:?}`) |",
            code.as_str(),
            code.origin().as_str(),
            cell(code.summary()),
            action.describe(),
            action,
        );
    }
    out
}

/// The UCCE transition table as `AgentState::can_transition` sees it.
pub fn transitions_markdown() -> String {
    let mut out = String::from("| From | Allowed next states |\n|---|---|\n");
    for from in AgentState::ALL {
        let to: Vec<String> = AgentState::ALL
            .into_iter()
            .filter(|to| AgentState::can_transition(from, *to))
            .map(|to| format!("`{to}`"))
            .collect();
        let _ = writeln!(out, "| `{from}` | {} |", to.join(", "));
    }
    out
}

/// The generated sections of `docs/protocol.md`, by marker name.
pub fn sections() -> Vec<(&'static str, String)> {
    vec![
        ("commands", commands_markdown()),
        ("events", events_markdown()),
        ("errors", errors_markdown()),
        ("transitions", transitions_markdown()),
    ]
}

/// Replaces the text between `<!-- BEGIN GENERATED: name -->` and
/// `<!-- END GENERATED: name -->` with the current tables. Fails naming a
/// section whose markers are missing, so a document cannot silently lose one.
pub fn splice(doc: &str) -> Result<String, String> {
    let mut out = doc.to_owned();
    for (name, table) in sections() {
        let begin = format!("<!-- BEGIN GENERATED: {name} -->\n");
        let end = format!("<!-- END GENERATED: {name} -->");
        let start = out
            .find(&begin)
            .ok_or_else(|| format!("missing `{}`", begin.trim_end()))?
            + begin.len();
        let stop = out[start..]
            .find(&end)
            .ok_or_else(|| format!("missing `{end}`"))?
            + start;
        out.replace_range(start..stop, &table);
    }
    Ok(out)
}
