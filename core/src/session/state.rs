//! The session as a pure state machine: no I/O, no spawning, no clock
//! reads. Time and inputs (transport news, GC events, caller requests) come
//! in; commands to send, request completions and notifications come out as
//! [`Output`]s. The driver (`engine.rs`) owns the transport and the timer and
//! does what the outputs say. This is the one owner of pending requests,
//! re-login state and per-agent snapshots, so every rule here is tested
//! without a broker (see `state_tests.rs`).

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use super::snapshot::AgentSnapshot;
use super::{ConnectionStatus, Notification};
use crate::error::Error;
use crate::protocol::{
    AgentState, Command, CommandKind, ErrorCode, Event, EventData, Secret, SystemStatus,
};

/// How long a confirmed login waits for the agent's State (GC sends it
/// right after AgentInfo) before it completes with the AgentInfo itself.
const STATE_GRACE: Duration = Duration::from_secs(2);

/// Identifies one request of a caller (or an automatic re-login).
pub(crate) type RequestId = u64;

/// The timings and switches the machine needs from `Config`.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub hello_interval: Duration,
    pub beat_interval: Duration,
    pub request_timeout: Duration,
    pub relogin_after_reconnect: bool,
    pub match_uncorrelated_replies: bool,
    /// Our own topic name, to recognise `DESTINATION#<dest>#RECONNECT`.
    pub destination: String,
    /// Prefix of the correlation ids this client generates (unique per client).
    pub correlation_prefix: String,
    /// Warn when local and broker clocks differ by more than this.
    pub clock_skew_warn_ms: i64,
}

/// Credentials kept in memory only, for automatic re-login.
#[derive(Clone)]
pub(crate) struct Credentials {
    pub login: Command,
    pub password: Secret,
    pub sso: bool,
}

/// A command to send, in order, with the correlation id it carries.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Outgoing {
    pub target: String,
    pub command: Command,
    pub correlation_id: String,
}

/// What the driver must do after feeding an input.
#[derive(Debug)]
pub(crate) enum Output {
    /// Send in the background (keep-alives, automatic re-logins). A failed
    /// send is fed back with [`SessionState::on_send_failed`].
    Send(Outgoing),
    /// A request ended; its waiter gets the result.
    Complete {
        id: RequestId,
        result: Result<Option<Event>, Error>,
    },
    Notify(Notification),
}

/// Why a request exists: a caller waits for it, or the client re-logs an
/// agent in by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Caller,
    Relogin,
}

#[derive(Clone)]
struct Pending {
    id: RequestId,
    agent: String,
    kind: CommandKind,
    /// The dialog the command named, so a DialogID-less reply lands there.
    dialog_id: Option<String>,
    deadline: Instant,
    timeout: Duration,
    purpose: Purpose,
    /// Login epoch of the agent when sent: a RE_LOGIN answer to a command
    /// sent before the latest successful login is stale.
    epoch: u64,
    /// A caller's login GC has confirmed (with AgentInfo, the first event
    /// the guide lists) that waits a moment for the agent's State, which
    /// GC sends right after it uncorrelated: the caller gets the state.
    confirmed: Option<Event>,
}

/// One agent's re-login state: at most one login in flight per agent.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Relogin {
    /// Nothing to do.
    Idle,
    /// A re-login is due as soon as GC is in service (and `not_before`).
    Wanted { not_before: Option<Instant> },
    /// A login (the caller's or an automatic one) is on its way; triggers
    /// that arrive meanwhile coalesce into it.
    InFlight { login_cid: String },
}

struct AgentSession {
    credentials: Option<Credentials>,
    relogin: Relogin,
    snapshot: AgentSnapshot,
    /// Bumped by every successful login.
    epoch: u64,
}

impl AgentSession {
    fn new(id: &str) -> Self {
        AgentSession {
            credentials: None,
            relogin: Relogin::Idle,
            snapshot: AgentSnapshot::new(id),
            epoch: 0,
        }
    }
}

/// The session engine's whole state.
pub(crate) struct SessionState {
    cfg: Settings,
    status: ConnectionStatus,
    connected: bool,
    ever_connected: bool,
    /// When the next Hello or Beat is due (None: not connected).
    next_keepalive: Option<Instant>,
    /// Last System/DESTINATION answer from GC (for missed-Beat detection).
    last_system: Option<Instant>,
    next_id: RequestId,
    next_cid: u64,
    pending: HashMap<String, Pending>,
    by_id: HashMap<RequestId, String>,
    deadlines: BTreeSet<(Instant, RequestId)>,
    /// Correlation id of a Connect -> correlation id of the Login it
    /// precedes: a refused Connect fails that login at once.
    connects: HashMap<String, Option<String>>,
    agents: HashMap<String, AgentSession>,
    /// A caller's login credentials, kept once that login succeeds.
    pending_creds: HashMap<RequestId, Credentials>,
    /// Prefix-less events that no agent could be found for.
    unattributed: u64,
    /// Last local-minus-broker clock difference, and whether it was reported.
    skew_ms: Option<i64>,
    skew_warned: bool,
    out: Vec<Output>,
}

/// The dialog id a command names, if any.
fn command_dialog_id(c: &Command) -> Option<&str> {
    use Command::*;
    match c {
        AnswerCall { dialog_id }
        | ReleaseCall { dialog_id }
        | HoldCall { dialog_id }
        | RetrieveCall { dialog_id }
        | SingleStepTransfer { dialog_id, .. }
        | ConsultCall { dialog_id, .. }
        | TransferCall { dialog_id, .. }
        | ConferenceCall { dialog_id, .. }
        | GetDialogState { dialog_id }
        | Wrapup { dialog_id, .. }
        | UpdateCallVariables { dialog_id, .. }
        | EndSilentMonitor { dialog_id }
        | DropParticipant { dialog_id, .. }
        | BargeIn { dialog_id, .. }
        | AcceptOutboundPreview { dialog_id }
        | RejectOutboundPreview { dialog_id }
        | CloseOutboundPreview { dialog_id }
        | ScheduleCallback { dialog_id, .. }
        | UpdateCallback { dialog_id, .. }
        | CancelCallback { dialog_id, .. }
        | ReclassifyCall { dialog_id, .. } => Some(dialog_id.as_str()),
        _ => None,
    }
}

/// The dialog id an event names, if any.
fn event_dialog_id(data: &EventData) -> Option<&str> {
    match data {
        EventData::InboundCall(c) => c.dialog_id.as_deref(),
        EventData::InboundCallFailed(f) => f.dialog_id.as_deref(),
        EventData::NewInboundCall(c) | EventData::NewOutboundPreviewCall(c) => {
            c.dialog_id.as_deref()
        }
        EventData::DialogState { dialog_id, .. } => Some(dialog_id.as_str()),
        EventData::ConsultCall(c) => c.associated_dialog_id.as_deref(),
        _ => None,
    }
}

/// Events that concern one agent even when GC leaves the agent out.
fn is_agent_event(data: &EventData) -> bool {
    !matches!(
        data,
        EventData::System { .. }
            | EventData::DestinationReconnect { .. }
            | EventData::Unknown
            | EventData::Malformed { .. }
    )
}

/// The replies a command may get: the guide's reply types for it, plus
/// `Error` and `State#RE_LOGIN` (handled before this check).
pub(crate) fn is_expected_reply(kind: CommandKind, data: &EventData) -> bool {
    let replies = kind.spec().replies;
    match data {
        EventData::Unknown | EventData::Malformed { .. } => false,
        EventData::CallbackMessage { title, .. } => replies.contains(&title.as_str()),
        _ => replies.contains(&data.wire_type()),
    }
}

impl SessionState {
    pub fn new(cfg: Settings) -> Self {
        SessionState {
            cfg,
            status: ConnectionStatus::Connecting,
            connected: false,
            ever_connected: false,
            next_keepalive: None,
            last_system: None,
            next_id: 1,
            next_cid: 1,
            pending: HashMap::new(),
            by_id: HashMap::new(),
            deadlines: BTreeSet::new(),
            connects: HashMap::new(),
            agents: HashMap::new(),
            pending_creds: HashMap::new(),
            unattributed: 0,
            skew_ms: None,
            skew_warned: false,
            out: Vec::new(),
        }
    }

    // ----- queries -----

    #[cfg(test)]
    pub fn status(&self) -> ConnectionStatus {
        self.status
    }

    pub fn snapshot(&self, agent: &str) -> AgentSnapshot {
        self.agents
            .get(agent)
            .map(|a| a.snapshot.clone())
            .unwrap_or_else(|| AgentSnapshot::new(agent))
    }

    pub fn agent_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.agents.keys().cloned().collect();
        ids.sort();
        ids
    }

    #[cfg(test)]
    pub fn has_credentials(&self, agent: &str) -> bool {
        self.agents
            .get(agent)
            .is_some_and(|a| a.credentials.is_some())
    }

    /// Prefix-less events delivered without an agent.
    pub fn unattributed_events(&self) -> u64 {
        self.unattributed
    }

    pub fn pending_count(&self) -> usize {
        self.pending.len()
    }

    pub fn clock_skew_ms(&self) -> Option<i64> {
        self.skew_ms
    }

    /// The earliest deadline of a request in flight.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.deadlines.iter().next().map(|(t, _)| *t)
    }

    /// When the driver must call [`SessionState::on_tick`] next.
    pub fn next_wakeup(&self) -> Option<Instant> {
        let deadline = self.next_deadline();
        let relogin = self
            .agents
            .values()
            .filter_map(|a| match a.relogin {
                Relogin::Wanted {
                    not_before: Some(t),
                } if self.status == ConnectionStatus::InService => Some(t),
                _ => None,
            })
            .min();
        [self.next_keepalive, deadline, relogin]
            .into_iter()
            .flatten()
            .min()
    }

    /// Everything the inputs so far asked for, in order.
    pub fn take_outputs(&mut self) -> Vec<Output> {
        std::mem::take(&mut self.out)
    }

    // ----- inputs: callers -----

    pub fn register_agent(&mut self, agent: &str) {
        self.agents
            .entry(agent.to_owned())
            .or_insert_with(|| AgentSession::new(agent));
    }

    fn check_in_service(&self, kind: CommandKind) -> Result<(), Error> {
        if matches!(kind, CommandKind::Hello | CommandKind::Beat) {
            return Ok(());
        }
        match self.status {
            ConnectionStatus::InService => Ok(()),
            ConnectionStatus::OutOfService => Err(Error::GcOutOfService),
            ConnectionStatus::Closed => Err(Error::Closed),
            other => Err(Error::NotInService(other)),
        }
    }

    fn fresh_cid(&mut self) -> String {
        let n = self.next_cid;
        self.next_cid += 1;
        format!("{}-{n}", self.cfg.correlation_prefix)
    }

    fn fresh_id(&mut self) -> RequestId {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    fn add_pending(
        &mut self,
        cid: String,
        agent: &str,
        command: &Command,
        timeout: Duration,
        purpose: Purpose,
        now: Instant,
    ) -> RequestId {
        let id = self.fresh_id();
        let deadline = now + timeout;
        let epoch = self.agents.get(agent).map_or(0, |a| a.epoch);
        self.pending.insert(
            cid.clone(),
            Pending {
                id,
                agent: agent.to_owned(),
                kind: command.kind(),
                dialog_id: command_dialog_id(command).map(str::to_owned),
                deadline,
                timeout,
                purpose,
                epoch,
                confirmed: None,
            },
        );
        self.by_id.insert(id, cid);
        self.deadlines.insert((deadline, id));
        id
    }

    /// A caller's command. Returns what to send (the caller sends it, so it
    /// learns of the broker receipt) and, when GC answers this command, the
    /// request whose completion to wait for.
    pub fn submit(
        &mut self,
        agent: &str,
        command: &Command,
        timeout: Duration,
        now: Instant,
    ) -> Result<(Outgoing, Option<RequestId>), Error> {
        let kind = command.kind();
        self.check_in_service(kind)?;
        let cid = self.fresh_cid();
        let id = if kind.spec().expects_reply() {
            Some(self.add_pending(cid.clone(), agent, command, timeout, Purpose::Caller, now))
        } else {
            if kind == CommandKind::Connect {
                self.connects.insert(cid.clone(), None);
            }
            None
        };
        Ok((
            Outgoing {
                target: agent.to_owned(),
                command: command.clone(),
                correlation_id: cid,
            },
            id,
        ))
    }

    /// `Connect` then `Login`, back to back as the guide asks. The login
    /// request fails at once if GC refuses the Connect. The credentials are
    /// kept for automatic re-login once the login succeeds.
    pub fn begin_login(
        &mut self,
        agent: &str,
        creds: Credentials,
        destination: &str,
        timeout: Duration,
        now: Instant,
    ) -> Result<(Vec<Outgoing>, RequestId), Error> {
        self.check_in_service(creds.login.kind())?;
        self.register_agent(agent);
        let (sends, id, login_cid) =
            self.login_sends(agent, &creds, destination, timeout, Purpose::Caller, now);
        let session = self.agents.get_mut(agent).expect("registered above");
        session.relogin = Relogin::InFlight { login_cid };
        // Held with the request until it succeeds (see `finish_login`).
        self.pending_creds.insert(id, creds);
        Ok((sends, id))
    }

    fn login_sends(
        &mut self,
        agent: &str,
        creds: &Credentials,
        destination: &str,
        timeout: Duration,
        purpose: Purpose,
        now: Instant,
    ) -> (Vec<Outgoing>, RequestId, String) {
        let connect = Command::Connect {
            destination: destination.to_owned(),
            password: creds.password.clone(),
            sso: creds.sso,
        };
        let connect_cid = self.fresh_cid();
        let login_cid = self.fresh_cid();
        let id = self.add_pending(
            login_cid.clone(),
            agent,
            &creds.login,
            timeout,
            purpose,
            now,
        );
        self.connects
            .insert(connect_cid.clone(), Some(login_cid.clone()));
        let sends = vec![
            Outgoing {
                target: agent.to_owned(),
                command: connect,
                correlation_id: connect_cid,
            },
            Outgoing {
                target: agent.to_owned(),
                command: creds.login.clone(),
                correlation_id: login_cid.clone(),
            },
        ];
        (sends, id, login_cid)
    }

    /// `logout()`: the credentials are forgotten and any re-login ended
    /// *before* the Logout is sent, so nothing can log the agent in again
    /// except a new `login()`.
    pub fn begin_logout(
        &mut self,
        agent: &str,
        command: &Command,
        timeout: Duration,
        now: Instant,
    ) -> Result<(Outgoing, Option<RequestId>), Error> {
        self.forget_agent_session(agent);
        self.submit(agent, command, timeout, now)
    }

    fn forget_agent_session(&mut self, agent: &str) {
        if let Some(a) = self.agents.get_mut(agent) {
            a.credentials = None;
            a.relogin = Relogin::Idle;
        }
        // An automatic login still on its way must not store anything.
        let stale: Vec<RequestId> = self
            .pending
            .values()
            .filter(|p| p.agent == agent && p.purpose == Purpose::Relogin)
            .map(|p| p.id)
            .collect();
        for id in stale {
            self.remove_request(id);
        }
    }

    /// The caller stopped waiting (dropped its future) or its send failed.
    pub fn cancel(&mut self, id: RequestId) {
        if let Some(p) = self.remove_request(id) {
            self.pending_creds.remove(&id);
            self.login_ended(&p);
        }
    }

    /// A background send was not confirmed by the broker.
    pub fn on_send_failed(&mut self, correlation_id: &str, error: Error, now: Instant) {
        if let Some(id) = self.pending.get(correlation_id).map(|p| p.id) {
            self.fail_request(id, error, now);
        }
    }

    /// `close()`: every waiter ends now with `Closed`.
    pub fn close(&mut self) {
        if self.status == ConnectionStatus::Closed {
            return;
        }
        self.set_status(ConnectionStatus::Closed, None);
        self.connected = false;
        self.next_keepalive = None;
        let ids: Vec<RequestId> = self.by_id.keys().copied().collect();
        for id in ids {
            if let Some(p) = self.remove_request(id) {
                if p.purpose == Purpose::Caller {
                    self.out.push(Output::Complete {
                        id,
                        result: Err(Error::Closed),
                    });
                }
            }
        }
        self.pending_creds.clear();
        for a in self.agents.values_mut() {
            a.relogin = Relogin::Idle;
        }
    }

    // ----- inputs: transport -----

    pub fn on_connected(&mut self, broker: String, now: Instant) {
        if self.status == ConnectionStatus::Closed {
            return;
        }
        self.connected = true;
        if self.ever_connected && self.cfg.relogin_after_reconnect {
            self.want_relogin_all();
        }
        self.ever_connected = true;
        self.set_status(ConnectionStatus::WaitingForGc, Some(broker));
        self.say_hello(now);
    }

    pub fn on_disconnected(&mut self, reason: String, now: Instant) {
        if self.status == ConnectionStatus::Closed {
            return;
        }
        self.connected = false;
        self.next_keepalive = None;
        if self.ever_connected {
            self.set_status(ConnectionStatus::Reconnecting, Some(reason));
        }
        self.fail_all(
            |kind| Error::ConnectionLost {
                command: kind.api_name(),
            },
            now,
        );
        // Logins cut off here are due again as soon as GC is back.
        if self.cfg.relogin_after_reconnect {
            self.outage();
        }
    }

    // ----- inputs: time -----

    pub fn on_tick(&mut self, now: Instant) {
        if self.status == ConnectionStatus::Closed {
            return;
        }
        while let Some(&(t, id)) = self.deadlines.iter().next() {
            if t > now {
                break;
            }
            let Some(cid) = self.by_id.get(&id) else {
                self.deadlines.remove(&(t, id));
                continue;
            };
            let p = &self.pending[cid];
            if let Some(reply) = p.confirmed.clone() {
                self.remove_request(id);
                self.out.push(Output::Complete {
                    id,
                    result: Ok(Some(reply)),
                });
                continue;
            }
            let err = Error::Timeout {
                command: p.kind.api_name(),
                agent: p.agent.clone(),
                after_ms: p.timeout.as_millis() as u64,
            };
            self.fail_request(id, err, now);
        }
        if self.next_keepalive.is_some_and(|t| t <= now) {
            if self.status == ConnectionStatus::InService {
                let beat = self.cfg.beat_interval;
                let silent_for = self
                    .last_system
                    .map_or(Duration::MAX, |t| now.saturating_duration_since(t));
                // GC answers every Beat; three missed answers mean it is gone.
                if silent_for > beat * 3 + Duration::from_millis(500) {
                    self.set_status(
                        ConnectionStatus::WaitingForGc,
                        Some("GC stopped answering Beats".into()),
                    );
                    self.outage();
                    self.say_hello(now);
                } else {
                    self.send_background(Command::Beat);
                    self.next_keepalive = Some(now + beat);
                }
            } else {
                self.say_hello(now);
            }
        }
        self.pump_relogins(now);
    }

    // ----- inputs: GC -----

    /// The broker stamps every MESSAGE with its clock; commands carry an
    /// absolute expiry, so a skewed local clock silently drops or delays
    /// them. Reported once per episode (until the clocks agree again).
    pub fn on_broker_clock(&mut self, broker_ms: i64, local_ms: i64) {
        if broker_ms <= 0 {
            return;
        }
        let skew = local_ms - broker_ms;
        self.skew_ms = Some(skew);
        let over = skew.abs() > self.cfg.clock_skew_warn_ms;
        if over && !self.skew_warned {
            self.skew_warned = true;
            self.out
                .push(Output::Notify(Notification::ClockSkew { skew_ms: skew }));
        } else if !over {
            self.skew_warned = false;
        }
    }

    /// One event from GC, with the correlation id it carried.
    pub fn on_event(&mut self, mut event: Event, correlation_id: Option<&str>, now: Instant) {
        if self.status == ConnectionStatus::Closed {
            return;
        }
        let cid = correlation_id.filter(|c| !c.is_empty());
        // Any event proves GC alive: a GC busy answering a re-login storm
        // may answer a Beat late, and is not gone.
        self.last_system = Some(now);
        self.on_system_side_effects(&event, now);

        // A refused Connect fails the login it preceded.
        if let Some(c) = cid {
            if let Some(login_cid) = self.connects.remove(c) {
                if let (EventData::Error { .. }, Some(login_cid)) = (&event.data, login_cid) {
                    if let Some(id) = self.pending.get(&login_cid).map(|p| p.id) {
                        let agent = self.pending[&login_cid].agent.clone();
                        let code = event
                            .error_code()
                            .cloned()
                            .unwrap_or(ErrorCode::Other(String::new()));
                        self.fail_request(
                            id,
                            Error::Gc {
                                agent,
                                code,
                                event: Box::new(event.clone()),
                            },
                            now,
                        );
                    }
                }
                let also = self.attribute(&mut event, None);
                self.deliver_to(event, also);
                return;
            }
        }

        let matched = match cid {
            Some(c) => self.pending.contains_key(c).then(|| c.to_owned()),
            None if self.cfg.match_uncorrelated_replies => self.match_uncorrelated(&event),
            None => None,
        };
        if let Some(c) = matched {
            self.complete_with(&c, &mut event, now);
        } else {
            if let EventData::ReLogin = event.data {
                if let Some(agent) = event.agent.clone() {
                    self.relogin_requested(&agent);
                }
            }
            let also = self.attribute(&mut event, None);
            self.state_after_login(&event);
            self.deliver_to(event, also);
            self.pump_relogins(now);
            return;
        }
        self.state_after_login(&event);
        self.deliver(event);
        self.pump_relogins(now);
    }

    fn on_system_side_effects(&mut self, event: &Event, now: Instant) {
        match &event.data {
            EventData::System { status } => {
                self.last_system = Some(now);
                match status {
                    SystemStatus::InService => {
                        if self.status != ConnectionStatus::InService && self.connected {
                            self.set_status(ConnectionStatus::InService, None);
                            self.next_keepalive = Some(now + self.cfg.beat_interval);
                        }
                    }
                    SystemStatus::OutOfService => {
                        if self.status != ConnectionStatus::OutOfService {
                            self.set_status(ConnectionStatus::OutOfService, None);
                            self.fail_all(|_| Error::GcOutOfService, now);
                            self.outage();
                        }
                        if self.connected {
                            self.next_keepalive = Some(now + self.cfg.hello_interval);
                        }
                    }
                }
            }
            EventData::DestinationReconnect { destination } => {
                self.last_system = Some(now);
                if *destination == self.cfg.destination {
                    self.want_relogin_all();
                }
            }
            EventData::Error {
                code: ErrorCode::SessionInvalidated,
                ..
            } => {
                if let Some(agent) = &event.agent {
                    self.forget_agent_session(agent);
                }
            }
            _ => {}
        }
    }

    /// Completes the request `cid` with `event`: the reply GC correlated to
    /// it. The event is attributed to the request's agent first, so the
    /// caller and the subscribers see the same event.
    fn complete_with(&mut self, cid: &str, event: &mut Event, now: Instant) {
        let p = &self.pending[cid];
        let (id, kind, agent, epoch) = (p.id, p.kind, p.agent.clone(), p.epoch);
        let for_other_agent = event.agent.as_deref().is_some_and(|a| a != agent);
        if !for_other_agent && is_expected_reply(kind, &event.data) {
            if let Some(d) = p.dialog_id.clone() {
                fill_dialog_id(event, d);
            }
        }
        let _ = self.attribute(event, Some(&agent));
        let result = match &event.data {
            _ if for_other_agent => Err(self.unexpected(kind, &agent, event)),
            EventData::Error { code, .. } => Err(Error::Gc {
                agent: agent.clone(),
                code: code.clone(),
                event: Box::new(event.clone()),
            }),
            EventData::ReLogin => {
                let current = self.agents.get(&agent).map_or(0, |a| a.epoch);
                if epoch == current {
                    self.relogin_requested(&agent);
                }
                Err(Error::SessionLost {
                    command: kind.api_name(),
                    agent: agent.clone(),
                })
            }
            data if is_expected_reply(kind, data) => Ok(event.clone()),
            _ => Err(self.unexpected(kind, &agent, event)),
        };
        match result {
            Ok(ev) if is_login(kind) && !matches!(ev.data, EventData::AgentState(_)) => {
                self.confirm_login(cid, ev, now)
            }
            Ok(ev) => self.succeed_request(id, ev, now),
            Err(e) => self.fail_request(id, e, now),
        }
    }

    /// GC confirmed a login with a reply other than the State: the session
    /// is up now (credentials kept, re-login ended); a caller's request
    /// waits at most [`STATE_GRACE`] for the State that follows.
    fn confirm_login(&mut self, cid: &str, reply: Event, now: Instant) {
        let Some(p) = self.pending.get(cid) else {
            return;
        };
        let (id, purpose) = (p.id, p.purpose);
        if purpose != Purpose::Caller {
            return self.succeed_request(id, reply, now);
        }
        let snapshot = p.clone();
        self.finish_login(&snapshot, Ok(()), now);
        if let Some(p) = self.pending.get_mut(cid) {
            self.deadlines.remove(&(p.deadline, id));
            p.deadline = p.deadline.min(now + STATE_GRACE);
            self.deadlines.insert((p.deadline, id));
            p.confirmed = Some(reply);
        }
    }

    /// The State that follows a confirmed login completes it.
    fn state_after_login(&mut self, event: &Event) {
        let (EventData::AgentState(_), Some(agent)) = (&event.data, event.agent.as_deref()) else {
            return;
        };
        let waiting: Option<RequestId> = self
            .pending
            .values()
            .find(|p| p.agent == agent && p.confirmed.is_some())
            .map(|p| p.id);
        if let Some(id) = waiting {
            if self.remove_request(id).is_some() {
                self.out.push(Output::Complete {
                    id,
                    result: Ok(Some(event.clone())),
                });
            }
        }
    }

    fn unexpected(&self, kind: CommandKind, agent: &str, event: &Event) -> Error {
        let got = if event.raw.is_empty() {
            "an empty event".to_owned()
        } else {
            event.raw.chars().take(200).collect()
        };
        Error::UnexpectedReply {
            command: kind.api_name(),
            agent: agent.to_owned(),
            got,
        }
    }

    /// Opt-in for a GC that answers without correlation ids: the oldest
    /// request of that agent waiting for this type gets it.
    fn match_uncorrelated(&self, event: &Event) -> Option<String> {
        let agent = event.agent.as_deref()?;
        let is_error = matches!(event.data, EventData::Error { .. });
        self.pending
            .iter()
            .filter(|(_, p)| {
                p.agent == agent
                    && p.purpose == Purpose::Caller
                    && (is_error || is_expected_reply(p.kind, &event.data))
            })
            .min_by_key(|(_, p)| p.id)
            .map(|(c, _)| c.clone())
    }

    /// Who a prefix-less event is for (the order is in docs/session.md):
    /// writes it into `event.agent` and returns the other agents that hold
    /// the same dialog when it cannot be narrowed to one (they get a copy).
    fn attribute(&mut self, event: &mut Event, reply_agent: Option<&str>) -> Vec<String> {
        let mut also: Vec<String> = Vec::new();
        if event.agent.is_none() && is_agent_event(&event.data) {
            let participants: &[String] = match &event.data {
                EventData::InboundCall(c) => &c.participants,
                _ => &[],
            };
            let takes_part = |a: &AgentSession| {
                !a.snapshot.extension.is_empty() && participants.contains(&a.snapshot.extension)
            };
            let by_participant = || {
                only_one(
                    self.agents
                        .iter()
                        .filter(|(_, a)| takes_part(a))
                        .map(|(id, _)| id),
                )
            };
            // A dialog several agents know (a transfer, a conference) goes
            // to the one of them that takes part in it, else to all of them.
            let mut holders: Vec<&String> = event_dialog_id(&event.data)
                .map(|d| {
                    self.agents
                        .iter()
                        .filter(|(_, a)| a.snapshot.dialogs.contains_key(d))
                        .map(|(id, _)| id)
                        .collect()
                })
                .unwrap_or_default();
            holders.sort();
            let by_dialog = || match holders.as_slice() {
                [] => None,
                [one] => Some((*one).clone()),
                many => {
                    let narrowed = only_one(
                        many.iter()
                            .copied()
                            .filter(|id| takes_part(&self.agents[*id])),
                    );
                    if narrowed.is_none() {
                        also = many[1..].iter().map(|id| (*id).clone()).collect();
                    }
                    narrowed.or_else(|| Some(many[0].clone()))
                }
            };
            // Finesse reserves an agent for a call before offering it: the
            // one agent reserved and without a dialog is the one it rings.
            let reserved = || {
                let wanted = match &event.data {
                    EventData::NewInboundCall(_) => AgentState::Reserved,
                    EventData::NewOutboundPreviewCall(_) => AgentState::ReservedOutboundPreview,
                    _ => return None,
                };
                only_one(
                    self.agents
                        .iter()
                        .filter(|(_, a)| {
                            a.snapshot.state == Some(wanted) && a.snapshot.dialogs.is_empty()
                        })
                        .map(|(id, _)| id),
                )
            };
            let only = || only_one(self.agents.keys());
            let chosen = reply_agent
                .map(str::to_owned)
                .or_else(by_dialog)
                .or_else(by_participant)
                .or_else(reserved)
                .or_else(only);
            event.agent = chosen;
            if event.agent.is_none() {
                self.unattributed += 1;
            }
        }
        if let Some(agent) = event.agent.clone() {
            if let EventData::InboundCall(c) = &event.data {
                if c.dialog_id.is_none() {
                    if let Some(d) = self.guess_dialog(&agent, c) {
                        fill_dialog_id(event, d);
                    }
                }
            }
        }
        for agent in event.agent.iter().chain(also.iter()) {
            if let Some(a) = self.agents.get_mut(agent) {
                a.snapshot.apply(event);
            }
        }
        also
    }

    /// The dialog of an uncorrelated DialogID-less `InboundCall` (the
    /// guide's Normal form): the agent's only dialog; or, for an agent with
    /// none (a call transferred to it), the one dialog another agent of this
    /// client holds with the same caller and start time.
    fn guess_dialog(&self, agent: &str, c: &crate::protocol::InboundCall) -> Option<String> {
        let own = &self.agents.get(agent)?.snapshot.dialogs;
        if own.len() == 1 {
            return own.keys().next().cloned();
        }
        if !own.is_empty() || c.from_address.is_empty() {
            return None;
        }
        let mut same = self
            .agents
            .values()
            .flat_map(|a| a.snapshot.dialogs.values())
            .filter(|d| d.from_address == c.from_address && d.start_time == c.start_time)
            .map(|d| &d.dialog_id);
        only_one(&mut same)
    }

    /// Delivers the event, and a copy for each other agent it concerns.
    fn deliver_to(&mut self, event: Event, also: Vec<String>) {
        for agent in also {
            let mut copy = event.clone();
            copy.agent = Some(agent);
            self.deliver(copy);
        }
        self.deliver(event);
    }

    fn deliver(&mut self, event: Event) {
        self.out.push(Output::Notify(Notification::Event(event)));
    }

    // ----- requests -----

    fn remove_request(&mut self, id: RequestId) -> Option<Pending> {
        let cid = self.by_id.remove(&id)?;
        let p = self.pending.remove(&cid)?;
        self.deadlines.remove(&(p.deadline, id));
        Some(p)
    }

    fn succeed_request(&mut self, id: RequestId, event: Event, now: Instant) {
        let Some(p) = self.remove_request(id) else {
            return;
        };
        if is_login(p.kind) {
            self.finish_login(&p, Ok(()), now);
        }
        if p.purpose == Purpose::Caller {
            self.out.push(Output::Complete {
                id,
                result: Ok(Some(event)),
            });
        }
    }

    fn fail_request(&mut self, id: RequestId, error: Error, now: Instant) {
        let Some(p) = self.remove_request(id) else {
            return;
        };
        if is_login(p.kind) {
            self.finish_login(&p, Err(&error), now);
        }
        if p.purpose == Purpose::Caller {
            self.out.push(Output::Complete {
                id,
                result: Err(error),
            });
        }
    }

    fn fail_all(&mut self, make: impl Fn(CommandKind) -> Error, now: Instant) {
        let ids: Vec<RequestId> = self.by_id.keys().copied().collect();
        for id in ids {
            let kind = match self.by_id.get(&id).and_then(|c| self.pending.get(c)) {
                Some(p) => p.kind,
                None => continue,
            };
            self.fail_request(id, make(kind), now);
        }
    }

    // ----- logins and re-logins -----

    /// A login (the caller's or automatic) ended.
    fn finish_login(&mut self, p: &Pending, result: Result<(), &Error>, now: Instant) {
        let creds = self.pending_creds.remove(&p.id);
        let Some(a) = self.agents.get_mut(&p.agent) else {
            return;
        };
        match result {
            Ok(()) => {
                if let Some(c) = creds {
                    a.credentials = Some(c);
                }
                a.relogin = Relogin::Idle;
                a.epoch += 1;
                if p.purpose == Purpose::Relogin {
                    self.out.push(Output::Notify(Notification::Relogin {
                        agent: p.agent.clone(),
                        error: None,
                    }));
                }
            }
            Err(e) => {
                let transient = matches!(
                    e,
                    Error::Timeout { .. }
                        | Error::ConnectionLost { .. }
                        | Error::GcOutOfService
                        | Error::NotInService(_)
                        | Error::SessionLost { .. }
                        | Error::Transport(_)
                );
                a.relogin = if p.purpose == Purpose::Relogin && transient && a.credentials.is_some()
                {
                    // Try again once GC is (back) in service, not in a tight loop.
                    Relogin::Wanted {
                        not_before: Some(now + self.cfg.beat_interval),
                    }
                } else {
                    Relogin::Idle
                };
                if p.purpose == Purpose::Relogin {
                    self.out.push(Output::Notify(Notification::Relogin {
                        agent: p.agent.clone(),
                        error: Some(e.to_string()),
                    }));
                }
            }
        }
    }

    /// A login request vanished without an answer (cancelled by its caller).
    fn login_ended(&mut self, p: &Pending) {
        if !is_login(p.kind) {
            return;
        }
        if let Some(a) = self.agents.get_mut(&p.agent) {
            if matches!(a.relogin, Relogin::InFlight { .. }) {
                a.relogin = Relogin::Idle;
            }
        }
    }

    /// GC lost the session of one agent (`State#RE_LOGIN`).
    fn relogin_requested(&mut self, agent: &str) {
        if let Some(a) = self.agents.get_mut(agent) {
            if a.credentials.is_some() && a.relogin == Relogin::Idle {
                a.relogin = Relogin::Wanted { not_before: None };
            }
        }
    }

    /// GC lost our destination (RECONNECT), or we reconnected to the
    /// broker. Agents whose login is on its way are left alone: GC sends its
    /// events on our topic in order, so every RECONNECT that arrives before
    /// that login's answer was sent before GC saw the login, and is repaired
    /// by it. A RECONNECT after the answer is a new loss.
    fn want_relogin_all(&mut self) {
        for a in self.agents.values_mut() {
            if a.credentials.is_some() && a.relogin == Relogin::Idle {
                a.relogin = Relogin::Wanted { not_before: None };
            }
        }
    }

    /// After any GC outage (missed Beats, OUT_OF_SERVICE, broker loss) the
    /// agents are logged in again once GC is back in service.
    fn outage(&mut self) {
        for a in self.agents.values_mut() {
            if a.credentials.is_some() && !matches!(a.relogin, Relogin::InFlight { .. }) {
                a.relogin = Relogin::Wanted { not_before: None };
            }
        }
    }

    fn pump_relogins(&mut self, now: Instant) {
        if self.status != ConnectionStatus::InService {
            return;
        }
        let due: Vec<String> = self
            .agents
            .iter()
            .filter(|(_, a)| match a.relogin {
                Relogin::Wanted { not_before } => not_before.is_none_or(|t| t <= now),
                _ => false,
            })
            .map(|(id, _)| id.clone())
            .collect();
        let mut due = due;
        due.sort();
        for agent in due {
            let Some(creds) = self.agents[&agent].credentials.clone() else {
                continue;
            };
            let destination = self.cfg.destination.clone();
            let timeout = self.cfg.request_timeout;
            let (sends, _, login_cid) =
                self.login_sends(&agent, &creds, &destination, timeout, Purpose::Relogin, now);
            if let Some(a) = self.agents.get_mut(&agent) {
                a.relogin = Relogin::InFlight { login_cid };
            }
            self.out.extend(sends.into_iter().map(Output::Send));
        }
    }

    // ----- keep-alive -----

    fn say_hello(&mut self, now: Instant) {
        self.send_background(Command::Hello);
        self.next_keepalive = Some(now + self.cfg.hello_interval);
    }

    fn send_background(&mut self, command: Command) {
        let cid = self.fresh_cid();
        self.out.push(Output::Send(Outgoing {
            target: self.cfg.destination.clone(),
            command,
            correlation_id: cid,
        }));
    }

    fn set_status(&mut self, status: ConnectionStatus, detail: Option<String>) {
        if self.status != status {
            self.status = status;
            self.out
                .push(Output::Notify(Notification::Status { status, detail }));
        }
    }
}

/// The single item, or None for none or several.
fn only_one<'a>(mut it: impl Iterator<Item = &'a String>) -> Option<String> {
    match (it.next(), it.next()) {
        (Some(one), None) => Some(one.clone()),
        _ => None,
    }
}

fn is_login(kind: CommandKind) -> bool {
    matches!(kind, CommandKind::Login | CommandKind::MobileAgentLogin)
}

/// Puts the dialog id a reply's command named into a DialogID-less
/// `InboundCall`, so the snapshot and the caller see which dialog it is.
fn fill_dialog_id(event: &mut Event, dialog_id: String) {
    if let EventData::InboundCall(c) = &mut event.data {
        if c.dialog_id.is_none() {
            c.dialog_id = Some(dialog_id);
        }
    }
}
