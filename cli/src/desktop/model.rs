//! The desktop's state, without I/O: notifications and keys go in, the view
//! state and the actions to perform come out. The terminal layer and the
//! script runner both drive it, so what a script proves holds for the UI.

use std::collections::{BTreeMap, VecDeque};

use gcclient::protocol::{AgentState, EventData, QueueStats, ReasonCategory, ReasonCode};
use gcclient::session::DialogSnapshot;
use gcclient::{AgentSnapshot, ConnectionStatus, Event, Notification};

use super::action::{parse_variable, Action};

/// Lines kept in the event log pane.
pub const LOG_LINES: usize = 200;

/// Keys the model understands, independent of the terminal library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Up,
    Down,
    Backspace,
    /// Ctrl-C: leaves from anywhere.
    Interrupt,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub at: String,
    pub text: String,
    pub is_error: bool,
}

/// A team member as the supervisor sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamMember {
    pub login_id: String,
    pub name: String,
    pub extension: String,
    pub state: String,
}

/// What a picker's choice becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickPurpose {
    NotReady,
    Logout,
    WrapUp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    pub purpose: PickPurpose,
    pub title: String,
    /// Label shown, value sent (`None`: without a reason code).
    pub items: Vec<(String, Option<String>)>,
    pub selected: usize,
}

/// What a text prompt's input becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptPurpose {
    Consult,
    Transfer,
    BlindTransfer,
    Conference,
    CallVariable,
    Dial,
    SilentMonitor,
    BargeIn,
    /// A script-syntax command line.
    Command,
}

impl PromptPurpose {
    fn title(self) -> &'static str {
        match self {
            PromptPurpose::Consult => "Consult: extension",
            PromptPurpose::Transfer => "Transfer (complete consult): extension",
            PromptPurpose::BlindTransfer => "Blind transfer: extension",
            PromptPurpose::Conference => "Conference: extension",
            PromptPurpose::CallVariable => "Call variable: NAME=VALUE",
            PromptPurpose::Dial => "Dial: number",
            PromptPurpose::SilentMonitor => "Silent monitor: agent extension",
            PromptPurpose::BargeIn => "Barge in: agent extension",
            PromptPurpose::Command => "Command (e.g. not_ready 2, send get_phonebooks)",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub purpose: PromptPurpose,
    pub input: String,
}

impl Prompt {
    pub fn title(&self) -> &'static str {
        self.purpose.title()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Overlay {
    #[default]
    None,
    Help,
    Picker(Picker),
    Prompt(Prompt),
}

/// Everything the screen shows.
#[derive(Debug, Clone)]
pub struct Model {
    pub agent_id: String,
    pub connection: ConnectionStatus,
    pub connection_detail: Option<String>,
    /// Folded with the SDK's own snapshot rules, so the desktop and
    /// `Agent::snapshot()` never disagree.
    pub agent: AgentSnapshot,
    pub selected_dialog: Option<String>,
    /// The most recent call, kept after it ends for the wrap-up.
    pub last_dialog: Option<String>,
    pub team: BTreeMap<String, TeamMember>,
    pub queues: Vec<QueueStats>,
    pub status_message: Option<String>,
    pub last_error: Option<String>,
    pub log: VecDeque<LogLine>,
    pub in_flight: Vec<String>,
    pub overlay: Overlay,
    pub quit: bool,
    /// Log in as soon as GC is in service (commands fail fast before).
    pub login_when_in_service: bool,
    supervisor_loaded: bool,
}

impl Model {
    pub fn new(agent_id: &str) -> Self {
        Model {
            agent_id: agent_id.to_owned(),
            connection: ConnectionStatus::Connecting,
            connection_detail: None,
            agent: AgentSnapshot::new(agent_id),
            selected_dialog: None,
            last_dialog: None,
            team: BTreeMap::new(),
            queues: Vec::new(),
            status_message: None,
            last_error: None,
            log: VecDeque::new(),
            in_flight: Vec::new(),
            overlay: Overlay::None,
            quit: false,
            login_when_in_service: false,
            supervisor_loaded: false,
        }
    }

    pub fn is_supervisor(&self) -> bool {
        self.agent.info.as_ref().is_some_and(|i| i.is_supervisor)
    }

    pub fn is_logged_in(&self) -> bool {
        !matches!(self.agent.state, None | Some(AgentState::Logout))
    }

    /// Dialogs in display order.
    pub fn dialogs(&self) -> impl Iterator<Item = &DialogSnapshot> {
        self.agent.dialogs.values()
    }

    /// The first ringing call, for the banner.
    pub fn alerting(&self) -> Option<&DialogSnapshot> {
        self.dialogs()
            .find(|d| d.state.eq_ignore_ascii_case("ALERTING"))
    }

    /// The call keys act on: the selected one while it lasts, else a
    /// ringing one, else the first.
    pub fn current_dialog(&self) -> Option<&DialogSnapshot> {
        self.selected_dialog
            .as_ref()
            .and_then(|id| self.agent.dialogs.get(id))
            .or_else(|| self.alerting())
            .or_else(|| self.dialogs().next())
    }

    fn log_line(&mut self, at: &str, text: String, is_error: bool) {
        if self.log.len() == LOG_LINES {
            self.log.pop_front();
        }
        self.log.push_back(LogLine {
            at: at.to_owned(),
            text,
            is_error,
        });
    }

    /// Folds one notification in; returns follow-up requests (a
    /// supervisor's team and queues once its AgentInfo arrives).
    pub fn apply(&mut self, n: &Notification, at: &str) -> Vec<Action> {
        match n {
            Notification::Event(e) => self.apply_event(e, at),
            Notification::Status { status, detail } => {
                self.connection = *status;
                self.connection_detail = detail.clone();
                let text = match detail {
                    Some(d) => format!("connection {} ({d})", status.as_str()),
                    None => format!("connection {}", status.as_str()),
                };
                self.log_line(at, text, false);
                if *status == ConnectionStatus::InService && self.login_when_in_service {
                    self.login_when_in_service = false;
                    return vec![Action::Login];
                }
                Vec::new()
            }
            Notification::ClockSkew { skew_ms } => {
                self.log_line(
                    at,
                    format!("clock differs from the broker's by {skew_ms} ms"),
                    true,
                );
                Vec::new()
            }
            Notification::Relogin { error, .. } => {
                match error {
                    None => self.log_line(at, "automatic re-login done".into(), false),
                    Some(e) => self.log_line(at, format!("automatic re-login failed: {e}"), true),
                }
                Vec::new()
            }
            Notification::Lagged { dropped } => {
                self.log_line(at, format!("{dropped} events lost (UI fell behind)"), true);
                Vec::new()
            }
            Notification::OversizedFrame { size, destination } => {
                let to = destination.as_deref().unwrap_or("?");
                self.log_line(
                    at,
                    format!("a {size}-byte message to {to} was dropped (over the size limit)"),
                    true,
                );
                Vec::new()
            }
            Notification::BrokerAuth { message, .. } => {
                self.log_line(at, format!("the broker refused the login: {message}"), true);
                Vec::new()
            }
        }
    }

    fn apply_event(&mut self, e: &Event, at: &str) -> Vec<Action> {
        self.agent.apply(e);
        let mut follow = Vec::new();
        match &e.data {
            EventData::NewInboundCall(c) | EventData::NewOutboundPreviewCall(c) => {
                if let Some(id) = &c.dialog_id {
                    self.last_dialog = Some(id.clone());
                    if self.selected_dialog.is_none() {
                        self.selected_dialog = Some(id.clone());
                    }
                }
            }
            EventData::InboundCall(c) => {
                if let Some(id) = &c.dialog_id {
                    self.last_dialog = Some(id.clone());
                }
            }
            EventData::DialogStatus { dialog: Some(d) } => {
                self.last_dialog = Some(d.dialog.dialog_id.clone());
            }
            EventData::AgentState(s) if s.state == AgentState::Logout => {
                self.supervisor_loaded = false;
                self.team.clear();
                self.queues.clear();
            }
            EventData::AgentInfo(info) if info.is_supervisor && !self.supervisor_loaded => {
                self.supervisor_loaded = true;
                let mut teams: Vec<String> = info.teams.iter().map(|t| t.id.clone()).collect();
                if teams.is_empty() && !info.team_id.is_empty() {
                    teams.push(info.team_id.clone());
                }
                follow.extend(
                    teams
                        .into_iter()
                        .map(|team_id| Action::TeamUsers { team_id }),
                );
                follow.push(Action::Queues);
            }
            EventData::TeamUsersList { users } => {
                for u in users {
                    self.team.insert(
                        u.login_id.clone(),
                        TeamMember {
                            login_id: u.login_id.clone(),
                            name: format!("{} {}", u.first_name, u.last_name)
                                .trim()
                                .to_owned(),
                            extension: u.extension.clone(),
                            state: u.state.map(|s| s.as_str().to_owned()).unwrap_or_default(),
                        },
                    );
                }
            }
            EventData::TeamMemberStateChanged { state, extra, .. } => {
                // The guide's form names no agent; GC deployments (and the
                // simulator) append the member's login id.
                if let Some(member) = extra.first().and_then(|id| self.team.get_mut(id)) {
                    member.state = state.clone();
                }
            }
            EventData::QueueList { queues, .. } => self.queues = queues.clone(),
            EventData::PrintStatusBar { message } => self.status_message = Some(message.clone()),
            _ => {}
        }
        if let Some(sel) = &self.selected_dialog {
            if !self.agent.dialogs.contains_key(sel) {
                self.selected_dialog = None;
            }
        }
        let is_error = matches!(
            e.data,
            EventData::Error { .. } | EventData::Malformed { .. }
        );
        self.log_line(at, summarize(e), is_error);
        follow
    }

    /// Fills in the current call where the action needs one.
    pub fn resolve(&self, mut action: Action) -> Result<Action, String> {
        let is_wrap_up = matches!(action, Action::WrapUp { .. });
        let label = action.label();
        if let Some(slot) = action.dialog_mut() {
            if slot.is_none() {
                let current = self.current_dialog().map(|d| d.dialog_id.clone());
                let found = if is_wrap_up {
                    current.or_else(|| self.last_dialog.clone())
                } else {
                    current
                };
                *slot = Some(found.ok_or_else(|| format!("no call to {label}"))?);
            }
        }
        Ok(action)
    }

    /// Records that an action is being sent; `None` (with the reason shown)
    /// when it cannot be.
    pub fn request(&mut self, action: Action) -> Option<Action> {
        match self.resolve(action) {
            Ok(action) => {
                self.last_error = None;
                self.in_flight.push(action.label());
                Some(action)
            }
            Err(e) => {
                self.last_error = Some(e);
                None
            }
        }
    }

    /// GC's answer (or the failure) to a requested action; returns
    /// follow-up requests (reason codes after a login).
    pub fn finished(
        &mut self,
        action: &Action,
        outcome: &Result<Option<Event>, String>,
        at: &str,
    ) -> Vec<Action> {
        let label = action.label();
        if let Some(i) = self.in_flight.iter().position(|l| *l == label) {
            self.in_flight.remove(i);
        }
        match outcome {
            Ok(_) => {
                self.log_line(at, format!("{label}: done"), false);
                if *action == Action::Login {
                    return vec![
                        Action::NotReadyReasons,
                        Action::LogoutReasons,
                        Action::WrapUpReasons,
                    ];
                }
            }
            Err(e) => {
                self.last_error = Some(format!("{label}: {e}"));
                self.log_line(at, format!("{label} failed: {e}"), true);
            }
        }
        Vec::new()
    }

    /// One key press; returns the action to perform, if any.
    pub fn on_key(&mut self, key: Key) -> Option<Action> {
        if key == Key::Interrupt {
            self.quit = true;
            return None;
        }
        match std::mem::take(&mut self.overlay) {
            Overlay::None => self.on_main_key(key),
            Overlay::Help => None,
            Overlay::Picker(p) => self.on_picker_key(p, key),
            Overlay::Prompt(p) => self.on_prompt_key(p, key),
        }
    }

    fn picker(&mut self, purpose: PickPurpose, title: &str, codes: &[ReasonCode]) {
        let mut items = Vec::new();
        if purpose != PickPurpose::WrapUp {
            items.push(("(no reason)".to_owned(), None));
        }
        for c in codes {
            let value = if purpose == PickPurpose::WrapUp {
                c.label.clone()
            } else {
                c.code.clone()
            };
            let label = if c.code.is_empty() {
                c.label.clone()
            } else {
                format!("{} {}", c.code, c.label)
            };
            items.push((label, Some(value)));
        }
        self.overlay = Overlay::Picker(Picker {
            purpose,
            title: title.to_owned(),
            items,
            selected: 0,
        });
    }

    fn prompt(&mut self, purpose: PromptPurpose) {
        self.overlay = Overlay::Prompt(Prompt {
            purpose,
            input: String::new(),
        });
    }

    fn on_main_key(&mut self, key: Key) -> Option<Action> {
        let Key::Char(c) = key else {
            match key {
                Key::Tab | Key::Down => self.cycle_dialog(1),
                Key::BackTab | Key::Up => self.cycle_dialog(-1),
                Key::Esc => self.last_error = None,
                _ => {}
            }
            return None;
        };
        let action = match c {
            'q' => {
                self.quit = true;
                return None;
            }
            '?' => {
                self.overlay = Overlay::Help;
                return None;
            }
            'l' => Action::Login,
            'L' => {
                if self.agent.logout_reasons.is_empty() {
                    Action::Logout { reason: None }
                } else {
                    let codes = self.agent.logout_reasons.clone();
                    self.picker(PickPurpose::Logout, "Logout reason", &codes);
                    return None;
                }
            }
            'r' => Action::Ready,
            'n' => {
                if self.agent.not_ready_reasons.is_empty() {
                    Action::NotReady { reason: None }
                } else {
                    let codes = self.agent.not_ready_reasons.clone();
                    self.picker(PickPurpose::NotReady, "Not ready reason", &codes);
                    return None;
                }
            }
            'w' => Action::WorkReady,
            's' => Action::GetState,
            'a' => Action::Answer { dialog: None },
            'x' => Action::Release { dialog: None },
            'h' => {
                let held = self
                    .current_dialog()
                    .is_some_and(|d| d.state.eq_ignore_ascii_case("HELD"));
                if held {
                    Action::Retrieve { dialog: None }
                } else {
                    Action::Hold { dialog: None }
                }
            }
            'u' => {
                if self.agent.wrap_up_reasons.is_empty() {
                    self.last_error =
                        Some("no wrap-up reasons (press : and type wrap_up REASON)".into());
                    return None;
                }
                let codes = self.agent.wrap_up_reasons.clone();
                self.picker(PickPurpose::WrapUp, "Wrap-up reason", &codes);
                return None;
            }
            'T' => {
                let teams: Vec<String> = match &self.agent.info {
                    Some(i) if !i.teams.is_empty() => {
                        i.teams.iter().map(|t| t.id.clone()).collect()
                    }
                    Some(i) if !i.team_id.is_empty() => vec![i.team_id.clone()],
                    _ => Vec::new(),
                };
                match teams.into_iter().next() {
                    Some(team_id) => Action::TeamUsers { team_id },
                    None => {
                        self.last_error = Some("no team known yet".into());
                        return None;
                    }
                }
            }
            'Q' => Action::Queues,
            'e' => Action::EndSilentMonitor { dialog: None },
            other => {
                let purpose = match other {
                    'c' => PromptPurpose::Consult,
                    't' => PromptPurpose::Transfer,
                    'b' => PromptPurpose::BlindTransfer,
                    'f' => PromptPurpose::Conference,
                    'v' => PromptPurpose::CallVariable,
                    'd' => PromptPurpose::Dial,
                    'm' => PromptPurpose::SilentMonitor,
                    'g' => PromptPurpose::BargeIn,
                    ':' => PromptPurpose::Command,
                    _ => return None,
                };
                self.prompt(purpose);
                return None;
            }
        };
        self.request(action)
    }

    fn cycle_dialog(&mut self, step: isize) {
        let ids: Vec<String> = self.agent.dialogs.keys().cloned().collect();
        if ids.is_empty() {
            return;
        }
        let current = self
            .current_dialog()
            .and_then(|d| ids.iter().position(|id| *id == d.dialog_id))
            .unwrap_or(0);
        let next = (current as isize + step).rem_euclid(ids.len() as isize) as usize;
        self.selected_dialog = Some(ids[next].clone());
    }

    fn on_picker_key(&mut self, mut p: Picker, key: Key) -> Option<Action> {
        match key {
            Key::Esc => return None,
            Key::Up | Key::Char('k') => p.selected = p.selected.saturating_sub(1),
            Key::Down | Key::Char('j') | Key::Tab => {
                p.selected = (p.selected + 1).min(p.items.len().saturating_sub(1))
            }
            Key::Enter => {
                let value = p.items.get(p.selected).and_then(|(_, v)| v.clone());
                let action = match (&p.purpose, value) {
                    (PickPurpose::NotReady, reason) => Action::NotReady { reason },
                    (PickPurpose::Logout, reason) => Action::Logout { reason },
                    (PickPurpose::WrapUp, Some(reason)) => Action::WrapUp {
                        reason,
                        dialog: None,
                    },
                    (PickPurpose::WrapUp, None) => return None,
                };
                return self.request(action);
            }
            Key::Char(c) if c.is_ascii_digit() => {
                // Typing a code jumps to it.
                if let Some(i) = p
                    .items
                    .iter()
                    .position(|(_, v)| v.as_deref().is_some_and(|v| v.starts_with(c)))
                {
                    p.selected = i;
                }
            }
            _ => {}
        }
        self.overlay = Overlay::Picker(p);
        None
    }

    fn on_prompt_key(&mut self, mut p: Prompt, key: Key) -> Option<Action> {
        match key {
            Key::Esc => return None,
            Key::Backspace => {
                p.input.pop();
            }
            Key::Char(c) => p.input.push(c),
            Key::Enter => {
                let input = p.input.trim().to_owned();
                if input.is_empty() {
                    return None;
                }
                return match prompt_action(p.purpose, &input) {
                    Ok(action) => self.request(action),
                    Err(e) => {
                        self.last_error = Some(format!("{e:#}"));
                        None
                    }
                };
            }
            _ => {}
        }
        self.overlay = Overlay::Prompt(p);
        None
    }
}

fn prompt_action(purpose: PromptPurpose, input: &str) -> anyhow::Result<Action> {
    let extension = input.to_owned();
    Ok(match purpose {
        PromptPurpose::Consult => Action::Consult {
            extension,
            dialog: None,
        },
        PromptPurpose::Transfer => Action::Transfer {
            extension,
            dialog: None,
        },
        PromptPurpose::BlindTransfer => Action::BlindTransfer {
            extension,
            dialog: None,
        },
        PromptPurpose::Conference => Action::Conference {
            extension,
            dialog: None,
        },
        PromptPurpose::BargeIn => Action::BargeIn {
            extension,
            dialog: None,
        },
        PromptPurpose::SilentMonitor => Action::SilentMonitor { extension },
        PromptPurpose::Dial => Action::MakeCall { number: extension },
        PromptPurpose::CallVariable => Action::SetCallVariables {
            variables: vec![parse_variable(input)?],
            dialog: None,
        },
        PromptPurpose::Command => Action::parse(input)?,
    })
}

/// One line for the event log.
pub fn summarize(e: &Event) -> String {
    match &e.data {
        EventData::AgentState(s) => {
            let mut t = format!("state {}", s.state);
            if !s.reason_label.is_empty() {
                t.push_str(&format!(" ({})", s.reason_label));
            }
            if let Some(p) = s.pending_state {
                t.push_str(&format!(", pending {p}"));
            }
            t
        }
        EventData::NewInboundCall(c) => format!(
            "incoming call {} from {}",
            c.dialog_id.as_deref().unwrap_or("?"),
            c.from_address
        ),
        EventData::NewOutboundPreviewCall(c) => format!(
            "outbound preview {} to {}",
            c.dialog_id.as_deref().unwrap_or("?"),
            c.from_address
        ),
        EventData::InboundCall(c) => format!(
            "call {} {} ({})",
            c.dialog_id.as_deref().unwrap_or("?"),
            c.state,
            c.from_address
        ),
        EventData::InboundCallFailed(f) => format!(
            "call {} failed: {}",
            f.dialog_id.as_deref().unwrap_or("?"),
            f.cause
        ),
        EventData::DialogState {
            state, dialog_id, ..
        } => format!("dialog {dialog_id} {state}"),
        EventData::ConsultCall(c) => format!("consult call {} with {}", c.state, c.from_address),
        EventData::Error { code, details } => {
            let mut t = format!("error {code}: {}", code.summary());
            if !details.is_empty() {
                t.push_str(&format!(" [{}]", details.join(", ")));
            }
            t
        }
        EventData::PrintStatusBar { message } => format!("status bar: {message}"),
        EventData::ReasonCodes {
            category,
            category_text,
            codes,
            ..
        } => {
            let what = match category {
                ReasonCategory::NotReady => "not-ready",
                ReasonCategory::Logout => "logout",
                ReasonCategory::WrapUp => "wrap-up",
                ReasonCategory::Other => category_text.as_str(),
            };
            format!("{} {what} reasons", codes.len())
        }
        EventData::DialogStatus { dialog: None } => "no active call".into(),
        EventData::DialogStatus { dialog: Some(d) } => format!(
            "dialog status: {} {} ({})",
            d.dialog.dialog_id, d.dialog.state, d.dialog.from_address
        ),
        EventData::TeamUsersList { users } => format!("{} team members", users.len()),
        EventData::TeamMemberStateChanged {
            team_id,
            state,
            extra,
        } => format!("team {team_id}: {} {state}", extra.join(" ")),
        EventData::QueueList { queues, .. } => format!("{} queues", queues.len()),
        EventData::ConferenceParticipants { extensions } => {
            format!("conference: {}", extensions.join(", "))
        }
        EventData::System { status } => format!("GC {status:?}"),
        EventData::AgentInfo(i) => format!(
            "agent {} {}{}",
            i.first_name,
            i.last_name,
            if i.is_supervisor { " (supervisor)" } else { "" }
        ),
        other => {
            let raw = e.raw.splitn(3, '#').nth(2).unwrap_or("");
            let mut t = format!("{} {raw}", other.kind_name());
            t.truncate(120);
            t
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: &str = "12:00:00";

    fn ev(body: &str) -> Notification {
        Notification::Event(Event::parse(body))
    }

    fn ringing(m: &mut Model) {
        m.apply(
            &ev("1001#State#READY##t##0#Alice Archer#1001#5001##Alice Archer#1001"),
            AT,
        );
        m.apply(
            &ev("1001#NewInboundCall#5551234#VIP,42#DialogID:d1#CallType:ACD_IN#t0"),
            AT,
        );
    }

    fn reasons(m: &mut Model) {
        m.apply(
            &ev("1001#ReasonCodes#Category:NOT_READY#1,2#Labels:Break,Lunch#Alice Archer"),
            AT,
        );
    }

    #[test]
    fn starts_connecting_with_nothing_to_act_on() {
        let mut m = Model::new("1001");
        assert_eq!(m.connection, ConnectionStatus::Connecting);
        assert!(!m.is_logged_in());
        assert_eq!(m.on_key(Key::Char('a')), None);
        assert_eq!(m.last_error.as_deref(), Some("no call to answer"));
        assert!(m.in_flight.is_empty());
    }

    #[test]
    fn status_notifications_update_the_connection() {
        let mut m = Model::new("1001");
        m.apply(
            &Notification::Status {
                status: ConnectionStatus::InService,
                detail: None,
            },
            AT,
        );
        assert_eq!(m.connection, ConnectionStatus::InService);
        assert_eq!(m.log.back().unwrap().text, "connection in_service");
    }

    #[test]
    fn start_up_login_waits_for_gc_in_service() {
        let mut m = Model::new("1001");
        m.login_when_in_service = true;
        let status = |status| Notification::Status {
            status,
            detail: None,
        };
        assert!(m
            .apply(&status(ConnectionStatus::WaitingForGc), AT)
            .is_empty());
        assert_eq!(
            m.apply(&status(ConnectionStatus::InService), AT),
            vec![Action::Login]
        );
        assert!(
            m.apply(&status(ConnectionStatus::InService), AT).is_empty(),
            "only once"
        );
    }

    #[test]
    fn incoming_call_shows_a_banner_and_answer_targets_it() {
        let mut m = Model::new("1001");
        ringing(&mut m);
        let call = m.alerting().expect("ringing call");
        assert_eq!(call.from_address, "5551234");
        assert_eq!(call.call_variables, vec!["VIP", "42"]);
        assert_eq!(
            m.on_key(Key::Char('a')),
            Some(Action::Answer {
                dialog: Some("d1".into())
            })
        );
        assert_eq!(m.in_flight, vec!["answer"]);
        assert!(m
            .log
            .iter()
            .any(|l| l.text == "incoming call d1 from 5551234"));
    }

    #[test]
    fn hold_key_toggles_with_the_call_state() {
        let mut m = Model::new("1001");
        ringing(&mut m);
        m.apply(&ev("1001#DialogState#ACTIVE#d1#Alice"), AT);
        assert_eq!(
            m.on_key(Key::Char('h')),
            Some(Action::Hold {
                dialog: Some("d1".into())
            })
        );
        m.apply(&ev("1001#DialogState#HELD#d1#Alice"), AT);
        assert_eq!(
            m.on_key(Key::Char('h')),
            Some(Action::Retrieve {
                dialog: Some("d1".into())
            })
        );
    }

    #[test]
    fn not_ready_opens_the_reason_picker_when_codes_are_known() {
        let mut m = Model::new("1001");
        assert_eq!(
            m.on_key(Key::Char('n')),
            Some(Action::NotReady { reason: None }),
            "without codes the key sends plain NOT_READY"
        );
        reasons(&mut m);
        assert_eq!(m.on_key(Key::Char('n')), None);
        let Overlay::Picker(p) = &m.overlay else {
            panic!("picker expected, got {:?}", m.overlay)
        };
        assert_eq!(p.items.len(), 3);
        assert_eq!(p.items[2], ("2 Lunch".into(), Some("2".into())));
        m.on_key(Key::Down);
        m.on_key(Key::Down);
        m.on_key(Key::Down);
        assert_eq!(
            m.on_key(Key::Enter),
            Some(Action::NotReady {
                reason: Some("2".into())
            })
        );
        assert_eq!(m.overlay, Overlay::None);
    }

    #[test]
    fn picker_digit_jumps_and_escape_cancels() {
        let mut m = Model::new("1001");
        reasons(&mut m);
        m.on_key(Key::Char('n'));
        m.on_key(Key::Char('1'));
        let Overlay::Picker(p) = &m.overlay else {
            panic!()
        };
        assert_eq!(p.selected, 1);
        assert_eq!(m.on_key(Key::Esc), None);
        assert_eq!(m.overlay, Overlay::None);
        assert!(m.in_flight.is_empty());
    }

    #[test]
    fn wrap_up_uses_the_call_that_just_ended() {
        let mut m = Model::new("1001");
        ringing(&mut m);
        m.apply(
            &ev("1001#ReasonCodes#Category:WRAP_UP#Labels:Sale,No sale#Alice"),
            AT,
        );
        m.apply(&ev("1001#InboundCall#DROP#DialogID:d1#5551234##t0"), AT);
        assert!(m.current_dialog().is_none());
        m.on_key(Key::Char('u'));
        m.on_key(Key::Down);
        assert_eq!(
            m.on_key(Key::Enter),
            Some(Action::WrapUp {
                reason: "No sale".into(),
                dialog: Some("d1".into())
            })
        );
    }

    #[test]
    fn prompts_collect_text_and_validate_it() {
        let mut m = Model::new("1001");
        ringing(&mut m);
        m.on_key(Key::Char('c'));
        for c in "50022".chars() {
            m.on_key(Key::Char(c));
        }
        m.on_key(Key::Backspace);
        assert_eq!(
            m.on_key(Key::Enter),
            Some(Action::Consult {
                extension: "5002".into(),
                dialog: Some("d1".into())
            })
        );
        m.on_key(Key::Char('v'));
        for c in "oops".chars() {
            m.on_key(Key::Char(c));
        }
        assert_eq!(m.on_key(Key::Enter), None);
        assert!(m.last_error.as_deref().unwrap().contains("NAME=VALUE"));
        // An empty prompt is a cancel, not an error.
        m.on_key(Key::Char('d'));
        assert_eq!(m.on_key(Key::Enter), None);
        assert_eq!(m.overlay, Overlay::None);
    }

    #[test]
    fn command_prompt_takes_script_syntax() {
        let mut m = Model::new("1001");
        m.on_key(Key::Char(':'));
        for c in "send get_phonebooks".chars() {
            m.on_key(Key::Char(c));
        }
        let a = m.on_key(Key::Enter).expect("an action");
        assert_eq!(a.label(), "send get_phonebooks");
    }

    #[test]
    fn keys_typed_into_a_prompt_are_not_commands() {
        let mut m = Model::new("1001");
        m.on_key(Key::Char('d'));
        assert_eq!(m.on_key(Key::Char('q')), None);
        assert!(!m.quit);
        assert_eq!(m.on_key(Key::Interrupt), None);
        assert!(m.quit);
    }

    #[test]
    fn tab_cycles_between_calls() {
        let mut m = Model::new("1001");
        ringing(&mut m);
        m.apply(
            &ev("1001#NewInboundCall#5550000##DialogID:d2#CallType:ACD_IN#t0"),
            AT,
        );
        assert_eq!(m.current_dialog().unwrap().dialog_id, "d1");
        m.on_key(Key::Tab);
        assert_eq!(m.current_dialog().unwrap().dialog_id, "d2");
        m.on_key(Key::Tab);
        assert_eq!(m.current_dialog().unwrap().dialog_id, "d1");
        m.on_key(Key::BackTab);
        assert_eq!(m.current_dialog().unwrap().dialog_id, "d2");
    }

    #[test]
    fn login_success_fetches_reason_codes_and_failures_show() {
        let mut m = Model::new("1001");
        let a = m.on_key(Key::Char('l')).unwrap();
        assert_eq!(m.in_flight, vec!["login"]);
        let follow = m.finished(&a, &Ok(None), AT);
        assert_eq!(
            follow,
            vec![
                Action::NotReadyReasons,
                Action::LogoutReasons,
                Action::WrapUpReasons
            ]
        );
        assert!(m.in_flight.is_empty());
        let a = m.on_key(Key::Char('r')).unwrap();
        let follow = m.finished(&a, &Err("GC error X".into()), AT);
        assert!(follow.is_empty());
        assert_eq!(m.last_error.as_deref(), Some("ready: GC error X"));
        assert!(m.log.back().unwrap().is_error);
    }

    #[test]
    fn supervisor_info_loads_team_and_queues_once() {
        let mut m = Model::new("2001");
        let info = "2001#AgentInfo#Sam#Super#true#OPTIONAL#TotalNumberOfTeams:2#1:Sales|2:Support#1#Sam Super#2001";
        let follow = m.apply(&ev(info), AT);
        assert!(m.is_supervisor(), "{:?}", m.agent.info);
        assert_eq!(
            follow,
            vec![
                Action::TeamUsers {
                    team_id: "1".into()
                },
                Action::TeamUsers {
                    team_id: "2".into()
                },
                Action::Queues
            ]
        );
        assert!(m.apply(&ev(info), AT).is_empty(), "loaded once per login");
        m.apply(
            &ev("2001#TeamUsersList#FirstName:Alice,LastName:Archer,Extension:5001,LoginId:1001,State:NOT_READY,PendingState:,MediaType:,StateChangeTime:,StateChangeLabel:"),
            AT,
        );
        assert_eq!(m.team["1001"].state, "NOT_READY", "{:?}", m.team);
        m.apply(&ev("2001#TeamMemberStateChanged#1#READY#1001"), AT);
        assert_eq!(m.team["1001"].state, "READY");
        m.apply(
            &ev("2001#State#LOGOUT##t##0#Sam Super#2001#6001##Sam Super#2001"),
            AT,
        );
        assert!(m.team.is_empty());
        assert_eq!(
            m.apply(&ev(info), AT).len(),
            3,
            "reloaded after a new login"
        );
    }

    #[test]
    fn status_bar_messages_and_errors_reach_the_view() {
        let mut m = Model::new("1001");
        m.apply(&ev("1001#Control#PrintStatusBar#Team meeting at 3"), AT);
        assert_eq!(m.status_message.as_deref(), Some("Team meeting at 3"));
        m.apply(&ev("1001#Error#INVALID_STATE#x"), AT);
        let last = m.log.back().unwrap();
        assert!(last.is_error);
        assert!(
            last.text.starts_with("error INVALID_STATE"),
            "{}",
            last.text
        );
    }

    #[test]
    fn the_log_is_bounded() {
        let mut m = Model::new("1001");
        for _ in 0..LOG_LINES + 10 {
            m.apply(
                &ev("1001#State#READY##t##0#Alice Archer#1001#5001##Alice Archer#1001"),
                AT,
            );
        }
        assert_eq!(m.log.len(), LOG_LINES);
    }
}
