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

use gcclient::protocol::{AgentState, Command, CommandKind, ErrorCode};

use crate::clock::Ms;
use crate::model::{AgentModel, Model};

pub use calls::{Call, Party, PartyState};

pub use format::inbound_call_has_dialog_id;

/// One event body to publish on a client topic (bare topic name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub destination: String,
    pub correlation_id: Option<String>,
    pub body: String,
}

/// Where an event goes before the command's context resolves it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum To {
    /// A fixed client destination (System broadcasts, invalidations).
    Dest(String),
    /// The destination GC knows the agent on.
    Agent(String),
    /// The agent that issued the command being handled.
    Issuer,
}

/// One event as the engine produced it, before correlation and routing.
#[derive(Debug, Clone)]
struct Emit {
    to: To,
    /// The agent the event is for (friendly mode prefixes it).
    agent: Option<String>,
    body: String,
}

/// The command being handled.
#[derive(Debug, Clone)]
struct Ctx {
    target: String,
    reply_to: Option<String>,
}

/// An error armed through the control interface: the agent's next matching
/// command is answered with it instead of being carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub agent: String,
    pub code: ErrorCode,
    /// `None`: whatever the agent sends next.
    pub command: Option<CommandKind>,
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
    /// Sent in this session already (the guide: "never sent again in a
    /// session"); a Connect starts a new session.
    pub agent_info_sent: bool,
    /// Destinations this agent's session was taken from
    /// (SESSION_INVALIDATED): their commands get RE_LOGIN.
    pub invalidated: BTreeSet<String>,
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
            agent_info_sent: false,
            invalidated: BTreeSet::new(),
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
    /// Errors armed by the control interface, oldest first.
    pub faults: Vec<Fault>,
    next_dialog: u64,
    now: Ms,
    out: Vec<Emit>,
    ctx: Option<Ctx>,
    /// What the I/O side should log (the engine does none itself).
    notes: Vec<String>,
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
            faults: Vec::new(),
            next_dialog: 16_777_216,
            now,
            out: Vec::new(),
            ctx: None,
            notes: Vec::new(),
        }
    }

    /// Handles one command as GC would and returns what GC sends.
    pub fn handle(&mut self, now: Ms, req: Request<'_>) -> Vec<Outgoing> {
        self.now = now.max(self.now);
        let mut out = self.fire_timers();
        self.ctx = Some(Ctx {
            target: req.target.to_owned(),
            reply_to: req.reply_to.map(str::to_owned),
        });
        self.dispatch(req.target, req.command);
        self.ctx = None;
        let emits = std::mem::take(&mut self.out);
        if self.friendly() {
            out.extend(self.resolve_friendly(emits, &req));
        } else {
            out.extend(self.resolve_strict(emits, &req));
        }
        out
    }

    /// Whether the model asks for the kinder demo forms.
    pub fn friendly(&self) -> bool {
        self.model.simulator.friendly
    }

    /// What happened that the I/O side should log, oldest first.
    pub fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }

    /// The guide's GC: the command's correlation id on the one event that
    /// answers it, every other event uncorrelated on the destination GC
    /// knows its agent by.
    fn resolve_strict(&mut self, emits: Vec<Emit>, req: &Request<'_>) -> Vec<Outgoing> {
        let answer = answer_index(&emits, req);
        let mut out = Vec::with_capacity(emits.len());
        for (i, e) in emits.into_iter().enumerate() {
            let is_answer = Some(i) == answer;
            let destination = match &e.to {
                To::Dest(d) => Some(d.clone()),
                To::Agent(a) => self.session_of(a),
                To::Issuer if is_answer => reply_destination(req),
                To::Issuer => e
                    .agent
                    .as_deref()
                    .and_then(|a| self.session_of(a))
                    .or_else(|| reply_destination(req)),
            };
            let Some(destination) = destination else {
                if is_answer {
                    self.notes.push(format!(
                        "{}#{} came without a reply-to; its answer `{}` was not sent",
                        req.command.kind().api_name(),
                        req.target,
                        e.body
                    ));
                }
                continue;
            };
            out.push(Outgoing {
                destination,
                correlation_id: if is_answer {
                    req.correlation_id.map(str::to_owned)
                } else {
                    None
                },
                body: e.body,
            });
        }
        out
    }

    /// The kinder demo forms: every event for the issuer carries the
    /// command's correlation id and goes out after the events for others
    /// (so what a command caused elsewhere is published when its request
    /// completes); every event carries the agent prefix.
    fn resolve_friendly(&mut self, emits: Vec<Emit>, req: &Request<'_>) -> Vec<Outgoing> {
        let reply_to = req.reply_to.unwrap_or(req.target).to_owned();
        let mut mine = Vec::new();
        let mut others = Vec::new();
        for e in emits {
            let body = prefixed(&e);
            let destination = match &e.to {
                To::Dest(d) => Some(d.clone()),
                To::Agent(a) => self.session_of(a),
                To::Issuer => Some(reply_to.clone()),
            };
            let Some(destination) = destination else {
                continue;
            };
            let for_issuer = e.to == To::Issuer || e.agent.as_deref() == Some(req.target);
            let o = Outgoing {
                destination,
                correlation_id: None,
                body,
            };
            if for_issuer {
                mine.push(o);
            } else {
                others.push(o);
            }
        }
        if let Some(cid) = req.correlation_id {
            for o in &mut mine {
                o.correlation_id = Some(cid.to_owned());
            }
        }
        others.extend(mine);
        others
    }

    /// Unsolicited events (timers, control actions) on their destinations.
    fn resolve_unsolicited(&mut self) -> Vec<Outgoing> {
        let friendly = self.friendly();
        std::mem::take(&mut self.out)
            .into_iter()
            .filter_map(|e| {
                let destination = match &e.to {
                    To::Dest(d) => Some(d.clone()),
                    To::Agent(a) => self.session_of(a),
                    To::Issuer => None,
                }?;
                Some(Outgoing {
                    destination,
                    correlation_id: None,
                    body: if friendly { prefixed(&e) } else { e.body },
                })
            })
            .collect()
    }

    fn session_of(&self, agent: &str) -> Option<String> {
        self.agents.get(agent).and_then(|a| a.session.clone())
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
        out.extend(self.resolve_unsolicited());
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
        if let Some(code) = self.take_fault(target, command.kind()) {
            self.reply(format::error(target, &code));
            return;
        }
        let result = match command {
            C::Connect {
                destination,
                password,
                sso,
            } => self.connect(target, destination, password.expose(), *sso),
            _ if !self.knows(target) => {
                // Never connected, forgotten in a GC restart, or commanded
                // from a destination whose session was invalidated.
                self.reply(format::re_login(target));
                return;
            }
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
            _ => self.agent_command(target, command),
        };
        if let Err(code) = result {
            self.reply(format::error(target, &code));
        }
    }

    /// Whether GC has a session for the agent that the command's origin
    /// may use.
    fn knows(&self, agent: &str) -> bool {
        let Some(a) = self.agents.get(agent) else {
            return false;
        };
        let from = self.ctx.as_ref().and_then(|c| c.reply_to.as_deref());
        a.session.is_some() && !from.is_some_and(|d| a.invalidated.contains(d))
    }

    fn take_fault(&mut self, agent: &str, kind: CommandKind) -> Option<ErrorCode> {
        let pos = self
            .faults
            .iter()
            .position(|f| f.agent == agent && f.command.is_none_or(|k| k == kind))?;
        Some(self.faults.remove(pos).code)
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

    /// An event for the issuer of the command being handled; whether it is
    /// the correlated answer is decided when the command is done.
    fn reply(&mut self, body: String) {
        let Some(ctx) = &self.ctx else {
            return;
        };
        let agent = (!body.starts_with("System#") && !body.starts_with("DESTINATION#"))
            .then(|| ctx.target.clone());
        self.out.push(Emit {
            to: To::Issuer,
            agent,
            body,
        });
    }

    /// An unsolicited event for an agent, on the topic GC knows it by.
    fn notify(&mut self, agent: &str, body: String) {
        self.out.push(Emit {
            to: To::Agent(agent.to_owned()),
            agent: Some(agent.to_owned()),
            body,
        });
    }

    /// An event for a fixed destination (not necessarily the agent's).
    fn send_to(&mut self, destination: &str, agent: Option<&str>, body: String) {
        self.out.push(Emit {
            to: To::Dest(destination.to_owned()),
            agent: agent.map(str::to_owned),
            body,
        });
    }

    /// The issuer's event when `agent` issued the command, else an
    /// unsolicited one.
    fn reply_or_notify(&mut self, issuer: &str, agent: &str, body: String) {
        if issuer == agent && self.ctx.is_some() {
            self.reply(body);
        } else {
            self.notify(agent, body);
        }
    }

    /// `InboundCall` for `agent`: the guide's form (`DialogID` only for the
    /// states it lists), or with `DialogID` always in friendly mode.
    fn inbound_body(&self, agent: &str, state: &str, call: &Call) -> String {
        format::inbound_call(agent, state, call, self.friendly())
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
        self.resolve_unsolicited()
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
            self.send_to(&destination, None, body.clone());
        }
    }

    /// GC restarts: it forgets destinations and agent sessions; Finesse
    /// keeps agents' states and calls.
    pub fn restart(&mut self) {
        self.destinations.clear();
        for a in self.agents.values_mut() {
            a.session = None;
            a.team_subscriptions.clear();
            a.agent_info_sent = false;
            a.invalidated.clear();
        }
    }

    /// Arms an error: the agent's next command (of `command`'s kind, if
    /// given) is answered with `code` instead of being carried out. This is
    /// how the codes no command provokes are met (UNABLE_TO_SUBSCRIBE_TO_FINESSE,
    /// GENERAL_ERROR, CF_GENERIC_UNSPECIFIED, CF_GENERIC_OPERATION).
    pub fn inject_error(
        &mut self,
        agent: &str,
        code: ErrorCode,
        command: Option<CommandKind>,
    ) -> Result<(), ControlError> {
        if !self.agents.contains_key(agent) {
            return Err(ControlError::UnknownAgent(agent.into()));
        }
        if let ErrorCode::Other(c) = &code {
            return Err(ControlError::Invalid(format!(
                "`{c}` is not an error code of the guide"
            )));
        }
        let command = match (&code, command) {
            // The guide: "This error is sent only for the Login command."
            (ErrorCode::GeneralError, None) => Some(CommandKind::Login),
            (ErrorCode::GeneralError, Some(k))
                if !matches!(k, CommandKind::Login | CommandKind::MobileAgentLogin) =>
            {
                return Err(ControlError::Invalid(
                    "GENERAL_ERROR is sent only for the Login command".into(),
                ));
            }
            (_, Some(CommandKind::Hello | CommandKind::Beat)) => {
                return Err(ControlError::Invalid(
                    "Hello and Beat are answered with the system status only".into(),
                ));
            }
            (_, k) => k,
        };
        self.faults.push(Fault {
            agent: agent.to_owned(),
            code,
            command,
        });
        Ok(())
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

/// The event types that answer a command, most wanted first: the project's
/// table in gcclient, except Login, whose first event in the guide's order
/// ("Agent Info, AgentState and Dialog state") is AgentInfo.
pub fn answer_types(kind: CommandKind) -> &'static [&'static str] {
    match kind {
        CommandKind::Login | CommandKind::MobileAgentLogin => {
            &["AgentInfo", "State", "DialogStatus"]
        }
        k => k.spec().replies,
    }
}

/// The event type of a body as the guide lays it out: the first field for
/// the types printed without the agent prefix, else the second.
pub fn event_type(body: &str) -> &str {
    let mut fields = body.split('#');
    let first = fields.next().unwrap_or("");
    match first {
        "System"
        | "DESTINATION"
        | "InboundCall"
        | "NewInboundCall"
        | "NewOutboundPreviewCall"
        | "CallBack" => first,
        _ => fields.next().unwrap_or(""),
    }
}

/// Which of a command's events carries its correlation id: an error or
/// RE_LOGIN when there is one (it replaces the answer), else the first
/// event of the most wanted answer type.
fn answer_index(emits: &[Emit], req: &Request<'_>) -> Option<usize> {
    let mine: Vec<(usize, &str)> = emits
        .iter()
        .enumerate()
        .filter(|(_, e)| e.to == To::Issuer)
        .map(|(i, e)| (i, e.body.as_str()))
        .collect();
    let refusal = |b: &str| {
        event_type(b) == "Error" || (event_type(b) == "State" && b.ends_with("#State#RE_LOGIN"))
    };
    if let Some((i, _)) = mine.iter().find(|(_, b)| refusal(b)) {
        return Some(*i);
    }
    answer_types(req.command.kind()).iter().find_map(|ty| {
        mine.iter()
            .find(|(_, b)| event_type(b) == *ty)
            .map(|(i, _)| *i)
    })
}

/// Where the answer goes: the reply-to; Hello and Beat name their topic
/// themselves ("GC replies on Topic, specified by client in Hello").
fn reply_destination(req: &Request<'_>) -> Option<String> {
    match (req.reply_to, req.command) {
        (Some(r), _) => Some(r.to_owned()),
        (None, Command::Hello | Command::Beat) => Some(req.target.to_owned()),
        (None, _) => None,
    }
}

/// The body with its agent prefix (friendly mode).
fn prefixed(e: &Emit) -> String {
    match &e.agent {
        Some(a) if e.body.split('#').next() != Some(a.as_str()) => format!("{a}#{}", e.body),
        _ => e.body.clone(),
    }
}
