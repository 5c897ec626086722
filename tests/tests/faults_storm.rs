//! A re-login storm: GC restarts (`DESTINATION#<dest>#RECONNECT`) while
//! 1,000 agents are logged in on one client. Every agent must be logged in
//! again, each with exactly one Connect then one Login, and the client must
//! say when each is done.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::gc_peer::{default_script, GcPeer};
use common::T;
use gcclient::{Client, Notification};
use tokio::task::JoinSet;

const AGENTS: usize = 1000;

fn agent_id(i: usize) -> String {
    format!("{}", 20_000 + i)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_agents_are_logged_in_again_after_destination_reconnect() {
    common::init_tracing();
    let queue = gcclient_tests::broker::unique_name("gc-storm");
    let peer = GcPeer::start(&common::stomp_addr(), &queue).await;
    // Commands per agent, in the order GC received them.
    let log: Arc<Mutex<HashMap<String, Vec<String>>>> = Arc::default();
    let l = log.clone();
    peer.set_script(move |cmd| {
        l.lock()
            .unwrap()
            .entry(cmd.target().to_owned())
            .or_default()
            .push(cmd.command().to_owned());
        default_script(cmd)
    });

    let mut cfg = common::config(&queue);
    // GC answers one command at a time here: the last Login of a storm
    // waits for all the others.
    cfg.request_timeout_ms = 60_000;
    cfg.event_buffer = 16 * AGENTS;
    let client = Client::connect(cfg).await.unwrap();
    client.wait_in_service(T).await.unwrap();

    let started = Instant::now();
    let mut logins = JoinSet::new();
    for i in 0..AGENTS {
        let agent = client.agent(&agent_id(i));
        logins.spawn(async move { agent.login("pw", &format!("{}", 50_000 + i)).await });
    }
    while let Some(r) = logins.join_next().await {
        r.unwrap().expect("first login");
    }
    let first_logins = started.elapsed();
    log.lock().unwrap().clear();

    let mut events = client.events();
    let storm = Instant::now();
    peer.send_event(
        &format!("/topic/{}", client.destination()),
        &format!("DESTINATION#{}#RECONNECT", client.destination()),
    )
    .await;
    let mut done: HashMap<String, Option<String>> = HashMap::new();
    let deadline = Duration::from_secs(120);
    while done.len() < AGENTS {
        let n = tokio::time::timeout(deadline.saturating_sub(storm.elapsed()), events.recv())
            .await
            .unwrap_or_else(|_| panic!("only {} of {AGENTS} re-logged", done.len()))
            .expect("event stream ended");
        match n {
            Notification::Relogin { agent, error } => {
                assert!(done.insert(agent.clone(), error).is_none(), "{agent} twice");
            }
            Notification::Lagged { dropped } => panic!("lost {dropped} notifications"),
            _ => {}
        }
    }
    let storm_time = storm.elapsed();
    let failed: Vec<_> = done.iter().filter(|(_, e)| e.is_some()).collect();
    assert!(
        failed.is_empty(),
        "{} failed: {:?}",
        failed.len(),
        &failed[..failed.len().min(5)]
    );

    let log = log.lock().unwrap().clone();
    for i in 0..AGENTS {
        let id = agent_id(i);
        assert_eq!(
            log.get(&id).map(Vec::as_slice),
            Some(&["Connect".to_owned(), "Login".to_owned()][..]),
            "agent {id}"
        );
    }
    assert_eq!(log.len(), AGENTS, "commands for unknown agents: {log:?}");
    eprintln!(
        "[faults] {AGENTS} agents: first logins {} ms; re-login storm after \
         DESTINATION RECONNECT done in {} ms",
        first_logins.as_millis(),
        storm_time.as_millis()
    );
    client.close().await;
}
