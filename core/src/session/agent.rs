use std::time::Duration;

use super::client::Client;
use super::notification::EventReceiver;
use super::snapshot::AgentSnapshot;
use super::state::Credentials;
use crate::error::{Error, Result};
use crate::protocol::command_table::command_table;
use crate::protocol::{Command, Event, Secret};

/// One agent on a client: one async method per command of the guide.
///
/// Methods for commands GC answers return the reply event (or
/// `Error::Gc` with the error code); `connect` returns once the broker
/// confirmed it, since GC sends nothing on success.
#[derive(Clone, Debug)]
pub struct Agent {
    client: Client,
    id: String,
    /// The reply deadline of this handle's commands; `None`: the config's
    /// `request_timeout_ms`. Set by [`Agent::with_timeout`].
    timeout: Option<Duration>,
}

/// A table parameter type as a method argument.
macro_rules! arg_type {
    (Text) => {
        &str
    };
    (Secret) => {
        &str
    };
    (Flag) => {
        bool
    };
    (Marker) => {
        bool
    };
    (Vars) => {
        &[(&str, &str)]
    };
}

/// A method argument as the command's field.
macro_rules! to_field {
    ($v:ident, Text) => {
        $v.to_owned()
    };
    ($v:ident, Secret) => {
        Secret::new($v)
    };
    ($v:ident, Flag) => {
        $v
    };
    ($v:ident, Marker) => {
        $v
    };
    ($v:ident, Vars) => {
        $v.iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    };
}

/// One `Agent` method per `Request` row of the command table (`Session`
/// rows are written below by hand), plus the deprecated aliases of every row.
macro_rules! agent_methods {
    ($(
        $kind:ident $({ $($p:ident : $t:ident $(($w:literal))?),* $(,)? })? => {
            api: $api:ident, wire: $wire:literal, target: $target:ident,
            $(suffix: $suffix:literal,)?
            replies: [$($r:literal),*],
            method: $method:ident,
            $(folds: $folds:ident,)?
            $(aliases: [$($alias:ident),*],)?
            summary: $summary:literal,
            doc: $doc:literal $(,)?
        }
    )*) => {
        impl Agent {
            $(agent_methods!(@method $method, $kind, $api, $doc, $wire, [$($r),*], [$($($p: $t),*)?], [$($folds)?]);)*
            $(agent_methods!(@aliases [$($($alias),*)?], $api, [$($($p: $t),*)?]);)*
        }
    };
    (@method Request, $kind:ident, $api:ident, $doc:literal, $wire:literal, [$($r:literal),*], [$($p:ident: $t:ident),*], []) => {
        #[doc = $doc]
        #[doc = ""]
        #[doc = concat!("Sends `", $wire, "`; GC answers with ", $("`", $r, "` ",)* "(the first is the reply returned).")]
        pub async fn $api(&self $(, $p: arg_type!($t))*) -> Result<Event> {
            self.request(Command::$kind { $($p: to_field!($p, $t)),* }).await
        }
    };
    (@method Request, $kind:ident, $api:ident, $doc:literal, $wire:literal, [$($r:literal),*], [], [$folds:ident]) => {
        #[doc = $doc]
        #[doc = ""]
        #[doc = concat!("Sends `", $wire, "`; GC answers with ", $("`", $r, "` ",)* "(the first is the reply returned).")]
        pub async fn $api(&self, reason_code: Option<&str>) -> Result<Event> {
            match reason_code {
                Some(r) => self.request(Command::$folds { reason_code: r.to_owned() }).await,
                None => self.request(Command::$kind).await,
            }
        }
    };
    (@method $other:ident, $($rest:tt)*) => {};
    (@aliases [$($alias:ident),*], $api:ident, $params:tt) => {
        $(agent_methods!(@alias $alias, $api, $params);)*
    };
    (@alias $alias:ident, $api:ident, [$($p:ident: $t:ident),*]) => {
        #[doc = concat!("Deprecated name of [`Agent::", stringify!($api), "`].")]
        #[deprecated(note = "renamed; the method names of the command table are the same in every language")]
        pub async fn $alias(&self $(, $p: arg_type!($t))*) -> Result<Event> {
            self.$api($($p),*).await
        }
    };
}

command_table!(agent_methods);

impl Agent {
    pub(crate) fn new(client: Client, id: String) -> Self {
        Agent {
            client,
            id,
            timeout: None,
        }
    }

    /// This agent with `timeout` as the reply deadline of its commands,
    /// instead of the config's `request_timeout_ms` (longer or shorter).
    /// A command that gets no reply in time fails with [`Error::Timeout`]
    /// and its pending request is dropped, as with the config's deadline.
    pub fn with_timeout(&self, timeout: Duration) -> Agent {
        Agent {
            timeout: Some(timeout),
            ..self.clone()
        }
    }

    /// The reply deadline of this handle's commands.
    pub fn request_timeout(&self) -> Duration {
        self.timeout
            .unwrap_or_else(|| self.client.shared.cfg.request_timeout())
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// What the client knows about this agent, kept from events.
    pub fn snapshot(&self) -> AgentSnapshot {
        self.client.shared.snapshot(&self.id)
    }

    /// Events and notifications for this agent only.
    pub fn events(&self) -> EventReceiver {
        self.client.agent_events(&self.id)
    }

    /// Sends a command and waits for the reply GC sends for it (the
    /// correlated event), or for the broker receipt when GC sends none.
    pub async fn execute(&self, command: Command) -> Result<Option<Event>> {
        self.execute_with_timeout(command, self.request_timeout())
            .await
    }

    /// Like [`Agent::execute`] with an explicit reply timeout.
    pub async fn execute_with_timeout(
        &self,
        command: Command,
        timeout: Duration,
    ) -> Result<Option<Event>> {
        self.client
            .shared
            .execute(&self.id, &command, timeout)
            .await
    }

    /// Sends a command GC answers and returns the answer.
    pub async fn request(&self, command: Command) -> Result<Event> {
        let name = command.kind().api_name();
        self.execute(command).await?.ok_or(Error::Timeout {
            command: name,
            agent: self.id.clone(),
            after_ms: 0,
        })
    }

    /// `Connect`: subscribes the agent to Finesse notifications. GC answers
    /// only on failure, with an error event delivered to subscribers.
    pub async fn connect(&self, password: &str, sso: bool) -> Result<()> {
        self.execute(Command::Connect {
            destination: self.client.destination().to_owned(),
            password: Secret::new(password),
            sso,
        })
        .await
        .map(|_| ())
    }

    /// `Connect` then `Login`, back to back as the guide asks; returns the
    /// agent's state event. The credentials stay in memory for automatic
    /// re-login until `logout` or SESSION_INVALIDATED.
    pub async fn login(&self, password: &str, extension: &str) -> Result<Event> {
        self.login_with(
            Command::Login {
                password: Secret::new(password),
                extension: extension.to_owned(),
            },
            false,
        )
        .await
    }

    /// Login for an SSO-enabled agent (Connect carries `SSO`).
    pub async fn login_sso(&self, password: &str, extension: &str) -> Result<Event> {
        self.login_with(
            Command::Login {
                password: Secret::new(password),
                extension: extension.to_owned(),
            },
            true,
        )
        .await
    }

    /// Logs a mobile agent in: Finesse calls `dial_number` to reach the
    /// agent, call by call (`call_by_call` true) or over a nailed
    /// connection (false). Remembered for re-login like [`Agent::login`].
    pub async fn mobile_agent_login(
        &self,
        password: &str,
        extension: &str,
        dial_number: &str,
        call_by_call: bool,
    ) -> Result<Event> {
        self.login_with(
            Command::MobileAgentLogin {
                password: Secret::new(password),
                extension: extension.to_owned(),
                dial_number: dial_number.to_owned(),
                call_by_call,
            },
            false,
        )
        .await
    }

    async fn login_with(&self, login: Command, sso: bool) -> Result<Event> {
        let password = match &login {
            Command::Login { password, .. } | Command::MobileAgentLogin { password, .. } => {
                password.clone()
            }
            _ => Secret::default(),
        };
        let creds = Credentials {
            login,
            password,
            sso,
        };
        let shared = &self.client.shared;
        shared.login(&self.id, creds, self.request_timeout()).await
    }

    /// `Logout` (a supervisor command in the guide). The credentials are
    /// forgotten before it is sent: no automatic re-login afterwards.
    pub async fn logout(&self) -> Result<Event> {
        let shared = &self.client.shared;
        shared
            .logout(&self.id, &Command::Logout, self.request_timeout())
            .await
    }

    /// `logoutwithreason`; like [`Agent::logout`].
    pub async fn logout_with_reason(&self, reason_code: &str) -> Result<Event> {
        let shared = &self.client.shared;
        let command = Command::LogoutWithReason {
            reason_code: reason_code.to_owned(),
        };
        shared
            .logout(&self.id, &command, self.request_timeout())
            .await
    }
}
