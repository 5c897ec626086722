//! The `Agent` object: connect and login here, one async method per other
//! command of the guide in `agent/commands.rs`, generated from the command
//! table.
use std::sync::Arc;

use crate::client::EventStream;
use crate::error::GcError;
use crate::events::Event;
use crate::runtime::run;
use crate::types::AgentSnapshot;

// The command methods, generated from core's command table. They still
// pass core's reply through `Event::from`, an identity since core's `Event`
// crosses as it is (the generator is someone else's work in progress).
#[rustfmt::skip]
#[allow(clippy::useless_conversion)]
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
}

/// Runs one core agent method on the library runtime:
/// `call!(self, |a| a.login(&password, &extension))`; the owned arguments
/// the body names are moved into the task.
macro_rules! call {
    ($self:ident, |$a:ident| $body:expr) => {{
        let $a = $self.inner.clone();
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
    /// credentials stay in memory for automatic re-login.
    pub async fn login(&self, password: String, extension: String) -> Result<Event, GcError> {
        call!(self, |a| a.login(&password, &extension))
    }

    /// Login for an SSO-enabled agent.
    pub async fn login_sso(&self, password: String, extension: String) -> Result<Event, GcError> {
        call!(self, |a| a.login_sso(&password, &extension))
    }
}
