//! How the transport writes frames. A sender writes its own frame into the
//! shared connection (issue 23: handing it to the connection task cost a
//! thread wake-up per command for every caller outside the runtime), so a
//! frame goes out even while every runtime thread is busy. It must keep what
//! one frame at a time guaranteed: the order of the frames, and one receipt
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

#[test]
fn a_sender_outside_the_runtime_writes_its_frame_while_every_worker_is_busy() {
    let queue = format!("/queue/{}", gcclient_tests::broker::unique_name("direct"));
    // The watcher has a runtime of its own; the sender's has one worker.
    let watch_rt = tokio::runtime::Runtime::new().unwrap();
    let (watcher, mut seen) = watch_rt.block_on(connected(Some(&queue)));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let (sender, _events) = rt.block_on(connected(None));

    // Occupy the only worker (and with it the runtime's I/O driver).
    let (busy_tx, busy_rx) = std::sync::mpsc::channel::<()>();
    let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
    rt.spawn(async move {
        busy_tx.send(()).unwrap();
        let _ = release_rx.recv();
    });
    busy_rx
        .recv_timeout(T)
        .expect("the worker took the blocking task");

    // From this plain thread, with no worker free to run the connection task.
    let receipt = sender
        .queue(&queue, vec![], "written by the sender".into())
        .expect("queued while connected");
    let body = watch_rt.block_on(async {
        loop {
            match tokio::time::timeout(T, seen.recv()).await {
                Ok(Some(TransportEvent::Message(m))) => break m.body,
                Ok(Some(_)) => continue,
                Ok(None) => panic!("watcher ended"),
                Err(_) => panic!("the frame did not reach the broker while the worker was busy"),
            }
        }
    });
    assert_eq!(body, "written by the sender");

    // The receipt is read once the worker is free again.
    release_tx.send(()).unwrap();
    rt.block_on(async { tokio::time::timeout(T, receipt).await })
        .expect("receipt in time")
        .expect("the broker confirmed the frame");
    rt.block_on(sender.close());
    watch_rt.block_on(watcher.close());
}
