//! The simulator's brain: GC + Finesse as a pure state machine. It takes
//! decoded commands (and control requests, and the clock) and returns the
//! event bodies to send, with their destination and correlation id. No I/O,
//! so every rule is unit-tested without a broker.

mod agents;
mod calls;
mod format;
mod supervisor;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use gcclient::protocol::{AgentState, Command, ErrorCode};

use crate::clock::Ms;
use crate::model::{AgentModel, Model};

pub use calls::{Call, Party, PartyState};

/// One event body to publish on a client topic (bare topic name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub destination: String,
    pub correlation_id: Option<String>,
    pub body: String,
}

/// A command as it reached GC.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The `reply-to` topic name (without `/topic/`), if any.
    pub reply_to: Option<&'a str>,
    pub correlation_id: Option<&'a str>,
    /// The part of the JMS type after `#`: agent id or destination.
    pub target: &'a str,
    pub command: &'a Command,
}

/// Why a control request (test or demo API) was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ControlError {
    #[error("no agent `{0}` in the model")]
    UnknownAgent(String),
    #[error("agent `{agent}` is {state}, not {wanted}")]
    WrongState {
        agent: String,
        state: AgentState,
        wanted: &'static str,
    },
    #[error("no call with dialog id `{0}`")]
    UnknownDialog(String),
    #[error("no queue `{0}` in the model")]
    UnknownQueue(String),
    #[error("{0}")]
    Invalid(String),
}

/// GC's and Finesse's view of one agent.
#[derive(Debug, Clone)]
pub struct AgentRt {
    pub model: AgentModel,
    /// The client destination GC knows this agent on (after Connect/Login).
    pub session: Option<String>,
    pub state: AgentState,
    pub reason_code: String,
    pub reason_label: String,
    pub pending: Option<AgentState>,
    pending_reason: Option<(String, String)>,
    pub extension: String,
    pub state_changed_at: Ms,
    /// READY or NOT_READY: where a call without wrap-up leaves the agent.
    after_call: AgentState,
    wrap_gen: u64,
    /// Teams whose member changes this supervisor asked for.
    pub team_subscriptions: BTreeSet<String>,
    pub mobile: Option<(String, bool)>,
}

impl AgentRt {
    fn new(model: AgentModel, now: Ms) -> Self {
        AgentRt {
            extension: model.extension.clone(),
            model,
            session: None,
            state: AgentState::Logout,
            reason_code: String::new(),
            reason_label: String::new(),
            pending: None,
            pending_reason: None,
            state_changed_at: now,
            after_call: AgentState::Ready,
            wrap_gen: 0,
            team_subscriptions: BTreeSet::new(),
            mobile: None,
        }
    }

    pub fn logged_in(&self) -> bool {
        self.state != AgentState::Logout
    }
}

/// A scheduled callback (personal or campaign).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback {
    pub agent: String,
    pub dialog_id: String,
    pub time: String,
    pub number: String,
}

#[derive(Debug, Clone, Default)]
pub struct QueueRt {
    pub waiting: VecDeque<String>,
    pub handled: u64,
    pub abandoned: u64,
    pub total: u64,
    pub longest_handle_ms: u64,
}

#[derive(Debug, Clone, Copy)]
struct Timer {
    due: Ms,
    gen: u64,
}

/// The whole simulated world.
#[derive(Debug, Clone)]
pub struct Sim {
    pub model: Model,
    pub in_service: bool,
    /// Client destinations GC knows (forgotten on restart).
    pub destinations: BTreeSet<String>,
    pub agents: BTreeMap<String, AgentRt>,
    pub calls: BTreeMap<String, Call>,
    /// Dialogs that ended, kept for wrap-up reasons and callbacks.
    pub ended: BTreeMap<String, Call>,
    pub queues: BTreeMap<String, QueueRt>,
    pub callbacks: BTreeMap<String, Callback>,
    timers: BTreeMap<String, Timer>,
    next_dialog: u64,
    now: Ms,
    out: Vec<Outgoing>,
    /// Reply destination and correlation id of the command being handled.
    ctx: Option<(String, Option<String>)>,
}

type Handled = Result<(), ErrorCode>;

impl Sim {
    pub fn new(model: Model, now: Ms) -> Sim {
        let agents = model
            .agents
            .iter()
            .map(|a| (a.id.clone(), AgentRt::new(a.clone(), now)))
            .collect();
        let queues = model
            .queues
            .iter()
            .map(|q| (q.name.clone(), QueueRt::default()))
            .collect();
        Sim {
            model,
            in_service: true,
            destinations: BTreeSet::new(),
            agents,
            calls: BTreeMap::new(),
            ended: BTreeMap::new(),
            queues,
            callbacks: BTreeMap::new(),
            timers: BTreeMap::new(),
            next_dialog: 16_777_216,
            now,
            out: Vec::new(),
            ctx: None,
        }
    }

    /// Handles one command as GC would and returns what GC sends.
    pub fn handle(&mut self, now: Ms, req: Request<'_>) -> Vec<Outgoing> {
        self.now = now.max(self.now);
        let mut out = self.fire_timers();
        let reply_to = req.reply_to.unwrap_or(req.target).to_owned();
        self.ctx = Some((reply_to, req.correlation_id.map(str::to_owned)));
        self.dispatch(req.target, req.command);
        self.ctx = None;
        // Events for other agents go out before the issuer's own, so when the
        // issuer's request completes, what it caused elsewhere is already
        // published; the issuer's events keep their order. The issuer's
        // events all carry the command's correlation id: the reply is the
        // first of its type, and a client that matches uncorrelated events
        // to pending requests cannot take a later one for its next request.
        let (mut mine, others): (Vec<Outgoing>, Vec<Outgoing>) = std::mem::take(&mut self.out)
            .into_iter()
            .partition(|o| o.body.split('#').next() == Some(req.target));
        if let Some(cid) = req.correlation_id {
            for o in &mut mine {
                o.correlation_id.get_or_insert_with(|| cid.to_owned());
            }
        }
        out.extend(others);
        out.extend(mine);
        out
    }

    /// Runs due timers (wrap-up); call at [`Sim::next_deadline`].
    pub fn tick(&mut self, now: Ms) -> Vec<Outgoing> {
        self.now = now.max(self.now);
        self.fire_timers()
    }

    /// When the next timer is due, if any.
    pub fn next_deadline(&self) -> Option<Ms> {
        self.timers.values().map(|t| t.due).min()
    }

    /// Runs a control action (tests, demo) and returns its result and events.
    pub fn control<T>(
        &mut self,
        now: Ms,
        f: impl FnOnce(&mut Sim) -> Result<T, ControlError>,
    ) -> (Result<T, ControlError>, Vec<Outgoing>) {
        self.now = now.max(self.now);
        let mut out = self.fire_timers();
        let result = f(self);
        out.append(&mut self.out);
        (result, out)
    }

    fn dispatch(&mut self, target: &str, command: &Command) {
        use Command as C;
        match command {
            C::Hello => {
                if self.in_service {
                    self.destinations.insert(target.to_owned());
                }
                self.reply(self.system_body());
                return;
            }
            C::Beat => {
                let body = if self.in_service && !self.destinations.contains(target) {
                    format::destination_reconnect(target)
                } else {
                    self.system_body()
                };
                self.reply(body);
                return;
            }
            _ => {}
        }
        if !self.in_service {
            // GC "stops receiving further commands" while Finesse is down.
            return;
        }
        let result = match command {
            C::Connect {
                destination,
                password,
                sso,
            } => self.connect(target, destination, password.expose(), *sso),
            C::Login {
                password,
                extension,
            } => self.login(target, password.expose(), extension, None),
            C::MobileAgentLogin {
                password,
                extension,
                dial_number,
                call_by_call,
            } => {
                if dial_number.is_empty() {
                    Err(ErrorCode::MissingNumber)
                } else {
                    self.login(
                        target,
                        password.expose(),
                        extension,
                        Some((dial_number.clone(), *call_by_call)),
                    )
                }
            }
            _ => {
                let known = matches!(self.agents.get(target), Some(a) if a.session.is_some());
                if !known {
                    // GC does not know this agent (restart, never connected).
                    self.reply(format::re_login(target));
                    return;
                }
                self.agent_command(target, command)
            }
        };
        if let Err(code) = result {
            self.reply(format::error(target, &code));
        }
    }

    fn agent_command(&mut self, id: &str, command: &Command) -> Handled {
        use Command as C;
        use ErrorCode as E;
        match command {
            C::Logout => self.request_state(id, AgentState::Logout, None),
            C::LogoutWithReason { reason_code } => {
                let reason = self.reason(reason_code, false)?;
                self.request_state(id, AgentState::Logout, Some(reason))
            }
            C::GetState => {
                let body = self.state_body(id);
                self.reply(body);
                Ok(())
            }
            C::MakeNotReady => self.request_state(id, AgentState::NotReady, None),
            C::MakeNotReadyWithReason { reason_code } => {
                let reason = self.reason(reason_code, true)?;
                self.request_state(id, AgentState::NotReady, Some(reason))
            }
            C::MakeReady => self.request_state(id, AgentState::Ready, None),
            C::MakeWorkReady => self.request_state(id, AgentState::WorkReady, None),
            C::MakeWorkNotReady => self.request_state(id, AgentState::Work, None),
            C::GetNotReadyReasonCodes => {
                let body = format::reason_codes(
                    id,
                    "NOT_READY",
                    &self.model.reason_codes.not_ready,
                    &self.full_name(id),
                );
                self.reply(body);
                Ok(())
            }
            C::GetLogoutReasonCodes => {
                let body = format::reason_codes(
                    id,
                    "LOGOUT",
                    &self.model.reason_codes.logout,
                    &self.full_name(id),
                );
                self.reply(body);
                Ok(())
            }
            C::GetWrapUpReasons => {
                let body = format::wrap_up_reasons(
                    id,
                    &self.model.reason_codes.wrap_up,
                    &self.full_name(id),
                );
                self.reply(body);
                Ok(())
            }
            C::MakeCall { number } => self.make_call(id, number),
            C::AnswerCall { dialog_id } => self.answer(id, dialog_id),
            C::ReleaseCall { dialog_id } => self.release(id, dialog_id),
            C::HoldCall { dialog_id } => self.hold(id, dialog_id, true),
            C::RetrieveCall { dialog_id } => self.hold(id, dialog_id, false),
            C::SingleStepTransfer {
                extension,
                dialog_id,
            } => self.single_step_transfer(id, extension, dialog_id),
            C::ConsultCall {
                extension,
                dialog_id,
            } => self.consult(id, extension, dialog_id),
            C::TransferCall {
                extension,
                dialog_id,
            } => self.complete_consult(id, extension, dialog_id, false),
            C::ConferenceCall {
                extension,
                dialog_id,
            } => self.complete_consult(id, extension, dialog_id, true),
            C::GetDialogState { dialog_id } => self.dialog_state(id, dialog_id),
            C::Wrapup { reason, dialog_id } => self.wrap_up(id, reason, dialog_id),
            C::UpdateCallVariables {
                dialog_id,
                variables,
            } => self.update_call_variables(id, dialog_id, variables),
            C::GetAllAgents => {
                let body = format::agents_list(id, self);
                self.reply(body);
                Ok(())
            }
            C::GetPhonebooks => {
                let body = format::phonebooks(id, "Phonebooks", &self.visible_phonebooks(id));
                self.reply(body);
                Ok(())
            }
            C::GetTeamPhonebook => {
                let team = self.agents[id].model.team.clone();
                let books: Vec<_> = self
                    .model
                    .phonebooks
                    .iter()
                    .filter(|p| p.team.as_deref() == Some(team.as_str()))
                    .cloned()
                    .collect();
                let body = format::phonebooks(id, "TeamPhoneBooks", &books);
                self.reply(body);
                Ok(())
            }
            C::GetPhonebookContacts { phonebook_id } => {
                if phonebook_id.is_empty() {
                    return Err(E::InvalidCallData);
                }
                let book = self
                    .visible_phonebooks(id)
                    .into_iter()
                    .find(|p| &p.id == phonebook_id);
                let body = format::contacts(id, book.as_ref().map(|b| &b.contacts[..]));
                self.reply(body);
                Ok(())
            }
            C::GetQueueList => {
                let body = format::queue_list(id, self);
                self.reply(body);
                Ok(())
            }
            C::GetSkillGroups => {
                let body = format::skill_groups(id, &self.model.skill_groups);
                self.reply(body);
                Ok(())
            }
            C::GetSupervisors => {
                let body = format::supervisors(id, &self.model.agents);
                self.reply(body);
                Ok(())
            }
            C::SilentMonitor { extension } => self.silent_monitor(id, extension),
            C::EndSilentMonitor { dialog_id } => self.end_silent_monitor(id, dialog_id),
            C::BargeIn {
                extension,
                dialog_id,
            } => self.barge_in(id, extension, dialog_id),
            C::DropParticipant {
                extension,
                dialog_id,
            } => self.drop_participant(id, extension, dialog_id),
            C::GetTeamUsers { team_id, subscribe } => self.team_users(id, team_id, *subscribe),
            C::GetTeamUsersState { team_agent_id } => self.team_user_state(id, team_agent_id),
            C::AcceptOutboundPreview { dialog_id } => self.accept_preview(id, dialog_id),
            C::RejectOutboundPreview { dialog_id } => self.end_preview(id, dialog_id, "REJECT"),
            C::CloseOutboundPreview { dialog_id } => self.end_preview(id, dialog_id, "CLOSE"),
            C::ScheduleCallback {
                target_media_address,
                dialog_id,
                callback_time,
                callback_number,
            } => self.schedule_callback(
                id,
                target_media_address,
                dialog_id,
                callback_time,
                callback_number,
                false,
            ),
            C::UpdateCallback {
                target_media_address,
                dialog_id,
                callback_time,
                callback_number,
            } => self.schedule_callback(
                id,
                target_media_address,
                dialog_id,
                callback_time,
                callback_number,
                true,
            ),
            C::CancelCallback {
                target_media_address,
                dialog_id,
            } => self.cancel_callback(id, target_media_address, dialog_id),
            C::ReclassifyCall {
                target_media_address,
                dialog_id,
                value,
            } => self.reclassify(id, target_media_address, dialog_id, value),
            C::Hello
            | C::Beat
            | C::Connect { .. }
            | C::Login { .. }
            | C::MobileAgentLogin { .. } => Ok(()),
        }
    }

    // ----- output helpers -------------------------------------------------

    fn system_body(&self) -> String {
        if self.in_service {
            "System#IN_SERVICE".into()
        } else {
            "System#OUT_OF_SERVICE".into()
        }
    }

    /// The answer to the command being handled (its correlation id, its
    /// reply-to topic).
    fn reply(&mut self, body: String) {
        let (destination, correlation_id) =
            self.ctx.clone().unwrap_or_else(|| (String::new(), None));
        if destination.is_empty() {
            return;
        }
        self.out.push(Outgoing {
            destination,
            correlation_id,
            body,
        });
    }

    /// An unsolicited event for an agent, on the topic GC knows it by.
    fn notify(&mut self, agent: &str, body: String) {
        let Some(destination) = self.agents.get(agent).and_then(|a| a.session.clone()) else {
            return;
        };
        self.out.push(Outgoing {
            destination,
            correlation_id: None,
            body,
        });
    }

    /// The reply when `agent` issued the command, else an unsolicited event.
    fn reply_or_notify(&mut self, issuer: &str, agent: &str, body: String) {
        if issuer == agent && self.ctx.is_some() {
            self.reply(body);
        } else {
            self.notify(agent, body);
        }
    }

    fn full_name(&self, id: &str) -> String {
        self.agents
            .get(id)
            .map(|a| a.model.full_name())
            .unwrap_or_default()
    }

    fn reason(&self, code: &str, not_ready: bool) -> Result<(String, String), ErrorCode> {
        if code.trim().is_empty() {
            return Err(ErrorCode::MissingReasonCode);
        }
        let list = if not_ready {
            &self.model.reason_codes.not_ready
        } else {
            &self.model.reason_codes.logout
        };
        list.iter()
            .find(|c| c.code == code.trim())
            .map(|c| (c.code.clone(), c.label.clone()))
            // Finesse refuses a code it does not have; GC reports that as
            // "invalid request params".
            .ok_or(ErrorCode::PleaseRetry)
    }

    fn visible_phonebooks(&self, id: &str) -> Vec<crate::model::PhonebookModel> {
        let team = self.agents.get(id).map(|a| a.model.team.clone());
        self.model
            .phonebooks
            .iter()
            .filter(|p| p.team.is_none() || p.team == team)
            .cloned()
            .collect()
    }

    fn new_dialog_id(&mut self) -> String {
        self.next_dialog += 1;
        self.next_dialog.to_string()
    }

    fn fire_timers(&mut self) -> Vec<Outgoing> {
        let due: Vec<(String, Timer)> = self
            .timers
            .iter()
            .filter(|(_, t)| t.due <= self.now)
            .map(|(a, t)| (a.clone(), *t))
            .collect();
        for (agent, timer) in due {
            self.timers.remove(&agent);
            self.wrap_up_expired(&agent, timer.gen);
        }
        std::mem::take(&mut self.out)
    }

    // ----- control API (tests, demo) ---------------------------------------

    /// Finesse goes down or comes back: every known destination hears it.
    pub fn set_in_service(&mut self, in_service: bool) {
        if self.in_service == in_service {
            return;
        }
        self.in_service = in_service;
        let body = self.system_body();
        let dests: Vec<String> = self.destinations.iter().cloned().collect();
        for destination in dests {
            self.out.push(Outgoing {
                destination,
                correlation_id: None,
                body: body.clone(),
            });
        }
    }

    /// GC restarts: it forgets destinations and agent sessions; Finesse
    /// keeps agents' states and calls.
    pub fn restart(&mut self) {
        self.destinations.clear();
        for a in self.agents.values_mut() {
            a.session = None;
            a.team_subscriptions.clear();
        }
    }

    /// Shows a message in an agent's window (`Control#PrintStatusBar`).
    pub fn print_status(&mut self, agent: &str, message: &str) -> Result<(), ControlError> {
        if !self.agents.contains_key(agent) {
            return Err(ControlError::UnknownAgent(agent.into()));
        }
        if message.contains(['#', '\0']) {
            return Err(ControlError::Invalid(
                "the message must not contain `#`".into(),
            ));
        }
        self.notify(agent, format!("{agent}#Control#PrintStatusBar#{message}"));
        Ok(())
    }
}
