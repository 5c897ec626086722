//! The connection task reports to a sink it calls itself (issue 23: the
//! session used to get each reply through a channel to a driver task, one
//! more task switch per command, often a thread wake-up). What a sink may
//! rely on: every event, in order, from the connection task itself; and the
//! sink is let go once the task ends, after `Closed`.

mod common;

use std::sync::Mutex;

use common::T;
use gcclient::stomp::{BrokerUrl, Transport, TransportConfig, TransportEvent, TransportSink};
use tokio::sync::{mpsc, oneshot};

/// What the sink saw: the event's name and the task that delivered it.
type Seen = (&'static str, Option<tokio::task::Id>);

struct Recorder {
    seen: mpsc::UnboundedSender<Seen>,
    dropped: Mutex<Option<oneshot::Sender<()>>>,
}

impl TransportSink for Recorder {
    fn deliver(&self, ev: TransportEvent) {
        let name = match ev {
            TransportEvent::Connecting { .. } => "Connecting",
            TransportEvent::Connected { .. } => "Connected",
            TransportEvent::Message(_) => "Message",
            TransportEvent::Closed => "Closed",
            _ => "other",
        };
        let _ = self.seen.send((name, tokio::task::try_id()));
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        if let Some(tx) = self.dropped.lock().unwrap().take() {
            let _ = tx.send(());
        }
    }
}

async fn next(seen: &mut mpsc::UnboundedReceiver<Seen>) -> Seen {
    tokio::time::timeout(T, seen.recv())
        .await
        .expect("an event in time")
        .expect("the sink is gone")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sink_hears_every_event_in_order_from_the_connection_task() {
    let queue = format!("/queue/{}", gcclient_tests::broker::unique_name("sink"));
    let mut cfg = TransportConfig::new(BrokerUrl::parse(&common::stomp_addr()).unwrap());
    cfg.subscriptions = vec![queue.clone()];
    let (seen_tx, mut seen) = mpsc::unbounded_channel();
    let (dropped_tx, dropped) = oneshot::channel();
    let (transport, task) = Transport::prepare(cfg);
    task.start(Recorder {
        seen: seen_tx,
        dropped: Mutex::new(Some(dropped_tx)),
    });

    let (first, task_id) = next(&mut seen).await;
    assert_eq!(first, "Connecting");
    let task_id = task_id.expect("delivered from inside a task");
    assert_eq!(next(&mut seen).await, ("Connected", Some(task_id)));

    // Sent on the same connection: read back by the same task, in order.
    const N: usize = 20;
    let receipts: Vec<_> = (0..N)
        .map(|i| transport.send_queued(&queue, vec![], i.to_string()))
        .collect();
    for r in receipts {
        tokio::time::timeout(T, r)
            .await
            .expect("receipt in time")
            .expect("frame confirmed");
    }
    for _ in 0..N {
        assert_eq!(next(&mut seen).await, ("Message", Some(task_id)));
    }

    transport.close().await;
    assert_eq!(next(&mut seen).await, ("Closed", Some(task_id)));
    tokio::time::timeout(T, dropped)
        .await
        .expect("the sink let go in time")
        .expect("dropped, not leaked");
    assert!(seen.recv().await.is_none(), "nothing after Closed");
}

/// A sink that needs the handle is built between `prepare` and `start`;
/// a task never started leaves the handle's sends refused, not hanging.
#[tokio::test]
async fn a_handle_whose_task_never_started_refuses_sends() {
    let cfg = TransportConfig::new(BrokerUrl::parse(&common::stomp_addr()).unwrap());
    let (transport, task) = Transport::prepare(cfg);
    drop(task);
    let receipt = transport.send_queued("/queue/nowhere", vec![], "x".to_owned());
    let result = tokio::time::timeout(T, receipt)
        .await
        .expect("answered in time");
    assert!(result.is_err(), "a frame with no connection was confirmed");
}
