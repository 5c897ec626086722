//! The one error type of the public API.

use crate::protocol::{ErrorCode, Event, InvalidArgument};
use crate::session::ConnectionStatus;
use crate::stomp::TransportError;

#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// An argument the protocol cannot carry; nothing was sent.
    #[error(transparent)]
    InvalidArgument(#[from] InvalidArgument),
    #[error("configuration: {0}")]
    Config(String),
    /// The broker did not confirm the command (or the connection failed).
    #[error("transport: {0}")]
    Transport(#[from] TransportError),
    /// GC said `System#OUT_OF_SERVICE`; commands fail fast until IN_SERVICE.
    #[error("GC is out of service (Finesse unreachable); the command was not sent")]
    GcOutOfService,
    /// No `System#IN_SERVICE` yet (or the broker connection is down).
    #[error("GC is not in service yet (status: {0:?}); the command was not sent")]
    NotInService(ConnectionStatus),
    /// The broker confirmed the command but GC did not answer in time.
    #[error("no reply to `{command}` for agent `{agent}` within {after_ms} ms")]
    Timeout {
        command: &'static str,
        agent: String,
        after_ms: u64,
    },
    /// GC answered with an `Error` event.
    #[error("GC error {code} for agent `{agent}`: {}", code.summary())]
    Gc {
        agent: String,
        code: ErrorCode,
        event: Box<Event>,
    },
    /// The broker connection dropped while the command waited for its reply.
    #[error("connection lost while waiting for the reply to `{command}`")]
    ConnectionLost { command: &'static str },
    #[error("the client is closed")]
    Closed,
    #[error("no broker reachable within {after_ms} ms: {last_error}")]
    BrokerUnreachable { after_ms: u64, last_error: String },
}

impl Error {
    /// The GC error code, when GC refused the command.
    pub fn gc_code(&self) -> Option<&ErrorCode> {
        match self {
            Error::Gc { code, .. } => Some(code),
            _ => None,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
