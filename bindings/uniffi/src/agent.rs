//! The `Agent` object: one async method per command of the guide.
//! Each is written as `call!(self, |a| a.answer(&dialog_id))`; the owned arguments the body names are moved into the task.
use std::sync::Arc;

use crate::client::EventStream;
use crate::error::GcError;
use crate::events::Event;
use crate::logging::traced;
use crate::runtime::run;
use crate::types::{AgentSnapshot, KeyValue};

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
/// `call!(self, |a| a.answer(&dialog_id))`; the owned arguments the body
/// names are moved into the task.
macro_rules! call {
    ($self:ident, |$a:ident| $body:expr) => {{
        let $a = $self.inner.clone();
        run(traced(async move { $body.await.map(Event::from) })).await
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
        run(traced(async move { a.connect(&password, sso).await })).await
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

    /// Mobile agent login (`call_by_call` false means a nailed connection).
    pub async fn mobile_login(
        &self,
        password: String,
        extension: String,
        dial_number: String,
        call_by_call: bool,
    ) -> Result<Event, GcError> {
        call!(self, |a| a.mobile_login(
            &password,
            &extension,
            &dial_number,
            call_by_call
        ))
    }

    /// `Logout`; stops automatic re-login.
    pub async fn logout(&self) -> Result<Event, GcError> {
        call!(self, |a| a.logout())
    }

    pub async fn logout_with_reason(&self, reason_code: String) -> Result<Event, GcError> {
        call!(self, |a| a.logout_with_reason(&reason_code))
    }

    /// NOT_READY, with a reason code when given.
    pub async fn make_not_ready(&self, reason_code: Option<String>) -> Result<Event, GcError> {
        call!(self, |a| a.make_not_ready(reason_code.as_deref()))
    }

    pub async fn get_state(&self) -> Result<Event, GcError> {
        call!(self, |a| a.get_state())
    }

    pub async fn make_ready(&self) -> Result<Event, GcError> {
        call!(self, |a| a.make_ready())
    }

    pub async fn make_work_ready(&self) -> Result<Event, GcError> {
        call!(self, |a| a.make_work_ready())
    }

    pub async fn make_work_not_ready(&self) -> Result<Event, GcError> {
        call!(self, |a| a.make_work_not_ready())
    }

    pub async fn get_logout_reason_codes(&self) -> Result<Event, GcError> {
        call!(self, |a| a.get_logout_reason_codes())
    }

    pub async fn get_not_ready_reason_codes(&self) -> Result<Event, GcError> {
        call!(self, |a| a.get_not_ready_reason_codes())
    }

    pub async fn get_wrap_up_reasons(&self) -> Result<Event, GcError> {
        call!(self, |a| a.get_wrap_up_reasons())
    }

    /// All logged-in users (admin).
    pub async fn get_all_agents(&self) -> Result<Event, GcError> {
        call!(self, |a| a.get_all_agents())
    }

    pub async fn get_phonebooks(&self) -> Result<Event, GcError> {
        call!(self, |a| a.get_phonebooks())
    }

    pub async fn get_team_phonebook(&self) -> Result<Event, GcError> {
        call!(self, |a| a.get_team_phonebook())
    }

    pub async fn get_queue_list(&self) -> Result<Event, GcError> {
        call!(self, |a| a.get_queue_list())
    }

    /// Skill groups (UCCE).
    pub async fn get_skill_groups(&self) -> Result<Event, GcError> {
        call!(self, |a| a.get_skill_groups())
    }

    /// Supervisors (UCCE).
    pub async fn get_supervisors(&self) -> Result<Event, GcError> {
        call!(self, |a| a.get_supervisors())
    }

    pub async fn answer(&self, dialog_id: String) -> Result<Event, GcError> {
        call!(self, |a| a.answer(&dialog_id))
    }

    pub async fn release(&self, dialog_id: String) -> Result<Event, GcError> {
        call!(self, |a| a.release(&dialog_id))
    }

    pub async fn hold(&self, dialog_id: String) -> Result<Event, GcError> {
        call!(self, |a| a.hold(&dialog_id))
    }

    pub async fn retrieve(&self, dialog_id: String) -> Result<Event, GcError> {
        call!(self, |a| a.retrieve(&dialog_id))
    }

    pub async fn get_dialog_state(&self, dialog_id: String) -> Result<Event, GcError> {
        call!(self, |a| a.get_dialog_state(&dialog_id))
    }

    pub async fn end_silent_monitor(&self, dialog_id: String) -> Result<Event, GcError> {
        call!(self, |a| a.end_silent_monitor(&dialog_id))
    }

    pub async fn accept_outbound_preview(&self, dialog_id: String) -> Result<Event, GcError> {
        call!(self, |a| a.accept_outbound_preview(&dialog_id))
    }

    pub async fn reject_outbound_preview(&self, dialog_id: String) -> Result<Event, GcError> {
        call!(self, |a| a.reject_outbound_preview(&dialog_id))
    }

    pub async fn close_outbound_preview(&self, dialog_id: String) -> Result<Event, GcError> {
        call!(self, |a| a.close_outbound_preview(&dialog_id))
    }

    /// Blind transfer (`Transfer_sst`).
    pub async fn single_step_transfer(
        &self,
        extension: String,
        dialog_id: String,
    ) -> Result<Event, GcError> {
        call!(self, |a| a.single_step_transfer(&extension, &dialog_id))
    }

    pub async fn consult(&self, extension: String, dialog_id: String) -> Result<Event, GcError> {
        call!(self, |a| a.consult(&extension, &dialog_id))
    }

    /// Completes a consult transfer.
    pub async fn transfer(&self, extension: String, dialog_id: String) -> Result<Event, GcError> {
        call!(self, |a| a.transfer(&extension, &dialog_id))
    }

    pub async fn conference(&self, extension: String, dialog_id: String) -> Result<Event, GcError> {
        call!(self, |a| a.conference(&extension, &dialog_id))
    }

    pub async fn drop_participant(
        &self,
        extension: String,
        dialog_id: String,
    ) -> Result<Event, GcError> {
        call!(self, |a| a.drop_participant(&extension, &dialog_id))
    }

    pub async fn barge_in(&self, extension: String, dialog_id: String) -> Result<Event, GcError> {
        call!(self, |a| a.barge_in(&extension, &dialog_id))
    }

    pub async fn make_call(&self, number: String) -> Result<Event, GcError> {
        call!(self, |a| a.make_call(&number))
    }

    pub async fn wrap_up(&self, reason: String, dialog_id: String) -> Result<Event, GcError> {
        call!(self, |a| a.wrap_up(&reason, &dialog_id))
    }

    /// Sets call variables, in order.
    pub async fn update_call_variables(
        &self,
        dialog_id: String,
        variables: Vec<KeyValue>,
    ) -> Result<Event, GcError> {
        call!(self, |a| {
            let pairs: Vec<(&str, &str)> = variables
                .iter()
                .map(|kv| (kv.key.as_str(), kv.value.as_str()))
                .collect();
            // The borrow of `variables` must live inside the task.
            async move { a.update_call_variables(&dialog_id, &pairs).await }
        })
    }

    pub async fn get_phonebook_contacts(&self, phonebook_id: String) -> Result<Event, GcError> {
        call!(self, |a| a.get_phonebook_contacts(&phonebook_id))
    }

    /// Silently monitors a team member (supervisor).
    pub async fn silent_monitor(&self, extension: String) -> Result<Event, GcError> {
        call!(self, |a| a.silent_monitor(&extension))
    }

    /// Team members, optionally subscribing to their events (supervisor).
    pub async fn get_team_users(&self, team_id: String, subscribe: bool) -> Result<Event, GcError> {
        call!(self, |a| a.get_team_users(&team_id, subscribe))
    }

    pub async fn get_team_users_state(&self, team_agent_id: String) -> Result<Event, GcError> {
        call!(self, |a| a.get_team_users_state(&team_agent_id))
    }

    pub async fn schedule_callback(
        &self,
        target_media_address: String,
        dialog_id: String,
        callback_time: String,
        callback_number: String,
    ) -> Result<Event, GcError> {
        call!(self, |a| a.schedule_callback(
            &target_media_address,
            &dialog_id,
            &callback_time,
            &callback_number
        ))
    }

    pub async fn update_callback(
        &self,
        target_media_address: String,
        dialog_id: String,
        callback_time: String,
        callback_number: String,
    ) -> Result<Event, GcError> {
        call!(self, |a| a.update_callback(
            &target_media_address,
            &dialog_id,
            &callback_time,
            &callback_number
        ))
    }

    pub async fn cancel_callback(
        &self,
        target_media_address: String,
        dialog_id: String,
    ) -> Result<Event, GcError> {
        call!(self, |a| a
            .cancel_callback(&target_media_address, &dialog_id))
    }

    pub async fn reclassify_call(
        &self,
        target_media_address: String,
        dialog_id: String,
        value: String,
    ) -> Result<Event, GcError> {
        call!(self, |a| a.reclassify_call(
            &target_media_address,
            &dialog_id,
            &value
        ))
    }
}
