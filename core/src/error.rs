//! The one error type of the public API.

use crate::protocol::{ErrorCode, Event, InvalidArgument};
use crate::status::ConnectionStatus;
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
    Transport(TransportError),
    /// GC said `System#OUT_OF_SERVICE`; commands fail fast until IN_SERVICE.
    #[error("GC is out of service (Finesse unreachable); the command was not sent")]
    GcOutOfService,
    /// No `System#IN_SERVICE` yet (or the broker connection is down).
    #[error("GC is not in service (status: {0:?}); no command is sent until it is, so none was carried out")]
    NotInService(ConnectionStatus),
    /// The broker confirmed the command but GC did not answer in time. The
    /// command's fate is unknown: GC may still have carried it out.
    #[error("no reply to `{command}` for agent `{agent}` within {after_ms} ms; GC may or may not have carried it out")]
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
    /// The broker connection dropped while the command waited for its
    /// reply. The command's fate is unknown: GC may have carried it out.
    #[error("connection lost while waiting for the reply to `{command}`; GC may or may not have carried it out")]
    ConnectionLost { command: &'static str },
    /// GC answered `State#RE_LOGIN`: it has no session for the agent, so the
    /// command was **not** carried out. The client logs the agent in again
    /// by itself when it holds the credentials.
    #[error("GC has no session for agent `{agent}` (State#RE_LOGIN): `{command}` was not carried out; the agent must be logged in again")]
    SessionLost {
        command: &'static str,
        agent: String,
    },
    /// GC answered the command with an event that is not one of the replies
    /// the guide lists for it (or an empty/unparseable one). Never a success.
    #[error("unexpected reply to `{command}` for agent `{agent}`: got `{got}`")]
    UnexpectedReply {
        command: &'static str,
        agent: String,
        got: String,
    },
    /// The broker refused the STOMP login (wrong broker user or passcode).
    #[error("broker `{broker}` refused the login: {message}")]
    BrokerAuth { broker: String, message: String },
    #[error("the client is closed")]
    Closed,
    #[error("no broker reachable within {after_ms} ms: {last_error}")]
    BrokerUnreachable { after_ms: u64, last_error: String },
}

/// A transport closed under a command means the client was closed: the
/// caller sees `Closed`, the same as for a command started after close.
impl From<TransportError> for Error {
    fn from(e: TransportError) -> Self {
        match e {
            TransportError::Closed => Error::Closed,
            e => Error::Transport(e),
        }
    }
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
