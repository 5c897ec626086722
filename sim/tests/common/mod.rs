//! A simulator and gcclient clients on the real broker, each test on its own
//! command queue and topics so tests never see each other's traffic.

#![allow(dead_code)]

use std::time::Duration;

use gcclient::{Client, Config, Event, EventData, EventReceiver, Notification};
use gcclient_sim::{Model, SimConfig, SimHandle, Simulator};
use gcclient_tests::broker::{shared_broker, unique_name};

pub const WAIT: Duration = Duration::from_secs(10);

pub struct Rig {
    pub sim: SimHandle,
    pub url: String,
    pub queue: String,
}

impl Rig {
    pub async fn start() -> Rig {
        Rig::with_model(Model::default()).await
    }

    pub async fn with_model(model: Model) -> Rig {
        let url = format!("tcp://{}", shared_broker().stomp);
        let queue = unique_name("gcsim-q");
        let sim = Simulator::start(SimConfig::new(&url).with_queue(&queue).with_model(model))
            .await
            .expect("simulator starts");
        Rig { sim, url, queue }
    }

    pub fn config(&self) -> Config {
        let mut cfg = Config::new(self.url.clone());
        cfg.queue = self.queue.clone();
        cfg.destination = Some(unique_name("gcsim-c"));
        cfg.hello_interval_ms = 200;
        cfg.beat_interval_ms = 300;
        cfg.request_timeout_ms = 5_000;
        cfg
    }

    /// A client that GC has put in service.
    pub async fn client(&self) -> Client {
        self.client_with(self.config()).await
    }

    pub async fn client_with(&self, cfg: Config) -> Client {
        let client = Client::connect(cfg).await.expect("client connects");
        client.wait_in_service(WAIT).await.expect("GC in service");
        client
    }
}

/// The next event that matches, or a panic naming what was awaited.
pub async fn next_event(
    rx: &mut EventReceiver,
    what: &str,
    pred: impl Fn(&Event) -> bool,
) -> Event {
    let mut seen = Vec::new();
    let found = tokio::time::timeout(WAIT, async {
        while let Some(n) = rx.recv().await {
            if let Notification::Event(e) = n {
                if pred(&e) {
                    return Some(e);
                }
                seen.push(e.raw);
            }
        }
        None
    })
    .await;
    match found {
        Ok(Some(e)) => e,
        Ok(None) => panic!("event stream closed while waiting for {what}; saw {seen:#?}"),
        Err(_) => panic!("no {what} within {WAIT:?}; saw {seen:#?}"),
    }
}

/// The next notification that matches (status changes, re-logins).
pub async fn next_notification(
    rx: &mut EventReceiver,
    what: &str,
    pred: impl Fn(&Notification) -> bool,
) -> Notification {
    let found = tokio::time::timeout(WAIT, async {
        while let Some(n) = rx.recv().await {
            if pred(&n) {
                return Some(n);
            }
        }
        None
    })
    .await;
    match found {
        Ok(Some(n)) => n,
        Ok(None) => panic!("event stream closed while waiting for {what}"),
        Err(_) => panic!("no {what} within {WAIT:?}"),
    }
}

pub fn call_state(e: &Event) -> &str {
    match &e.data {
        EventData::InboundCall(c) => &c.state,
        other => panic!("not an InboundCall: {other:?}"),
    }
}

/// An `InboundCall` of `dialog` in `state`. The guide sends `DialogID` only
/// in some states (DROP, HELD, WRAP_UP, ...); in the others (ACTIVE,
/// ALERTING, INITIATED) an event without one is taken as the dialog's.
pub fn is_call(e: &Event, dialog: &str, state: &str) -> bool {
    let with_id = gcclient_sim::engine::inbound_call_has_dialog_id(state);
    matches!(&e.data, EventData::InboundCall(c)
    if c.state == state
        && match c.dialog_id.as_deref() {
            Some(id) => id == dialog,
            None => !with_id,
        })
}

pub fn is_new_call(e: &Event, dialog: &str) -> bool {
    matches!(&e.data, EventData::NewInboundCall(c) if c.dialog_id.as_deref() == Some(dialog))
}
