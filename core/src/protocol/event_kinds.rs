//! The event-kind table: one row per kind of notification a client hands
//! out (GC's events, then the client's own news), with the number the C ABI
//! and C# use for it. `codegen/` writes the C ABI's `gc_event_kind` and C#'s
//! `GcEventKind` from this table, so the two cannot drift; a test below
//! keeps it in step with [`EventData::kind_name`](super::EventData::kind_name).

/// One kind of notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventKindSpec {
    /// [`EventData::kind_name`](super::EventData::kind_name) for GC's
    /// events (`agent_state`); the notification's name for the client's own.
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

const fn gc(
    name: &'static str,
    number: u32,
    wire_type: Option<&'static str>,
    doc: &'static str,
) -> EventKindSpec {
    EventKindSpec {
        name,
        number,
        wire_type,
        cls_name: None,
        from_gc: true,
        doc,
    }
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

pub const EVENT_KINDS: &[EventKindSpec] = &[
    gc(
        "system",
        0,
        Some("System"),
        "GC's status: IN_SERVICE or OUT_OF_SERVICE.",
    ),
    gc(
        "destination_reconnect",
        1,
        Some("DESTINATION"),
        "GC lost this client's topic; the session logs every agent in again.",
    ),
    gc(
        "callback_scheduled",
        2,
        Some("CallBack"),
        "A campaign callback was scheduled, changed or cancelled.",
    ),
    gc(
        "agent_info",
        3,
        Some("AgentInfo"),
        "The agent's (or supervisor's) details, sent after login.",
    ),
    gc(
        "agent_state",
        4,
        Some("State"),
        "The agent's state changed, or the answer to a state command.",
    ),
    EventKindSpec {
        cls_name: Some("ReLoginRequested"),
        ..gc(
            "re_login",
            5,
            Some("State"),
            "GC asks the client to log the agent in again (`State#RE_LOGIN`).",
        )
    },
    gc(
        "dialog_status",
        6,
        Some("DialogStatus"),
        "The agent's active dialog (or none), sent after login.",
    ),
    gc(
        "reason_codes",
        7,
        Some("ReasonCodes"),
        "Not-ready, logout or wrap-up reason codes.",
    ),
    gc(
        "inbound_call",
        8,
        Some("InboundCall"),
        "A call's state changed (ALERTING, ACTIVE, HELD, DROP, ...).",
    ),
    gc(
        "inbound_call_failed",
        9,
        Some("InboundCall"),
        "A call failed (`InboundCall#FAILED`).",
    ),
    gc(
        "new_inbound_call",
        10,
        Some("NewInboundCall"),
        "A new call rings for the agent.",
    ),
    gc(
        "new_outbound_preview_call",
        11,
        Some("NewOutboundPreviewCall"),
        "An outbound preview call is offered to the agent.",
    ),
    gc(
        "dialog_state",
        12,
        Some("DialogState"),
        "The state of one dialog.",
    ),
    gc(
        "consult_call",
        13,
        Some("ConsultCall"),
        "The state of a consult call.",
    ),
    gc(
        "team_info_ids",
        14,
        Some("TeamInfoIDs"),
        "The ids of a supervisor's teams.",
    ),
    gc(
        "team_info_names",
        15,
        Some("TeamInfoNames"),
        "The names of a supervisor's teams.",
    ),
    gc(
        "queue_list",
        16,
        Some("QueueList"),
        "Queue statistics (UCCE or UCCX form).",
    ),
    gc(
        "agents_list",
        17,
        Some("AgentsList"),
        "All logged-in users.",
    ),
    gc(
        "team_users_list",
        18,
        Some("TeamUsersList"),
        "A team's members and their states.",
    ),
    gc(
        "team_member_state_changed",
        19,
        Some("TeamMemberStateChanged"),
        "A team member's state changed (supervisor).",
    ),
    gc(
        "conference_participants",
        20,
        Some("ConferenceParticipants"),
        "The participants of a conference (supervisor).",
    ),
    gc(
        "print_status_bar",
        21,
        Some("Control"),
        "A message for the agent's status bar.",
    ),
    gc(
        "phonebooks",
        22,
        Some("Phonebooks"),
        "The agent's team and global phonebooks.",
    ),
    gc(
        "phonebook_contacts",
        23,
        Some("PhonebookContacts"),
        "The contacts of a phonebook.",
    ),
    gc(
        "team_phonebooks",
        24,
        Some("TeamPhoneBooks"),
        "A team's phonebooks.",
    ),
    gc(
        "callback_message",
        25,
        None,
        "A free-titled callback message.",
    ),
    gc(
        "error",
        26,
        Some("Error"),
        "GC's Error event; its code is typed.",
    ),
    gc(
        "unknown",
        27,
        None,
        "A well-formed event of a type this version does not know.",
    ),
    gc(
        "malformed",
        28,
        None,
        "A known type whose fields could not be read.",
    ),
    own("status", 100, "The connection status changed."),
    own("relogin", 101, "An automatic re-login finished."),
    own("clock_skew", 102, "The broker's clock differs from ours."),
    own(
        "lagged",
        103,
        "A consumer fell behind and notifications were lost.",
    ),
];

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
    use super::super::Event;
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
