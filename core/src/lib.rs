//! gcclient: a client SDK for ExpertFlow's Generic Connector (GC) for Cisco Finesse.
//!
//! Layers, bottom up:
//! - [`protocol`]: typed GC commands and events and their text codec (no I/O).
//! - [`stomp`]: a STOMP 1.2 transport to ActiveMQ on tokio (frames, heart-beats,
//!   receipts, failover).
//! - [`session`]: the session engine and the public [`Client`]/[`Agent`] API.
//! - [`blocking`]: the same API for callers without an async runtime.
//!
//! ```no_run
//! # async fn demo() -> gcclient::Result<()> {
//! let client = gcclient::Client::connect(gcclient::Config::new("tcp://127.0.0.1:61613")).await?;
//! client.wait_in_service(std::time::Duration::from_secs(10)).await?;
//! let agent = client.agent("1001");
//! agent.login("secret", "5001").await?;
//! agent.make_ready().await?;
//! let mut events = agent.events();
//! while let Some(n) = events.recv().await {
//!     println!("{n:?}");
//! }
//! # Ok(()) }
//! ```

pub mod blocking;
pub mod config;
pub mod error;
#[cfg(feature = "log-bridge")]
pub mod log_bridge;
pub mod protocol;
pub mod secret;
pub mod session;
pub mod status;
pub mod stomp;

pub use config::Config;
pub use error::{Error, Result};
pub use protocol::{
    AgentState, Command, CommandKind, ErrorCode, Event, EventData, InvalidArgument,
};
pub use session::{Agent, AgentSnapshot, Client, ConnectionStatus, EventReceiver, Notification};

// Core's types cross the uniffi boundary as they are (bindings/uniffi). A
// crate of its own to uniffi: its types form the generated module
// `gcclient_core` (Python `gcclient._native.gcclient_core`, Kotlin package
// io.gcclient.internal.core), which the `gcclient` module imports.
#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("gcclient_core");

/// Crate version, for diagnostics and the bindings.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
