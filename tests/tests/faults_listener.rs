//! A listener that blocks for seconds (a UI thread stuck in a dialog) must
//! not stall the socket, the heart-beats or other requests. Overflow
//! policy: the listener's bounded buffer (`Config::event_buffer`) keeps the
//! newest notifications; it is told how many it lost (`Lagged`) and the
//! client counts them (`dropped_events`).

mod common;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::gc_peer::GcPeer;
use common::T;
use gcclient::blocking;
use gcclient::{ConnectionStatus, EventData, Notification};

const BUFFER: usize = 16;
const FLOOD: u32 = 200;
const HEARTBEAT_MS: u64 = 500;
/// Well past the broker's 3x heart-beat grace (1.5 s).
const BLOCK: Duration = Duration::from_secs(4);

/// The number of a `1001#Flood#<n>` event.
fn flood_number(n: &Notification) -> Option<u32> {
    match n.event().map(|e| &e.data) {
        Some(EventData::CallbackMessage { title, data }) if title == "Flood" => data.parse().ok(),
        _ => None,
    }
}

enum Seen {
    /// The listener is about to block, since this instant.
    Blocking(Instant),
    Lagged(u64),
    Flood(u32),
}

#[test]
fn a_blocked_listener_loses_the_oldest_events_and_stalls_nothing() {
    common::init_tracing();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let queue = gcclient_tests::broker::unique_name("gc-slow");
    let peer = rt.block_on(GcPeer::start(&common::stomp_addr(), &queue));
    let mut cfg = common::config(&queue);
    cfg.callback_message_titles = vec!["Flood".into()];
    cfg.event_buffer = BUFFER;
    cfg.stomp_heartbeat_ms = HEARTBEAT_MS;
    let client = blocking::Client::connect(cfg).unwrap();
    client.wait_in_service(T).unwrap();
    let agent = client.agent("1001");
    agent.login("pw", "5001").unwrap();
    let topic = format!("/topic/{}", client.destination());

    let (tx, seen) = mpsc::channel();
    let mut blocked_once = false;
    let mut dispatcher = client
        .spawn_dispatcher(move |n| {
            if let Notification::Lagged { dropped } = n {
                let _ = tx.send(Seen::Lagged(dropped));
            }
            if let Some(i) = flood_number(&n) {
                let _ = tx.send(Seen::Flood(i));
                if !blocked_once {
                    blocked_once = true;
                    let _ = tx.send(Seen::Blocking(Instant::now()));
                    // The listener misbehaving is the fault under test.
                    std::thread::sleep(BLOCK);
                }
            }
        })
        .unwrap();
    let mut status = client.as_async().status_watch();
    status.borrow_and_update();

    rt.block_on(peer.send_event(&topic, "1001#Flood#0"));
    // When the listener started to block, not when this thread heard of
    // it: on a busy machine this thread may hear late, and the block
    // would then look shorter than it was.
    let blocked_at = loop {
        match seen.recv_timeout(T).expect("the listener got nothing") {
            Seen::Blocking(at) => break at,
            _ => continue,
        }
    };
    // Requests go on while the listener is stuck.
    let mut slowest = Duration::ZERO;
    let mut requests = 0;
    while blocked_at.elapsed() < Duration::from_secs(1) {
        let t = Instant::now();
        agent.call(|a| a.get_state()).unwrap();
        slowest = slowest.max(t.elapsed());
        requests += 1;
    }
    assert!(
        slowest < Duration::from_secs(1),
        "a request took {slowest:?} while the listener was blocked"
    );
    // Then more events than the buffer holds, the newest last.
    for i in 1..FLOOD {
        rt.block_on(peer.send_event(&topic, &format!("1001#Flood#{i}")));
    }
    assert!(
        blocked_at.elapsed() < BLOCK,
        "the flood outlasted the block; the test proves nothing"
    );

    let mut lagged = 0;
    let mut got = vec![0];
    while got.last() != Some(&(FLOOD - 1)) {
        match seen.recv_timeout(T).expect("the last event never came") {
            Seen::Lagged(n) => lagged += n,
            Seen::Flood(i) => got.push(i),
            Seen::Blocking(_) => unreachable!(),
        }
    }
    let blocked_for = blocked_at.elapsed();
    assert!(blocked_for >= BLOCK);
    // Heart-beats kept going: the broker would have dropped us after 1.5 s.
    assert!(
        !status.has_changed().unwrap(),
        "the connection status changed while the listener was blocked"
    );
    assert_eq!(client.status(), ConnectionStatus::InService);

    assert!(
        lagged > 0,
        "nothing was dropped: the buffer cannot hold {FLOOD}"
    );
    assert_eq!(client.dropped_events(), lagged);
    assert!(got.windows(2).all(|w| w[0] < w[1]), "out of order: {got:?}");
    // The newest events were kept: everything after the gap arrived.
    let after_gap = got.len() - 1;
    assert!(after_gap <= BUFFER, "{got:?}");
    let first_kept = got[1];
    assert_eq!(got[1..], (first_kept..FLOOD).collect::<Vec<_>>()[..]);
    // Every flood event is either delivered or counted as dropped (the
    // count also covers Beat answers that fell out of the buffer).
    assert!(got.len() as u64 + lagged >= u64::from(FLOOD));

    eprintln!(
        "[faults] listener blocked {} ms; {requests} requests meanwhile, slowest {} ms; \
         {lagged} notifications dropped, {after_gap} newest delivered (buffer {BUFFER})",
        blocked_for.as_millis(),
        slowest.as_millis()
    );
    dispatcher.stop();
    client.close();
    rt.block_on(peer.stop());
}
