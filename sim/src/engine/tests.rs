//! The engine without a broker: every rule, every event layout parsed back
//! with the client's own parser.

use gcclient::protocol::{AgentState, Command, ErrorCode, Event, EventData, Secret};

use super::{Outgoing, Request, Sim};
use crate::model::Model;

const T0: u64 = 1_700_000_000_000;

/// Each agent's client listens on its own topic, so a test sees who got
/// an event from where it went, as a client does.
fn dest_of(target: &str) -> String {
    if target.chars().all(|c| c.is_ascii_digit()) {
        format!("client.{target}")
    } else {
        target.to_owned()
    }
}

struct World {
    sim: Sim,
    now: u64,
    seq: u64,
    /// Every correlated event of the last command, in order.
    last_correlated: Vec<Event>,
}

/// Parses every body with the client's parser and checks the guide's forms
/// on each. An event without the agent prefix gets, as `agent`, the agent
/// whose topic it reached, so tests can say who heard what.
fn parse_all_as(out: &[Outgoing], friendly: bool) -> Vec<Event> {
    out.iter()
        .map(|o| {
            let mut e = Event::parse(&o.body);
            assert!(
                !matches!(e.data, EventData::Malformed { .. } | EventData::Unknown),
                "unparseable event body: {}",
                o.body
            );
            if !friendly {
                check_guide_form(&o.body);
            }
            if e.agent.is_none() {
                e.agent = o
                    .destination
                    .strip_prefix("client.")
                    .filter(|a| a.chars().all(|c| c.is_ascii_digit()))
                    .map(str::to_owned);
            }
            e
        })
        .collect()
}

/// The guide prints these without the agent prefix, and `InboundCall`
/// with `DialogID` only in the states it lists.
fn check_guide_form(body: &str) {
    let fields: Vec<&str> = body.split('#').collect();
    const BARE: &[&str] = &[
        "InboundCall",
        "NewInboundCall",
        "NewOutboundPreviewCall",
        "CallBack",
    ];
    if fields.len() > 2 && BARE.contains(&fields[1]) {
        assert!(
            fields[1] == "InboundCall" && fields[2] == "FAILED",
            "agent prefix on an event the guide prints without it: {body}"
        );
    }
    if fields[0] == "InboundCall" {
        let has_id = fields.iter().any(|f| f.starts_with("DialogID:"));
        assert_eq!(
            has_id,
            super::format::inbound_call_has_dialog_id(fields[1]),
            "DialogID in the wrong InboundCall state: {body}"
        );
    }
}

impl World {
    fn new() -> World {
        World::with(Model::default())
    }

    fn with(model: Model) -> World {
        World {
            sim: Sim::new(model, T0),
            now: T0,
            seq: 0,
            last_correlated: vec![],
        }
    }

    /// Sends from `DEST`; returns (correlated replies, all events).
    fn send_from(
        &mut self,
        dest: &str,
        target: &str,
        command: Command,
    ) -> (Vec<Event>, Vec<Event>) {
        self.seq += 1;
        let cid = format!("c{}", self.seq);
        let out = self.sim.handle(
            self.now,
            Request {
                reply_to: Some(dest),
                correlation_id: Some(&cid),
                target,
                command: &command,
            },
        );
        let events = parse_all_as(&out, self.sim.friendly());
        let replies: Vec<Event> = out
            .iter()
            .zip(&events)
            .filter(|(o, _)| o.correlation_id.as_deref() == Some(cid.as_str()))
            .map(|(_, e)| e.clone())
            .collect();
        if !self.sim.friendly() {
            // The guide's GC: one event answers a command, no more.
            assert!(
                replies.len() <= 1,
                "{} correlated events for one command: {replies:?}",
                replies.len()
            );
            if let Some(r) = replies.first() {
                let ok = super::answer_types(command.kind()).contains(&super::event_type(&r.raw))
                    || matches!(r.data, EventData::Error { .. } | EventData::ReLogin);
                assert!(ok, "{:?} answered with {}", command.kind(), r.raw);
            }
        }
        self.last_correlated = replies.clone();
        (replies, events)
    }

    fn send(&mut self, target: &str, command: Command) -> (Vec<Event>, Vec<Event>) {
        self.send_from(&dest_of(target), target, command)
    }

    /// The first correlated reply.
    fn ask(&mut self, target: &str, command: Command) -> Event {
        let (replies, all) = self.send(target, command);
        replies
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no reply; events: {all:?}"))
    }

    fn error_of(&mut self, target: &str, command: Command) -> ErrorCode {
        let e = self.ask(target, command);
        e.error_code()
            .cloned()
            .unwrap_or_else(|| panic!("expected an error, got {}", e.raw))
    }

    fn login(&mut self, agent: &str, ext: &str) {
        self.send(
            agent,
            Command::Connect {
                destination: dest_of(agent),
                password: Secret::new("1234"),
                sso: false,
            },
        );
        let first = self.ask(
            agent,
            Command::Login {
                password: Secret::new("1234"),
                extension: ext.into(),
            },
        );
        assert!(
            matches!(first.data.wire_type(), "AgentInfo" | "State"),
            "{}",
            first.raw
        );
    }

    fn ready(&mut self, agent: &str) {
        self.ask(agent, Command::MakeReady);
        assert_eq!(self.state(agent), AgentState::Ready);
    }

    fn state(&self, agent: &str) -> AgentState {
        self.sim.agents[agent].state
    }

    fn control<T>(
        &mut self,
        f: impl FnOnce(&mut Sim) -> Result<T, super::ControlError>,
    ) -> (T, Vec<Event>) {
        let (r, out) = self.sim.control(self.now, f);
        (
            r.expect("control action"),
            parse_all_as(&out, self.sim.friendly()),
        )
    }

    fn offer(&mut self, agent: &str) -> String {
        let (d, events) = self
            .control(|s| s.offer_call(agent, "5551234", &[("callVariable1".into(), "VIP".into())]));
        assert!(events
            .iter()
            .any(|e| matches!(&e.data, EventData::NewInboundCall(c) if c.dialog_id.as_deref() == Some(d.as_str()))));
        d
    }

    fn tick_to(&mut self, t: u64) -> Vec<Event> {
        self.now = t;
        let out = self.sim.tick(t);
        parse_all_as(&out, self.sim.friendly())
    }
}

fn state_of(e: &Event) -> AgentState {
    match &e.data {
        EventData::AgentState(s) => s.state,
        other => panic!("not a state event: {other:?}"),
    }
}

fn call_state(e: &Event) -> String {
    match &e.data {
        EventData::InboundCall(c) => c.state.clone(),
        other => panic!("not an InboundCall: {other:?} ({})", e.raw),
    }
}

#[test]
fn hello_and_beat_follow_the_destination_and_service() {
    let mut w = World::new();
    w.send("client.a", Command::Beat);
    let r = w.last_correlated.clone();
    assert!(
        matches!(&r[0].data, EventData::DestinationReconnect { destination } if destination == "client.a")
    );
    let r = w.ask("client.a", Command::Hello);
    assert_eq!(r.raw, "System#IN_SERVICE");
    let r = w.ask("client.a", Command::Beat);
    assert_eq!(r.raw, "System#IN_SERVICE");
    let (_, out) = w.control(|s| {
        s.set_in_service(false);
        Ok(())
    });
    assert_eq!(out[0].raw, "System#OUT_OF_SERVICE");
    assert_eq!(
        w.ask("client.a", Command::Hello).raw,
        "System#OUT_OF_SERVICE"
    );
    // Agent commands are not processed while out of service.
    let (r, all) = w.send("1001", Command::GetState);
    assert!(r.is_empty() && all.is_empty());
    w.control(|s| {
        s.set_in_service(true);
        Ok(())
    });
    w.control(|s| {
        s.restart();
        Ok(())
    });
    let r = w.ask("client.a", Command::Beat);
    assert!(matches!(r.data, EventData::DestinationReconnect { .. }));
}

fn connect_cmd(agent: &str, pw: &str) -> Command {
    Command::Connect {
        destination: dest_of(agent),
        password: Secret::new(pw),
        sso: false,
    }
}

fn login_cmd(pw: &str, ext: &str) -> Command {
    Command::Login {
        password: Secret::new(pw),
        extension: ext.into(),
    }
}

#[test]
fn connect_checks_the_credentials_and_answers_nothing_on_success() {
    let mut w = World::new();
    // A wrong password is refused on Connect, correlated to the Connect.
    assert_eq!(
        w.error_of("1001", connect_cmd("1001", "bad")),
        ErrorCode::SubscriptionFailed
    );
    assert_eq!(w.last_correlated.len(), 1);
    assert_eq!(
        w.error_of("1001", connect_cmd("1001", "")),
        ErrorCode::MissingPassword
    );
    assert_eq!(
        w.error_of("4242", connect_cmd("4242", "x")),
        ErrorCode::UserNotFound
    );
    assert!(w.sim.agents["1001"].session.is_none());
    let (r, all) = w.send("1001", connect_cmd("1001", "1234"));
    assert!(r.is_empty() && all.is_empty(), "{all:?}");
    assert_eq!(w.sim.agents["1001"].session.as_deref(), Some("client.1001"));
}

#[test]
fn login_without_connect_is_refused_with_re_login() {
    let mut w = World::new();
    let r = w.ask("1001", login_cmd("1234", "5001"));
    assert!(matches!(r.data, EventData::ReLogin), "{}", r.raw);
    assert_eq!(r.raw, "1001#State#RE_LOGIN");
    assert_eq!(w.state("1001"), AgentState::Logout);
    // After a refused Connect as well.
    w.send("1001", connect_cmd("1001", "bad"));
    let r = w.ask("1001", login_cmd("1234", "5001"));
    assert!(matches!(r.data, EventData::ReLogin));
}

#[test]
fn login_errors_are_the_guides() {
    let mut w = World::new();
    w.send("1001", connect_cmd("1001", "1234"));
    assert_eq!(
        w.error_of("1001", login_cmd("", "5001")),
        ErrorCode::MissingPassword
    );
    assert_eq!(
        w.error_of("1001", login_cmd("1234", "")),
        ErrorCode::MissingExtension
    );
    assert_eq!(
        w.error_of("1001", login_cmd("1234", "50a1")),
        ErrorCode::WrongExtension
    );
    let (r, _) = w.send(
        "1001",
        Command::MobileAgentLogin {
            password: Secret::new("1234"),
            extension: "5001".into(),
            dial_number: String::new(),
            call_by_call: true,
        },
    );
    assert_eq!(r[0].error_code(), Some(&ErrorCode::MissingNumber));
    // The password was checked on Connect; Login does not refuse it.
    let r = w.ask("1001", login_cmd("whatever", "5001"));
    assert!(matches!(r.data, EventData::AgentInfo(_)), "{}", r.raw);
    // The same extension cannot be used twice.
    w.send("1002", connect_cmd("1002", "1234"));
    assert_eq!(
        w.error_of("1002", login_cmd("1234", "5001")),
        ErrorCode::CfInvalidLogonDeviceSpecified
    );
}

#[test]
fn licence_limit_refuses_the_next_login() {
    let mut model = Model::default();
    model.system.licence_limit = 1;
    let mut w = World::with(model);
    w.login("1001", "5001");
    w.send("1002", connect_cmd("1002", "1234"));
    let e = w.error_of("1002", login_cmd("1234", "5002"));
    assert_eq!(e, ErrorCode::LicensesExceeded);
    // Logging out frees the licence.
    w.ask("1001", Command::Logout);
    w.login("1002", "5002");
}

#[test]
fn login_answers_with_agent_info_and_the_rest_uncorrelated() {
    let mut w = World::new();
    w.send("1001", connect_cmd("1001", "1234"));
    let (r, all) = w.send("1001", login_cmd("1234", "5001"));
    // Only AgentInfo, the first event the guide lists, is correlated.
    assert_eq!(r.len(), 1);
    let kinds: Vec<&str> = all.iter().map(|e| e.data.wire_type()).collect();
    assert_eq!(kinds, ["AgentInfo", "State", "DialogStatus"]);
    match &r[0].data {
        EventData::AgentInfo(i) => {
            assert_eq!((i.first_name.as_str(), i.team_id.as_str()), ("Alice", "1"));
            assert!(!i.is_supervisor);
        }
        other => panic!("{other:?}"),
    }
    match &all[1].data {
        EventData::AgentState(s) => {
            assert_eq!(s.state, AgentState::NotReady);
            assert_eq!(s.reason_code_id.as_deref(), Some("-1"));
            assert_eq!(s.extension, "5001");
            assert_eq!(s.full_name, "Alice Archer");
            assert_eq!(s.login_id, "1001");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        all[2].data,
        EventData::DialogStatus { dialog: None }
    ));
}

#[test]
fn agent_info_is_sent_once_per_session() {
    let mut w = World::new();
    w.login("1001", "5001");
    // A second Login in the same session: no AgentInfo; State answers it.
    let (r, all) = w.send("1001", login_cmd("1234", "5001"));
    assert!(
        all.iter().all(|e| e.data.wire_type() != "AgentInfo"),
        "{all:?}"
    );
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].data.wire_type(), "State");
    // After logout and login again, still the same session.
    w.ask("1001", Command::Logout);
    let (_, all) = w.send("1001", login_cmd("1234", "5001"));
    assert!(all.iter().all(|e| e.data.wire_type() != "AgentInfo"));
    // A Connect starts a new session: AgentInfo again.
    w.send("1001", connect_cmd("1001", "1234"));
    let r = w.ask("1001", login_cmd("1234", "5001"));
    assert!(matches!(r.data, EventData::AgentInfo(_)));
}

#[test]
fn supervisor_login_carries_teams() {
    let mut w = World::new();
    w.send("2001", connect_cmd("2001", "1234"));
    let (r, all) = w.send("2001", login_cmd("1234", "6001"));
    match &r[0].data {
        EventData::AgentInfo(i) => {
            assert!(i.is_supervisor);
            assert_eq!(i.total_teams, Some(2));
            assert_eq!(i.teams[1].name, "Support");
        }
        other => panic!("{other:?}"),
    }
    assert!(all.iter().any(
        |e| matches!(&e.data, EventData::TeamInfoIds { team_ids, .. } if team_ids == &["1", "2"])
    ));
    assert!(all
        .iter()
        .any(|e| matches!(&e.data, EventData::TeamInfoNames { team_names, .. } if team_names == &["Sales", "Support"])));
}

#[test]
fn states_follow_the_ucce_table() {
    let mut w = World::new();
    w.login("1001", "5001");
    w.ready("1001");
    assert_eq!(
        w.error_of("1001", Command::MakeReady),
        ErrorCode::CfInvalidObjectState
    );
    assert_eq!(
        w.error_of("1001", Command::Logout),
        ErrorCode::CfInvalidObjectState
    );
    assert_eq!(
        w.error_of("1001", Command::MakeWorkReady),
        ErrorCode::CfInvalidObjectState
    );
    let r = w.ask(
        "1001",
        Command::MakeNotReadyWithReason {
            reason_code: "2".into(),
        },
    );
    match &r.data {
        EventData::AgentState(s) => {
            assert_eq!(s.state, AgentState::NotReady);
            assert_eq!(s.reason_code_id.as_deref(), Some("2"));
            assert_eq!(s.reason_label, "Lunch");
        }
        other => panic!("{other:?}"),
    }
    // NOT_READY -> NOT_READY changes the reason.
    w.ask(
        "1001",
        Command::MakeNotReadyWithReason {
            reason_code: "1".into(),
        },
    );
    assert_eq!(w.sim.agents["1001"].reason_label, "Break");
    assert_eq!(
        w.error_of(
            "1001",
            Command::MakeNotReadyWithReason {
                reason_code: "".into()
            }
        ),
        ErrorCode::MissingReasonCode
    );
    assert_eq!(
        w.error_of(
            "1001",
            Command::MakeNotReadyWithReason {
                reason_code: "77".into()
            }
        ),
        ErrorCode::PleaseRetry
    );
    let r = w.ask(
        "1001",
        Command::LogoutWithReason {
            reason_code: "11".into(),
        },
    );
    assert_eq!(state_of(&r), AgentState::Logout);
    assert_eq!(
        w.error_of("1001", Command::MakeReady),
        ErrorCode::CfInvalidObjectState
    );
}

#[test]
fn unknown_agents_and_restarts_get_re_login() {
    let mut w = World::new();
    // Whatever the command, for an agent GC does not know.
    for command in [
        Command::GetState,
        Command::MakeReady,
        Command::GetAllAgents,
        Command::AnswerCall {
            dialog_id: "16777217".into(),
        },
    ] {
        let r = w.ask("1001", command);
        assert!(matches!(r.data, EventData::ReLogin), "{}", r.raw);
        assert_eq!(r.agent.as_deref(), Some("1001"));
    }
    w.send("client.1001", Command::Hello);
    w.login("1001", "5001");
    w.ready("1001");
    w.control(|s| {
        s.restart();
        Ok(())
    });
    // A Beat from the forgotten destination: RECONNECT.
    let r = w.ask("client.1001", Command::Beat);
    assert_eq!(r.raw, "DESTINATION#client.1001#RECONNECT");
    // A Hello is accepted, but does not bring the agent's session back.
    assert_eq!(
        w.ask("client.1001", Command::Hello).raw,
        "System#IN_SERVICE"
    );
    assert_eq!(w.ask("client.1001", Command::Beat).raw, "System#IN_SERVICE");
    assert!(w.sim.agents["1001"].session.is_none());
    assert!(matches!(
        w.ask("1001", Command::MakeNotReady).data,
        EventData::ReLogin
    ));
    // Re-login after a GC restart finds Finesse's state untouched, and the
    // new session gets AgentInfo again.
    w.send("1001", connect_cmd("1001", "1234"));
    let (r, all) = w.send("1001", login_cmd("1234", "5001"));
    assert!(matches!(r[0].data, EventData::AgentInfo(_)));
    assert_eq!(state_of(&all[1]), AgentState::Ready);
}

#[test]
fn connect_from_a_second_destination_invalidates_the_first() {
    let mut w = World::new();
    w.login("1001", "5001");
    let (_, all) = w.send_from(
        "client.b",
        "1001",
        Command::Connect {
            destination: "client.b".into(),
            password: Secret::new("1234"),
            sso: false,
        },
    );
    let out = w.sim.out.clone();
    assert!(out.is_empty());
    assert_eq!(all[0].error_code(), Some(&ErrorCode::SessionInvalidated));
    assert_eq!(state_of(&all[1]), AgentState::Logout);
    // Both went to the old destination, uncorrelated.
    assert!(w.last_correlated.is_empty());
    assert!(all.iter().all(|e| e.agent.as_deref() == Some("1001")));
    assert_eq!(w.sim.agents["1001"].session.as_deref(), Some("client.b"));
    // The old destination can no longer command the agent.
    let r = w.ask("1001", Command::GetState);
    assert!(matches!(r.data, EventData::ReLogin), "{}", r.raw);
    // The new one can.
    let (r, _) = w.send_from("client.b", "1001", Command::GetState);
    assert!(matches!(r[0].data, EventData::AgentState(_)));
    // Connecting again from the old one makes it the session again.
    w.send("1001", connect_cmd("1001", "1234"));
    let (r, _) = w.send_from("client.b", "1001", Command::GetState);
    assert!(matches!(r[0].data, EventData::ReLogin));
    let r = w.ask("1001", Command::GetState);
    assert!(matches!(r.data, EventData::AgentState(_)));
}

#[test]
fn sso_agent_connects_with_a_token() {
    let mut w = World::new();
    let (r, _) = w.send(
        "1005",
        Command::Connect {
            destination: dest_of("1005"),
            password: Secret::new("any-token"),
            sso: true,
        },
    );
    assert!(r.is_empty(), "{r:?}");
    assert_eq!(w.sim.agents["1005"].session.as_deref(), Some("client.1005"));
}

#[test]
fn a_command_without_reply_to_gets_no_reply_and_is_noted() {
    let mut w = World::new();
    w.login("1001", "5001");
    let out = w.sim.handle(
        w.now,
        Request {
            reply_to: None,
            correlation_id: Some("x1"),
            target: "1001",
            command: &Command::GetState,
        },
    );
    assert!(out.is_empty(), "{out:?}");
    let notes = w.sim.take_notes();
    assert_eq!(notes.len(), 1);
    assert!(notes[0].contains("without a reply-to"), "{notes:?}");
    // What the command causes still reaches the agent's topic, uncorrelated.
    let out = w.sim.handle(
        w.now,
        Request {
            reply_to: None,
            correlation_id: Some("x2"),
            target: "1001",
            command: &Command::MakeReady,
        },
    );
    assert!(
        out.is_empty(),
        "the answer itself is the only event: {out:?}"
    );
    assert_eq!(w.state("1001"), AgentState::Ready);
    // Hello names its topic: GC answers there.
    let out = w.sim.handle(
        w.now,
        Request {
            reply_to: None,
            correlation_id: None,
            target: "client.z",
            command: &Command::Hello,
        },
    );
    assert_eq!(out[0].destination, "client.z");
}

#[test]
fn inbound_call_answer_hold_retrieve_release_and_wrap_up_timer() {
    let mut w = World::new();
    w.login("1001", "5001");
    w.ready("1001");
    let d = w.offer("1001");
    assert_eq!(w.state("1001"), AgentState::Reserved);
    let (r, all) = w.send(
        "1001",
        Command::AnswerCall {
            dialog_id: d.clone(),
        },
    );
    assert_eq!(call_state(&r[0]), "ACTIVE");
    assert!(all
        .iter()
        .any(|e| matches!(&e.data, EventData::AgentState(s) if s.state == AgentState::Talking)));
    match &r[0].data {
        EventData::InboundCall(c) => {
            assert_eq!(c.from_address, "5551234");
            assert_eq!(c.call_variables[0], "VIP");
            assert_eq!(c.participants_count, Some(2));
            assert_eq!(c.call_type.as_deref(), Some("ACD_IN"));
        }
        _ => unreachable!(),
    }
    assert_eq!(
        w.error_of(
            "1001",
            Command::AnswerCall {
                dialog_id: d.clone()
            }
        ),
        ErrorCode::CfInvalidObjectState
    );
    assert_eq!(
        call_state(&w.ask(
            "1001",
            Command::HoldCall {
                dialog_id: d.clone()
            }
        )),
        "HELD"
    );
    assert_eq!(w.state("1001"), AgentState::Hold);
    assert_eq!(
        w.error_of(
            "1001",
            Command::HoldCall {
                dialog_id: d.clone()
            }
        ),
        ErrorCode::CfInvalidObjectState
    );
    assert_eq!(
        call_state(&w.ask(
            "1001",
            Command::RetrieveCall {
                dialog_id: d.clone()
            }
        )),
        "ACTIVE"
    );
    assert_eq!(w.state("1001"), AgentState::Talking);
    assert_eq!(
        w.error_of(
            "1001",
            Command::ReleaseCall {
                dialog_id: "42".into()
            }
        ),
        ErrorCode::ECtiInvalidCallId
    );
    assert_eq!(
        w.error_of(
            "1001",
            Command::ReleaseCall {
                dialog_id: "".into()
            }
        ),
        ErrorCode::MissingDialogId
    );
    assert_eq!(
        call_state(&w.ask(
            "1001",
            Command::ReleaseCall {
                dialog_id: d.clone()
            }
        )),
        "DROP"
    );
    assert_eq!(w.state("1001"), AgentState::WorkReady);
    let r = w.ask(
        "1001",
        Command::Wrapup {
            reason: "Sale".into(),
            dialog_id: d.clone(),
        },
    );
    assert!(matches!(&r.data, EventData::DialogState { dialog_id, .. } if dialog_id == &d));
    assert_eq!(w.sim.ended[&d].wrap_up["1001"], "Sale");
    assert_eq!(
        w.error_of(
            "1001",
            Command::Wrapup {
                reason: "Bogus".into(),
                dialog_id: d.clone()
            }
        ),
        ErrorCode::PleaseRetry
    );
    // The wrap-up timer (60 s in the default model) moves WORK_READY on.
    let due = w.sim.next_deadline().expect("wrap-up timer");
    assert_eq!(due, T0 + 60_000);
    assert!(w.tick_to(due - 1).is_empty());
    let events = w.tick_to(due);
    assert_eq!(state_of(&events[0]), AgentState::Ready);
    assert_eq!(w.sim.next_deadline(), None);
}

#[test]
fn not_ready_during_a_call_is_pending_and_ends_in_work() {
    let mut w = World::new();
    w.login("1001", "5001");
    w.ready("1001");
    let d = w.offer("1001");
    // RESERVED -> NOT_READY is not in the table.
    assert_eq!(
        w.error_of("1001", Command::MakeNotReady),
        ErrorCode::CfInvalidObjectState
    );
    w.ask(
        "1001",
        Command::AnswerCall {
            dialog_id: d.clone(),
        },
    );
    let r = w.ask(
        "1001",
        Command::MakeNotReadyWithReason {
            reason_code: "3".into(),
        },
    );
    match &r.data {
        EventData::AgentState(s) => {
            assert_eq!(s.state, AgentState::Talking);
            assert_eq!(s.pending_state, Some(AgentState::NotReady));
        }
        other => panic!("{other:?}"),
    }
    let (_, events) = w.control(|s| s.hang_up(&d));
    assert!(events
        .iter()
        .any(|e| matches!(&e.data, EventData::InboundCall(c) if c.state == "DROP")));
    assert_eq!(w.state("1001"), AgentState::Work);
    // Leaving WORK early is allowed; the stale timer then does nothing.
    w.ready("1001");
    assert!(w.tick_to(T0 + 120_000).is_empty());
}

#[test]
fn without_wrap_up_the_agent_returns_to_its_state_before_the_call() {
    let mut w = World::new();
    w.login("1004", "5004");
    w.ready("1004");
    let d = w.offer("1004");
    w.ask(
        "1004",
        Command::AnswerCall {
            dialog_id: d.clone(),
        },
    );
    w.ask("1004", Command::ReleaseCall { dialog_id: d });
    assert_eq!(w.state("1004"), AgentState::Ready);
    // An outgoing call made from NOT_READY ends in NOT_READY.
    w.ask("1004", Command::MakeNotReady);
    let r = w.ask(
        "1004",
        Command::MakeCall {
            number: "5550100".into(),
        },
    );
    assert_eq!(call_state(&r), "ACTIVE");
    assert_eq!(w.state("1004"), AgentState::Talking);
    let d = w.sim.calls.keys().next().unwrap().clone();
    w.ask("1004", Command::ReleaseCall { dialog_id: d });
    assert_eq!(w.state("1004"), AgentState::NotReady);
    assert_eq!(
        w.error_of("1004", Command::MakeCall { number: "".into() }),
        ErrorCode::MissingNumber
    );
    w.ready("1004");
    assert_eq!(
        w.error_of(
            "1004",
            Command::MakeCall {
                number: "5550100".into()
            }
        ),
        ErrorCode::CfInvalidObjectState
    );
}

#[test]
fn internal_call_rings_the_other_agent() {
    let mut w = World::new();
    w.login("1001", "5001");
    w.login("1002", "5002");
    w.ready("1002");
    let (r, all) = w.send(
        "1001",
        Command::MakeCall {
            number: "5002".into(),
        },
    );
    assert_eq!(call_state(&r[0]), "INITIATED");
    assert!(all
        .iter()
        .any(|e| e.agent.as_deref() == Some("1002")
            && matches!(e.data, EventData::NewInboundCall(_))));
    assert_eq!(w.state("1002"), AgentState::Reserved);
    let d = w.sim.calls.keys().next().unwrap().clone();
    let (_, all) = w.send(
        "1002",
        Command::AnswerCall {
            dialog_id: d.clone(),
        },
    );
    assert!(all.iter().any(|e| e.agent.as_deref() == Some("1001")
        && matches!(&e.data, EventData::InboundCall(c) if c.state == "ACTIVE")));
    assert_eq!(w.state("1002"), AgentState::Talking);
    let (_, all) = w.send("1001", Command::ReleaseCall { dialog_id: d });
    assert!(all.iter().any(|e| e.agent.as_deref() == Some("1002")
        && matches!(&e.data, EventData::InboundCall(c) if c.state == "DROP")));
    assert_eq!(w.state("1001"), AgentState::Work);
    assert_eq!(w.state("1002"), AgentState::WorkReady);
}

fn two_agents_on_a_consult(w: &mut World) -> (String, String) {
    w.login("1001", "5001");
    w.login("1002", "5002");
    w.ready("1001");
    w.ready("1002");
    let d = w.offer("1001");
    w.ask(
        "1001",
        Command::AnswerCall {
            dialog_id: d.clone(),
        },
    );
    let r = w.ask(
        "1001",
        Command::ConsultCall {
            extension: "5002".into(),
            dialog_id: d.clone(),
        },
    );
    let consult = match &r.data {
        EventData::ConsultCall(c) => {
            assert_eq!(c.state, "INITIATED");
            assert_eq!(c.agent_name, "Bob Baker");
            c.associated_dialog_id.clone().unwrap()
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(
        w.sim.calls[&d]
            .parties
            .iter()
            .find(|p| p.agent.as_deref() == Some("1001"))
            .unwrap()
            .state,
        super::PartyState::Held
    );
    assert_eq!(w.state("1001"), AgentState::Talking);
    assert_eq!(w.state("1002"), AgentState::Reserved);
    let (_, all) = w.send(
        "1002",
        Command::AnswerCall {
            dialog_id: consult.clone(),
        },
    );
    assert!(all.iter().any(|e| e.agent.as_deref() == Some("1001")
        && matches!(&e.data, EventData::ConsultCall(c) if c.state == "ACTIVE")));
    (d, consult)
}

#[test]
fn consult_then_transfer_moves_the_customer() {
    let mut w = World::new();
    let (d, consult) = two_agents_on_a_consult(&mut w);
    assert_eq!(
        w.error_of(
            "1001",
            Command::TransferCall {
                extension: "5009".into(),
                dialog_id: d.clone()
            }
        ),
        ErrorCode::CfInvalidObjectState
    );
    let (r, all) = w.send(
        "1001",
        Command::TransferCall {
            extension: "5002".into(),
            dialog_id: d.clone(),
        },
    );
    assert_eq!(call_state(&r[0]), "DROP");
    assert!(all.iter().any(|e| e.agent.as_deref() == Some("1002")
        && matches!(&e.data, EventData::InboundCall(c) if c.state == "ACTIVE" && c.dialog_id.is_none() && c.from_address == "5551234")));
    assert!(!w.sim.calls.contains_key(&consult));
    assert_eq!(w.state("1001"), AgentState::WorkReady);
    assert_eq!(w.state("1002"), AgentState::Talking);
    let parties: Vec<_> = w.sim.calls[&d]
        .parties
        .iter()
        .map(|p| p.address.clone())
        .collect();
    assert_eq!(parties, ["5551234", "5002"]);
}

#[test]
fn consult_then_conference_and_drop_participant() {
    let mut w = World::new();
    let (d, _) = two_agents_on_a_consult(&mut w);
    let r = w.ask(
        "1001",
        Command::ConferenceCall {
            extension: "5002".into(),
            dialog_id: d.clone(),
        },
    );
    match &r.data {
        EventData::InboundCall(c) => {
            assert_eq!(c.state, "ACTIVE");
            assert_eq!(c.participants_count, Some(3));
            assert_eq!(c.call_type.as_deref(), Some("CONFERENCE"));
        }
        other => panic!("{other:?}"),
    }
    let r = w.ask(
        "1001",
        Command::DropParticipant {
            extension: "5002".into(),
            dialog_id: d.clone(),
        },
    );
    match &r.data {
        EventData::InboundCall(c) => assert_eq!(c.participants_count, Some(2)),
        other => panic!("{other:?}"),
    }
    assert_eq!(w.state("1002"), AgentState::WorkReady);
    assert_eq!(w.state("1001"), AgentState::Talking);
}

#[test]
fn single_step_transfer_rings_the_target() {
    let mut w = World::new();
    w.login("1001", "5001");
    w.login("1002", "5002");
    w.ready("1001");
    w.ready("1002");
    let d = w.offer("1001");
    w.ask(
        "1001",
        Command::AnswerCall {
            dialog_id: d.clone(),
        },
    );
    assert_eq!(
        w.error_of(
            "1001",
            Command::SingleStepTransfer {
                extension: "".into(),
                dialog_id: d.clone()
            }
        ),
        ErrorCode::MissingExtension
    );
    let (r, all) = w.send(
        "1001",
        Command::SingleStepTransfer {
            extension: "5002".into(),
            dialog_id: d.clone(),
        },
    );
    assert_eq!(call_state(&r[0]), "DROP");
    assert!(all.iter().any(|e| e.agent.as_deref() == Some("1002")
        && matches!(&e.data, EventData::NewInboundCall(c) if c.call_type.as_deref() == Some("TRANSFER"))));
    assert_eq!(w.state("1002"), AgentState::Reserved);
    w.ask("1002", Command::AnswerCall { dialog_id: d });
    assert_eq!(w.state("1002"), AgentState::Talking);
}

#[test]
fn call_variables_update_reaches_everyone_on_the_call() {
    let mut w = World::new();
    w.login("1001", "5001");
    w.ready("1001");
    let d = w.offer("1001");
    w.ask(
        "1001",
        Command::AnswerCall {
            dialog_id: d.clone(),
        },
    );
    let r = w.ask(
        "1001",
        Command::UpdateCallVariables {
            dialog_id: d.clone(),
            variables: vec![
                ("callVariable3".into(), "gold".into()),
                ("custom".into(), "x".into()),
            ],
        },
    );
    match &r.data {
        EventData::InboundCall(c) => {
            assert_eq!(c.call_variables[0], "VIP");
            assert_eq!(c.call_variables[2], "gold");
            assert_eq!(c.call_variables.last().unwrap(), "x");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        w.error_of(
            "1001",
            Command::UpdateCallVariables {
                dialog_id: d,
                variables: vec![]
            }
        ),
        ErrorCode::InvalidCallData
    );
}

#[test]
fn dialog_state_and_dialog_status_on_relogin() {
    let mut w = World::new();
    w.login("1001", "5001");
    w.ready("1001");
    let d = w.offer("1001");
    w.ask(
        "1001",
        Command::AnswerCall {
            dialog_id: d.clone(),
        },
    );
    let r = w.ask(
        "1001",
        Command::GetDialogState {
            dialog_id: d.clone(),
        },
    );
    assert!(matches!(&r.data, EventData::DialogState { state, .. } if state == "ACTIVE"));
    assert_eq!(
        w.error_of(
            "1001",
            Command::GetDialogState {
                dialog_id: "1".into()
            }
        ),
        ErrorCode::ECtiInvalidCallId
    );
    let (_, all) = w.send(
        "1001",
        Command::Login {
            password: Secret::new("1234"),
            extension: "5001".into(),
        },
    );
    let status = all
        .iter()
        .find(|e| e.data.wire_type() == "DialogStatus")
        .expect("DialogStatus");
    match &status.data {
        EventData::DialogStatus { dialog: Some(info) } => {
            assert_eq!(info.dialog.dialog_id, d);
            assert_eq!(info.dialog.state, "ACTIVE");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn outbound_preview_accept_reject_and_reclassify() {
    let mut w = World::new();
    w.login("1001", "5001");
    w.ready("1001");
    let (d, events) = w.control(|s| s.offer_preview("1001", "5557777", &[], false));
    assert!(events
        .iter()
        .any(|e| matches!(e.data, EventData::NewOutboundPreviewCall(_))));
    assert_eq!(w.state("1001"), AgentState::ReservedOutboundPreview);
    assert_eq!(
        w.error_of(
            "1001",
            Command::AnswerCall {
                dialog_id: d.clone()
            }
        ),
        ErrorCode::CfInvalidObjectState
    );
    assert_eq!(
        call_state(&w.ask(
            "1001",
            Command::AcceptOutboundPreview {
                dialog_id: d.clone()
            }
        )),
        "ACTIVE"
    );
    assert_eq!(w.state("1001"), AgentState::Talking);
    let r = w.ask(
        "1001",
        Command::ReclassifyCall {
            target_media_address: "5001".into(),
            dialog_id: d.clone(),
            value: "voice".into(),
        },
    );
    assert_eq!(call_state(&r), "ACTIVE");
    assert_eq!(w.sim.calls[&d].reclassified.as_deref(), Some("VOICE"));
    assert_eq!(
        w.error_of(
            "1001",
            Command::ReclassifyCall {
                target_media_address: "5001".into(),
                dialog_id: d.clone(),
                value: "NOPE".into()
            }
        ),
        ErrorCode::PleaseRetry
    );
    w.ask("1001", Command::ReleaseCall { dialog_id: d });
    w.ready("1001");
    let (d, _) = w.control(|s| s.offer_preview("1001", "5558888", &[], true));
    // NOT_READY while reserved for a preview is pending until it closes.
    w.ask("1001", Command::MakeNotReady);
    assert_eq!(
        call_state(&w.ask("1001", Command::RejectOutboundPreview { dialog_id: d })),
        "DROP"
    );
    assert_eq!(w.state("1001"), AgentState::NotReady);
}

#[test]
fn callbacks_schedule_update_cancel() {
    let mut w = World::new();
    w.login("1001", "5001");
    w.ready("1001");
    let d = w.offer("1001");
    w.ask(
        "1001",
        Command::AnswerCall {
            dialog_id: d.clone(),
        },
    );
    let sched = |d: &str| Command::ScheduleCallback {
        target_media_address: "5001".into(),
        dialog_id: d.into(),
        callback_time: "2030-01-01T10:00".into(),
        callback_number: "5551234".into(),
    };
    assert_eq!(
        w.error_of(
            "1001",
            Command::UpdateCallback {
                target_media_address: "5001".into(),
                dialog_id: d.clone(),
                callback_time: "t".into(),
                callback_number: "1".into()
            }
        ),
        ErrorCode::ECtiInvalidCallId
    );
    let r = w.ask("1001", sched(&d));
    assert!(matches!(&r.data, EventData::CallbackScheduled { info } if info.contains("SCHEDULED")));
    assert_eq!(
        w.error_of("1001", sched("999")),
        ErrorCode::ECtiInvalidCallId
    );
    w.ask(
        "1001",
        Command::ReleaseCall {
            dialog_id: d.clone(),
        },
    );
    // Still possible after the call, during wrap-up.
    let r = w.ask(
        "1001",
        Command::UpdateCallback {
            target_media_address: "5001".into(),
            dialog_id: d.clone(),
            callback_time: "2030-01-02T10:00".into(),
            callback_number: "5551234".into(),
        },
    );
    assert!(matches!(&r.data, EventData::CallbackScheduled { info } if info.contains("UPDATED")));
    assert_eq!(w.sim.callbacks[&d].time, "2030-01-02T10:00");
    w.ask(
        "1001",
        Command::CancelCallback {
            target_media_address: "5001".into(),
            dialog_id: d.clone(),
        },
    );
    assert!(w.sim.callbacks.is_empty());
    assert_eq!(
        w.error_of(
            "1001",
            Command::CancelCallback {
                target_media_address: "5001".into(),
                dialog_id: d
            }
        ),
        ErrorCode::ECtiInvalidCallId
    );
}

#[test]
fn supervisor_monitors_barges_and_sees_team_changes() {
    let mut w = World::new();
    w.login("2001", "6001");
    w.login("1001", "5001");
    // Agents cannot use supervisor commands.
    assert_eq!(
        w.error_of(
            "1001",
            Command::GetTeamUsers {
                team_id: "1".into(),
                subscribe: true
            }
        ),
        ErrorCode::CfInvalidObjectState
    );
    let r = w.ask(
        "2001",
        Command::GetTeamUsers {
            team_id: "1".into(),
            subscribe: true,
        },
    );
    match &r.data {
        EventData::TeamUsersList { users } => {
            assert!(users
                .iter()
                .any(|u| u.login_id == "1001" && u.state == Some(AgentState::NotReady)));
            assert!(users
                .iter()
                .any(|u| u.login_id == "1002" && u.state == Some(AgentState::Logout)));
        }
        other => panic!("{other:?}"),
    }
    // TeamMemberStateChanged is "(Not Using)" in the guide: not sent.
    let (_, all) = w.send("1001", Command::MakeReady);
    assert!(
        all.iter()
            .all(|e| e.data.wire_type() != "TeamMemberStateChanged"),
        "{all:?}"
    );
    let r = w.ask(
        "2001",
        Command::GetTeamUsersState {
            team_agent_id: "1001".into(),
        },
    );
    assert!(
        matches!(&r.data, EventData::TeamUsersList { users } if users[0].state == Some(AgentState::Ready))
    );
    let d = w.offer("1001");
    w.ask(
        "1001",
        Command::AnswerCall {
            dialog_id: d.clone(),
        },
    );
    let (_, all) = w.send(
        "2001",
        Command::SilentMonitor {
            extension: "5001".into(),
        },
    );
    assert!(all.iter().any(|e| e.agent.as_deref() == Some("1001")
        && matches!(&e.data, EventData::InboundCall(c) if c.state == "ACTIVE" && c.call_type.as_deref() == Some("SUPERVISOR_MONITOR"))), "{all:?}");
    let r = w.last_correlated[0].clone();
    assert_eq!(r.agent.as_deref(), Some("2001"));
    match &r.data {
        EventData::InboundCall(c) => {
            assert_eq!(c.call_type.as_deref(), Some("SUPERVISOR_MONITOR"));
            assert_eq!(c.participants_count, Some(2));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(w.state("2001"), AgentState::Talking);
    // "On Agent": the monitored agent hears it too.
    let (_, all) = w.send(
        "2001",
        Command::EndSilentMonitor {
            dialog_id: d.clone(),
        },
    );
    let r = w.last_correlated[0].clone();
    assert_eq!(call_state(&r), "DROP");
    assert_eq!(r.agent.as_deref(), Some("2001"));
    assert!(all.iter().any(|e| e.agent.as_deref() == Some("1001")
        && matches!(&e.data, EventData::InboundCall(c) if c.state == "ACTIVE" && c.call_type.as_deref() == Some("ACD_IN"))), "{all:?}");
    assert_eq!(w.state("2001"), AgentState::NotReady);
    w.ask(
        "2001",
        Command::SilentMonitor {
            extension: "5001".into(),
        },
    );
    let (r, all) = w.send(
        "2001",
        Command::BargeIn {
            extension: "5001".into(),
            dialog_id: d.clone(),
        },
    );
    match &r[0].data {
        EventData::InboundCall(c) => assert_eq!(c.participants_count, Some(3)),
        other => panic!("{other:?}"),
    }
    assert_eq!(r[0].agent.as_deref(), Some("2001"));
    assert!(all.iter().any(|e| e.agent.as_deref() == Some("1001")
        && matches!(&e.data, EventData::InboundCall(c) if c.participants_count == Some(3))));
    assert!(all.iter().any(|e| matches!(&e.data, EventData::ConferenceParticipants { extensions } if extensions.len() == 3)));
    let (_, all) = w.send(
        "2001",
        Command::DropParticipant {
            extension: "5001".into(),
            dialog_id: d.clone(),
        },
    );
    assert!(all.iter().any(|e| e.agent.as_deref() == Some("1001")
        && matches!(&e.data, EventData::InboundCall(c) if c.state == "DROP")));
    assert!(w.last_correlated[0].agent.as_deref() == Some("2001"));
    assert_eq!(w.state("1001"), AgentState::WorkReady);
}

#[test]
fn not_using_events_are_sent_when_the_model_turns_them_on() {
    let mut model = Model::default();
    model.simulator.not_using_events = true;
    let mut w = World::with(model);
    w.login("2001", "6001");
    w.login("1001", "5001");
    w.ask(
        "2001",
        Command::GetTeamUsers {
            team_id: "1".into(),
            subscribe: true,
        },
    );
    let (r, all) = w.send("1001", Command::MakeReady);
    assert!(all.iter().any(|e| e.agent.as_deref() == Some("2001")
        && matches!(&e.data, EventData::TeamMemberStateChanged { team_id, state, extra } if team_id == "1" && state == "READY" && extra == &["1001"])));
    // Uncorrelated: the answer is the agent's own State.
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].agent.as_deref(), Some("1001"));
}

#[test]
fn queue_statistics_move_and_queued_calls_wait_for_ready_agents() {
    let mut w = World::new();
    w.login("1001", "5001");
    w.login("1002", "5002");
    let stats = |w: &mut World| -> Vec<gcclient::protocol::KeyValue> {
        match w.ask("1001", Command::GetQueueList).data {
            EventData::QueueList { queues, flavor, .. } => {
                assert_eq!(flavor, gcclient::protocol::QueueFlavor::Ucce);
                queues[0].stats.clone()
            }
            other => panic!("{other:?}"),
        }
    };
    let get = |s: &[gcclient::protocol::KeyValue], k: &str| {
        s.iter().find(|kv| kv.key == k).unwrap().value.clone()
    };
    let (d, _) = w.control(|s| s.offer_to_queue("Sales", "5550001", &[]));
    let s = stats(&mut w);
    assert_eq!(get(&s, "calls_in_queue"), "1");
    assert_eq!(get(&s, "agents_not_ready"), "2");
    let (_, events) = w.send("1002", Command::MakeReady);
    assert!(events.iter().any(|e| matches!(&e.data, EventData::NewInboundCall(c) if c.dialog_id.as_deref() == Some(d.as_str()))));
    assert_eq!(w.state("1002"), AgentState::Reserved);
    w.ask("1002", Command::AnswerCall { dialog_id: d });
    let s = stats(&mut w);
    assert_eq!(get(&s, "calls_in_queue"), "0");
    assert_eq!(get(&s, "agents_talking_inbound"), "1");
    assert_eq!(get(&s, "agents_not_ready"), "1");
}

#[test]
fn uccx_queue_payload_has_nine_values() {
    let mut model = Model::default();
    model.system.flavor = crate::model::Flavor::Uccx;
    let mut w = World::with(model);
    w.login("1001", "5001");
    match w.ask("1001", Command::GetQueueList).data {
        EventData::QueueList { queues, flavor, .. } => {
            assert_eq!(flavor, gcclient::protocol::QueueFlavor::Uccx);
            assert_eq!(queues[0].get("agents_logged_in"), Some("1"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn directory_commands_answer_from_the_model() {
    let mut w = World::new();
    w.login("1001", "5001");
    let r = w.ask("1001", Command::GetNotReadyReasonCodes);
    match &r.data {
        EventData::ReasonCodes { codes, .. } => assert_eq!(codes[1].label, "Lunch"),
        other => panic!("{other:?}"),
    }
    let r = w.ask("1001", Command::GetWrapUpReasons);
    match &r.data {
        EventData::ReasonCodes { codes, .. } => {
            assert_eq!(codes[0].label, "Sale");
            assert!(codes[0].code.is_empty());
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        w.ask("1001", Command::GetLogoutReasonCodes).data,
        EventData::ReasonCodes { .. }
    ));
    match w.ask("1001", Command::GetPhonebooks).data {
        EventData::Phonebooks {
            found: true,
            phonebooks,
        } => assert_eq!(phonebooks.len(), 3),
        other => panic!("{other:?}"),
    }
    match w
        .ask(
            "1001",
            Command::GetPhonebookContacts {
                phonebook_id: "1".into(),
            },
        )
        .data
    {
        EventData::PhonebookContacts {
            found: true,
            contacts,
        } => assert_eq!(contacts[0].phone_number, "5550100"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        w.ask(
            "1001",
            Command::GetPhonebookContacts {
                phonebook_id: "3".into()
            }
        )
        .data,
        EventData::PhonebookContacts { found: false, .. }
    ));
    match w.ask("1001", Command::GetTeamPhonebook).data {
        EventData::TeamPhonebooks {
            found: true,
            phonebooks,
        } => assert_eq!(phonebooks[0].name, "Sales partners"),
        other => panic!("{other:?}"),
    }
    match w.ask("1001", Command::GetAllAgents).data {
        EventData::AgentsList { agents } => {
            assert_eq!(agents.len(), 1);
            assert_eq!(agents[0].team, "Sales");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(&w.ask("1001", Command::GetSkillGroups).data, EventData::CallbackMessage { title, data } if title == "SkillGroups" && data.contains("SG_Sales"))
    );
    assert!(
        matches!(&w.ask("1001", Command::GetSupervisors).data, EventData::CallbackMessage { title, data } if title == "Supervisors" && data.contains("2001"))
    );
    w.control(|s| s.print_status("1001", "hello there"));
}

#[test]
fn customer_hang_up_after_a_consult_transfer_drops_the_new_agent() {
    let mut w = World::new();
    let (d, _) = two_agents_on_a_consult(&mut w);
    w.ask(
        "1001",
        Command::TransferCall {
            extension: "5002".into(),
            dialog_id: d.clone(),
        },
    );
    let (_, events) = w.control(|s| s.hang_up(&d));
    assert!(
        events.iter().any(|e| e.agent.as_deref() == Some("1002")
            && matches!(&e.data, EventData::InboundCall(c) if c.state == "DROP")),
        "{events:?}"
    );
    assert_eq!(w.state("1002"), AgentState::WorkReady);
}

// ----- the guide's forms, one point of the strict simulator each ---------

fn answer(w: &mut World, agent: &str, d: &str) -> (Vec<Event>, Vec<Event>) {
    w.send(
        agent,
        Command::AnswerCall {
            dialog_id: d.to_owned(),
        },
    )
}

#[test]
fn call_events_have_no_agent_prefix_and_dialog_id_only_where_the_guide_says() {
    let mut w = World::new();
    w.login("1001", "5001");
    w.ready("1001");
    let (d, events) = w.control(|s| s.offer_call("1001", "5551234", &[]));
    let new = events
        .iter()
        .find(|e| e.data.wire_type() == "NewInboundCall")
        .expect("NewInboundCall");
    assert!(
        new.raw.starts_with("NewInboundCall#5551234#"),
        "{}",
        new.raw
    );
    assert!(new.raw.contains(&format!("#DialogID:{d}#")));
    let (r, _) = answer(&mut w, "1001", &d);
    assert!(
        r[0].raw.starts_with("InboundCall#ACTIVE#5551234#"),
        "{}",
        r[0].raw
    );
    assert!(!r[0].raw.contains("DialogID"));
    let r = w.ask(
        "1001",
        Command::HoldCall {
            dialog_id: d.clone(),
        },
    );
    assert!(
        r.raw
            .starts_with(&format!("InboundCall#HELD#DialogID:{d}#5551234#")),
        "{}",
        r.raw
    );
    w.ask(
        "1001",
        Command::RetrieveCall {
            dialog_id: d.clone(),
        },
    );
    let r = w.ask(
        "1001",
        Command::ReleaseCall {
            dialog_id: d.clone(),
        },
    );
    assert!(r
        .raw
        .starts_with(&format!("InboundCall#DROP#DialogID:{d}#")));
    let r = w.ask(
        "1001",
        Command::ScheduleCallback {
            target_media_address: "5001".into(),
            dialog_id: d.clone(),
            callback_time: "2030-01-01T10:00".into(),
            callback_number: "5551234".into(),
        },
    );
    assert!(r.raw.starts_with("CallBack#SCHEDULED#"), "{}", r.raw);
    // Outbound preview.
    w.ask("1001", Command::MakeReady);
    let (_, events) = w.control(|s| s.offer_preview("1001", "5557777", &[], false));
    assert!(events
        .iter()
        .any(|e| e.raw.starts_with("NewOutboundPreviewCall#5557777#")));
}

#[test]
fn only_the_answering_event_carries_the_correlation_id() {
    let mut w = World::new();
    w.login("1001", "5001");
    w.ready("1001");
    let d = w.offer("1001");
    let (r, all) = answer(&mut w, "1001", &d);
    // State TALKING goes out too, uncorrelated; the InboundCall answers.
    assert_eq!(r.len(), 1);
    assert_eq!(call_state(&r[0]), "ACTIVE");
    assert!(all
        .iter()
        .any(|e| matches!(&e.data, EventData::AgentState(s) if s.state == AgentState::Talking)));
    // MakeCall: InboundCall answers; the DialogState that names the dialog
    // (the InboundCall has no DialogID while INITIATED/ACTIVE) does not.
    let mut w = World::new();
    w.login("1001", "5001");
    let (r, all) = w.send(
        "1001",
        Command::MakeCall {
            number: "5559999".into(),
        },
    );
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].data.wire_type(), "InboundCall");
    let dialog = w.sim.calls.keys().next().cloned().expect("a call");
    assert!(all.iter().any(|e| matches!(&e.data,
        EventData::DialogState { dialog_id, .. } if dialog_id == &dialog)));
}

#[test]
fn a_failed_call_sends_the_failure_form_with_its_prefix() {
    let mut w = World::new();
    w.login("1001", "5001");
    w.ready("1001");
    let d = w.offer("1001");
    answer(&mut w, "1001", &d);
    let (_, events) = w.control(|s| s.fail_call(&d, "NETWORK_CONGESTION"));
    let failed = events
        .iter()
        .find(|e| matches!(e.data, EventData::InboundCallFailed(_)))
        .expect("InboundCall#FAILED");
    assert_eq!(
        failed.raw,
        format!("1001#InboundCall#FAILED#DialogID:{d}#NETWORK_CONGESTION#Alice Archer")
    );
    assert!(!w.sim.calls.contains_key(&d));
    assert_eq!(w.state("1001"), AgentState::WorkReady);
    assert!(w.sim.control(w.now, |s| s.fail_call(&d, "x")).0.is_err());
}

#[test]
fn uccx_carries_out_hold_without_an_answering_event() {
    let mut model = Model::default();
    model.system.flavor = crate::model::Flavor::Uccx;
    let mut w = World::with(model);
    w.login("1001", "5001");
    w.ready("1001");
    let d = w.offer("1001");
    answer(&mut w, "1001", &d);
    let (r, all) = w.send(
        "1001",
        Command::HoldCall {
            dialog_id: d.clone(),
        },
    );
    assert!(r.is_empty(), "nothing answers HoldCall on UCCX: {r:?}");
    assert!(all.iter().all(|e| e.data.wire_type() != "InboundCall"));
    assert_eq!(w.state("1001"), AgentState::Hold);
    assert_eq!(w.sim.calls[&d].parties[1].state, super::PartyState::Held);
    // Retrieve is answered as usual.
    let r = w.ask(
        "1001",
        Command::RetrieveCall {
            dialog_id: d.clone(),
        },
    );
    assert_eq!(call_state(&r), "ACTIVE");
}

#[test]
fn progressive_reservation_reaches_reserved_outbound() {
    let mut w = World::new();
    w.login("1001", "5001");
    w.ready("1001");
    let (_, events) = w.control(|s| s.reserve_outbound("1001"));
    assert!(events.iter().any(
        |e| matches!(&e.data, EventData::AgentState(s) if s.state == AgentState::ReservedOutbound)
    ));
    assert_eq!(w.state("1001"), AgentState::ReservedOutbound);
    let (d, events) = w.control(|s| s.outbound_call("1001", "5553333", &[]));
    assert!(events.iter().any(|e| matches!(&e.data,
        EventData::NewInboundCall(c) if c.call_type.as_deref() == Some("OUTBOUND"))));
    answer(&mut w, "1001", &d);
    assert_eq!(w.state("1001"), AgentState::Talking);
    // The agent may also leave the reservation.
    w.ask(
        "1001",
        Command::ReleaseCall {
            dialog_id: d.clone(),
        },
    );
    w.ask("1001", Command::MakeReady);
    w.control(|s| s.reserve_outbound("1001"));
    let r = w.ask("1001", Command::MakeNotReady);
    assert_eq!(state_of(&r), AgentState::NotReady);
    assert!(w
        .sim
        .control(w.now, |s| s.outbound_call("1001", "1", &[]))
        .0
        .is_err());
}

#[test]
fn armed_errors_answer_the_next_matching_command() {
    use gcclient::CommandKind as K;
    let mut w = World::new();
    w.control(|s| {
        s.inject_error(
            "1001",
            ErrorCode::UnableToSubscribeToFinesse,
            Some(K::Connect),
        )
    });
    assert_eq!(
        w.error_of("1001", connect_cmd("1001", "1234")),
        ErrorCode::UnableToSubscribeToFinesse
    );
    assert!(w.sim.agents["1001"].session.is_none());
    // GENERAL_ERROR is for Login only.
    assert!(w
        .sim
        .control(w.now, |s| s.inject_error(
            "1001",
            ErrorCode::GeneralError,
            Some(K::MakeCall)
        ))
        .0
        .is_err());
    w.control(|s| s.inject_error("1001", ErrorCode::GeneralError, None));
    w.send("1001", connect_cmd("1001", "1234"));
    assert_eq!(
        w.error_of("1001", login_cmd("1234", "5001")),
        ErrorCode::GeneralError
    );
    w.login("1001", "5001");
    w.control(|s| s.inject_error("1001", ErrorCode::CfGenericUnspecified, None));
    w.control(|s| s.inject_error("1001", ErrorCode::CfGenericOperation, Some(K::MakeReady)));
    assert_eq!(
        w.error_of("1001", Command::GetState),
        ErrorCode::CfGenericUnspecified
    );
    // The armed MakeReady error waits for a MakeReady.
    assert!(matches!(
        w.ask("1001", Command::GetState).data,
        EventData::AgentState(_)
    ));
    assert_eq!(
        w.error_of("1001", Command::MakeReady),
        ErrorCode::CfGenericOperation
    );
    assert_eq!(w.state("1001"), AgentState::NotReady);
    assert!(w.sim.faults.is_empty());
    assert!(w
        .sim
        .control(w.now, |s| s.inject_error(
            "1001",
            ErrorCode::Other("X".into()),
            None
        ))
        .0
        .is_err());
}

/// Every one of the guide's twenty error codes, each provoked the way a
/// client meets it.
#[test]
fn every_error_code_of_the_guide_can_be_provoked() {
    use gcclient::CommandKind as K;
    use std::collections::BTreeSet;
    let mut seen = BTreeSet::new();
    let mut note = |e: ErrorCode| {
        seen.insert(e.as_str().to_owned());
    };
    let mut model = Model::default();
    model.system.licence_limit = 3;
    let mut w = World::with(model);
    note(w.error_of("1001", connect_cmd("1001", "bad")));
    note(w.error_of("4242", connect_cmd("4242", "x")));
    note(w.error_of("1001", connect_cmd("1001", "")));
    w.send("1001", connect_cmd("1001", "1234"));
    note(w.error_of("1001", login_cmd("1234", "")));
    note(w.error_of("1001", login_cmd("1234", "5x")));
    w.control(|s| s.inject_error("1001", ErrorCode::GeneralError, None));
    note(w.error_of("1001", login_cmd("1234", "5001")));
    w.login("1001", "5001");
    w.send("1002", connect_cmd("1002", "1234"));
    note(w.error_of("1002", login_cmd("1234", "5001")));
    w.login("1002", "5002");
    w.login("1003", "5003");
    w.send("1004", connect_cmd("1004", "1234"));
    note(w.error_of("1004", login_cmd("1234", "5004")));
    note(w.error_of("1001", Command::MakeWorkReady));
    note(w.error_of(
        "1001",
        Command::MakeNotReadyWithReason {
            reason_code: String::new(),
        },
    ));
    note(w.error_of(
        "1001",
        Command::MakeNotReadyWithReason {
            reason_code: "999".into(),
        },
    ));
    note(w.error_of(
        "1001",
        Command::AnswerCall {
            dialog_id: String::new(),
        },
    ));
    note(w.error_of(
        "1001",
        Command::AnswerCall {
            dialog_id: "42".into(),
        },
    ));
    note(w.error_of(
        "1001",
        Command::MakeCall {
            number: String::new(),
        },
    ));
    note(w.error_of(
        "1001",
        Command::GetPhonebookContacts {
            phonebook_id: String::new(),
        },
    ));
    // CF_RESOURCE_BUSY: calling an agent who is on a call.
    w.ask(
        "1002",
        Command::MakeCall {
            number: "5559999".into(),
        },
    );
    note(w.error_of(
        "1001",
        Command::MakeCall {
            number: "5002".into(),
        },
    ));
    // SESSION_INVALIDATED reaches the old destination.
    let (_, all) = w.send_from(
        "client.other",
        "1003",
        Command::Connect {
            destination: "client.other".into(),
            password: Secret::new("1234"),
            sso: false,
        },
    );
    note(all[0].error_code().cloned().expect("SESSION_INVALIDATED"));
    for (code, kind) in [
        (ErrorCode::UnableToSubscribeToFinesse, K::Connect),
        (ErrorCode::CfGenericUnspecified, K::GetState),
        (ErrorCode::CfGenericOperation, K::GetState),
    ] {
        w.control(|s| s.inject_error("1001", code, Some(kind)));
        let command = if kind == K::Connect {
            connect_cmd("1001", "1234")
        } else {
            Command::GetState
        };
        note(w.error_of("1001", command));
    }
    let all: BTreeSet<String> = ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    assert_eq!(seen, all, "missing: {:?}", all.difference(&seen));
}

#[test]
fn list_events_carry_several_records() {
    let mut w = World::new();
    w.login("2001", "6001");
    w.login("1001", "5001");
    w.login("1002", "5002");
    match w.ask("1001", Command::GetAllAgents).data {
        EventData::AgentsList { agents } => assert_eq!(agents.len(), 3, "{agents:?}"),
        other => panic!("{other:?}"),
    }
    match w.ask("1001", Command::GetPhonebooks).data {
        EventData::Phonebooks { phonebooks, .. } => {
            assert!(phonebooks.len() >= 2, "{phonebooks:?}")
        }
        other => panic!("{other:?}"),
    }
    match w
        .ask(
            "1001",
            Command::GetPhonebookContacts {
                phonebook_id: "1".into(),
            },
        )
        .data
    {
        EventData::PhonebookContacts { contacts, .. } => {
            assert!(contacts.len() >= 2, "{contacts:?}")
        }
        other => panic!("{other:?}"),
    }
    match w
        .ask(
            "2001",
            Command::GetTeamUsers {
                team_id: "1".into(),
                subscribe: false,
            },
        )
        .data
    {
        EventData::TeamUsersList { users } => assert!(users.len() >= 2, "{users:?}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn friendly_mode_keeps_the_kinder_forms() {
    let mut model = Model::default();
    model.simulator.friendly = true;
    let mut w = World::with(model);
    w.login("1001", "5001");
    // Every event for the issuer carries the correlation id.
    assert_eq!(w.last_correlated.len(), 3, "{:?}", w.last_correlated);
    w.ready("1001");
    let (d, events) = w.control(|s| s.offer_call("1001", "5551234", &[]));
    assert!(events
        .iter()
        .any(|e| e.raw.starts_with("1001#NewInboundCall#")));
    let (r, _) = answer(&mut w, "1001", &d);
    assert!(r.len() >= 2, "{r:?}");
    let call = r
        .iter()
        .find(|e| e.data.wire_type() == "InboundCall")
        .expect("InboundCall");
    assert!(
        call.raw
            .starts_with(&format!("1001#InboundCall#ACTIVE#DialogID:{d}#")),
        "{}",
        call.raw
    );
}
