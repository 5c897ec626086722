//! The session engine: Hello loop, Beats, OUT_OF_SERVICE, re-login,
//! request/reply by correlation id, many agents per client.
//!
//! [`Client`] is a cheap, cloneable handle; a background task owns the
//! inbound side (events, timers). Outbound commands are sent by the caller's
//! task straight to the transport and wait for their broker receipt there.

mod agent;
mod bus;
mod client;
mod engine;
mod notification;
mod outbound;
mod shared;
mod snapshot;

pub use agent::Agent;
pub use client::Client;
pub use notification::{EventReceiver, Notification};
pub use snapshot::{AgentSnapshot, DialogSnapshot};

pub use crate::status::ConnectionStatus;
