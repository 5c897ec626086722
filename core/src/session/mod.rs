//! The session engine: Hello loop, Beats, OUT_OF_SERVICE, re-login,
//! request/reply by correlation id, many agents per client.
//!
//! The rules live in `state.rs`, a pure state machine (no I/O, no clock
//! reads) that owns pending requests, re-logins and snapshots. [`Client`] is
//! a cheap, cloneable handle; a thin driver task (`engine.rs`) feeds the
//! machine transport news and timer ticks. Outbound commands are sent by the
//! caller's task straight to the transport and wait for their broker
//! receipt there.

mod agent;
mod bus;
mod client;
mod engine;
mod notification;
mod outbound;
mod shared;
mod snapshot;
mod state;
#[cfg(test)]
mod state_tests;

pub use agent::Agent;
pub use client::Client;
pub use notification::{EventReceiver, Notification};
pub use snapshot::{AgentSnapshot, DialogSnapshot};

pub use crate::status::ConnectionStatus;
