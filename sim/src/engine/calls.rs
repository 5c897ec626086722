//! Calls between simulated parties: offer, answer, release, hold, transfer,
//! consult, conference, call variables, wrap-up, outbound preview,
//! callbacks and reclassification.

use std::collections::{BTreeMap, BTreeSet};

use gcclient::protocol::{AgentState, ErrorCode};

use super::{format, Callback, ControlError, Handled, Sim};
use crate::clock::Ms;
use crate::model::Flavor;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartyState {
    Alerting,
    Initiated,
    Active,
    Held,
    /// A supervisor listening in (silent monitor).
    Monitoring,
}

impl PartyState {
    pub fn as_str(self) -> &'static str {
        match self {
            PartyState::Alerting => "ALERTING",
            PartyState::Initiated => "INITIATED",
            PartyState::Active | PartyState::Monitoring => "ACTIVE",
            PartyState::Held => "HELD",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    /// The agent, or `None` for a customer or external number.
    pub agent: Option<String>,
    /// Extension or phone number.
    pub address: String,
    pub state: PartyState,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub id: String,
    pub from: String,
    pub to: String,
    /// ACD_IN, OUT, AGENT_INSIDE, CONSULT, TRANSFER, CONFERENCE,
    /// OUTBOUND_PREVIEW, OUTBOUND_PERSONAL_CALLBACK.
    pub call_type: String,
    pub variables: Vec<(String, String)>,
    pub started_at: Ms,
    pub answered_at: Option<Ms>,
    pub parties: Vec<Party>,
    pub queue: Option<String>,
    /// For a consult call: the main dialog.
    pub consult_of: Option<String>,
    /// Agents that took part, for wrap-up and callbacks after the call.
    pub agents_seen: BTreeSet<String>,
    pub wrap_up: BTreeMap<String, String>,
    pub reclassified: Option<String>,
    pub preview: bool,
}

impl Call {
    fn party(&self, agent: &str) -> Option<&Party> {
        self.parties
            .iter()
            .find(|p| p.agent.as_deref() == Some(agent))
    }

    fn party_mut(&mut self, agent: &str) -> Option<&mut Party> {
        self.parties
            .iter_mut()
            .find(|p| p.agent.as_deref() == Some(agent))
    }

    pub fn agent_parties(&self) -> Vec<String> {
        self.parties
            .iter()
            .filter_map(|p| p.agent.clone())
            .collect()
    }

    /// Parties that talk (not supervisors listening in).
    fn talking_parties(&self) -> usize {
        self.parties
            .iter()
            .filter(|p| p.state != PartyState::Monitoring)
            .count()
    }
}

/// Dialogs kept after they end (wrap-up reasons, callbacks).
const ENDED_KEPT: usize = 2000;

/// UCCE reclassify values.
const RECLASSIFY_VALUES: &[&str] = &[
    "VOICE",
    "FAX",
    "ANS_MACHINE",
    "INVALID",
    "DO_NOT_CALL",
    "BUSY",
];

impl Sim {
    fn call_of(&self, agent: &str, dialog_id: &str) -> Result<&Call, ErrorCode> {
        if dialog_id.trim().is_empty() {
            return Err(ErrorCode::MissingDialogId);
        }
        let call = self
            .calls
            .get(dialog_id)
            .ok_or(ErrorCode::ECtiInvalidCallId)?;
        if call.party(agent).is_none() {
            return Err(ErrorCode::ECtiInvalidCallId);
        }
        Ok(call)
    }

    fn agent_by_extension(&self, ext: &str) -> Option<String> {
        self.agents
            .values()
            .find(|a| a.logged_in() && a.extension == ext)
            .map(|a| a.id().to_owned())
    }

    /// The agent's state from its calls: TALKING with a live leg, HOLD when
    /// all are held, and the post-call state when none is left.
    pub(super) fn refresh(&mut self, id: &str, wrap: bool) {
        let mut live = false;
        let mut held = false;
        let mut ringing = false;
        for call in self.calls.values() {
            if let Some(p) = call.party(id) {
                match p.state {
                    PartyState::Active | PartyState::Initiated | PartyState::Monitoring => {
                        live = true
                    }
                    PartyState::Held => held = true,
                    PartyState::Alerting => ringing = true,
                }
            }
        }
        let state = self.agents[id].state;
        let want = if live {
            AgentState::Talking
        } else if held {
            AgentState::Hold
        } else if ringing {
            return;
        } else {
            if wrap {
                self.after_last_call(id);
            } else if matches!(state, AgentState::Talking | AgentState::Hold) {
                let to = match self.agents[id].pending {
                    Some(AgentState::Ready) => AgentState::Ready,
                    _ => AgentState::NotReady,
                };
                self.set_state(id, to, None, false);
            }
            return;
        };
        if state == want || !AgentState::can_transition(state, want) {
            return;
        }
        if let Some(a) = self.agents.get_mut(id) {
            match state {
                AgentState::NotReady => a.after_call = AgentState::NotReady,
                AgentState::Reserved
                | AgentState::ReservedOutbound
                | AgentState::ReservedOutboundPreview => a.after_call = AgentState::Ready,
                _ => {}
            }
        }
        self.set_state(id, want, None, false);
    }

    /// Sends `agent` the current view of `dialog` (the reply if it issued
    /// the command).
    fn tell(&mut self, issuer: &str, agent: &str, call: &Call, state: &str) {
        let body = self.inbound_body(agent, state, call);
        self.reply_or_notify(issuer, agent, body);
    }

    /// Tells every agent on the call its own leg's state.
    pub(super) fn tell_all(&mut self, issuer: &str, dialog_id: &str) {
        let Some(call) = self.calls.get(dialog_id).cloned() else {
            return;
        };
        // The issuer's reply goes first so its request completes promptly.
        let mut agents = call.agent_parties();
        agents.sort_by_key(|a| a != issuer);
        for agent in agents {
            let state = call
                .party(&agent)
                .map(|p| p.state.as_str())
                .unwrap_or("DROP");
            self.tell(issuer, &agent, &call, state);
        }
    }

    /// Removes the call; every agent on it gets its post-call state and DROP.
    fn end_call(&mut self, issuer: &str, dialog_id: &str) {
        let Some(mut call) = self.calls.remove(dialog_id) else {
            return;
        };
        if let (Some(q), Some(answered)) = (call.queue.clone(), call.answered_at) {
            if let Some(q) = self.queues.get_mut(&q) {
                q.longest_handle_ms = q.longest_handle_ms.max(self.now - answered);
            }
        } else if let (Some(q), None) = (call.queue.clone(), call.answered_at) {
            if let Some(q) = self.queues.get_mut(&q) {
                q.abandoned += 1;
                q.waiting.retain(|d| d != dialog_id);
            }
        }
        let agents: Vec<(String, PartyState)> = call
            .parties
            .iter()
            .filter_map(|p| p.agent.clone().map(|a| (a, p.state)))
            .collect();
        call.parties.retain(|p| p.agent.is_none());
        self.remember_ended(call.clone());
        let mut ordered = agents;
        ordered.sort_by_key(|(a, _)| a != issuer);
        for (agent, state) in ordered {
            self.refresh(&agent, state != PartyState::Monitoring);
            self.tell(issuer, &agent, &call, "DROP");
        }
    }

    fn remember_ended(&mut self, call: Call) {
        if self.ended.len() >= ENDED_KEPT {
            if let Some(first) = self.ended.keys().next().cloned() {
                self.ended.remove(&first);
            }
        }
        self.ended.insert(call.id.clone(), call);
    }

    /// Takes one agent off a call; ends the call when fewer than two
    /// talking parties remain.
    pub(super) fn leave(&mut self, issuer: &str, agent: &str, dialog_id: &str) {
        let Some(call) = self.calls.get_mut(dialog_id) else {
            return;
        };
        let Some(pos) = call
            .parties
            .iter()
            .position(|p| p.agent.as_deref() == Some(agent))
        else {
            return;
        };
        let party = call.parties.remove(pos);
        if call.talking_parties() < 2 {
            call.parties.insert(pos, party);
            self.end_call(issuer, dialog_id);
            return;
        }
        let snapshot = call.clone();
        self.refresh(agent, party.state != PartyState::Monitoring);
        self.tell(issuer, agent, &snapshot, "DROP");
        self.tell_all(issuer, dialog_id);
        self.conference_changed(dialog_id);
    }

    /// The model's variable names first (positional on the wire), then any
    /// others in the order they were set.
    fn normalise(&self, vars: &mut Vec<(String, String)>, set: &[(String, String)]) {
        for (name, value) in set {
            match vars.iter_mut().find(|(n, _)| n == name) {
                Some(slot) => slot.1 = value.clone(),
                None => vars.push((name.clone(), value.clone())),
            }
        }
        if vars.iter().all(|(_, v)| v.is_empty()) {
            return;
        }
        for name in self.model.system.call_variables.iter().rev() {
            if !vars.iter().any(|(n, _)| n == name) {
                vars.insert(0, (name.clone(), String::new()));
            }
        }
        let order = |n: &str| {
            self.model
                .system
                .call_variables
                .iter()
                .position(|m| m == n)
                .unwrap_or(usize::MAX)
        };
        vars.sort_by_key(|(n, _)| order(n));
    }

    fn variables(vars: &[(String, String)]) -> Result<Vec<(String, String)>, ControlError> {
        for (n, v) in vars {
            if n.is_empty() || n.contains(['#', ',', '|', '=']) || v.contains(['#', ',', '|']) {
                return Err(ControlError::Invalid(format!(
                    "call variable `{n}`: names and values must not contain # , | (or = in names)"
                )));
            }
        }
        Ok(vars.to_vec())
    }

    fn check_address(s: &str, what: &str) -> Result<(), ControlError> {
        if s.is_empty() || s.contains(['#', ',', '|', ':', '\0']) {
            return Err(ControlError::Invalid(format!(
                "{what} must be non-empty, without # , | :"
            )));
        }
        Ok(())
    }

    fn ring(&mut self, agent: &str, dialog_id: &str) {
        if self.agents[agent].state == AgentState::Ready {
            self.agents.get_mut(agent).expect("known").after_call = AgentState::Ready;
            self.set_state(agent, AgentState::Reserved, None, false);
        }
        if let Some(call) = self.calls.get(dialog_id) {
            let body = format::new_inbound_call(call);
            self.notify(agent, body);
        }
    }

    /// The extension of `agent` when it is in `state`, for the controls
    /// that need an agent in one state.
    fn extension_if(
        &self,
        agent: &str,
        state: AgentState,
        wanted: &'static str,
    ) -> Result<String, ControlError> {
        let a = self
            .agents
            .get(agent)
            .ok_or_else(|| ControlError::UnknownAgent(agent.into()))?;
        if a.state != state {
            return Err(ControlError::WrongState {
                agent: agent.into(),
                state: a.state,
                wanted,
            });
        }
        Ok(a.extension.clone())
    }

    /// Control: an inbound ACD call rings a READY agent.
    pub fn offer_call(
        &mut self,
        agent: &str,
        from: &str,
        variables: &[(String, String)],
    ) -> Result<String, ControlError> {
        Self::check_address(from, "the caller's number")?;
        let variables = Self::variables(variables)?;
        let ext = self.extension_if(agent, AgentState::Ready, "READY")?;
        let id = self.new_dialog_id();
        self.calls.insert(
            id.clone(),
            self.new_call(&id, from, &ext, "ACD_IN", variables, None),
        );
        self.assign(agent, &id);
        Ok(id)
    }

    fn new_call(
        &self,
        id: &str,
        from: &str,
        to: &str,
        call_type: &str,
        set: Vec<(String, String)>,
        queue: Option<String>,
    ) -> Call {
        let mut variables = Vec::new();
        self.normalise(&mut variables, &set);
        Call {
            id: id.to_owned(),
            from: from.to_owned(),
            to: to.to_owned(),
            call_type: call_type.to_owned(),
            variables,
            started_at: self.now,
            answered_at: None,
            parties: vec![Party {
                agent: None,
                address: from.to_owned(),
                state: PartyState::Active,
            }],
            queue,
            consult_of: None,
            agents_seen: BTreeSet::new(),
            wrap_up: BTreeMap::new(),
            reclassified: None,
            preview: false,
        }
    }

    fn assign(&mut self, agent: &str, dialog_id: &str) {
        let ext = self.agents[agent].extension.clone();
        if let Some(call) = self.calls.get_mut(dialog_id) {
            call.to = ext.clone();
            call.agents_seen.insert(agent.to_owned());
            call.parties.push(Party {
                agent: Some(agent.to_owned()),
                address: ext,
                state: PartyState::Alerting,
            });
        }
        self.ring(agent, dialog_id);
    }

    /// Control: a call arrives at a queue; it rings the first READY agent
    /// of the queue's teams or waits until one becomes READY.
    pub fn offer_to_queue(
        &mut self,
        queue: &str,
        from: &str,
        variables: &[(String, String)],
    ) -> Result<String, ControlError> {
        Self::check_address(from, "the caller's number")?;
        let variables = Self::variables(variables)?;
        let q = self
            .model
            .queues
            .iter()
            .find(|q| q.name == queue)
            .cloned()
            .ok_or_else(|| ControlError::UnknownQueue(queue.into()))?;
        let id = self.new_dialog_id();
        let call = self.new_call(&id, from, "", "ACD_IN", variables, Some(q.name.clone()));
        self.calls.insert(id.clone(), call);
        let rt = self.queues.entry(q.name.clone()).or_default();
        rt.total += 1;
        let ready = self
            .agents
            .values()
            .filter(|a| a.state == AgentState::Ready && q.teams.contains(&a.model.team))
            .min_by_key(|a| a.state_changed_at)
            .map(|a| a.id().to_owned());
        match ready {
            Some(agent) => self.assign(&agent, &id),
            None => self
                .queues
                .get_mut(&q.name)
                .expect("inserted")
                .waiting
                .push_back(id.clone()),
        }
        Ok(id)
    }

    pub(super) fn deliver_queued(&mut self, agent: &str) {
        let team = self.agents[agent].model.team.clone();
        let names: Vec<String> = self
            .model
            .queues
            .iter()
            .filter(|q| q.teams.contains(&team))
            .map(|q| q.name.clone())
            .collect();
        for name in names {
            let next = self
                .queues
                .get_mut(&name)
                .and_then(|q| q.waiting.pop_front());
            if let Some(dialog) = next {
                self.assign(agent, &dialog);
                return;
            }
        }
    }

    /// Control: the customer (or far end) hangs up; every leg drops.
    pub fn hang_up(&mut self, dialog_id: &str) -> Result<(), ControlError> {
        if !self.calls.contains_key(dialog_id) {
            return Err(ControlError::UnknownDialog(dialog_id.into()));
        }
        self.end_call("", dialog_id);
        Ok(())
    }

    /// Control: an outbound preview (or personal callback) reservation.
    pub fn offer_preview(
        &mut self,
        agent: &str,
        number: &str,
        variables: &[(String, String)],
        personal_callback: bool,
    ) -> Result<String, ControlError> {
        Self::check_address(number, "the customer's number")?;
        let variables = Self::variables(variables)?;
        let ext = self.extension_if(agent, AgentState::Ready, "READY")?;
        let id = self.new_dialog_id();
        let kind = if personal_callback {
            "OUTBOUND_PERSONAL_CALLBACK"
        } else {
            "OUTBOUND_PREVIEW"
        };
        let mut call = self.new_call(&id, number, &ext, kind, variables, None);
        call.preview = true;
        call.parties.clear();
        call.agents_seen.insert(agent.to_owned());
        call.parties.push(Party {
            agent: Some(agent.to_owned()),
            address: ext,
            state: PartyState::Alerting,
        });
        self.calls.insert(id.clone(), call);
        self.agents.get_mut(agent).expect("known").after_call = AgentState::Ready;
        self.set_state(agent, AgentState::ReservedOutboundPreview, None, false);
        let body = format::new_preview_call(&self.calls[&id]);
        self.notify(agent, body);
        Ok(id)
    }

    /// Control: the dialog fails (network, far end). Every agent on it
    /// gets the guide's Failure form and goes back to its state before
    /// the call.
    pub fn fail_call(&mut self, dialog_id: &str, cause: &str) -> Result<(), ControlError> {
        if cause.is_empty() || cause.contains(['#', '\0']) {
            return Err(ControlError::Invalid(
                "the failure cause must be non-empty, without `#`".into(),
            ));
        }
        let call = self
            .calls
            .remove(dialog_id)
            .ok_or_else(|| ControlError::UnknownDialog(dialog_id.into()))?;
        if let Some(q) = call.queue.as_ref().and_then(|q| self.queues.get_mut(q)) {
            q.waiting.retain(|d| d != dialog_id);
        }
        self.remember_ended(call.clone());
        for agent in call.agent_parties() {
            let answered = call.answered_at.is_some();
            self.refresh(&agent, answered);
            let body =
                format::inbound_call_failed(&agent, dialog_id, cause, &self.full_name(&agent));
            self.notify(&agent, body);
        }
        Ok(())
    }

    /// Control: Outbound Option progressive/predictive reserves a READY
    /// agent (RESERVED_OUTBOUND) for the call [`Sim::outbound_call`] brings.
    pub fn reserve_outbound(&mut self, agent: &str) -> Result<(), ControlError> {
        let a = self
            .agents
            .get(agent)
            .ok_or_else(|| ControlError::UnknownAgent(agent.into()))?;
        if a.state != AgentState::Ready {
            return Err(ControlError::WrongState {
                agent: agent.into(),
                state: a.state,
                wanted: "READY",
            });
        }
        self.agents.get_mut(agent).expect("known").after_call = AgentState::Ready;
        self.set_state(agent, AgentState::ReservedOutbound, None, false);
        Ok(())
    }

    /// Control: the dialer connects a customer to an agent it reserved; the
    /// call rings the agent (`NewInboundCall`, CallType OUTBOUND) and the
    /// agent answers it.
    pub fn outbound_call(
        &mut self,
        agent: &str,
        number: &str,
        variables: &[(String, String)],
    ) -> Result<String, ControlError> {
        Self::check_address(number, "the customer's number")?;
        let variables = Self::variables(variables)?;
        let ext = self.extension_if(agent, AgentState::ReservedOutbound, "RESERVED_OUTBOUND")?;
        let id = self.new_dialog_id();
        let call = self.new_call(&id, number, &ext, "OUTBOUND", variables, None);
        self.calls.insert(id.clone(), call);
        self.assign(agent, &id);
        Ok(id)
    }

    pub(super) fn make_call(&mut self, id: &str, number: &str) -> Handled {
        let number = number.trim();
        if number.is_empty() {
            return Err(ErrorCode::MissingNumber);
        }
        if self.agents[id].state != AgentState::NotReady {
            return Err(ErrorCode::CfInvalidObjectState);
        }
        let me = self.agents[id].extension.clone();
        if number == me {
            return Err(ErrorCode::CfInvalidObjectState);
        }
        let callee = self.agent_by_extension(number);
        if let Some(c) = &callee {
            if !matches!(
                self.agents[c].state,
                AgentState::Ready | AgentState::NotReady
            ) {
                return Err(ErrorCode::CfResourceBusy);
            }
        }
        let dialog = self.new_dialog_id();
        let kind = if callee.is_some() {
            "AGENT_INSIDE"
        } else {
            "OUT"
        };
        let mut call = self.new_call(&dialog, &me, number, kind, vec![], None);
        call.parties.clear();
        call.agents_seen.insert(id.to_owned());
        call.parties.push(Party {
            agent: Some(id.to_owned()),
            address: me,
            state: if callee.is_some() {
                PartyState::Initiated
            } else {
                PartyState::Active
            },
        });
        if callee.is_none() {
            // The far end picks up at once.
            call.answered_at = Some(self.now);
            call.parties.push(Party {
                agent: None,
                address: number.to_owned(),
                state: PartyState::Active,
            });
        }
        self.calls.insert(dialog.clone(), call);
        self.refresh(id, true);
        self.tell_all(id, &dialog);
        if !self.friendly() {
            // The guide's InboundCall#INITIATED/ACTIVE has no DialogID; the
            // DialogState the project expects after MakeCall names it.
            let state = self.calls[&dialog]
                .party(id)
                .map(|p| p.state.as_str())
                .unwrap_or("ACTIVE");
            let body = format::dialog_state(id, state, &dialog, &self.full_name(id));
            self.reply(body);
        }
        if let Some(c) = callee {
            self.assign(&c, &dialog);
        }
        Ok(())
    }

    pub(super) fn answer(&mut self, id: &str, dialog_id: &str) -> Handled {
        let call = self.call_of(id, dialog_id)?;
        if call.preview || call.party(id).map(|p| p.state) != Some(PartyState::Alerting) {
            return Err(ErrorCode::CfInvalidObjectState);
        }
        if !matches!(
            self.agents[id].state,
            AgentState::Reserved
                | AgentState::ReservedOutbound
                | AgentState::NotReady
                | AgentState::Talking
                | AgentState::Hold
        ) {
            return Err(ErrorCode::CfInvalidObjectState);
        }
        let now = self.now;
        let call = self.calls.get_mut(dialog_id).expect("checked");
        for p in &mut call.parties {
            if p.agent.as_deref() == Some(id) || p.state == PartyState::Initiated {
                p.state = PartyState::Active;
            }
        }
        let first_answer = call.answered_at.is_none();
        call.answered_at.get_or_insert(now);
        let queue = call.queue.clone();
        let consult_of = call.consult_of.clone();
        let others = call.agent_parties();
        if first_answer {
            if let Some(q) = queue.and_then(|q| self.queues.get_mut(&q)) {
                q.handled += 1;
            }
        }
        self.refresh(id, true);
        self.tell_all(id, dialog_id);
        for other in others.iter().filter(|o| o.as_str() != id) {
            self.refresh(other, true);
        }
        if consult_of.is_some() {
            let call = self.calls[dialog_id].clone();
            let name = self.full_name(id);
            for other in others.iter().filter(|o| o.as_str() != id) {
                let body = format::consult_call(other, "ACTIVE", &call, &name);
                self.notify(other, body);
            }
        }
        Ok(())
    }

    pub(super) fn release(&mut self, id: &str, dialog_id: &str) -> Handled {
        self.call_of(id, dialog_id)?;
        self.leave(id, id, dialog_id);
        Ok(())
    }

    pub(super) fn hold(&mut self, id: &str, dialog_id: &str, hold: bool) -> Handled {
        let call = self.call_of(id, dialog_id)?;
        let (from, to) = if hold {
            (PartyState::Active, PartyState::Held)
        } else {
            (PartyState::Held, PartyState::Active)
        };
        if call.party(id).map(|p| p.state) != Some(from) {
            return Err(ErrorCode::CfInvalidObjectState);
        }
        self.calls
            .get_mut(dialog_id)
            .and_then(|c| c.party_mut(id))
            .expect("checked")
            .state = to;
        self.refresh(id, true);
        if hold && self.model.system.flavor == Flavor::Uccx {
            // The guide: "UCCX does not send the hold event in response to
            // this command". The call is held all the same.
            return Ok(());
        }
        let call = self.calls[dialog_id].clone();
        self.tell(id, id, &call, to.as_str());
        Ok(())
    }

    fn require_active(&self, id: &str, dialog_id: &str) -> Handled {
        let call = self.call_of(id, dialog_id)?;
        if call.party(id).map(|p| p.state) != Some(PartyState::Active) {
            return Err(ErrorCode::CfInvalidObjectState);
        }
        Ok(())
    }

    /// A target for a transfer or consult: a logged-in agent that can ring,
    /// or an outside number.
    fn target(&self, id: &str, extension: &str) -> Result<Option<String>, ErrorCode> {
        let ext = extension.trim();
        if ext.is_empty() {
            return Err(ErrorCode::MissingExtension);
        }
        if ext.contains(['#', '|', ':']) {
            return Err(ErrorCode::WrongExtension);
        }
        if ext == self.agents[id].extension {
            return Err(ErrorCode::CfInvalidObjectState);
        }
        match self.agent_by_extension(ext) {
            Some(a)
                if matches!(
                    self.agents[&a].state,
                    AgentState::Ready | AgentState::NotReady
                ) =>
            {
                Ok(Some(a))
            }
            Some(_) => Err(ErrorCode::CfResourceBusy),
            None => Ok(None),
        }
    }

    pub(super) fn single_step_transfer(
        &mut self,
        id: &str,
        extension: &str,
        dialog_id: &str,
    ) -> Handled {
        self.require_active(id, dialog_id)?;
        let target = self.target(id, extension)?;
        let call = self.calls.get_mut(dialog_id).expect("checked");
        call.call_type = "TRANSFER".into();
        let pos = call
            .parties
            .iter()
            .position(|p| p.agent.as_deref() == Some(id))
            .expect("checked");
        call.parties.remove(pos);
        let snapshot = call.clone();
        match &target {
            Some(_) => {}
            None => {
                // The call leaves the simulated centre.
                call.parties.push(Party {
                    agent: None,
                    address: extension.trim().to_owned(),
                    state: PartyState::Active,
                });
            }
        }
        self.refresh(id, true);
        self.tell(id, id, &snapshot, "DROP");
        match target {
            Some(t) => self.assign(&t, dialog_id),
            None => {
                if self.calls[dialog_id].agent_parties().is_empty() {
                    if let Some(call) = self.calls.remove(dialog_id) {
                        self.remember_ended(call);
                    }
                }
            }
        }
        Ok(())
    }

    pub(super) fn consult(&mut self, id: &str, extension: &str, dialog_id: &str) -> Handled {
        self.require_active(id, dialog_id)?;
        let target = self.target(id, extension)?;
        let ext = extension.trim().to_owned();
        let me = self.agents[id].extension.clone();
        let main = self.calls.get_mut(dialog_id).expect("checked");
        main.party_mut(id).expect("checked").state = PartyState::Held;
        let variables = main.variables.clone();
        let main_from = main.from.clone();
        let consult_id = self.new_dialog_id();
        let mut call = self.new_call(&consult_id, &me, &ext, "CONSULT", variables, None);
        call.from = main_from;
        call.consult_of = Some(dialog_id.to_owned());
        call.parties.clear();
        call.agents_seen.insert(id.to_owned());
        call.parties.push(Party {
            agent: Some(id.to_owned()),
            address: me,
            state: if target.is_some() {
                PartyState::Initiated
            } else {
                PartyState::Active
            },
        });
        if target.is_none() {
            call.answered_at = Some(self.now);
            call.parties.push(Party {
                agent: None,
                address: ext.clone(),
                state: PartyState::Active,
            });
        }
        self.calls.insert(consult_id.clone(), call);
        self.refresh(id, true);
        let main = self.calls[dialog_id].clone();
        let held = self.inbound_body(id, "HELD", &main);
        self.notify(id, held);
        let name = match &target {
            Some(t) => self.full_name(t),
            None => ext,
        };
        let state = if target.is_some() {
            "INITIATED"
        } else {
            "ACTIVE"
        };
        let body = format::consult_call(id, state, &self.calls[&consult_id], &name);
        self.reply(body);
        if let Some(t) = target {
            self.assign(&t, &consult_id);
        }
        Ok(())
    }

    /// TransferCall / Conferencecall: the consulted party joins the main
    /// call; on transfer the consulting agent leaves it.
    pub(super) fn complete_consult(
        &mut self,
        id: &str,
        extension: &str,
        dialog_id: &str,
        conference: bool,
    ) -> Handled {
        self.call_of(id, dialog_id)?;
        let ext = extension.trim();
        if ext.is_empty() {
            return Err(ErrorCode::MissingExtension);
        }
        let consult_id = self
            .calls
            .values()
            .find(|c| {
                c.consult_of.as_deref() == Some(dialog_id)
                    && c.party(id).is_some()
                    && c.parties
                        .iter()
                        .any(|p| p.address == ext && p.state == PartyState::Active)
            })
            .map(|c| c.id.clone())
            .ok_or(ErrorCode::CfInvalidObjectState)?;
        let consult = self.calls.remove(&consult_id).expect("found");
        let joining = consult
            .parties
            .iter()
            .find(|p| p.address == ext)
            .cloned()
            .expect("found");
        self.remember_ended(consult.clone());
        let main = self.calls.get_mut(dialog_id).expect("checked");
        main.call_type = if conference { "CONFERENCE" } else { "TRANSFER" }.into();
        if let Some(a) = &joining.agent {
            main.agents_seen.insert(a.clone());
        }
        main.parties.push(Party {
            state: PartyState::Active,
            ..joining.clone()
        });
        if conference {
            main.party_mut(id).expect("checked").state = PartyState::Active;
        } else {
            main.parties.retain(|p| p.agent.as_deref() != Some(id));
        }
        let main_snapshot = self.calls[dialog_id].clone();
        if let Some(a) = &joining.agent {
            self.tell(id, a, &consult, "DROP");
        }

        if conference {
            self.refresh(id, true);
            self.tell_all(id, dialog_id);
            self.conference_changed(dialog_id);
        } else {
            self.refresh(id, true);
            self.tell(id, id, &main_snapshot, "DROP");
            if let Some(a) = &joining.agent {
                self.tell(id, a, &main_snapshot, "ACTIVE");
            }
            if main_snapshot.agent_parties().is_empty() {
                if let Some(call) = self.calls.remove(dialog_id) {
                    self.remember_ended(call);
                }
            }
        }
        // After the reply: the reply must be the issuer's first InboundCall.
        let dropped = self.inbound_body(id, "DROP", &consult);
        self.notify(id, dropped);
        Ok(())
    }

    pub(super) fn dialog_state(&mut self, id: &str, dialog_id: &str) -> Handled {
        if dialog_id.trim().is_empty() {
            return Err(ErrorCode::MissingDialogId);
        }
        let state = if let Some(c) = self.calls.get(dialog_id) {
            c.party(id).map(|p| p.state.as_str()).unwrap_or("ACTIVE")
        } else if self.ended.contains_key(dialog_id) {
            "DROPPED"
        } else {
            return Err(ErrorCode::ECtiInvalidCallId);
        };
        let body = format::dialog_state(id, state, dialog_id, &self.full_name(id));
        self.reply(body);
        Ok(())
    }

    /// A dialog the agent is on or took part in (for wrap-up, callbacks).
    fn known_dialog(&mut self, id: &str, dialog_id: &str) -> Result<&mut Call, ErrorCode> {
        if dialog_id.trim().is_empty() {
            return Err(ErrorCode::MissingDialogId);
        }
        let call = match self.calls.get_mut(dialog_id) {
            Some(c) => c,
            None => self
                .ended
                .get_mut(dialog_id)
                .ok_or(ErrorCode::ECtiInvalidCallId)?,
        };
        if !call.agents_seen.contains(id) {
            return Err(ErrorCode::ECtiInvalidCallId);
        }
        Ok(call)
    }

    pub(super) fn wrap_up(&mut self, id: &str, reason: &str, dialog_id: &str) -> Handled {
        if reason.trim().is_empty() {
            return Err(ErrorCode::MissingReasonCode);
        }
        if !self
            .model
            .reason_codes
            .wrap_up
            .iter()
            .any(|w| w == reason.trim())
        {
            return Err(ErrorCode::PleaseRetry);
        }
        let active = self.calls.contains_key(dialog_id);
        let call = self.known_dialog(id, dialog_id)?;
        call.wrap_up.insert(id.to_owned(), reason.trim().to_owned());
        let state = if active { "ACTIVE" } else { "WRAP_UP" };
        let body = format::dialog_state(id, state, dialog_id, &self.full_name(id));
        self.reply(body);
        Ok(())
    }

    pub(super) fn update_call_variables(
        &mut self,
        id: &str,
        dialog_id: &str,
        variables: &[(String, String)],
    ) -> Handled {
        self.call_of(id, dialog_id)?;
        if variables.is_empty()
            || variables
                .iter()
                .any(|(n, v)| n.is_empty() || v.contains('#'))
        {
            return Err(ErrorCode::InvalidCallData);
        }
        let mut vars = self.calls[dialog_id].variables.clone();
        self.normalise(&mut vars, variables);
        self.calls.get_mut(dialog_id).expect("checked").variables = vars;
        self.tell_all(id, dialog_id);
        Ok(())
    }

    pub(super) fn accept_preview(&mut self, id: &str, dialog_id: &str) -> Handled {
        let call = self.call_of(id, dialog_id)?;
        if !call.preview || call.party(id).map(|p| p.state) != Some(PartyState::Alerting) {
            return Err(ErrorCode::CfInvalidObjectState);
        }
        let now = self.now;
        let call = self.calls.get_mut(dialog_id).expect("checked");
        call.party_mut(id).expect("checked").state = PartyState::Active;
        call.answered_at = Some(now);
        let number = call.from.clone();
        call.parties.push(Party {
            agent: None,
            address: number,
            state: PartyState::Active,
        });
        self.refresh(id, true);
        self.tell_all(id, dialog_id);
        Ok(())
    }

    pub(super) fn end_preview(&mut self, id: &str, dialog_id: &str, _how: &str) -> Handled {
        let call = self.call_of(id, dialog_id)?;
        if !call.preview || call.party(id).map(|p| p.state) != Some(PartyState::Alerting) {
            return Err(ErrorCode::CfInvalidObjectState);
        }
        let call = self.calls.remove(dialog_id).expect("checked");
        self.remember_ended(call.clone());
        self.after_last_call(id);
        self.tell(id, id, &call, "DROP");
        Ok(())
    }

    pub(super) fn schedule_callback(
        &mut self,
        id: &str,
        target: &str,
        dialog_id: &str,
        time: &str,
        number: &str,
        update: bool,
    ) -> Handled {
        if [target, dialog_id, time, number]
            .iter()
            .any(|s| s.trim().is_empty())
        {
            return Err(ErrorCode::InvalidCallData);
        }
        self.known_dialog(id, dialog_id)?;
        if update && !self.callbacks.contains_key(dialog_id) {
            return Err(ErrorCode::ECtiInvalidCallId);
        }
        self.callbacks.insert(
            dialog_id.to_owned(),
            Callback {
                agent: id.to_owned(),
                dialog_id: dialog_id.to_owned(),
                time: time.to_owned(),
                number: number.to_owned(),
            },
        );
        let what = if update { "UPDATED" } else { "SCHEDULED" };
        self.reply(format::callback(what, &[dialog_id, time, number]));
        Ok(())
    }

    pub(super) fn cancel_callback(&mut self, _id: &str, target: &str, dialog_id: &str) -> Handled {
        if target.trim().is_empty() || dialog_id.trim().is_empty() {
            return Err(ErrorCode::InvalidCallData);
        }
        if self.callbacks.remove(dialog_id).is_none() {
            return Err(ErrorCode::ECtiInvalidCallId);
        }
        self.reply(format::callback("CANCELLED", &[dialog_id]));
        Ok(())
    }

    pub(super) fn reclassify(
        &mut self,
        id: &str,
        target: &str,
        dialog_id: &str,
        value: &str,
    ) -> Handled {
        if target.trim().is_empty() || value.trim().is_empty() {
            return Err(ErrorCode::InvalidCallData);
        }
        let call = self.call_of(id, dialog_id)?;
        if !call.call_type.starts_with("OUTBOUND") {
            return Err(ErrorCode::CfInvalidObjectState);
        }
        let value = value.trim().to_ascii_uppercase();
        if !RECLASSIFY_VALUES.contains(&value.as_str()) {
            return Err(ErrorCode::PleaseRetry);
        }
        let call = self.calls.get_mut(dialog_id).expect("checked");
        call.reclassified = Some(value);
        let state = call.party(id).map(|p| p.state.as_str()).unwrap_or("ACTIVE");
        let snapshot = call.clone();
        self.tell(id, id, &snapshot, state);
        Ok(())
    }
}
