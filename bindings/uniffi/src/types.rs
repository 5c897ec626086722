//! Core's enums and records as they cross (the `uniffi` feature of
//! gcclient derives them), the functions foreign code asks about them, and
//! the one view made for the FFI: [`AgentSnapshot`], whose dialogs core
//! keeps keyed by id.

use gcclient::protocol as p;

pub use gcclient::protocol::{ClientAction, ErrorCodeInfo, ErrorCodeKind, ErrorOrigin, KeyValue};
pub use gcclient::session::DialogSnapshot;
pub use gcclient::{AgentState, ConnectionStatus, ErrorCode};

/// The wire spelling of a state (`NOT_READY`).
#[uniffi::export]
pub fn agent_state_name(state: AgentState) -> String {
    state.as_str().to_owned()
}

/// Whether Finesse (UCCE) allows the change `from -> to`.
#[uniffi::export]
pub fn agent_state_can_transition(from: AgentState, to: AgentState) -> bool {
    gcclient::AgentState::can_transition(from, to)
}

/// What the guide says about an error code given as on the wire.
#[uniffi::export]
pub fn error_code_info(text: String) -> ErrorCodeInfo {
    (&p::ErrorCode::parse(&text)).into()
}

/// What the client knows about one agent, kept from events.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct AgentSnapshot {
    pub agent_id: String,
    pub state: Option<AgentState>,
    pub reason_code_id: Option<String>,
    pub reason_label: String,
    pub pending_state: Option<AgentState>,
    pub extension: String,
    pub details: Option<p::AgentInfo>,
    /// Active dialogs, ordered by dialog id.
    pub dialogs: Vec<DialogSnapshot>,
    pub not_ready_reasons: Vec<p::ReasonCode>,
    pub logout_reasons: Vec<p::ReasonCode>,
    pub wrap_up_reasons: Vec<p::ReasonCode>,
    pub team_ids: Vec<String>,
    pub team_names: Vec<String>,
    pub last_status_message: Option<String>,
}

impl From<gcclient::AgentSnapshot> for AgentSnapshot {
    fn from(s: gcclient::AgentSnapshot) -> Self {
        AgentSnapshot {
            agent_id: s.agent_id,
            state: s.state,
            reason_code_id: s.reason_code_id,
            reason_label: s.reason_label,
            pending_state: s.pending_state,
            extension: s.extension,
            details: s.info,
            dialogs: s.dialogs.into_values().collect(),
            not_ready_reasons: s.not_ready_reasons,
            logout_reasons: s.logout_reasons,
            wrap_up_reasons: s.wrap_up_reasons,
            team_ids: s.team_ids,
            team_names: s.team_names,
            last_status_message: s.last_status_message,
        }
    }
}

#[cfg(test)]
mod tests {
    use uniffi::{Lift, Lower};

    use super::*;
    use gcclient::UniFfiTag;

    #[test]
    fn error_codes_cross_with_what_the_guide_says() {
        for c in p::ErrorCode::ALL {
            let info = ErrorCodeInfo::from(c);
            assert_ne!(info.code, ErrorCodeKind::Other, "{c}");
            assert_eq!(info.text, c.as_str());
            assert_eq!(info.action, c.suggested_action());
            assert_eq!(error_code_info(c.as_str().to_owned()), info);
        }
        let other = error_code_info("NEW_CODE".into());
        assert_eq!(
            (other.code, other.text.as_str()),
            (ErrorCodeKind::Other, "NEW_CODE")
        );
        // The custom type reads the code back from its text, `Other` included.
        for code in [
            p::ErrorCode::CfResourceBusy,
            p::ErrorCode::Other("NEW".into()),
        ] {
            let buf = <p::ErrorCode as Lower<UniFfiTag>>::lower_into_rust_buffer(code.clone());
            let back = <p::ErrorCode as Lift<UniFfiTag>>::try_lift_from_rust_buffer(buf).unwrap();
            assert_eq!(back, code);
        }
    }

    #[test]
    fn events_cross_with_kind_and_wire_type() {
        let event = p::Event::parse(
            "1001#State#NOT_READY#7#2025-01-31 14:30:00#READY#1738333800000#Zoë Ünal#1001#1001#Lunch#Zoë Ünal#zunal",
        );
        let buf = <p::Event as Lower<UniFfiTag>>::lower_into_rust_buffer(event.clone());
        let record = <p::EventRecord as Lift<UniFfiTag>>::try_lift_from_rust_buffer(buf).unwrap();
        assert_eq!(
            (record.kind.as_str(), record.wire_type.as_str()),
            ("agent_state", "State")
        );
        let buf = <p::EventRecord as Lower<UniFfiTag>>::lower_into_rust_buffer(record);
        let back = <p::Event as Lift<UniFfiTag>>::try_lift_from_rust_buffer(buf).unwrap();
        assert_eq!(back, event);
    }

    #[test]
    fn gc_errors_keep_code_and_event() {
        let event = p::Event::parse("1001#Error#CF_RESOURCE_BUSY#x");
        let err = crate::GcError::from(gcclient::Error::Gc {
            agent: "1001".into(),
            code: p::ErrorCode::CfResourceBusy,
            event: Box::new(event),
        });
        match err {
            crate::GcError::Gc {
                agent,
                error,
                event,
                detail,
            } => {
                assert_eq!(agent, "1001");
                assert_eq!(error.code, ErrorCodeKind::CfResourceBusy);
                assert_eq!(event.kind_name(), "error");
                assert!(detail.contains("CF_RESOURCE_BUSY"), "{detail}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
