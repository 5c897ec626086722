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
mod client;
mod engine;
mod notification;
mod shared;
mod snapshot;
mod state;
#[cfg(test)]
mod state_tests;

pub use agent::Agent;
pub use client::Client;
pub use notification::{EventReceiver, Notification};
pub use snapshot::{AgentSnapshot, DialogSnapshot};

/// Where the client stands with the broker and GC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
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
