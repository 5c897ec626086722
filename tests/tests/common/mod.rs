//! Shared by the integration tests: the broker's address and a scripted GC
//! peer that answers over the real broker.
#![allow(dead_code)]

#[allow(unused_imports)]
pub use gcclient_tests::gc_peer;

use std::time::Duration;

/// How long any single expected thing may take before a test fails.
pub const T: Duration = Duration::from_secs(10);

/// `host:port` of the STOMP connector of the shared test broker.
pub fn stomp_addr() -> String {
    std::env::var("GCCLIENT_TEST_STOMP")
        .unwrap_or_else(|_| gcclient_tests::broker::shared_broker().stomp.to_string())
}

/// A client config for the shared broker with a private queue, and timers
/// short enough for tests.
pub fn config(queue: &str) -> gcclient::Config {
    let mut cfg = gcclient::Config::new(format!("tcp://{}", stomp_addr()));
    cfg.queue = queue.to_owned();
    cfg.hello_interval_ms = 200;
    cfg.beat_interval_ms = 500;
    cfg.request_timeout_ms = 3000;
    cfg.connect_timeout_ms = 5000;
    cfg.backoff_max_ms = 500;
    cfg
}

pub fn init_tracing() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_test_writer()
        .try_init();
}

/// Waits for the first notification matching `pred`.
pub async fn wait_for<F>(
    rx: &mut gcclient::EventReceiver,
    what: &str,
    mut pred: F,
) -> gcclient::Notification
where
    F: FnMut(&gcclient::Notification) -> bool,
{
    tokio::time::timeout(T, async {
        loop {
            match rx.recv().await {
                Some(n) if pred(&n) => return n,
                Some(_) => continue,
                None => panic!("event stream ended while waiting for {what}"),
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
}
