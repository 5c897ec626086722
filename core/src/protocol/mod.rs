//! The Generic Connector text protocol: typed commands and events, no I/O.
//!
//! Commands travel as a JMS type (`<Command>#<agent or destination>`) plus a
//! comma-separated body; events are `#`-separated bodies with an empty JMS
//! type. The vendor's guide defines both; `docs/protocol.md` records how this
//! crate reads it where it is silent or wrong.

mod agent_state;
mod command;
pub(crate) mod command_table;
mod error_code;
mod event;
pub mod event_kinds;
pub mod limits;
pub mod tables;
mod wire_names;

pub use crate::secret::Secret;
pub use agent_state::AgentState;
pub use command::{
    Command, CommandDecodeError, CommandKind, CommandSpec, Encoded, InvalidArgument, MethodShape,
    Param, ParamRule, Target,
};
pub use error_code::{ClientAction, ErrorCode, ErrorOrigin};
#[cfg(feature = "uniffi")]
pub use error_code::{ErrorCodeInfo, ErrorCodeKind};
#[cfg(feature = "uniffi")]
pub use event::EventRecord;
pub use event::{
    AgentInfo, AgentStateInfo, AgentSummary, CallParty, ConsultCall, DialogInfo, DialogStatus,
    Event, EventData, InboundCall, InboundCallFailed, KeyValue, NewCall, ParseOptions, Phonebook,
    PhonebookContact, QueueFlavor, QueueStats, ReasonCategory, ReasonCode, SystemStatus, Team,
    TeamUser, EVENT_TYPES,
};
pub use wire_names::WireNames;
