//! `gcclient agent` in a real terminal: tmux runs the desktop, keys go in
//! with `send-keys`, the screen comes back with `capture-pane`, and the GC
//! simulator on the real ActiveMQ broker plays the contact centre.
//!
//! Needs `tmux` on PATH (Debian: `apt-get install -y tmux`). With
//! GCCLIENT_DESKTOP_SCREENSHOT=FILE the captured screens are written there
//! (that is how docs/desktop-screenshot.txt is made).

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use gcclient_sim::{SimConfig, Simulator};
use gcclient_tests::broker::{shared_broker, unique_name};

const BIN: &str = env!("CARGO_BIN_EXE_gcclient");
const WIDTH: &str = "110";
const HEIGHT: &str = "34";

/// One tmux server on its own socket, killed when the test ends.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> Output {
        let out = Command::new("tmux")
            // The server (started by the first command) passes its
            // environment to the desktop: the password stays off the
            // command line.
            .env("GCCLIENT_AGENT_PASSWORD", "1234")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap_or_else(|e| {
                panic!("tmux is needed for this test (apt-get install -y tmux): {e}")
            });
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    fn start(command: &str) -> Tmux {
        let tmux = Tmux {
            socket: unique_name("gcclient-desk"),
        };
        tmux.run(&[
            "new-session",
            "-d",
            "-s",
            "desk",
            "-x",
            WIDTH,
            "-y",
            HEIGHT,
            command,
        ]);
        tmux
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "desk"]).stdout)
            .into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "desk"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", "desk", "-l", text]);
    }

    /// Polls the screen until it shows `text`: a terminal gives no event
    /// to wait for, so looking again is the only way.
    async fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "the screen never showed `{text}`:\n{screen}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let tmux = |args: &[&str]| {
            Command::new("tmux")
                .args(["-L", &self.socket])
                .args(args)
                .output()
        };
        // kill-server leaves the socket file behind.
        let socket = tmux(&["display-message", "-p", "#{socket_path}"])
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default();
        let _ = tmux(&["kill-server"]);
        if !socket.is_empty() {
            let _ = std::fs::remove_file(socket);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_takes_a_call_in_the_terminal_desktop() {
    let broker = format!("tcp://{}", shared_broker().stomp);
    let queue = unique_name("Connector");
    // The supervisor's team view follows TeamMemberStateChanged, which the
    // guide marks "(Not Using)": the model turns it on for this scene.
    let mut model = gcclient_sim::Model::default();
    model.simulator.not_using_events = true;
    let sim = Simulator::start(
        SimConfig::new(broker.clone())
            .with_queue(&queue)
            .with_model(model),
    )
    .await
    .expect("simulator starts");
    // `read` keeps the pane (and the exit status) on screen after the
    // desktop quits.
    let desk = |agent: &str, ext: &str| {
        format!(
            "{BIN} agent --broker {broker} --queue {queue} --agent {agent} --extension {ext}; \
             echo \"desktop exited: $?\"; read _"
        )
    };
    // A supervisor watches the team while agent 1001 works.
    let sup = Tmux::start(&desk("2001", "6001"));
    sup.wait_for("supervisor").await;
    sup.wait_for("1001 Alice Archer   5001 LOGOUT").await;
    sup.wait_for("Q Sales:").await;
    let tmux = Tmux::start(&desk("1001", "5001"));
    let mut shots = Vec::new();

    // Logged in at start: Finesse puts a fresh login in NOT_READY.
    tmux.wait_for("State: NOT_READY").await;
    tmux.wait_for("GC: in_service").await;
    tmux.wait_for("not ready: 1 Break, 2 Lunch").await;

    // Not ready with a reason from the picker, then ready.
    tmux.keys(&["n"]);
    tmux.wait_for("Not ready reason").await;
    tmux.keys(&["2", "Enter"]);
    tmux.wait_for("reason: Lunch").await;
    tmux.keys(&["r"]);
    tmux.wait_for("State: READY").await;

    // A call rings: banner with caller and call variables.
    let dialog = sim
        .offer_call("1001", "5551234", &[("callVariable1", "VIP")])
        .await
        .unwrap();
    shots.push(tmux.wait_for("INCOMING CALL from 5551234").await);
    assert!(shots[0].contains("vars: 1=VIP"), "{}", shots[0]);

    tmux.keys(&["a"]);
    tmux.wait_for("State: TALKING").await;
    tmux.keys(&["v"]);
    tmux.type_text("callVariable2=gold");
    tmux.keys(&["Enter"]);
    tmux.wait_for("vars: 1=VIP 2=gold").await;
    tmux.keys(&["h"]);
    tmux.wait_for("HELD").await;
    tmux.keys(&["h"]);
    tmux.wait_for("retrieve: done").await;
    sim.print_status("1001", "Supervisor: queue is long, keep it short")
        .await
        .unwrap();
    shots.push(tmux.wait_for("keep it short").await);
    shots.push(sup.wait_for("1001 Alice Archer   5001 TALKING").await);

    // Hang up, wrap up with the first reason, take a break (Finesse logs
    // out only from NOT_READY), log out, quit.
    tmux.keys(&["x"]);
    tmux.wait_for("no calls").await;
    tmux.keys(&["u"]);
    tmux.wait_for("Wrap-up reason").await;
    tmux.keys(&["Enter"]);
    tmux.wait_for("wrap_up: done").await;
    tmux.keys(&["n", "1", "Enter"]);
    tmux.wait_for("reason: Break").await;
    tmux.keys(&["L"]);
    tmux.wait_for("Logout reason").await;
    tmux.keys(&["Enter"]);
    shots.push(tmux.wait_for("State: LOGOUT").await);
    sup.wait_for("1001 Alice Archer   5001 LOGOUT").await;
    tmux.keys(&["q"]);
    tmux.wait_for("desktop exited: 0").await;
    sup.keys(&["q"]);
    sup.wait_for("desktop exited: 0").await;

    let call = sim.dialog(&dialog).await.unwrap();
    assert_eq!(call.wrap_up, vec![("1001".into(), "Sale".into())]);
    assert!(
        call.variables
            .contains(&("callVariable2".into(), "gold".into())),
        "{:?}",
        call.variables
    );
    assert_eq!(
        sim.agent("1001").await.unwrap().state,
        gcclient::AgentState::Logout
    );
    if let Ok(path) = std::env::var("GCCLIENT_DESKTOP_SCREENSHOT") {
        let titles = [
            "Agent 1001: a call rings",
            "Agent 1001: on the call, after hold/retrieve and a status bar message",
            "Supervisor 2001 meanwhile: team states live, queue statistics",
            "Agent 1001: after wrap-up and logout",
        ];
        let mut text = format!(
            "gcclient agent, {WIDTH}x{HEIGHT} tmux pane (capture-pane -p), against gcclient-sim.\n\
             Made by cli/tests/desktop_tmux.rs with GCCLIENT_DESKTOP_SCREENSHOT set.\n"
        );
        for (title, shot) in titles.iter().zip(&shots) {
            text.push_str(&format!("\n== {title}\n\n{}", shot.trim_end()));
            text.push('\n');
        }
        std::fs::write(path, text).unwrap();
    }
    sim.shutdown().await;
}
