//! Supervisor functions: silent monitor, barge-in, drop participant, team
//! users and their state changes.

use gcclient::protocol::{AgentState, ErrorCode};

use super::calls::{Party, PartyState};
use super::{format, Handled, Sim};

impl Sim {
    fn require_supervisor(&self, id: &str) -> Handled {
        if self.agents[id].model.supervisor && self.agents[id].logged_in() {
            Ok(())
        } else {
            Err(ErrorCode::CfInvalidObjectState)
        }
    }

    /// The supervised agent on `extension` and its live call.
    fn supervised_call(&self, id: &str, extension: &str) -> Result<(String, String), ErrorCode> {
        let ext = extension.trim();
        if ext.is_empty() {
            return Err(ErrorCode::MissingExtension);
        }
        let agent = self
            .agents
            .values()
            .find(|a| a.logged_in() && a.extension == ext)
            .ok_or(ErrorCode::CfInvalidObjectState)?;
        if !self.agents[id]
            .model
            .supervised_teams
            .contains(&agent.model.team)
        {
            return Err(ErrorCode::CfInvalidObjectState);
        }
        let call = self
            .calls
            .values()
            .find(|c| {
                c.parties.iter().any(|p| {
                    p.agent.as_deref() == Some(agent.id()) && p.state == PartyState::Active
                })
            })
            .ok_or(ErrorCode::CfInvalidObjectState)?;
        Ok((agent.id().to_owned(), call.id.clone()))
    }

    pub(super) fn silent_monitor(&mut self, id: &str, extension: &str) -> Handled {
        self.require_supervisor(id)?;
        let (agent, dialog) = self.supervised_call(id, extension)?;
        if self.agents[id].state != AgentState::NotReady {
            return Err(ErrorCode::CfInvalidObjectState);
        }
        let ext = self.agents[id].extension.clone();
        let call = self.calls.get_mut(&dialog).expect("found");
        call.agents_seen.insert(id.to_owned());
        call.parties.push(Party {
            agent: Some(id.to_owned()),
            address: ext,
            state: PartyState::Monitoring,
        });
        self.refresh(id, false);
        let call = self.calls[&dialog].clone();
        let body = self.inbound_body(id, "ACTIVE", &call);
        self.reply(body);
        // The guide's "On Agent" column: the monitored agent hears it too.
        let body = self.inbound_body(&agent, "ACTIVE", &call);
        self.notify(&agent, body);
        Ok(())
    }

    pub(super) fn end_silent_monitor(&mut self, id: &str, dialog_id: &str) -> Handled {
        if dialog_id.trim().is_empty() {
            return Err(ErrorCode::MissingDialogId);
        }
        let call = self
            .calls
            .get_mut(dialog_id)
            .ok_or(ErrorCode::ECtiInvalidCallId)?;
        let pos = call
            .parties
            .iter()
            .position(|p| p.agent.as_deref() == Some(id) && p.state == PartyState::Monitoring)
            .ok_or(ErrorCode::CfInvalidObjectState)?;
        call.parties.remove(pos);
        let snapshot = call.clone();
        self.refresh(id, false);
        let body = self.inbound_body(id, "DROP", &snapshot);
        self.reply(body);
        // The agents on the call hear that nobody listens any more.
        for agent in snapshot.agent_parties() {
            let state = snapshot
                .parties
                .iter()
                .find(|p| p.agent.as_deref() == Some(agent.as_str()))
                .map(|p| p.state.as_str())
                .unwrap_or("ACTIVE");
            let body = self.inbound_body(&agent, state, &snapshot);
            self.notify(&agent, body);
        }
        Ok(())
    }

    pub(super) fn barge_in(&mut self, id: &str, extension: &str, dialog_id: &str) -> Handled {
        self.require_supervisor(id)?;
        if dialog_id.trim().is_empty() {
            return Err(ErrorCode::MissingDialogId);
        }
        let (_, dialog) = self.supervised_call(id, extension)?;
        if dialog != dialog_id {
            return Err(ErrorCode::ECtiInvalidCallId);
        }
        let ext = self.agents[id].extension.clone();
        let state = self.agents[id].state;
        let call = self.calls.get_mut(&dialog).expect("found");
        match call
            .parties
            .iter_mut()
            .find(|p| p.agent.as_deref() == Some(id))
        {
            Some(p) if p.state == PartyState::Monitoring => p.state = PartyState::Active,
            Some(_) => return Err(ErrorCode::CfInvalidObjectState),
            None if state == AgentState::NotReady => {
                call.agents_seen.insert(id.to_owned());
                call.parties.push(Party {
                    agent: Some(id.to_owned()),
                    address: ext,
                    state: PartyState::Active,
                });
            }
            None => return Err(ErrorCode::CfInvalidObjectState),
        }
        call.call_type = "CONFERENCE".into();
        self.refresh(id, false);
        self.tell_all(id, &dialog);
        self.conference_changed(&dialog);
        Ok(())
    }

    pub(super) fn drop_participant(
        &mut self,
        id: &str,
        extension: &str,
        dialog_id: &str,
    ) -> Handled {
        let ext = extension.trim();
        if ext.is_empty() {
            return Err(ErrorCode::MissingExtension);
        }
        if dialog_id.trim().is_empty() {
            return Err(ErrorCode::MissingDialogId);
        }
        let call = self
            .calls
            .get(dialog_id)
            .ok_or(ErrorCode::ECtiInvalidCallId)?;
        let on_call = call.parties.iter().any(|p| p.agent.as_deref() == Some(id));
        if !on_call && !self.agents[id].model.supervisor {
            return Err(ErrorCode::CfInvalidObjectState);
        }
        let party = call
            .parties
            .iter()
            .find(|p| p.address == ext)
            .cloned()
            .ok_or(ErrorCode::CfInvalidObjectState)?;
        match &party.agent {
            Some(agent) => self.leave(id, agent, dialog_id),
            None => {
                let call = self.calls.get_mut(dialog_id).expect("checked");
                call.parties.retain(|p| p.address != ext);
                if call.parties.len() < 2 {
                    self.hang_up(dialog_id).ok();
                } else {
                    self.tell_all(id, dialog_id);
                    self.conference_changed(dialog_id);
                }
            }
        }
        if !on_call || !self.calls.contains_key(dialog_id) {
            // The supervisor outside the call still gets its answer.
            let call = self
                .calls
                .get(dialog_id)
                .or_else(|| self.ended.get(dialog_id))
                .cloned();
            if let Some(call) = call {
                let state = if self.calls.contains_key(dialog_id) {
                    "ACTIVE"
                } else {
                    "DROP"
                };
                let body = self.inbound_body(id, state, &call);
                self.reply(body);
            }
        }
        Ok(())
    }

    /// Supervisors who subscribed to a team on the call hear who is on it.
    pub(super) fn conference_changed(&mut self, dialog_id: &str) {
        let Some(call) = self.calls.get(dialog_id) else {
            return;
        };
        let exts: Vec<String> = call
            .parties
            .iter()
            .filter(|p| p.state != PartyState::Monitoring)
            .map(|p| p.address.clone())
            .collect();
        let teams: Vec<String> = call
            .agent_parties()
            .iter()
            .filter_map(|a| self.agents.get(a).map(|a| a.model.team.clone()))
            .collect();
        let supervisors: Vec<String> = self
            .agents
            .values()
            .filter(|s| teams.iter().any(|t| s.team_subscriptions.contains(t)))
            .map(|s| s.id().to_owned())
            .collect();
        for s in supervisors {
            self.notify(&s, format!("{s}#ConferenceParticipants#{}", exts.join(",")));
        }
    }

    pub(super) fn team_users(&mut self, id: &str, team: &str, subscribe: bool) -> Handled {
        self.require_supervisor(id)?;
        let team = team.trim();
        if team.is_empty() {
            return Err(ErrorCode::InvalidCallData);
        }
        if !self.agents[id]
            .model
            .supervised_teams
            .iter()
            .any(|t| t == team)
        {
            return Err(ErrorCode::CfInvalidObjectState);
        }
        let members: Vec<&super::AgentRt> = self
            .agents
            .values()
            .filter(|a| a.model.team == team && a.id() != id)
            .collect();
        let body = format::team_users(id, &members, self.now);
        if subscribe {
            self.agents
                .get_mut(id)
                .expect("checked")
                .team_subscriptions
                .insert(team.to_owned());
        }
        self.reply(body);
        Ok(())
    }

    pub(super) fn team_user_state(&mut self, id: &str, agent: &str) -> Handled {
        self.require_supervisor(id)?;
        if agent.trim().is_empty() {
            return Err(ErrorCode::InvalidCallData);
        }
        let member = self
            .agents
            .get(agent.trim())
            .ok_or(ErrorCode::UserNotFound)?;
        let body = format::team_users(id, &[member], self.now);
        self.reply(body);
        Ok(())
    }
}
