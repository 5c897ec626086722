//! The one error type of the bindings, mirrored from `gcclient::Error`.
//! Every variant carries `detail`, the core's message, so foreign code can
//! show it without formatting the fields itself.

use gcclient::protocol::{ErrorCodeInfo, Event};
use gcclient::ConnectionStatus;

#[derive(Debug, Clone, thiserror::Error, uniffi::Error)]
pub enum GcError {
    /// An argument the protocol cannot carry; nothing was sent.
    #[error("{detail}")]
    InvalidArgument {
        detail: String,
        command: String,
        argument: String,
        reason: String,
    },
    #[error("{detail}")]
    Config { detail: String },
    /// The broker did not confirm the command (or the connection failed).
    #[error("{detail}")]
    Transport { detail: String },
    /// GC said `System#OUT_OF_SERVICE`; commands fail fast until IN_SERVICE.
    #[error("{detail}")]
    GcOutOfService { detail: String },
    /// No `System#IN_SERVICE` yet (or the broker connection is down).
    #[error("{detail}")]
    NotInService {
        detail: String,
        status: ConnectionStatus,
    },
    /// The broker confirmed the command but GC did not answer in time.
    #[error("{detail}")]
    Timeout {
        detail: String,
        command: String,
        agent: String,
        after_ms: i64,
    },
    /// GC answered with an `Error` event.
    #[error("{detail}")]
    Gc {
        detail: String,
        agent: String,
        error: ErrorCodeInfo,
        event: Event,
    },
    /// The broker connection dropped while the command waited for its reply.
    #[error("{detail}")]
    ConnectionLost { detail: String, command: String },
    /// GC answered `State#RE_LOGIN`: the command was not carried out.
    #[error("{detail}")]
    SessionLost {
        detail: String,
        command: String,
        agent: String,
    },
    /// GC answered with an event that is not a reply to this command.
    #[error("{detail}")]
    UnexpectedReply {
        detail: String,
        command: String,
        agent: String,
        got: String,
    },
    /// The broker refused the STOMP login.
    #[error("{detail}")]
    BrokerAuth { detail: String, broker: String },
    #[error("{detail}")]
    Closed { detail: String },
    #[error("{detail}")]
    BrokerUnreachable {
        detail: String,
        after_ms: i64,
        last_error: String,
    },
    /// A blocking call stopped waiting because its thread was interrupted
    /// (see `set_interruption`); the command's reply is no longer awaited.
    #[error("{detail}")]
    Interrupted { detail: String },
    /// A fault inside the bindings themselves (a bug: please report it).
    #[error("{detail}")]
    Internal { detail: String },
}

impl From<gcclient::Error> for GcError {
    fn from(e: gcclient::Error) -> Self {
        use gcclient::Error as E;
        let detail = e.to_string();
        match e {
            E::InvalidArgument(a) => GcError::InvalidArgument {
                detail,
                command: a.command.into(),
                argument: a.argument.into(),
                reason: a.reason.into(),
            },
            E::Config(_) => GcError::Config { detail },
            E::Transport(_) => GcError::Transport { detail },
            E::GcOutOfService => GcError::GcOutOfService { detail },
            E::NotInService(status) => GcError::NotInService { detail, status },
            E::Timeout {
                command,
                agent,
                after_ms,
            } => GcError::Timeout {
                detail,
                command: command.into(),
                agent,
                after_ms: i64::try_from(after_ms).unwrap_or(i64::MAX),
            },
            E::Gc { agent, code, event } => GcError::Gc {
                detail,
                agent,
                error: (&code).into(),
                event: *event,
            },
            E::ConnectionLost { command } => GcError::ConnectionLost {
                detail,
                command: command.into(),
            },
            E::SessionLost { command, agent } => GcError::SessionLost {
                detail,
                command: command.into(),
                agent,
            },
            E::UnexpectedReply {
                command,
                agent,
                got,
            } => GcError::UnexpectedReply {
                detail,
                command: command.into(),
                agent,
                got,
            },
            E::BrokerAuth { broker, .. } => GcError::BrokerAuth { detail, broker },
            E::Closed => GcError::Closed { detail },
            E::BrokerUnreachable {
                after_ms,
                last_error,
            } => GcError::BrokerUnreachable {
                detail,
                after_ms: i64::try_from(after_ms).unwrap_or(i64::MAX),
                last_error,
            },
        }
    }
}
