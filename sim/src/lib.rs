//! gcclient-sim: a Generic Connector + Cisco Finesse simulator.
//!
//! It plays GC over a real ActiveMQ broker: consumes the `Connector1` queue,
//! answers on each command's reply-to topic with its correlation id, and
//! sends unsolicited events the way Finesse does. The behaviour lives in the
//! pure [`engine`] (unit-tested without a broker); [`server`] does the I/O
//! and offers the control API used by tests and the demo. [`loopback`] is
//! a demo-only STOMP endpoint so `gcclient demo` needs no ActiveMQ.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! let sim = gcclient_sim::Simulator::start(gcclient_sim::SimConfig::new("tcp://127.0.0.1:61613")).await?;
//! // ... a gcclient::Client logs agent 1001 in and goes READY ...
//! let dialog = sim.offer_call("1001", "5551234", &[("callVariable1", "VIP")]).await?;
//! sim.hang_up(&dialog).await?;
//! sim.shutdown().await;
//! # Ok(()) }
//! ```

pub mod clock;
pub mod engine;
pub mod loopback;
pub mod model;
pub mod server;

pub use engine::{ControlError, Sim};
pub use loopback::Loopback;
pub use model::{Model, ModelError};
pub use server::{AgentView, CallView, SimConfig, SimError, SimHandle, Simulator};

pub use gcclient::VERSION;
