//! The transport writes every request queued while it was busy in one
//! flush (issue 23: with 32 commands in flight the client spent its time in
//! thread wake-ups and one write per frame). Batching must keep what one
//! frame at a time guaranteed: the order of the frames, and one receipt
//! per frame.

mod common;

use common::T;
use gcclient::stomp::{BrokerUrl, Transport, TransportConfig, TransportEvent};

async fn connected(
    queue_to_watch: Option<&str>,
) -> (
    Transport,
    tokio::sync::mpsc::UnboundedReceiver<TransportEvent>,
) {
    let mut cfg = TransportConfig::new(BrokerUrl::parse(&common::stomp_addr()).unwrap());
    if let Some(q) = queue_to_watch {
        cfg.subscriptions = vec![q.to_owned()];
    }
    let (transport, mut events) = Transport::start(cfg);
    loop {
        let ev = tokio::time::timeout(T, events.recv())
            .await
            .expect("transport event")
            .expect("transport ended");
        if matches!(ev, TransportEvent::Connected { .. }) {
            return (transport, events);
        }
    }
}

#[tokio::test]
async fn frames_queued_together_arrive_in_order_and_are_each_confirmed() {
    let queue = format!("/queue/{}", gcclient_tests::broker::unique_name("batch"));
    let (watcher, mut seen) = connected(Some(&queue)).await;
    let (sender, _events) = connected(None).await;
    const N: usize = 500;
    // Queued back to back without waiting: the task finds many at once.
    let receipts: Vec<_> = (0..N)
        .map(|i| sender.send_queued(&queue, vec![], i.to_string()))
        .collect();
    for (i, r) in receipts.into_iter().enumerate() {
        tokio::time::timeout(T, r)
            .await
            .expect("receipt in time")
            .unwrap_or_else(|e| panic!("frame {i} not confirmed: {e}"));
    }
    let mut next = 0usize;
    while next < N {
        let ev = tokio::time::timeout(T, seen.recv())
            .await
            .expect("message in time")
            .expect("transport ended");
        if let TransportEvent::Message(m) = ev {
            assert_eq!(m.body, next.to_string(), "frames out of order");
            next += 1;
        }
    }
    sender.close().await;
    watcher.close().await;
}
