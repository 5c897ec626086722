//! Event bodies exactly as the guide lays them out (`<for>#<Type>#...`),
//! with the layouts `docs/protocol.md` settled where the guide is blank.

use gcclient::protocol::{AgentState, ErrorCode};

use super::calls::{Call, PartyState};
use super::{AgentRt, Sim};
use crate::clock::{iso8601, Ms};
use crate::model::{AgentModel, CodeModel, ContactModel, Flavor, PhonebookModel, SkillGroupModel};

pub fn error(agent: &str, code: &ErrorCode) -> String {
    format!("{agent}#Error#{}", code.as_str())
}

pub fn re_login(agent: &str) -> String {
    format!("{agent}#State#RE_LOGIN")
}

pub fn destination_reconnect(destination: &str) -> String {
    format!("DESTINATION#{destination}#RECONNECT")
}

/// `<id>#State#<state>#<reasonCodeId>#<timeString>#<pending>#<time>#<full
/// name>#<id>#<extension>#<reason label>#<full name>#<login name>`.
pub fn state(a: &AgentRt, now: Ms) -> String {
    let full = a.model.full_name();
    let when = if a.state_changed_at == 0 {
        now
    } else {
        a.state_changed_at
    };
    format!(
        "{id}#State#{state}#{code}#{time_str}#{pending}#{time}#{full}#{id}#{ext}#{label}#{full}#{id}",
        id = a.id(),
        state = a.state,
        code = a.reason_code,
        time_str = iso8601(when),
        pending = a.pending.map(|p| p.as_str()).unwrap_or(""),
        time = when,
        ext = a.extension,
        label = a.reason_label,
    )
}

pub fn agent_info(sim: &Sim, id: &str) -> String {
    let m = &sim.agents[id].model;
    let head = format!(
        "{id}#AgentInfo#{}#{}#{}#{}",
        m.first_name, m.last_name, m.supervisor, m.wrap_up_mode
    );
    if m.supervisor {
        let teams: Vec<String> = m
            .supervised_teams
            .iter()
            .filter_map(|t| sim.model.team(t))
            .map(|t| format!("{}:{}", t.id, t.name))
            .collect();
        format!(
            "{head}#TotalNumberOfTeams:{}#{}#{}#{}#{id}",
            teams.len(),
            teams.join("|"),
            m.team,
            m.full_name()
        )
    } else {
        format!("{head}#{}#{}#{id}", m.team, m.full_name())
    }
}

pub fn team_info(sim: &Sim, id: &str) -> (String, String) {
    let m = &sim.agents[id].model;
    let names: Vec<String> = m
        .supervised_teams
        .iter()
        .filter_map(|t| sim.model.team(t).map(|t| t.name.clone()))
        .collect();
    (
        format!(
            "{id}#TeamInfoIDs#TeamID#{}#{}",
            m.supervised_teams.join(","),
            m.full_name()
        ),
        format!(
            "{id}#TeamInfoNames#TeamName#{}#{}",
            names.join(","),
            m.full_name()
        ),
    )
}

/// Call variable values, positional (names are not sent); the engine keeps
/// them in the model's order, so an unset variable is an empty value.
fn vars(call: &Call) -> String {
    if call.variables.iter().all(|(_, v)| v.is_empty()) {
        return String::new();
    }
    let values: Vec<&str> = call.variables.iter().map(|(_, v)| v.as_str()).collect();
    values.join(",")
}

fn participants(call: &Call) -> Vec<&str> {
    call.parties
        .iter()
        .filter(|p| p.state != PartyState::Monitoring)
        .map(|p| p.address.as_str())
        .collect()
}

/// While a supervisor listens in, the guide gives the call type "at Agent
/// & Supervisor" as SUPERVISOR_MONITOR: both sides see it.
fn call_type_for(agent: &str, call: &Call) -> String {
    let on_call = call
        .parties
        .iter()
        .any(|p| p.agent.as_deref() == Some(agent));
    let monitored = call
        .parties
        .iter()
        .any(|p| p.state == PartyState::Monitoring);
    if on_call && monitored {
        "SUPERVISOR_MONITOR".into()
    } else {
        call.call_type.clone()
    }
}

/// The `InboundCall` states the guide sends `#DialogID:` with ("only sent
/// in case of (Failed,Dropped,Deleted,Hold.Held,Wrap_up)"; failed, dropped
/// and deleted dialogs are reported as DROP).
pub fn inbound_call_has_dialog_id(state: &str) -> bool {
    matches!(
        state,
        "DROP" | "DROPPED" | "DELETED" | "FAILED" | "HOLD" | "HELD" | "WRAP_UP"
    )
}

/// The guide's Normal form, without the agent prefix:
/// `InboundCall#<state>[#DialogID:<d>]#<from>#<vars>#<start>#CallType:<t>
/// #ParticipantsCount:<n>#participants:<a,b>`. `always_id` puts the
/// `DialogID` in every state (friendly mode).
pub fn inbound_call(agent: &str, state: &str, call: &Call, always_id: bool) -> String {
    let parts = participants(call);
    let id = if always_id || inbound_call_has_dialog_id(state) {
        format!("#DialogID:{}", call.id)
    } else {
        String::new()
    };
    format!(
        "InboundCall#{state}{id}#{}#{}#{}#CallType:{}#ParticipantsCount:{}#participants:{}",
        call.from,
        vars(call),
        iso8601(call.started_at),
        call_type_for(agent, call),
        parts.len(),
        parts.join(",")
    )
}

/// The guide's Failure form, which does carry the prefix:
/// `<id>#InboundCall#FAILED#DialogID:<d>#<cause>#<full name>`.
pub fn inbound_call_failed(agent: &str, dialog: &str, cause: &str, full_name: &str) -> String {
    format!("{agent}#InboundCall#FAILED#DialogID:{dialog}#{cause}#{full_name}")
}

/// `NewInboundCall#<from>#<vars>#DialogID:<d>#CallType:<t>#<start>` (no
/// prefix, as the guide prints it).
pub fn new_inbound_call(call: &Call) -> String {
    format!(
        "NewInboundCall#{}#{}#DialogID:{}#CallType:{}#{}",
        call.from,
        vars(call),
        call.id,
        call.call_type,
        iso8601(call.started_at)
    )
}

/// `NewOutboundPreviewCall#<from>#<vars>#DialogID:<d>#CallType:<t>`.
pub fn new_preview_call(call: &Call) -> String {
    format!(
        "NewOutboundPreviewCall#{}#{}#DialogID:{}#CallType:{}",
        call.from,
        vars(call),
        call.id,
        call.call_type
    )
}

/// `CallBack#<what>#<dialog>[#<time>#<number>]` (no prefix: the guide's
/// `CallBack#<CallBack>`).
pub fn callback(what: &str, rest: &[&str]) -> String {
    let mut body = format!("CallBack#{what}");
    for r in rest {
        body.push('#');
        body.push_str(r);
    }
    body
}

/// `<id>#ConsultCall#<state>#AssDialogID:<consult dialog>#<from>#<vars>#<agent name>`.
pub fn consult_call(agent: &str, state: &str, call: &Call, other_name: &str) -> String {
    format!(
        "{agent}#ConsultCall#{state}#AssDialogID:{}#{}#{}#{other_name}",
        call.id,
        call.from,
        vars(call)
    )
}

pub fn dialog_state(agent: &str, state: &str, dialog: &str, full_name: &str) -> String {
    format!("{agent}#DialogState#{state}#{dialog}#{full_name}")
}

/// `<id>#DialogStatus#<dialog>#<state>#<from>#<vars>#<associated>#<state>#<from>#<vars>`,
/// or `<id>#DialogStatus###` with no active dialog.
pub fn dialog_status(sim: &Sim, id: &str) -> String {
    let mut mine: Vec<&Call> = sim
        .calls
        .values()
        .filter(|c| c.parties.iter().any(|p| p.agent.as_deref() == Some(id)))
        .collect();
    if mine.is_empty() {
        return format!("{id}#DialogStatus###");
    }
    // The live leg first, the held (associated) one second.
    mine.sort_by_key(|c| {
        c.parties
            .iter()
            .find(|p| p.agent.as_deref() == Some(id))
            .map(|p| p.state == PartyState::Held)
    });
    let leg = |c: &Call| {
        let state = c
            .parties
            .iter()
            .find(|p| p.agent.as_deref() == Some(id))
            .map(|p| p.state.as_str())
            .unwrap_or("ACTIVE");
        format!("{}#{state}#{}#{}", c.id, c.from, vars(c))
    };
    let main = leg(mine[0]);
    match mine.get(1) {
        Some(other) => format!("{id}#DialogStatus#{main}#{}", leg(other)),
        None => format!("{id}#DialogStatus#{main}"),
    }
}

pub fn reason_codes(id: &str, category: &str, codes: &[CodeModel], full_name: &str) -> String {
    let c: Vec<&str> = codes.iter().map(|c| c.code.as_str()).collect();
    let l: Vec<&str> = codes.iter().map(|c| c.label.as_str()).collect();
    format!(
        "{id}#ReasonCodes#Category:{category}#{}#Labels:{}#{full_name}",
        c.join(","),
        l.join(",")
    )
}

pub fn wrap_up_reasons(id: &str, labels: &[String], full_name: &str) -> String {
    format!(
        "{id}#ReasonCodes#Category:WRAP_UP#Labels:{}#{full_name}",
        labels.join(",")
    )
}

/// `<id>#AgentsList#LoginId=..,Name=..,Extension=..,State=..,Team=..|...`.
pub fn agents_list(id: &str, sim: &Sim) -> String {
    let records: Vec<String> = sim
        .agents
        .values()
        .filter(|a| a.logged_in())
        .map(|a| {
            let team = sim
                .model
                .team(&a.model.team)
                .map(|t| t.name.clone())
                .unwrap_or_default();
            format!(
                "LoginId={},Name={},Extension={},State={},Team={team}",
                a.id(),
                a.model.full_name(),
                a.extension,
                a.state
            )
        })
        .collect();
    format!("{id}#AgentsList#{}", records.join("|"))
}

pub fn team_users(id: &str, members: &[&AgentRt], now: Ms) -> String {
    let records: Vec<String> = members
        .iter()
        .map(|a| {
            let when = if a.state_changed_at == 0 {
                now
            } else {
                a.state_changed_at
            };
            format!(
                "FirstName:{},LastName:{},Extension:{},LoginId:{},State:{},PendingState:{},MediaType:Voice,StateChangeTime:{},StateChangeLabel:{}",
                a.model.first_name,
                a.model.last_name,
                a.extension,
                a.id(),
                a.state,
                a.pending.map(|p| p.as_str()).unwrap_or(""),
                iso8601(when),
                a.reason_label
            )
        })
        .collect();
    format!("{id}#TeamUsersList#{}", records.join("|"))
}

pub fn phonebooks(id: &str, ty: &str, books: &[PhonebookModel]) -> String {
    if books.is_empty() {
        let none = if ty == "Phonebooks" {
            "NoPhoneBookFound"
        } else {
            "NoTeamPhoneBookFound"
        };
        return format!("{id}#{ty}#{none}");
    }
    let records: Vec<String> = books
        .iter()
        .map(|b| format!("name:{},type:{},id:{}", b.name, b.kind, b.id))
        .collect();
    format!("{id}#{ty}#{}", records.join("|"))
}

pub fn contacts(id: &str, contacts: Option<&[ContactModel]>) -> String {
    match contacts {
        Some(list) if !list.is_empty() => {
            let records: Vec<String> = list
                .iter()
                .map(|c| {
                    format!(
                        "description:{},firstName:{},lastName:{},phoneNumber:{},id:{}",
                        c.description, c.first_name, c.last_name, c.phone_number, c.id
                    )
                })
                .collect();
            format!("{id}#PhonebookContacts#{}", records.join("|"))
        }
        _ => format!("{id}#PhonebookContacts#NoContactFound"),
    }
}

pub fn skill_groups(id: &str, groups: &[SkillGroupModel]) -> String {
    let list: Vec<String> = groups
        .iter()
        .map(|g| format!("{}:{}", g.id, g.name))
        .collect();
    format!("{id}#SkillGroups#{}", list.join(","))
}

pub fn supervisors(id: &str, agents: &[AgentModel]) -> String {
    let list: Vec<String> = agents
        .iter()
        .filter(|a| a.supervisor)
        .map(|a| format!("{}:{}", a.id, a.full_name()))
        .collect();
    format!("{id}#Supervisors#{}", list.join(","))
}

/// What kind of call an agent is talking on, for the UCCE counters.
fn talking_kind(sim: &Sim, agent: &str) -> &'static str {
    let call = sim.calls.values().find(|c| {
        c.parties.iter().any(|p| {
            p.agent.as_deref() == Some(agent)
                && matches!(
                    p.state,
                    PartyState::Active | PartyState::Held | PartyState::Initiated
                )
        })
    });
    match call.map(|c| c.call_type.as_str()).unwrap_or("") {
        t if t == "OUT" || t.starts_with("OUTBOUND") => "outbound",
        "AGENT_INSIDE" | "CONSULT" => "internal",
        _ => "inbound",
    }
}

/// One entry per queue: `name,v1,...,v8` (UCCE) or `name,v1,...,v9` (UCCX),
/// entries joined by `|`, then the agent's full name.
pub fn queue_list(id: &str, sim: &Sim) -> String {
    let entries: Vec<String> = sim
        .model
        .queues
        .iter()
        .map(|q| {
            let rt = sim.queues.get(&q.name).cloned().unwrap_or_default();
            let members: Vec<&AgentRt> = sim
                .agents
                .values()
                .filter(|a| a.logged_in() && q.teams.contains(&a.model.team))
                .collect();
            let count = |f: &dyn Fn(&AgentRt) -> bool| members.iter().filter(|a| f(a)).count();
            let talking = |kind: &str| {
                count(&|a| {
                    matches!(a.state, AgentState::Talking | AgentState::Hold)
                        && talking_kind(sim, a.id()) == kind
                })
            };
            let values: Vec<String> = match sim.model.system.flavor {
                Flavor::Ucce => vec![
                    rt.waiting.len(),
                    count(&|a| a.state == AgentState::Ready),
                    count(&|a| a.state == AgentState::NotReady),
                    talking("inbound"),
                    talking("outbound"),
                    talking("internal"),
                    count(&|a| a.state == AgentState::WorkReady),
                    count(&|a| a.state == AgentState::Work),
                ]
                .into_iter()
                .map(|n| n.to_string())
                .collect(),
                Flavor::Uccx => vec![
                    rt.waiting.len() as u64,
                    members.len() as u64,
                    count(&|a| matches!(a.state, AgentState::Work | AgentState::WorkReady)) as u64,
                    count(&|a| matches!(a.state, AgentState::Talking | AgentState::Hold)) as u64,
                    count(&|a| {
                        matches!(
                            a.state,
                            AgentState::Reserved | AgentState::ReservedOutboundPreview
                        )
                    }) as u64,
                    rt.handled,
                    rt.abandoned,
                    rt.total,
                    rt.longest_handle_ms / 1000,
                ]
                .into_iter()
                .map(|n| n.to_string())
                .collect(),
            };
            format!("{},{}", q.name, values.join(","))
        })
        .collect();
    format!(
        "{id}#QueueList#{}#{}",
        entries.join("|"),
        sim.agents
            .get(id)
            .map(|a| a.model.full_name())
            .unwrap_or_default()
    )
}
