//! The `Agent` object: connect and login here, one async method per other
//! command of the guide in `agent/commands.rs`, generated from the command
//! table.
use std::sync::Arc;
use std::time::Duration;

use crate::client::EventStream;
use crate::error::GcError;
use crate::events::Event;
use crate::runtime::{block, run};
use crate::types::AgentSnapshot;

// The command methods, generated from core's command table.
#[rustfmt::skip]
mod commands;

/// One agent on a client. Methods for commands GC answers return the reply
/// event, or fail with `GcError::Gc` carrying GC's error code.
#[derive(Debug, uniffi::Object)]
pub struct Agent {
    inner: gcclient::Agent,
}

impl Agent {
    pub(crate) fn new(inner: gcclient::Agent) -> Self {
        Agent { inner }
    }

    /// The core agent whose commands wait `timeout_ms` for their reply
    /// (0: the config's `request_timeout_ms`; the foreign layers send a
    /// caller's zero deadline as 1 ms).
    fn with(&self, timeout_ms: u64) -> gcclient::Agent {
        match timeout_ms {
            0 => self.inner.clone(),
            ms => self.inner.with_timeout(Duration::from_millis(ms)),
        }
    }
}

/// Runs one core agent method on the library runtime:
/// `call!(self, |a| a.login(&password, &extension))`; the owned arguments
/// the body names are moved into the task.
macro_rules! call {
    ($self:ident, $timeout:expr, |$a:ident| $body:expr) => {{
        let $a = $self.with($timeout);
        run(async move { $body.await }).await
    }};
}

#[uniffi::export]
impl Agent {
    pub fn id(&self) -> String {
        self.inner.id().to_owned()
    }

    /// What the client knows about this agent, kept from events.
    pub fn snapshot(&self) -> AgentSnapshot {
        self.inner.snapshot().into()
    }

    /// Events and notifications for this agent only.
    pub fn events(&self) -> Arc<EventStream> {
        EventStream::new(self.inner.events())
    }

    /// `Connect` only (Finesse notifications); `login` sends it itself.
    pub async fn connect(&self, password: String, sso: bool) -> Result<(), GcError> {
        let a = self.inner.clone();
        run(async move { a.connect(&password, sso).await }).await
    }

    /// `Connect` then `Login`; returns the agent's state event. The
    /// credentials stay in memory for automatic re-login. `timeout_ms`:
    /// the reply deadline of this call (0, the default: `request_timeout_ms`).
    #[uniffi::method(default(timeout_ms = 0))]
    pub async fn login(
        &self,
        password: String,
        extension: String,
        timeout_ms: u64,
    ) -> Result<Event, GcError> {
        call!(self, timeout_ms, |a| a.login(&password, &extension))
    }

    /// Login for an SSO-enabled agent.
    #[uniffi::method(default(timeout_ms = 0))]
    pub async fn login_sso(
        &self,
        password: String,
        extension: String,
        timeout_ms: u64,
    ) -> Result<Event, GcError> {
        call!(self, timeout_ms, |a| a.login_sso(&password, &extension))
    }

    /// [`Agent::connect`], blocking the calling thread.
    pub fn connect_blocking(&self, password: String, sso: bool) -> Result<(), GcError> {
        block(self.inner.connect(&password, sso))
    }

    /// [`Agent::login`], blocking the calling thread.
    #[uniffi::method(default(timeout_ms = 0))]
    pub fn login_blocking(
        &self,
        password: String,
        extension: String,
        timeout_ms: u64,
    ) -> Result<Event, GcError> {
        block(async { self.with(timeout_ms).login(&password, &extension).await })
    }

    /// [`Agent::login_sso`], blocking the calling thread.
    #[uniffi::method(default(timeout_ms = 0))]
    pub fn login_sso_blocking(
        &self,
        password: String,
        extension: String,
        timeout_ms: u64,
    ) -> Result<Event, GcError> {
        block(async { self.with(timeout_ms).login_sso(&password, &extension).await })
    }
}
