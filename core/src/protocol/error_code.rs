use std::fmt;

/// Where an error comes from, as the guide says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ErrorOrigin {
    GenericConnector,
    Finesse,
    Unknown,
}

/// What the guide suggests a client does about an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum ClientAction {
    /// Show the error and ask for valid credentials, then send again.
    AskForCredentials,
    /// Show the error and ask the user to log in again.
    LoginAgain,
    /// Show the error only.
    ShowMessage,
    /// Ask for a valid extension and send again.
    AskForExtension,
    /// Ask for a password and send again.
    AskForPassword,
    /// Show the error and send the request again.
    Retry,
    /// Send the request again with a reason code.
    RetryWithReasonCode,
    /// Send the request again with a (valid) dialog or call id.
    RetryWithDialogId,
    /// Show a message that fits the last command sent.
    ExplainLastCommand,
}

impl ErrorOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorOrigin::GenericConnector => "Generic Connector",
            ErrorOrigin::Finesse => "Finesse",
            ErrorOrigin::Unknown => "unknown",
        }
    }
}

impl ClientAction {
    /// The guide's wording of the expected client behaviour, shortened.
    pub fn describe(self) -> &'static str {
        match self {
            ClientAction::AskForCredentials => {
                "show the error, ask for valid credentials, send again"
            }
            ClientAction::LoginAgain => "show the error, ask the user to log in again",
            ClientAction::ShowMessage => "show the error",
            ClientAction::AskForExtension => {
                "show the error, ask for a valid extension, send again"
            }
            ClientAction::AskForPassword => "show the error, ask for the password, send again",
            ClientAction::Retry => "send the request again",
            ClientAction::RetryWithReasonCode => "send the request again with a reason code",
            ClientAction::RetryWithDialogId => {
                "send the request again with a (valid) dialog or call id"
            }
            ClientAction::ExplainLastCommand => "show a message that fits the last command sent",
        }
    }
}

macro_rules! error_codes {
    ($($variant:ident => $wire:literal, $origin:ident, $action:ident, $summary:literal;)*) => {
        /// The 20 error codes of the guide, plus `Other` for anything new.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $($variant,)*
            Other(String),
        }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            pub fn parse(s: &str) -> ErrorCode {
                match s.trim() {
                    $($wire => ErrorCode::$variant,)*
                    other => ErrorCode::Other(other.to_owned()),
                }
            }

            /// The spelling on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(ErrorCode::$variant => $wire,)*
                    ErrorCode::Other(s) => s,
                }
            }

            pub fn origin(&self) -> ErrorOrigin {
                match self {
                    $(ErrorCode::$variant => ErrorOrigin::$origin,)*
                    ErrorCode::Other(_) => ErrorOrigin::Unknown,
                }
            }

            /// The guide's suggested client behaviour.
            pub fn suggested_action(&self) -> ClientAction {
                match self {
                    $(ErrorCode::$variant => ClientAction::$action,)*
                    ErrorCode::Other(_) => ClientAction::ShowMessage,
                }
            }

            /// The guide's one-line summary.
            pub fn summary(&self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $summary,)*
                    ErrorCode::Other(_) => "error code not documented in the guide",
                }
            }
        }

        /// The 20 error codes of the guide; `Other` for anything new (the
        /// wire spelling is then in `ErrorCodeInfo::text`). Core's
        /// [`ErrorCode`] without the text, for the uniffi bindings, which
        /// call it `ErrorCode`.
        #[cfg(feature = "uniffi")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
        pub enum ErrorCodeKind { $($variant,)* Other }

        #[cfg(feature = "uniffi")]
        impl From<&ErrorCode> for ErrorCodeKind {
            fn from(c: &ErrorCode) -> Self {
                match c {
                    $(ErrorCode::$variant => ErrorCodeKind::$variant,)*
                    ErrorCode::Other(_) => ErrorCodeKind::Other,
                }
            }
        }
    };
}

error_codes! {
    SubscriptionFailed => "SUBSCRIPTION_FAILED", GenericConnector, AskForCredentials, "invalid credentials supplied for agent login";
    UnableToSubscribeToFinesse => "UNABLE_TO_SUBSCRIBE_TO_FINESSE", GenericConnector, AskForCredentials, "invalid credentials supplied for agent login";
    SessionInvalidated => "SESSION_INVALIDATED", GenericConnector, LoginAgain, "the user has logged in from another destination; this session was invalidated";
    LicensesExceeded => "LICENSES_EXCEEDED", GenericConnector, ShowMessage, "user licence limit exceeded";
    MissingExtension => "MISSING_EXTENSION", GenericConnector, AskForExtension, "extension is missing in the request";
    WrongExtension => "WRONG_EXTENSION", GenericConnector, AskForExtension, "extension is not valid (contains alphabetic characters)";
    MissingPassword => "MISSING_PASSWORD", GenericConnector, AskForPassword, "password is missing in the request";
    UserNotFound => "USER_NOT_FOUND", Finesse, AskForCredentials, "agent id is not found in Finesse";
    GeneralError => "GENERAL_ERROR", Finesse, Retry, "the root cause is unclear (login)";
    CfGenericUnspecified => "CF_GENERIC_UNSPECIFIED", Finesse, Retry, "the root cause is unclear; no details available";
    CfInvalidLogonDeviceSpecified => "CF_INVALID_LOGON_DEVICE_SPECIFIED", Finesse, AskForExtension, "the request specified an invalid logon device";
    CfResourceBusy => "CF_RESOURCE_BUSY", Finesse, Retry, "an internal resource is busy";
    CfInvalidObjectState => "CF_INVALID_OBJECT_STATE", Finesse, Retry, "the object is in the wrong state for the request";
    PleaseRetry => "PLEASE_RETRY", GenericConnector, Retry, "invalid request parameters, I/O error or request timeout";
    MissingReasonCode => "MISSING_REASON_CODE", GenericConnector, RetryWithReasonCode, "a reason code was expected but not provided";
    MissingDialogId => "MISSING_DIALOG_ID", GenericConnector, RetryWithDialogId, "dialog id is missing in the request";
    MissingNumber => "MISSING_NUMBER", GenericConnector, RetryWithDialogId, "number to dial is missing in the request";
    ECtiInvalidCallId => "E_CTI_INVALID_CALL_ID", Finesse, RetryWithDialogId, "the request carried an invalid call id";
    CfGenericOperation => "CF_GENERIC_OPERATION", Finesse, ExplainLastCommand, "an operation error occurred (no details available)";
    InvalidCallData => "INVALID_CALL_DATA", GenericConnector, ExplainLastCommand, "parameters missing in the request body";
}

/// A GC error code with what the guide says about it. (How an
/// [`ErrorCode`] crosses the uniffi boundary, a custom type: foreign code
/// gets the guide's advice without asking for it.)
#[cfg(feature = "uniffi")]
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ErrorCodeInfo {
    pub code: ErrorCodeKind,
    /// The spelling on the wire (`SUBSCRIPTION_FAILED`).
    pub text: String,
    pub origin: ErrorOrigin,
    pub action: ClientAction,
    pub summary: String,
}

#[cfg(feature = "uniffi")]
impl From<&ErrorCode> for ErrorCodeInfo {
    fn from(c: &ErrorCode) -> Self {
        ErrorCodeInfo {
            code: c.into(),
            text: c.as_str().to_owned(),
            origin: c.origin(),
            action: c.suggested_action(),
            summary: c.summary().to_owned(),
        }
    }
}

// Only `text` is read back: the rest follows from it.
#[cfg(feature = "uniffi")]
uniffi::custom_type!(ErrorCode, ErrorCodeInfo, {
    lower: |code| ErrorCodeInfo::from(&code),
    try_lift: |info| Ok(ErrorCode::parse(&info.text)),
});

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_codes_round_trip() {
        assert_eq!(ErrorCode::ALL.len(), 20);
        for code in ErrorCode::ALL {
            assert_eq!(&ErrorCode::parse(code.as_str()), code);
            assert_ne!(code.origin(), ErrorOrigin::Unknown);
        }
        assert_eq!(
            ErrorCode::parse("NEW_THING"),
            ErrorCode::Other("NEW_THING".into())
        );
        assert_eq!(
            ErrorCode::MissingReasonCode.suggested_action(),
            ClientAction::RetryWithReasonCode
        );
    }
}
