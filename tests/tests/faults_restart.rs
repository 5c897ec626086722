//! Broker restarts (graceful, then kill -9) with commands in flight and a
//! steady stream of new ones: every command ends, and GC never receives
//! any command twice — the client does not re-send on its own. Counted at
//! the GC peer by each command's unique dialog id.

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::gc_peer::{default_script, GcPeer};
use common::{wait_for, T};
use gcclient::stomp::TransportError;
use gcclient::{Agent, Client, Error, Notification};
use gcclient_tests::broker::PrivateBroker;
use tokio::sync::watch;

/// What became of one command, as its caller saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Outcome {
    /// GC answered.
    Answered,
    /// Refused before anything was sent (not in service, not connected).
    NotSent,
    /// Lost between client and GC or unanswered: may or may not have
    /// reached GC.
    Unknown,
}

fn classify(r: &Result<gcclient::Event, Error>) -> Outcome {
    match r {
        Ok(_) => Outcome::Answered,
        Err(Error::NotInService(_) | Error::GcOutOfService)
        | Err(Error::Transport(TransportError::NotConnected)) => Outcome::NotSent,
        Err(
            Error::ConnectionLost { .. }
            | Error::Timeout { .. }
            | Error::Transport(
                TransportError::ConnectionLost(_) | TransportError::ReceiptTimeout { .. },
            ),
        ) => Outcome::Unknown,
        Err(e) => panic!("unexpected error: {e:?}"),
    }
}

async fn run(agent: &Agent, dialog: String) -> (String, Outcome) {
    let r = tokio::time::timeout(T, agent.get_dialog_state(&dialog))
        .await
        .unwrap_or_else(|_| panic!("{dialog} hung"));
    (dialog, classify(&r))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restarts_with_commands_in_flight_never_deliver_a_command_twice() {
    common::init_tracing();
    let broker = PrivateBroker::start_async().await;
    let stomp = broker.stomp_addr();
    let peer = GcPeer::start(&stomp, "Connector1").await;
    // How often GC received each dialog id, and how many Logins.
    let seen: Arc<Mutex<HashMap<String, u32>>> = Arc::default();
    // How many held and how many streamed commands GC has received.
    let (held_tx, mut held_rx) = watch::channel(0usize);
    let (load_tx, mut load_rx) = watch::channel(0usize);
    let s = seen.clone();
    peer.set_script(move |cmd| {
        if cmd.command() != "GetDialogState" {
            *s.lock()
                .unwrap()
                .entry(cmd.command().to_owned())
                .or_default() += 1;
            return default_script(cmd);
        }
        *s.lock().unwrap().entry(cmd.body.clone()).or_default() += 1;
        // Dialogs named `hold-*` stay unanswered: in flight at the restart.
        if cmd.body.starts_with("hold-") {
            held_tx.send_modify(|n| *n += 1);
            return vec![];
        }
        load_tx.send_modify(|n| *n += 1);
        vec![format!(
            "{}#DialogState#ACTIVE#{}#Zoë Ünal",
            cmd.target(),
            cmd.body
        )]
    });

    let mut cfg = common::config("Connector1");
    cfg.brokers = vec![format!("tcp://{stomp}")];
    cfg.request_timeout_ms = 20_000;
    cfg.stomp_heartbeat_ms = 1000;
    let client = Client::connect(cfg).await.unwrap();
    client.wait_in_service(T).await.unwrap();
    let agent = client.agent("1001");
    agent.login("pw", "5001").await.unwrap();
    let mut events = client.events();

    // A steady stream of new commands across both outages.
    let stop = Arc::new(AtomicBool::new(false));
    let load = {
        let (agent, stop) = (agent.clone(), stop.clone());
        tokio::spawn(async move {
            let mut out = Vec::new();
            let mut k = 0;
            while !stop.load(Ordering::SeqCst) {
                out.push(run(&agent, format!("load-{k}")).await);
                k += 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            out
        })
    };

    let mut outcomes = Vec::new();
    let mut relogins = 0;
    for (round, crash) in [(0, false), (1, true)] {
        // Commands GC holds unanswered while the broker goes away.
        let before = *held_rx.borrow_and_update();
        let held: Vec<_> = (0..10)
            .map(|i| {
                let agent = agent.clone();
                tokio::spawn(async move { run(&agent, format!("hold-{round}-{i}")).await })
            })
            .collect();
        tokio::time::timeout(T, held_rx.wait_for(|n| *n >= before + 10))
            .await
            .expect("GC did not get the held commands")
            .unwrap();
        if crash {
            broker.kill9_async().await;
            broker.start_again_async().await;
        } else {
            broker.restart_async().await;
        }
        for h in held {
            let (dialog, outcome) = tokio::time::timeout(T, h).await.unwrap().unwrap();
            assert_eq!(outcome, Outcome::Unknown, "{dialog}: GC never answered it");
            outcomes.push((dialog, outcome));
        }
        let n = wait_for(&mut events, "Relogin", |n| {
            matches!(n, Notification::Relogin { .. })
        })
        .await;
        assert_eq!(
            n,
            Notification::Relogin {
                agent: "1001".into(),
                error: None
            }
        );
        relogins += 1;
        // Let the stream run in service again for a while.
        let resumed = *load_rx.borrow_and_update();
        tokio::time::timeout(T, load_rx.wait_for(|n| *n >= resumed + 5))
            .await
            .expect("commands did not resume")
            .unwrap();
    }
    stop.store(true, Ordering::SeqCst);
    let streamed = tokio::time::timeout(T, load).await.unwrap().unwrap();
    // Stray re-logins (a second reconnect during start-up) would show here.
    while let Ok(Some(n)) = tokio::time::timeout(Duration::from_millis(300), events.recv()).await {
        if matches!(n, Notification::Relogin { .. }) {
            relogins += 1;
        }
    }

    let seen = seen.lock().unwrap().clone();
    let mut tally: HashMap<Outcome, usize> = HashMap::new();
    for (dialog, outcome) in outcomes.iter().chain(&streamed) {
        *tally.entry(*outcome).or_default() += 1;
        let times = seen.get(dialog).copied().unwrap_or(0);
        match outcome {
            Outcome::Answered => assert_eq!(times, 1, "{dialog} answered"),
            Outcome::NotSent => assert_eq!(times, 0, "{dialog} reported as not sent"),
            Outcome::Unknown => assert!(times <= 1, "{dialog} received {times} times"),
        }
    }
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        twice
            .iter()
            .all(|(k, _)| k.as_str() == "Login" || k.as_str() == "Connect"),
        "received more than once: {twice:?}"
    );
    // One Connect + Login per login: the first one and each re-login.
    assert_eq!(seen.get("Login"), Some(&(1 + relogins)), "{seen:?}");
    assert_eq!(seen.get("Connect"), Some(&(1 + relogins)), "{seen:?}");
    assert!(
        tally.get(&Outcome::Answered).copied().unwrap_or(0) >= 10,
        "{tally:?}"
    );
    eprintln!(
        "[faults] 2 broker restarts (graceful, kill -9): {} commands; outcomes {tally:?}; \
         {relogins} re-logins; none received twice",
        outcomes.len() + streamed.len()
    );
    client.close().await;
}
