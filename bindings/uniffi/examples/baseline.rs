//! The Rust figures next to the Python benchmark (bindings/python/bench):
//! the same measurements with the core API directly, against the same
//! scripted GC that bench.py starts.
//!
//!   cargo run --release -p gcclient-uniffi --example baseline -- BROKER QUEUE RTT_N EVENTS_N

use std::time::{Duration, Instant};

use gcclient::{Client, Config, EventData};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        return Err("usage: baseline BROKER QUEUE RTT_N EVENTS_N".into());
    }
    let (rtt_n, events_n): (usize, usize) = (args[3].parse()?, args[4].parse()?);
    let mut cfg = Config::new(args[1].clone());
    cfg.queue = args[2].clone();
    cfg.event_buffer = events_n.max(4096);
    let client = Client::connect(cfg).await?;
    client.wait_in_service(Duration::from_secs(10)).await?;

    let agent = client.agent("1001");
    for _ in 0..50 {
        agent.get_state().await?;
    }
    let mut lat: Vec<Duration> = Vec::with_capacity(rtt_n);
    for _ in 0..rtt_n {
        let t = Instant::now();
        agent.get_state().await?;
        lat.push(t.elapsed());
    }
    lat.sort();
    let pct = |p: f64| lat[((lat.len() - 1) as f64 * p) as usize].as_secs_f64() * 1e6;
    println!(
        "rust   command round trip: p50 {:.0} us, p99 {:.0} us ({rtt_n} sequential get_state)",
        pct(0.5),
        pct(0.99)
    );

    let flood = client.agent("flood");
    let mut events = flood.events();
    flood.make_ready().await?;
    let start = Instant::now();
    let mut seen = 0usize;
    while seen < events_n {
        match events.next_event().await {
            Some(e) if matches!(e.data, EventData::DialogState { .. }) => seen += 1,
            Some(_) => {}
            None => return Err("client closed".into()),
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "rust   events delivered: {:.0} events/s ({events_n} in {secs:.2} s, dropped {})",
        events_n as f64 / secs,
        client.dropped_events()
    );
    client.close().await;
    Ok(())
}
