//! Enums and records shared by events, errors and snapshots, mirrored from
//! the core with `From` conversions (the core carries no uniffi derives).

use gcclient::protocol as p;

/// A Finesse agent state (UCCE).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum AgentState {
    Logout,
    Login,
    NotReady,
    Ready,
    Reserved,
    ReservedOutbound,
    ReservedOutboundPreview,
    Talking,
    Hold,
    Work,
    WorkReady,
    Unknown,
}

impl From<gcclient::AgentState> for AgentState {
    fn from(s: gcclient::AgentState) -> Self {
        use gcclient::AgentState as S;
        match s {
            S::Logout => Self::Logout,
            S::Login => Self::Login,
            S::NotReady => Self::NotReady,
            S::Ready => Self::Ready,
            S::Reserved => Self::Reserved,
            S::ReservedOutbound => Self::ReservedOutbound,
            S::ReservedOutboundPreview => Self::ReservedOutboundPreview,
            S::Talking => Self::Talking,
            S::Hold => Self::Hold,
            S::Work => Self::Work,
            S::WorkReady => Self::WorkReady,
            S::Unknown => Self::Unknown,
        }
    }
}

impl From<AgentState> for gcclient::AgentState {
    fn from(s: AgentState) -> Self {
        gcclient::AgentState::ALL
            .into_iter()
            .find(|c| AgentState::from(*c) == s)
            .unwrap_or(gcclient::AgentState::Unknown)
    }
}

/// The wire spelling of a state (`NOT_READY`).
#[uniffi::export]
pub fn agent_state_name(state: AgentState) -> String {
    gcclient::AgentState::from(state).as_str().to_owned()
}

/// Whether Finesse (UCCE) allows the change `from -> to`.
#[uniffi::export]
pub fn agent_state_can_transition(from: AgentState, to: AgentState) -> bool {
    gcclient::AgentState::can_transition(from.into(), to.into())
}

/// Where the client stands with the broker and GC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum ConnectionStatus {
    Connecting,
    WaitingForGc,
    InService,
    OutOfService,
    Reconnecting,
    Closed,
}

impl From<gcclient::ConnectionStatus> for ConnectionStatus {
    fn from(s: gcclient::ConnectionStatus) -> Self {
        use gcclient::ConnectionStatus as S;
        match s {
            S::Connecting => Self::Connecting,
            S::WaitingForGc => Self::WaitingForGc,
            S::InService => Self::InService,
            S::OutOfService => Self::OutOfService,
            S::Reconnecting => Self::Reconnecting,
            S::Closed => Self::Closed,
        }
    }
}

impl From<ConnectionStatus> for gcclient::ConnectionStatus {
    fn from(s: ConnectionStatus) -> Self {
        use gcclient::ConnectionStatus as S;
        match s {
            ConnectionStatus::Connecting => S::Connecting,
            ConnectionStatus::WaitingForGc => S::WaitingForGc,
            ConnectionStatus::InService => S::InService,
            ConnectionStatus::OutOfService => S::OutOfService,
            ConnectionStatus::Reconnecting => S::Reconnecting,
            ConnectionStatus::Closed => S::Closed,
        }
    }
}

macro_rules! error_code_enum {
    ($($v:ident),* $(,)?) => {
        /// The 20 error codes of the guide; `Other` for anything new (the
        /// wire spelling is then in `ErrorCodeInfo::text`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
        pub enum ErrorCode { $($v,)* Other }

        impl From<&p::ErrorCode> for ErrorCode {
            fn from(c: &p::ErrorCode) -> Self {
                match c { $(p::ErrorCode::$v => Self::$v,)* p::ErrorCode::Other(_) => Self::Other }
            }
        }
    };
}

error_code_enum!(
    SubscriptionFailed,
    UnableToSubscribeToFinesse,
    SessionInvalidated,
    LicensesExceeded,
    MissingExtension,
    WrongExtension,
    MissingPassword,
    UserNotFound,
    GeneralError,
    CfGenericUnspecified,
    CfInvalidLogonDeviceSpecified,
    CfResourceBusy,
    CfInvalidObjectState,
    PleaseRetry,
    MissingReasonCode,
    MissingDialogId,
    MissingNumber,
    ECtiInvalidCallId,
    CfGenericOperation,
    InvalidCallData,
);

/// Where an error comes from, as the guide says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ErrorOrigin {
    GenericConnector,
    Finesse,
    Unknown,
}

/// What the guide suggests a client does about an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ClientAction {
    AskForCredentials,
    LoginAgain,
    ShowMessage,
    AskForExtension,
    AskForPassword,
    Retry,
    RetryWithReasonCode,
    RetryWithDialogId,
    ExplainLastCommand,
}

/// A GC error code with what the guide says about it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ErrorCodeInfo {
    pub code: ErrorCode,
    /// The spelling on the wire (`SUBSCRIPTION_FAILED`).
    pub text: String,
    pub origin: ErrorOrigin,
    pub action: ClientAction,
    pub summary: String,
}

impl From<&p::ErrorCode> for ErrorCodeInfo {
    fn from(c: &p::ErrorCode) -> Self {
        ErrorCodeInfo {
            code: c.into(),
            text: c.as_str().to_owned(),
            origin: match c.origin() {
                p::ErrorOrigin::GenericConnector => ErrorOrigin::GenericConnector,
                p::ErrorOrigin::Finesse => ErrorOrigin::Finesse,
                p::ErrorOrigin::Unknown => ErrorOrigin::Unknown,
            },
            action: match c.suggested_action() {
                p::ClientAction::AskForCredentials => ClientAction::AskForCredentials,
                p::ClientAction::LoginAgain => ClientAction::LoginAgain,
                p::ClientAction::ShowMessage => ClientAction::ShowMessage,
                p::ClientAction::AskForExtension => ClientAction::AskForExtension,
                p::ClientAction::AskForPassword => ClientAction::AskForPassword,
                p::ClientAction::Retry => ClientAction::Retry,
                p::ClientAction::RetryWithReasonCode => ClientAction::RetryWithReasonCode,
                p::ClientAction::RetryWithDialogId => ClientAction::RetryWithDialogId,
                p::ClientAction::ExplainLastCommand => ClientAction::ExplainLastCommand,
            },
            summary: c.summary().to_owned(),
        }
    }
}

/// What the guide says about an error code given as on the wire.
#[uniffi::export]
pub fn error_code_info(text: String) -> ErrorCodeInfo {
    (&p::ErrorCode::parse(&text)).into()
}

/// A name/value pair, in order (call variables, queue statistics).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct KeyValue {
    pub key: String,
    pub value: String,
}

/// One active dialog as last reported.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DialogSnapshot {
    pub dialog_id: String,
    pub state: String,
    pub from_address: String,
    pub call_variables: Vec<String>,
    pub call_type: Option<String>,
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
    pub details: Option<crate::events::AgentDetails>,
    /// Active dialogs, ordered by dialog id.
    pub dialogs: Vec<DialogSnapshot>,
    pub not_ready_reasons: Vec<crate::events::ReasonCode>,
    pub logout_reasons: Vec<crate::events::ReasonCode>,
    pub wrap_up_reasons: Vec<crate::events::ReasonCode>,
    pub team_ids: Vec<String>,
    pub team_names: Vec<String>,
    pub last_status_message: Option<String>,
}

impl From<gcclient::AgentSnapshot> for AgentSnapshot {
    fn from(s: gcclient::AgentSnapshot) -> Self {
        let reasons = |v: Vec<p::ReasonCode>| v.into_iter().map(Into::into).collect();
        AgentSnapshot {
            agent_id: s.agent_id,
            state: s.state.map(Into::into),
            reason_code_id: s.reason_code_id,
            reason_label: s.reason_label,
            pending_state: s.pending_state.map(Into::into),
            extension: s.extension,
            details: s.info.map(Into::into),
            dialogs: s
                .dialogs
                .into_values()
                .map(|d| DialogSnapshot {
                    dialog_id: d.dialog_id,
                    state: d.state,
                    from_address: d.from_address,
                    call_variables: d.call_variables,
                    call_type: d.call_type,
                })
                .collect(),
            not_ready_reasons: reasons(s.not_ready_reasons),
            logout_reasons: reasons(s.logout_reasons),
            wrap_up_reasons: reasons(s.wrap_up_reasons),
            team_ids: s.team_ids,
            team_names: s.team_names,
            last_status_message: s.last_status_message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_and_error_code_maps_both_ways() {
        for s in gcclient::AgentState::ALL {
            assert_eq!(gcclient::AgentState::from(AgentState::from(s)), s);
        }
        for c in p::ErrorCode::ALL {
            let info = ErrorCodeInfo::from(c);
            assert_ne!(info.code, ErrorCode::Other, "{c}");
            assert_eq!(info.text, c.as_str());
            assert_eq!(error_code_info(c.as_str().to_owned()), info);
        }
        let other = error_code_info("NEW_CODE".into());
        assert_eq!(
            (other.code, other.text.as_str()),
            (ErrorCode::Other, "NEW_CODE")
        );
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
                assert_eq!(error.code, ErrorCode::CfResourceBusy);
                assert_eq!(event.kind, "error");
                assert!(detail.contains("CF_RESOURCE_BUSY"), "{detail}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
