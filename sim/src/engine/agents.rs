//! Sessions, login and the UCCE agent state machine.

use gcclient::protocol::{AgentState, ErrorCode};

use super::{format, Handled, Sim, Timer};

impl Sim {
    pub(super) fn connect(
        &mut self,
        id: &str,
        destination: &str,
        password: &str,
        sso: bool,
    ) -> Handled {
        if password.is_empty() {
            return Err(ErrorCode::MissingPassword);
        }
        self.check_credentials(id, password, sso)?;
        let destination = if destination.is_empty() {
            self.ctx
                .as_ref()
                .and_then(|c| c.reply_to.clone())
                .unwrap_or_default()
        } else {
            destination.to_owned()
        };
        self.bind_session(id, &destination);
        Ok(())
    }

    fn check_credentials(&self, id: &str, password: &str, sso: bool) -> Handled {
        let agent = self.agents.get(id).ok_or(ErrorCode::UserNotFound)?;
        let ok = if agent.model.sso && sso {
            !password.is_empty()
        } else {
            agent.model.password == password
        };
        if ok {
            Ok(())
        } else {
            Err(ErrorCode::SubscriptionFailed)
        }
    }

    /// Attaches the agent to `destination`, starting a new session; a
    /// session elsewhere is invalidated (the guide's SESSION_INVALIDATED,
    /// then LOGOUT there) and that destination can no longer command it.
    fn bind_session(&mut self, id: &str, destination: &str) {
        let agent = &self.agents[id];
        if let Some(old) = agent.session.clone().filter(|o| o != destination) {
            let logged_in = agent.logged_in();
            let error = format::error(id, &ErrorCode::SessionInvalidated);
            self.send_to(&old, Some(id), error);
            if logged_in {
                let mut logout = self.agents[id].clone();
                logout.state = AgentState::Logout;
                logout.pending = None;
                let body = format::state(&logout, self.now);
                self.send_to(&old, Some(id), body);
            }
            self.agents
                .get_mut(id)
                .expect("checked")
                .invalidated
                .insert(old);
        }
        self.destinations.insert(destination.to_owned());
        let agent = self.agents.get_mut(id).expect("checked");
        if agent.session.as_deref() != Some(destination) {
            agent.team_subscriptions.clear();
        }
        agent.invalidated.remove(destination);
        agent.session = Some(destination.to_owned());
        agent.agent_info_sent = false;
    }

    /// Login after a Connect (the dispatcher refuses it without one). The
    /// credentials were checked on Connect; Login checks the extension,
    /// the device and the licences.
    pub(super) fn login(
        &mut self,
        id: &str,
        password: &str,
        extension: &str,
        mobile: Option<(String, bool)>,
    ) -> Handled {
        if password.is_empty() {
            return Err(ErrorCode::MissingPassword);
        }
        let extension = extension.trim();
        if extension.is_empty() {
            return Err(ErrorCode::MissingExtension);
        }
        if !extension.chars().all(|c| c.is_ascii_digit()) {
            return Err(ErrorCode::WrongExtension);
        }
        if self
            .agents
            .values()
            .any(|a| a.id() != id && a.logged_in() && a.extension == extension)
        {
            return Err(ErrorCode::CfInvalidLogonDeviceSpecified);
        }
        let already = self.agents[id].logged_in();
        if !already {
            let in_use = self.agents.values().filter(|a| a.logged_in()).count();
            if in_use >= self.model.system.licence_limit {
                return Err(ErrorCode::LicensesExceeded);
            }
        }
        if !self.agents[id].agent_info_sent {
            let info = format::agent_info(self, id);
            self.reply(info);
            self.agents.get_mut(id).expect("checked").agent_info_sent = true;
        }
        if !already {
            let now = self.now;
            let agent = self.agents.get_mut(id).expect("checked");
            agent.extension = extension.to_owned();
            agent.mobile = mobile;
            agent.state = AgentState::NotReady;
            agent.reason_code = "-1".into();
            agent.reason_label = String::new();
            agent.pending = None;
            agent.state_changed_at = now;
        }
        let state = self.state_body(id);
        self.reply(state);
        let status = format::dialog_status(self, id);
        self.reply(status);
        if self.agents[id].model.supervisor {
            let (ids, names) = format::team_info(self, id);
            self.reply(ids);
            self.reply(names);
        }
        if !already {
            self.team_member_changed(id);
        }
        Ok(())
    }

    pub(super) fn state_body(&self, id: &str) -> String {
        format::state(&self.agents[id], self.now)
    }

    /// A state change the agent (or a supervisor) asked for: allowed only
    /// along the UCCE table; while on a call it becomes the pending state.
    pub(super) fn request_state(
        &mut self,
        id: &str,
        to: AgentState,
        reason: Option<(String, String)>,
    ) -> Handled {
        let from = self.agents[id].state;
        if !AgentState::can_transition(from, to) {
            return Err(ErrorCode::CfInvalidObjectState);
        }
        if matches!(
            from,
            AgentState::Talking | AgentState::Hold | AgentState::ReservedOutboundPreview
        ) {
            let agent = self.agents.get_mut(id).expect("checked");
            agent.pending = Some(to);
            agent.pending_reason = reason;
            let body = self.state_body(id);
            self.reply(body);
            return Ok(());
        }
        self.set_state(id, to, reason, true);
        Ok(())
    }

    /// Moves the agent and tells it (as the reply when `as_reply`), its
    /// subscribed supervisors, and the queues.
    pub(super) fn set_state(
        &mut self,
        id: &str,
        to: AgentState,
        reason: Option<(String, String)>,
        as_reply: bool,
    ) {
        let now = self.now;
        let timer_s = {
            let agent = self.agents.get_mut(id).expect("known agent");
            debug_assert!(
                AgentState::can_transition(agent.state, to),
                "{} -> {to}",
                agent.state
            );
            let (code, label) = match (to, reason) {
                (_, Some(r)) => r,
                (AgentState::NotReady | AgentState::Logout, None) => ("-1".into(), String::new()),
                _ => (String::new(), String::new()),
            };
            agent.state = to;
            agent.reason_code = code;
            agent.reason_label = label;
            agent.pending = None;
            agent.pending_reason = None;
            agent.state_changed_at = now;
            agent.wrap_gen += 1;
            if to == AgentState::Logout {
                agent.team_subscriptions.clear();
                agent.mobile = None;
            }
            agent
                .model
                .wrap_up_timer_s
                .unwrap_or(self.model.system.wrap_up_timer_s)
        };
        self.timers.remove(id);
        if matches!(to, AgentState::Work | AgentState::WorkReady) && timer_s > 0.0 {
            let gen = self.agents[id].wrap_gen;
            self.timers.insert(
                id.to_owned(),
                Timer {
                    due: now + (timer_s * 1000.0) as u64,
                    gen,
                },
            );
        }
        let body = self.state_body(id);
        if as_reply {
            self.reply(body);
        } else {
            self.notify(id, body);
        }
        self.team_member_changed(id);
        if to == AgentState::Ready {
            self.deliver_queued(id);
        }
    }

    pub(super) fn wrap_up_expired(&mut self, id: &str, gen: u64) {
        let Some(agent) = self.agents.get(id) else {
            return;
        };
        if agent.wrap_gen != gen {
            return;
        }
        let to = match agent.state {
            AgentState::Work => AgentState::NotReady,
            AgentState::WorkReady => AgentState::Ready,
            _ => return,
        };
        self.set_state(id, to, None, false);
    }

    /// Where an agent goes when its last call ends.
    pub(super) fn after_last_call(&mut self, id: &str) {
        let agent = &self.agents[id];
        let from = agent.state;
        let pending = agent.pending;
        let reason = agent.pending_reason.clone();
        let to = match from {
            AgentState::Talking | AgentState::Hold => {
                let wants_not_ready = match pending {
                    Some(AgentState::NotReady | AgentState::Work) => true,
                    Some(AgentState::Ready | AgentState::WorkReady) => false,
                    _ => agent.after_call == AgentState::NotReady,
                };
                match (agent.model.wrap_up_enabled(), wants_not_ready) {
                    (true, true) => AgentState::Work,
                    (true, false) => AgentState::WorkReady,
                    (false, true) => AgentState::NotReady,
                    (false, false) => AgentState::Ready,
                }
            }
            AgentState::Reserved | AgentState::ReservedOutbound => AgentState::Ready,
            AgentState::ReservedOutboundPreview => match pending {
                Some(AgentState::NotReady) => AgentState::NotReady,
                _ => AgentState::Ready,
            },
            _ => return,
        };
        let reason = if to == AgentState::NotReady {
            reason
        } else {
            None
        };
        self.set_state(id, to, reason, false);
    }

    /// A state change for the supervisors who subscribed to the agent's
    /// team; the guide marks the event "(Not Using)", so only when the
    /// model turns such events on.
    pub(super) fn team_member_changed(&mut self, id: &str) {
        if !self.model.simulator.not_using_events {
            return;
        }
        let agent = &self.agents[id];
        let team = agent.model.team.clone();
        let state = agent.state;
        let supervisors: Vec<String> = self
            .agents
            .values()
            .filter(|s| s.id() != id && s.team_subscriptions.contains(&team))
            .map(|s| s.id().to_owned())
            .collect();
        for s in supervisors {
            self.notify(
                &s,
                format!("{s}#TeamMemberStateChanged#{team}#{state}#{id}"),
            );
        }
    }
}

impl super::AgentRt {
    pub fn id(&self) -> &str {
        &self.model.id
    }
}
