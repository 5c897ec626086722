//! The per-agent cache kept from events, so UIs can render without asking GC.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::protocol::{AgentInfo, AgentState, Event, EventData, ReasonCategory, ReasonCode};

/// One active dialog as last reported.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DialogSnapshot {
    pub dialog_id: String,
    pub state: String,
    pub from_address: String,
    pub call_variables: Vec<String>,
    pub call_type: Option<String>,
    /// As GC wrote it; with `from_address` it recognises a call that moved
    /// between agents (a transfer) when GC leaves the DialogID out.
    pub start_time: String,
}

/// What the client knows about one agent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AgentSnapshot {
    pub agent_id: String,
    pub state: Option<AgentState>,
    pub reason_code_id: Option<String>,
    pub reason_label: String,
    pub pending_state: Option<AgentState>,
    pub extension: String,
    pub info: Option<AgentInfo>,
    pub dialogs: BTreeMap<String, DialogSnapshot>,
    pub not_ready_reasons: Vec<ReasonCode>,
    pub logout_reasons: Vec<ReasonCode>,
    pub wrap_up_reasons: Vec<ReasonCode>,
    pub team_ids: Vec<String>,
    pub team_names: Vec<String>,
    pub last_status_message: Option<String>,
}

/// Call states after which a dialog is gone.
fn is_final(state: &str) -> bool {
    matches!(
        state.to_ascii_uppercase().as_str(),
        "DROP" | "DROPPED" | "FAILED" | "DELETED" | "WRAP_UP"
    )
}

impl AgentSnapshot {
    pub fn new(agent_id: &str) -> Self {
        AgentSnapshot {
            agent_id: agent_id.to_owned(),
            ..Default::default()
        }
    }

    /// Folds one event for this agent into the cache.
    pub fn apply(&mut self, event: &Event) {
        match &event.data {
            EventData::AgentState(s) => {
                self.state = Some(s.state);
                self.reason_code_id = s.reason_code_id.clone();
                self.reason_label = s.reason_label.clone();
                self.pending_state = s.pending_state;
                if !s.extension.is_empty() {
                    self.extension = s.extension.clone();
                }
                if s.state == AgentState::Logout {
                    self.dialogs.clear();
                }
            }
            EventData::AgentInfo(info) => self.info = Some(info.clone()),
            EventData::DialogStatus { dialog } => {
                self.dialogs.clear();
                if let Some(d) = dialog {
                    for party in std::iter::once(&d.dialog).chain(d.associated.as_ref()) {
                        self.dialogs.insert(
                            party.dialog_id.clone(),
                            DialogSnapshot {
                                dialog_id: party.dialog_id.clone(),
                                state: party.state.clone(),
                                from_address: party.from_address.clone(),
                                call_variables: party.call_variables.clone(),
                                call_type: None,
                                start_time: String::new(),
                            },
                        );
                    }
                }
            }
            EventData::NewInboundCall(c) | EventData::NewOutboundPreviewCall(c) => {
                if let Some(id) = &c.dialog_id {
                    self.dialogs.insert(
                        id.clone(),
                        DialogSnapshot {
                            dialog_id: id.clone(),
                            state: "ALERTING".into(),
                            from_address: c.from_address.clone(),
                            call_variables: c.call_variables.clone(),
                            call_type: c.call_type.clone(),
                            start_time: c.start_time.clone(),
                        },
                    );
                }
            }
            EventData::InboundCall(c) => {
                if let Some(id) = &c.dialog_id {
                    if is_final(&c.state) {
                        self.dialogs.remove(id);
                    } else {
                        let d = self.dialogs.entry(id.clone()).or_default();
                        d.dialog_id = id.clone();
                        d.state = c.state.clone();
                        if !c.from_address.is_empty() {
                            d.from_address = c.from_address.clone();
                        }
                        if !c.call_variables.is_empty() {
                            d.call_variables = c.call_variables.clone();
                        }
                        if c.call_type.is_some() {
                            d.call_type = c.call_type.clone();
                        }
                        if !c.start_time.is_empty() {
                            d.start_time = c.start_time.clone();
                        }
                    }
                }
            }
            EventData::InboundCallFailed(f) => {
                if let Some(id) = &f.dialog_id {
                    self.dialogs.remove(id);
                }
            }
            EventData::DialogState {
                state, dialog_id, ..
            } => {
                if is_final(state) {
                    self.dialogs.remove(dialog_id);
                } else if let Some(d) = self.dialogs.get_mut(dialog_id) {
                    d.state = state.clone();
                }
            }
            EventData::ReasonCodes {
                category, codes, ..
            } => match category {
                ReasonCategory::NotReady => self.not_ready_reasons = codes.clone(),
                ReasonCategory::Logout => self.logout_reasons = codes.clone(),
                ReasonCategory::WrapUp => self.wrap_up_reasons = codes.clone(),
                ReasonCategory::Other => {}
            },
            EventData::TeamInfoIds { team_ids, .. } => self.team_ids = team_ids.clone(),
            EventData::TeamInfoNames { team_names, .. } => self.team_names = team_names.clone(),
            EventData::PrintStatusBar { message } => {
                self.last_status_message = Some(message.clone())
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_a_call() {
        let mut s = AgentSnapshot::new("1001");
        s.apply(&Event::parse("1001#State#READY##t#####1001#5001####"));
        assert_eq!(s.state, Some(AgentState::Ready));
        s.apply(&Event::parse(
            "1001#NewInboundCall#3001#v1,v2#DialogID:d1#CallType:ACD_IN#t0",
        ));
        assert_eq!(s.dialogs["d1"].state, "ALERTING");
        assert_eq!(s.dialogs["d1"].call_variables, vec!["v1", "v2"]);
        s.apply(&Event::parse(
            "1001#InboundCall#ACTIVE#DialogID:d1#3001#v1,v2#t0#CallType:ACD_IN#ParticipantsCount:2#participants:3001,5001",
        ));
        assert_eq!(s.dialogs["d1"].state, "ACTIVE");
        s.apply(&Event::parse("1001#InboundCall#DROP#DialogID:d1#3001##t0"));
        assert!(s.dialogs.is_empty());
    }
}
