//! The client's connection status, shared by the session and the error type
//! (so `error` does not depend on `session`).

/// Where the client stands with the broker and GC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum ConnectionStatus {
    /// Opening the first broker connection.
    Connecting,
    /// Broker connected and subscribed; saying Hello until IN_SERVICE.
    WaitingForGc,
    /// GC answered `System#IN_SERVICE`: commands can be sent.
    InService,
    /// GC answered `System#OUT_OF_SERVICE`: commands fail fast; Hello again.
    OutOfService,
    /// The broker connection was lost; trying the broker list again.
    Reconnecting,
    /// `close()` was called.
    Closed,
}

impl ConnectionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionStatus::Connecting => "connecting",
            ConnectionStatus::WaitingForGc => "waiting_for_gc",
            ConnectionStatus::InService => "in_service",
            ConnectionStatus::OutOfService => "out_of_service",
            ConnectionStatus::Reconnecting => "reconnecting",
            ConnectionStatus::Closed => "closed",
        }
    }
}
