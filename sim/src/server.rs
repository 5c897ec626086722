//! The simulator on the wire: one task consumes GC's command queue through
//! gcclient's own STOMP transport, feeds the pure [`Sim`], publishes what it
//! returns, runs its timers, and serves the control API ([`SimHandle`]).

use std::time::Duration;

use gcclient::protocol::{AgentState, Command, ErrorCode, WireNames};
use gcclient::stomp::{BrokerUrl, StompMessage, Transport, TransportConfig, TransportEvent};
use tokio::sync::{mpsc, oneshot};

use crate::clock::{now_ms, Ms};
use crate::engine::{ControlError, Outgoing, Request, Sim};
use crate::model::Model;

/// Where the simulator listens and what it plays.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Broker URLs (`tcp://host:61613`), tried in order.
    pub brokers: Vec<String>,
    pub broker_login: Option<String>,
    pub broker_passcode: Option<String>,
    /// GC's command queue (`Connector1`).
    pub queue: String,
    pub model: Model,
    /// Wire-name overrides, as a deployment's client would configure them.
    pub wire_names: WireNames,
    /// How long `start` waits for the broker.
    pub connect_timeout: Duration,
}

impl SimConfig {
    /// The default model on one broker, queue `Connector1`.
    pub fn new(broker: impl Into<String>) -> Self {
        SimConfig {
            brokers: vec![broker.into()],
            broker_login: None,
            broker_passcode: None,
            queue: "Connector1".into(),
            model: Model::default(),
            wire_names: WireNames::default(),
            connect_timeout: Duration::from_secs(10),
        }
    }

    pub fn with_queue(mut self, queue: impl Into<String>) -> Self {
        self.queue = queue.into();
        self
    }

    pub fn with_model(mut self, model: Model) -> Self {
        self.model = model;
        self
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("simulator configuration: {0}")]
    Config(String),
    #[error("cannot reach the broker: {0}")]
    Broker(String),
    #[error(transparent)]
    Control(#[from] ControlError),
    #[error("the simulator has stopped")]
    Stopped,
}

/// An agent as the simulator sees it (control API).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentView {
    pub id: String,
    pub state: AgentState,
    pub pending: Option<AgentState>,
    pub reason_code: String,
    pub extension: String,
    /// The client destination GC knows the agent on.
    pub session: Option<String>,
}

/// A call as the simulator sees it (control API).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallView {
    pub dialog_id: String,
    pub from: String,
    pub call_type: String,
    /// `(agent id or outside number, leg state)`.
    pub parties: Vec<(String, String)>,
    pub variables: Vec<(String, String)>,
    /// Wrap-up reason per agent.
    pub wrap_up: Vec<(String, String)>,
    pub ended: bool,
}

impl CallView {
    fn of(call: &crate::engine::Call, ended: bool) -> CallView {
        CallView {
            dialog_id: call.id.clone(),
            from: call.from.clone(),
            call_type: call.call_type.clone(),
            parties: call
                .parties
                .iter()
                .map(|p| {
                    (
                        p.agent.clone().unwrap_or_else(|| p.address.clone()),
                        p.state.as_str().to_owned(),
                    )
                })
                .collect(),
            variables: call
                .variables
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .cloned()
                .collect(),
            wrap_up: call
                .wrap_up
                .iter()
                .map(|(a, r)| (a.clone(), r.clone()))
                .collect(),
            ended,
        }
    }
}

type Job = Box<dyn FnOnce(&mut Sim, Ms) -> (Vec<Outgoing>, Box<dyn FnOnce() + Send>) + Send>;

enum Ctl {
    Run(Job),
    Shutdown(oneshot::Sender<()>),
}

/// Starts simulators.
pub struct Simulator;

impl Simulator {
    /// Connects to the broker, subscribes to the command queue and starts
    /// serving. Returns once the subscription is confirmed by the broker.
    pub async fn start(cfg: SimConfig) -> Result<SimHandle, SimError> {
        cfg.model
            .validate()
            .map_err(|e| SimError::Config(e.to_string()))?;
        if cfg.queue.is_empty() || cfg.queue.contains(['/', '\0']) {
            return Err(SimError::Config(format!(
                "queue `{}` must be a bare, non-empty name",
                cfg.queue
            )));
        }
        let brokers = cfg
            .brokers
            .iter()
            .map(|b| BrokerUrl::parse(b).map_err(|e| SimError::Config(format!("`{b}`: {e}"))))
            .collect::<Result<Vec<_>, _>>()?;
        let first = brokers
            .first()
            .cloned()
            .ok_or_else(|| SimError::Config("no broker given".into()))?;
        if brokers.iter().any(|b| b.tls) {
            return Err(SimError::Config(
                "the simulator connects over plain TCP only".into(),
            ));
        }
        let mut tcfg = TransportConfig::new(first);
        tcfg.brokers = brokers;
        tcfg.login = cfg.broker_login.clone();
        tcfg.passcode = cfg
            .broker_passcode
            .clone()
            .map(gcclient::protocol::Secret::new);
        tcfg.connect_timeout = cfg.connect_timeout;
        tcfg.subscriptions = vec![format!("/queue/{}", cfg.queue)];
        let (transport, mut events) = Transport::start(tcfg);
        let deadline = tokio::time::Instant::now() + cfg.connect_timeout;
        let mut last_error = String::from("no answer");
        loop {
            match tokio::time::timeout_at(deadline, events.recv()).await {
                Ok(Some(TransportEvent::Connected { .. })) => break,
                Ok(Some(TransportEvent::Disconnected { reason, .. })) => last_error = reason,
                Ok(Some(_)) => {}
                Ok(None) => return Err(SimError::Broker(last_error)),
                Err(_) => {
                    transport.close().await;
                    return Err(SimError::Broker(last_error));
                }
            }
        }
        tracing::info!(queue = %cfg.queue, "simulator serving");
        let (ctl_tx, ctl_rx) = mpsc::unbounded_channel();
        let server = Server {
            sim: Sim::new(cfg.model, now_ms()),
            names: cfg.wire_names,
            transport,
        };
        tokio::spawn(server.run(events, ctl_rx));
        Ok(SimHandle { ctl: ctl_tx })
    }
}

struct Server {
    sim: Sim,
    names: WireNames,
    transport: Transport,
}

impl Server {
    async fn run(
        mut self,
        mut events: mpsc::UnboundedReceiver<TransportEvent>,
        mut ctl: mpsc::UnboundedReceiver<Ctl>,
    ) {
        loop {
            let deadline = self.sim.next_deadline();
            tokio::select! {
                ev = events.recv() => match ev {
                    Some(TransportEvent::Message(msg)) => {
                        let out = self.on_message(&msg);
                        self.publish(out).await;
                    }
                    Some(TransportEvent::Disconnected { reason, .. }) => {
                        tracing::warn!(%reason, "simulator lost the broker; reconnecting");
                    }
                    Some(TransportEvent::Closed) | None => break,
                    Some(_) => {}
                },
                job = ctl.recv() => match job {
                    Some(Ctl::Run(job)) => {
                        let (out, done) = job(&mut self.sim, now_ms());
                        self.publish(out).await;
                        done();
                    }
                    Some(Ctl::Shutdown(done)) => {
                        self.transport.close().await;
                        let _ = done.send(());
                        break;
                    }
                    None => {
                        self.transport.close().await;
                        break;
                    }
                },
                _ = sleep_until_ms(deadline) => {
                    let out = self.sim.tick(now_ms());
                    self.publish(out).await;
                }
            }
        }
    }

    fn on_message(&mut self, msg: &StompMessage) -> Vec<Outgoing> {
        let jms_type = msg.jms_type().unwrap_or("");
        let reply_to = msg.reply_to().map(bare_topic);
        let correlation_id = msg.correlation_id();
        match Command::decode(jms_type, &msg.body, &self.names) {
            Ok((target, command)) => {
                tracing::debug!(command = command.kind().api_name(), %target, "command");
                let out = self.sim.handle(
                    now_ms(),
                    Request {
                        reply_to,
                        correlation_id,
                        target: &target,
                        command: &command,
                    },
                );
                for note in self.sim.take_notes() {
                    tracing::info!("{note}");
                }
                out
            }
            Err(e) => {
                tracing::warn!(%jms_type, error = %e, "command not understood");
                let target = jms_type.split_once('#').map(|(_, t)| t.trim());
                if reply_to.is_none() {
                    tracing::info!(%jms_type, "command without a reply-to; no reply sent");
                }
                match (reply_to, target) {
                    (Some(dest), Some(target)) if !target.is_empty() => vec![Outgoing {
                        destination: dest.to_owned(),
                        correlation_id: correlation_id.map(str::to_owned),
                        body: format!("{target}#Error#{}", ErrorCode::InvalidCallData.as_str()),
                    }],
                    _ => vec![],
                }
            }
        }
    }

    async fn publish(&self, out: Vec<Outgoing>) {
        for o in out {
            let mut headers = vec![("type".to_owned(), String::new())];
            if let Some(cid) = &o.correlation_id {
                headers.push(("correlation-id".to_owned(), cid.clone()));
            }
            let dest = format!("/topic/{}", o.destination);
            if let Err(e) = self.transport.send(&dest, headers, o.body).await {
                tracing::warn!(destination = %dest, error = %e, "event not delivered");
            }
        }
    }
}

/// `/topic/x` or `topic://x` -> `x`.
fn bare_topic(reply_to: &str) -> &str {
    reply_to
        .strip_prefix("/topic/")
        .or_else(|| reply_to.strip_prefix("topic://"))
        .unwrap_or(reply_to)
}

async fn sleep_until_ms(deadline: Option<Ms>) {
    match deadline {
        Some(at) => {
            let wait = at.saturating_sub(now_ms());
            tokio::time::sleep(Duration::from_millis(wait)).await
        }
        None => std::future::pending().await,
    }
}

/// Control of a running simulator (tests, demos, the binary). Cheap to clone.
#[derive(Clone, Debug)]
pub struct SimHandle {
    ctl: mpsc::UnboundedSender<Ctl>,
}

impl SimHandle {
    /// Runs `f` on the simulator; its events are published before this
    /// returns, so a test can await the client side right after.
    pub async fn with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Sim) -> Result<T, ControlError> + Send + 'static,
    ) -> Result<T, SimError> {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move |sim, now| {
            let (result, out) = sim.control(now, f);
            (
                out,
                Box::new(move || {
                    let _ = tx.send(result);
                }),
            )
        });
        self.ctl
            .send(Ctl::Run(job))
            .map_err(|_| SimError::Stopped)?;
        Ok(rx.await.map_err(|_| SimError::Stopped)??)
    }

    /// An inbound ACD call rings a READY agent; returns the dialog id.
    pub async fn offer_call(
        &self,
        agent: &str,
        from: &str,
        variables: &[(&str, &str)],
    ) -> Result<String, SimError> {
        let (agent, from, vars) = (agent.to_owned(), from.to_owned(), owned(variables));
        self.with(move |s| s.offer_call(&agent, &from, &vars)).await
    }

    /// A call arrives at a queue: it rings a READY agent of the queue's
    /// teams, or waits in the queue until one is READY.
    pub async fn offer_to_queue(
        &self,
        queue: &str,
        from: &str,
        variables: &[(&str, &str)],
    ) -> Result<String, SimError> {
        let (queue, from, vars) = (queue.to_owned(), from.to_owned(), owned(variables));
        self.with(move |s| s.offer_to_queue(&queue, &from, &vars))
            .await
    }

    /// An outbound preview reservation (or personal callback) for a READY agent.
    pub async fn offer_preview(
        &self,
        agent: &str,
        number: &str,
        variables: &[(&str, &str)],
        personal_callback: bool,
    ) -> Result<String, SimError> {
        let (agent, number, vars) = (agent.to_owned(), number.to_owned(), owned(variables));
        self.with(move |s| s.offer_preview(&agent, &number, &vars, personal_callback))
            .await
    }

    /// Arms an error: the agent's next command (of `command`'s kind, if
    /// given) is answered with `code` instead of being carried out.
    pub async fn inject_error(
        &self,
        agent: &str,
        code: ErrorCode,
        command: Option<gcclient::CommandKind>,
    ) -> Result<(), SimError> {
        let agent = agent.to_owned();
        self.with(move |s| s.inject_error(&agent, code, command))
            .await
    }

    /// The dialog fails: its agents get `<agent>#InboundCall#FAILED#...`.
    pub async fn fail_call(&self, dialog_id: &str, cause: &str) -> Result<(), SimError> {
        let (d, c) = (dialog_id.to_owned(), cause.to_owned());
        self.with(move |s| s.fail_call(&d, &c)).await
    }

    /// Outbound Option progressive/predictive: a READY agent becomes
    /// RESERVED_OUTBOUND.
    pub async fn reserve_outbound(&self, agent: &str) -> Result<(), SimError> {
        let a = agent.to_owned();
        self.with(move |s| s.reserve_outbound(&a)).await
    }

    /// The dialer's call rings a RESERVED_OUTBOUND agent; returns the dialog id.
    pub async fn outbound_call(
        &self,
        agent: &str,
        number: &str,
        variables: &[(&str, &str)],
    ) -> Result<String, SimError> {
        let (agent, number, vars) = (agent.to_owned(), number.to_owned(), owned(variables));
        self.with(move |s| s.outbound_call(&agent, &number, &vars))
            .await
    }

    /// The customer hangs up: every leg of the call drops.
    pub async fn hang_up(&self, dialog_id: &str) -> Result<(), SimError> {
        let d = dialog_id.to_owned();
        self.with(move |s| s.hang_up(&d)).await
    }

    /// Finesse down (`false`) or up (`true`); known destinations hear
    /// `System#OUT_OF_SERVICE` / `System#IN_SERVICE`.
    pub async fn set_in_service(&self, in_service: bool) -> Result<(), SimError> {
        self.with(move |s| {
            s.set_in_service(in_service);
            Ok(())
        })
        .await
    }

    /// GC restarts: destinations and agent sessions are forgotten (Beats
    /// get `DESTINATION#<dest>#RECONNECT`, agent commands `State#RE_LOGIN`);
    /// Finesse's agent states and calls stay.
    pub async fn restart(&self) -> Result<(), SimError> {
        self.with(|s| {
            s.restart();
            Ok(())
        })
        .await
    }

    /// `Control#PrintStatusBar` to an agent.
    pub async fn print_status(&self, agent: &str, message: &str) -> Result<(), SimError> {
        let (a, m) = (agent.to_owned(), message.to_owned());
        self.with(move |s| s.print_status(&a, &m)).await
    }

    pub async fn agents(&self) -> Result<Vec<AgentView>, SimError> {
        self.with(|s| {
            Ok(s.agents
                .values()
                .map(|a| AgentView {
                    id: a.id().to_owned(),
                    state: a.state,
                    pending: a.pending,
                    reason_code: a.reason_code.clone(),
                    extension: a.extension.clone(),
                    session: a.session.clone(),
                })
                .collect())
        })
        .await
    }

    pub async fn agent(&self, id: &str) -> Result<AgentView, SimError> {
        let id = id.to_owned();
        self.agents()
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(SimError::Control(ControlError::UnknownAgent(id)))
    }

    /// Calls in progress.
    pub async fn calls(&self) -> Result<Vec<CallView>, SimError> {
        self.with(|s| Ok(s.calls.values().map(|c| CallView::of(c, false)).collect()))
            .await
    }

    /// One dialog, in progress or ended.
    pub async fn dialog(&self, dialog_id: &str) -> Result<CallView, SimError> {
        let d = dialog_id.to_owned();
        self.with(move |s| {
            s.calls
                .get(&d)
                .map(|c| CallView::of(c, false))
                .or_else(|| s.ended.get(&d).map(|c| CallView::of(c, true)))
                .ok_or(ControlError::UnknownDialog(d))
        })
        .await
    }

    /// Stops serving and leaves the broker. Idempotent.
    pub async fn shutdown(&self) {
        let (tx, rx) = oneshot::channel();
        if self.ctl.send(Ctl::Shutdown(tx)).is_ok() {
            let _ = rx.await;
        }
    }
}

fn owned(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}
