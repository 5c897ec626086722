//! gcclient: a client SDK for ExpertFlow's Generic Connector (GC) for Cisco Finesse.
//!
//! Layers, bottom up:
//! - [`protocol`]: typed GC commands and events and their text codec (no I/O).
//! - [`stomp`]: a STOMP 1.2 transport to ActiveMQ on tokio (frames, heart-beats,
//!   receipts, failover).
//! - the session engine and the public `Client`/`Agent` API on top of both.

pub mod protocol;
pub mod stomp;

pub use protocol::{AgentState, Command, ErrorCode, Event, EventData, InvalidArgument};

/// Crate version, for diagnostics and the bindings.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
