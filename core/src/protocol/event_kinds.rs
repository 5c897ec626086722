//! The event table: one row per kind of event GC sends, and the only place
//! one is declared. From it come [`EventData`] (one variant per row, with
//! the row's doc line), [`EventData::kind_name`], [`EventData::wire_type`],
//! [`EventData::kind`] and [`EVENT_KINDS`] (GC's kinds, then the client's
//! own notifications), with the number the C ABI and C# use for each.
//! `codegen/` writes the C ABI's `gc_event_kind` and C#'s `GcEventKind`
//! from [`EVENT_KINDS`], so the two cannot drift. The parser
//! (`protocol::event`) stays hand-written; a test below checks that what it
//! reads from each wire type is that type's row.
//!
//! A row: `Variant <fields> => { kind, number, wire, [cls], doc }`:
//! - `<fields>`: the variant's payload, as in an enum (`{ name: Type }`,
//!   `(Type)` or nothing), attributes included (the uniffi names);
//! - `kind`: the stable snake_case name (`agent_state`) every binding uses;
//! - `number`: the value of `gc_event_kind` and `GcEventKind`; never reused;
//! - `wire`: the wire type it is parsed from (`Some("State")`), `None` for
//!   kinds without a fixed one; several kinds may share a type, the first
//!   listed is the usual one;
//! - [`cls`]: a name for languages whose identifiers ignore case (C#'s CLS
//!   rules): `re_login` and `relogin` would both be `ReLogin`/`Relogin`;
//! - `doc`: the variant's doc line (and the C/C# constant's).

use serde::Serialize;

use super::error_code::ErrorCode;
use super::event::{
    AgentInfo, AgentStateInfo, AgentSummary, ConsultCall, DialogStatus, InboundCall,
    InboundCallFailed, NewCall, Phonebook, PhonebookContact, QueueFlavor, QueueStats,
    ReasonCategory, ReasonCode, SystemStatus, TeamUser,
};

/// One kind of notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventKindSpec {
    /// [`EventData::kind_name`] for GC's events (`agent_state`); the
    /// notification's name for the client's own.
    pub name: &'static str,
    /// The value of `gc_event_kind` and `GcEventKind`; never reused.
    pub number: u32,
    /// The wire type this kind is parsed from (`State`), if it has one.
    /// Several kinds may share a type; the first listed is the usual one.
    pub wire_type: Option<&'static str>,
    /// A name for languages whose identifiers ignore case (C#'s CLS rules):
    /// `re_login` and `relogin` would both be `ReLogin`/`Relogin` there.
    pub cls_name: Option<&'static str>,
    /// False for the client's own notifications (status, re-login, ...).
    pub from_gc: bool,
    pub doc: &'static str,
}

const fn own(name: &'static str, number: u32, doc: &'static str) -> EventKindSpec {
    EventKindSpec {
        name,
        number,
        wire_type: None,
        cls_name: None,
        from_gc: false,
        doc,
    }
}

macro_rules! event_table {
    (
        gc: {
            $(
                $(#[$attr:meta])*
                $variant:ident $({ $($sf:tt)* })? $(( $($tf:tt)* ))? => {
                    kind: $kind:literal, number: $number:literal, wire: $wire:expr,
                    $(cls: $cls:literal,)?
                    doc: $doc:literal $(,)?
                }
            )*
        }
        own: [ $($own:expr),* $(,)? ]
    ) => {
        /// What an event says: one variant per event of the guide.
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(tag = "type", rename_all = "snake_case")]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
        pub enum EventData {
            $(
                #[doc = $doc]
                $(#[$attr])*
                $variant $({ $($sf)* })? $(( $($tf)* ))?,
            )*
        }

        /// GC's event kinds in table order, then the client's own
        /// notifications (status, re-login, ...).
        pub const EVENT_KINDS: &[EventKindSpec] = &[
            $(
                EventKindSpec {
                    name: $kind,
                    number: $number,
                    wire_type: $wire,
                    cls_name: first_of(&[$($cls)?]),
                    from_gc: true,
                    doc: $doc,
                },
            )*
            $($own,)*
        ];

        impl EventData {
            /// The stable snake_case name of the variant (`agent_state`,
            /// `error`), as in JSON and every binding.
            pub fn kind_name(&self) -> &'static str {
                self.kind().name
            }

            /// The event type as spelled on the wire (`State`,
            /// `TeamInfoIDs`, ...), to match replies against
            /// [`CommandSpec::replies`](super::CommandSpec). Kinds without
            /// a fixed wire type (`CallbackMessage`, `Unknown`,
            /// `Malformed`) give their variant name.
            pub fn wire_type(&self) -> &'static str {
                match self {
                    $(EventData::$variant { .. } => match $wire {
                        Some(w) => w,
                        None => stringify!($variant),
                    },)*
                }
            }

            /// This event's row of [`EVENT_KINDS`].
            pub fn kind(&self) -> &'static EventKindSpec {
                let mut i = 0usize;
                $(
                    if let EventData::$variant { .. } = self {
                        return &EVENT_KINDS[i];
                    }
                    i += 1;
                )*
                let _ = i;
                unreachable!("every variant has a row")
            }
        }
    };
}

/// The first of zero or one names (the optional `cls` of a row).
const fn first_of(names: &[&'static str]) -> Option<&'static str> {
    match names {
        [first, ..] => Some(first),
        [] => None,
    }
}

event_table! {
    gc: {
        System { status: SystemStatus } => {
            kind: "system", number: 0, wire: Some("System"),
            doc: "GC's status: IN_SERVICE or OUT_OF_SERVICE.",
        }
        DestinationReconnect { destination: String } => {
            kind: "destination_reconnect", number: 1, wire: Some("DESTINATION"),
            doc: "GC lost this client's topic; the session logs every agent in again.",
        }
        CallbackScheduled { info: String } => {
            kind: "callback_scheduled", number: 2, wire: Some("CallBack"),
            doc: "A campaign callback was scheduled, changed or cancelled.",
        }
        AgentInfo(#[cfg_attr(feature = "uniffi", uniffi(name = "details"))] AgentInfo) => {
            kind: "agent_info", number: 3, wire: Some("AgentInfo"),
            doc: "The agent's (or supervisor's) details, sent after login.",
        }
        AgentState(#[cfg_attr(feature = "uniffi", uniffi(name = "info"))] AgentStateInfo) => {
            kind: "agent_state", number: 4, wire: Some("State"),
            doc: "The agent's state changed, or the answer to a state command.",
        }
        ReLogin => {
            kind: "re_login", number: 5, wire: Some("State"), cls: "ReLoginRequested",
            doc: "GC asks the client to log the agent in again (`State#RE_LOGIN`).",
        }
        /// `dialog` is None when the agent has no active dialog.
        DialogStatus { dialog: DialogStatus } => {
            kind: "dialog_status", number: 6, wire: Some("DialogStatus"),
            doc: "The agent's active dialog (or none), sent after login.",
        }
        ReasonCodes {
            category: ReasonCategory,
            /// The category as sent (`NOT_READY`); says which for `Other`.
            category_text: String,
            codes: Vec<ReasonCode>,
            full_name: String,
        } => {
            kind: "reason_codes", number: 7, wire: Some("ReasonCodes"),
            doc: "Not-ready, logout or wrap-up reason codes.",
        }
        InboundCall(#[cfg_attr(feature = "uniffi", uniffi(name = "call"))] InboundCall) => {
            kind: "inbound_call", number: 8, wire: Some("InboundCall"),
            doc: "A call's state changed (ALERTING, ACTIVE, HELD, DROP, ...).",
        }
        InboundCallFailed(#[cfg_attr(feature = "uniffi", uniffi(name = "failure"))] InboundCallFailed) => {
            kind: "inbound_call_failed", number: 9, wire: Some("InboundCall"),
            doc: "A call failed (`InboundCall#FAILED`).",
        }
        NewInboundCall(#[cfg_attr(feature = "uniffi", uniffi(name = "call"))] NewCall) => {
            kind: "new_inbound_call", number: 10, wire: Some("NewInboundCall"),
            doc: "A new call rings for the agent.",
        }
        NewOutboundPreviewCall(#[cfg_attr(feature = "uniffi", uniffi(name = "call"))] NewCall) => {
            kind: "new_outbound_preview_call", number: 11, wire: Some("NewOutboundPreviewCall"),
            doc: "An outbound preview call is offered to the agent.",
        }
        DialogState { state: String, dialog_id: String, full_name: String } => {
            kind: "dialog_state", number: 12, wire: Some("DialogState"),
            doc: "The state of one dialog.",
        }
        ConsultCall(#[cfg_attr(feature = "uniffi", uniffi(name = "call"))] ConsultCall) => {
            kind: "consult_call", number: 13, wire: Some("ConsultCall"),
            doc: "The state of a consult call.",
        }
        TeamInfoIds { team_ids: Vec<String>, full_name: String } => {
            kind: "team_info_ids", number: 14, wire: Some("TeamInfoIDs"),
            doc: "The ids of a supervisor's teams.",
        }
        TeamInfoNames { team_names: Vec<String>, full_name: String } => {
            kind: "team_info_names", number: 15, wire: Some("TeamInfoNames"),
            doc: "The names of a supervisor's teams.",
        }
        QueueList { flavor: QueueFlavor, queues: Vec<QueueStats>, full_name: String } => {
            kind: "queue_list", number: 16, wire: Some("QueueList"),
            doc: "Queue statistics (UCCE or UCCX form).",
        }
        AgentsList { agents: Vec<AgentSummary> } => {
            kind: "agents_list", number: 17, wire: Some("AgentsList"),
            doc: "All logged-in users.",
        }
        TeamUsersList { users: Vec<TeamUser> } => {
            kind: "team_users_list", number: 18, wire: Some("TeamUsersList"),
            doc: "A team's members and their states.",
        }
        TeamMemberStateChanged { team_id: String, state: String, extra: Vec<String> } => {
            kind: "team_member_state_changed", number: 19, wire: Some("TeamMemberStateChanged"),
            doc: "A team member's state changed (supervisor).",
        }
        ConferenceParticipants { extensions: Vec<String> } => {
            kind: "conference_participants", number: 20, wire: Some("ConferenceParticipants"),
            doc: "The participants of a conference (supervisor).",
        }
        PrintStatusBar { #[cfg_attr(feature = "uniffi", uniffi(name = "text"))] message: String } => {
            kind: "print_status_bar", number: 21, wire: Some("Control"),
            doc: "A message for the agent's status bar.",
        }
        /// `found` is false for `NoPhoneBookFound`.
        Phonebooks { found: bool, phonebooks: Vec<Phonebook> } => {
            kind: "phonebooks", number: 22, wire: Some("Phonebooks"),
            doc: "The agent's team and global phonebooks.",
        }
        PhonebookContacts { found: bool, contacts: Vec<PhonebookContact> } => {
            kind: "phonebook_contacts", number: 23, wire: Some("PhonebookContacts"),
            doc: "The contacts of a phonebook.",
        }
        TeamPhonebooks { found: bool, phonebooks: Vec<Phonebook> } => {
            kind: "team_phonebooks", number: 24, wire: Some("TeamPhoneBooks"),
            doc: "A team's phonebooks.",
        }
        CallbackMessage { title: String, data: String } => {
            kind: "callback_message", number: 25, wire: None,
            doc: "A free-titled callback message.",
        }
        // Crosses uniffi as `error: ErrorCodeInfo` (the code with what the
        // guide says about it).
        Error { #[cfg_attr(feature = "uniffi", uniffi(name = "error"))] code: ErrorCode, details: Vec<String> } => {
            kind: "error", number: 26, wire: Some("Error"),
            doc: "GC's Error event; its code is typed.",
        }
        Unknown => {
            kind: "unknown", number: 27, wire: None,
            doc: "A well-formed event of a type this version does not know.",
        }
        Malformed { reason: String } => {
            kind: "malformed", number: 28, wire: None,
            doc: "A known type whose fields could not be read.",
        }
    }
    own: [
        own("status", 100, "The connection status changed."),
        own("relogin", 101, "An automatic re-login finished."),
        own("clock_skew", 102, "The broker's clock differs from ours."),
        own("lagged", 103, "A consumer fell behind and notifications were lost."),
        own(
            "oversized_frame",
            104,
            "An inbound message over the size limit was dropped unread (fields size, destination).",
        ),
        own(
            "broker_auth",
            105,
            "The broker refused the login (fields broker, message); retries stop unless configured.",
        ),
    ]
}

/// The kind usually parsed from a wire type (`State` -> `agent_state`).
pub fn kind_of_wire_type(wire_type: &str) -> Option<&'static EventKindSpec> {
    EVENT_KINDS.iter().find(|k| k.wire_type == Some(wire_type))
}

/// The row of a kind name.
pub fn event_kind(name: &str) -> Option<&'static EventKindSpec> {
    EVENT_KINDS.iter().find(|k| k.name == name)
}

#[cfg(test)]
mod tests {
    use super::super::tables::EVENT_FORMS;
    use super::super::{Event, EventData};
    use super::*;

    #[test]
    fn every_parsed_kind_has_a_row_with_its_wire_type() {
        for form in EVENT_FORMS {
            let e = Event::parse(form.sample);
            let row = event_kind(e.kind_name())
                .unwrap_or_else(|| panic!("no EVENT_KINDS row for `{}`", e.kind_name()));
            assert!(row.from_gc);
            if let Some(w) = row.wire_type {
                assert_eq!(e.data.wire_type(), w, "{}", form.sample);
            }
        }
    }

    #[test]
    fn a_kind_name_is_the_variant_name_in_json() {
        for form in EVENT_FORMS {
            let e = Event::parse(form.sample);
            let json = serde_json::to_value(&e.data).unwrap();
            assert_eq!(json["type"], e.kind_name(), "{}", form.sample);
            assert_eq!(e.data.kind().name, e.kind_name());
        }
    }

    #[test]
    fn gc_kinds_come_first_and_the_client_s_own_after() {
        let gc = EVENT_KINDS.iter().take_while(|k| k.from_gc).count();
        assert!(EVENT_KINDS[gc..].iter().all(|k| !k.from_gc));
        assert_eq!(
            event_kind("re_login").unwrap().cls_name,
            Some("ReLoginRequested")
        );
        assert_eq!(EventData::Unknown.wire_type(), "Unknown");
        assert_eq!(EventData::ReLogin.wire_type(), "State");
    }

    #[test]
    fn numbers_and_names_are_unique_even_ignoring_case_and_underscores() {
        let fold = |k: &EventKindSpec| {
            k.cls_name
                .map(str::to_owned)
                .unwrap_or_else(|| k.name.replace('_', ""))
                .to_ascii_lowercase()
        };
        for (i, a) in EVENT_KINDS.iter().enumerate() {
            for b in &EVENT_KINDS[i + 1..] {
                assert_ne!(a.number, b.number, "{} / {}", a.name, b.name);
                assert_ne!(fold(a), fold(b), "{} / {} clash in C#", a.name, b.name);
            }
        }
    }
}
