//! A blocking facade for callers without tokio (C ABI, bindings, scripts).
//!
//! All blocking clients share one small tokio runtime owned by the library.
//! Do not call these methods from inside an async runtime: they return
//! [`Error::Config`] instead of deadlocking.

use std::future::Future;
use std::sync::OnceLock;
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::runtime::Runtime;

use crate::error::{Error, Result};
use crate::protocol::{Command, Event};
use crate::session::{self, AgentSnapshot, ConnectionStatus, EventReceiver, Notification};
use crate::Config;

/// The library's runtime: two workers are plenty for a broker connection.
pub fn runtime() -> &'static Runtime {
    static RT: OnceLock<Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("gcclient-rt")
            .enable_all()
            .build()
            .unwrap_or_else(|e| {
                // Without a runtime the library cannot work at all; there is
                // no caller to hand this error to from a static initialiser.
                panic!("gcclient: cannot start its tokio runtime: {e}")
            })
    })
}

fn block_on<F: Future>(f: F) -> Result<F::Output> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::Config(
            "blocking gcclient call made from inside an async runtime; use the async API".into(),
        ));
    }
    Ok(runtime().block_on(f))
}

/// Blocking twin of [`crate::Client`].
#[derive(Clone, Debug)]
pub struct Client {
    inner: session::Client,
}

impl Client {
    pub fn connect(config: Config) -> Result<Client> {
        let inner = block_on(session::Client::connect(config))??;
        Ok(Client { inner })
    }

    /// Returns at once; the client keeps trying the broker list
    /// ([`crate::Client::start`]).
    pub fn start(config: Config) -> Result<Client> {
        let _guard = runtime().enter();
        let inner = session::Client::start(config)?;
        Ok(Client { inner })
    }

    /// The async client behind this one.
    pub fn as_async(&self) -> &session::Client {
        &self.inner
    }

    pub fn destination(&self) -> &str {
        self.inner.destination()
    }

    pub fn status(&self) -> ConnectionStatus {
        self.inner.status()
    }

    pub fn wait_in_service(&self, timeout: Duration) -> Result<()> {
        block_on(self.inner.wait_in_service(timeout))?
    }

    pub fn agent(&self, agent_id: &str) -> Agent {
        Agent {
            inner: self.inner.agent(agent_id),
        }
    }

    pub fn events(&self) -> EventReceiver {
        self.inner.events()
    }

    pub fn execute(&self, target: &str, command: &Command) -> Result<Option<Event>> {
        block_on(self.inner.execute(target, command))?
    }

    /// Calls `listener` for every notification, in order, on one dedicated
    /// thread named `gcclient-dispatch`, until the client is closed or the
    /// returned [`Dispatcher`] is stopped. A slow listener never blocks the
    /// connection; it loses the oldest notifications instead (see
    /// [`EventReceiver`]).
    pub fn spawn_dispatcher<F>(&self, listener: F) -> std::io::Result<Dispatcher>
    where
        F: FnMut(Notification) + Send + 'static,
    {
        Dispatcher::spawn(self.inner.events(), listener)
    }

    pub fn dropped_events(&self) -> u64 {
        self.inner.dropped_events()
    }

    pub fn close(&self) {
        // Called from a runtime thread this cannot block; closing is then
        // done in the background.
        if block_on(self.inner.close()).is_err() {
            let inner = self.inner.clone();
            runtime().spawn(async move { inner.close().await });
        }
    }
}

/// Blocking twin of [`crate::Agent`]. Every async method of the agent is
/// reachable with [`Agent::call`]: `agent.call(|a| a.make_ready())`.
#[derive(Clone, Debug)]
pub struct Agent {
    inner: session::Agent,
}

impl Agent {
    pub fn id(&self) -> &str {
        self.inner.id()
    }

    pub fn as_async(&self) -> &session::Agent {
        &self.inner
    }

    /// Runs one async agent method to completion.
    pub fn call<'a, F, Fut, T>(&'a self, f: F) -> Result<T>
    where
        F: FnOnce(&'a session::Agent) -> Fut,
        Fut: Future<Output = Result<T>> + 'a,
    {
        block_on(f(&self.inner))?
    }

    pub fn execute(&self, command: Command) -> Result<Option<Event>> {
        self.call(|a| a.execute(command))
    }

    pub fn execute_with_timeout(
        &self,
        command: Command,
        timeout: Duration,
    ) -> Result<Option<Event>> {
        self.call(|a| a.execute_with_timeout(command, timeout))
    }

    pub fn login(&self, password: &str, extension: &str) -> Result<Event> {
        self.call(|a| a.login(password, extension))
    }

    pub fn logout(&self) -> Result<Event> {
        self.call(|a| a.logout())
    }

    pub fn snapshot(&self) -> AgentSnapshot {
        self.inner.snapshot()
    }

    pub fn events(&self) -> EventReceiver {
        self.inner.events()
    }
}

/// A thread delivering notifications to a listener; stops on drop.
pub struct Dispatcher {
    stop: std::sync::Arc<tokio::sync::Notify>,
    handle: Option<JoinHandle<()>>,
}

impl Dispatcher {
    pub(crate) fn spawn<F>(mut rx: EventReceiver, mut listener: F) -> std::io::Result<Dispatcher>
    where
        F: FnMut(Notification) + Send + 'static,
    {
        let stop = std::sync::Arc::new(tokio::sync::Notify::new());
        let stopped = stop.clone();
        let handle = std::thread::Builder::new()
            .name("gcclient-dispatch".into())
            .spawn(move || loop {
                // Wait inside the runtime, call the listener outside it, so
                // the listener may use the blocking API itself.
                let next = runtime().block_on(async {
                    tokio::select! {
                        biased;
                        _ = stopped.notified() => None,
                        n = rx.recv() => n,
                    }
                });
                match next {
                    Some(n) => listener(n),
                    None => break,
                }
            })?;
        Ok(Dispatcher {
            stop,
            handle: Some(handle),
        })
    }

    /// Stops delivering and waits for the thread to end (at once when
    /// called from the listener itself, which then returns normally). No
    /// notification is delivered after `stop` returns.
    pub fn stop(&mut self) {
        // notify_one keeps a permit if the thread is inside the listener.
        self.stop.notify_one();
        if let Some(h) = self.handle.take() {
            if h.thread().id() != std::thread::current().id() {
                let _ = h.join();
            }
        }
    }

    /// Whether the dispatch thread is still running.
    pub fn is_running(&self) -> bool {
        self.handle.as_ref().is_some_and(|h| !h.is_finished())
    }
}
