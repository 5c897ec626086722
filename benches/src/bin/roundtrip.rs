//! Command -> reply round trip through a real ActiveMQ to a GC peer that
//! answers at once: gcclient next to the raw floor (a bare STOMP client on a
//! socket, no receipts, no parsing), measured in the same run against the
//! same peer.
//!
//! `cargo run --release -p gcclient-benches --bin roundtrip -- [N]`
//! Uses GCCLIENT_TEST_STOMP if set, else starts a private broker.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use gcclient::protocol::Command;
use gcclient_benches::{row, Stats, HEADER};
use gcclient_tests::gc_peer::GcPeer;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(2000);
    let stomp = std::env::var("GCCLIENT_TEST_STOMP")
        .unwrap_or_else(|_| gcclient_tests::broker::shared_broker().stomp.clone());
    let queue = format!("bench.{}", uuid::Uuid::new_v4().simple());
    let _peer = GcPeer::start(&stomp, &queue).await;

    // The floor runs before and after, and the better one counts, so a
    // broker still warming up (JIT) does not flatter gcclient.
    let floor_a = raw_floor(&stomp, &queue, n).await.context("raw floor")?;
    let ours = gcclient_roundtrip(&stomp, &queue, n)
        .await
        .context("gcclient")?;
    let floor_b = raw_floor(&stomp, &queue, n).await.context("raw floor")?;
    let floor = if floor_a.p50 <= floor_b.p50 {
        floor_a
    } else {
        floor_b
    };

    println!("Round trip GetState -> State through ActiveMQ ({stomp}), sequential\n");
    println!("{HEADER}");
    println!("{}", row("raw STOMP floor", &floor, None));
    println!("{}", row("gcclient (Rust)", &ours, Some(&floor)));
    Ok(())
}

async fn gcclient_roundtrip(stomp: &str, queue: &str, n: usize) -> anyhow::Result<Stats> {
    let mut cfg = gcclient::Config::new(format!("tcp://{stomp}"));
    cfg.queue = queue.to_owned();
    cfg.hello_interval_ms = 200;
    let client = gcclient::Client::connect(cfg).await?;
    client.wait_in_service(Duration::from_secs(10)).await?;
    let agent = client.agent("1001");
    for _ in 0..n / 10 + 1 {
        agent.request(Command::GetState).await?; // warm-up
    }
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        agent.request(Command::GetState).await?;
        samples.push(t.elapsed());
    }
    client.close().await;
    Ok(Stats::of(&mut samples))
}

/// The least a client can do: one socket, SEND without receipt, read until
/// the MESSAGE frame's NUL.
async fn raw_floor(stomp: &str, queue: &str, n: usize) -> anyhow::Result<Stats> {
    let tcp = TcpStream::connect(stomp).await?;
    tcp.set_nodelay(true)?;
    let mut s = BufReader::new(tcp);
    let topic = format!("/topic/floor.{}", uuid::Uuid::new_v4().simple());
    s.get_mut()
        .write_all(b"CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n\n\0")
        .await?;
    let mut buf = Vec::with_capacity(4096);
    read_frame(&mut s, &mut buf).await?;
    if !buf.starts_with(b"CONNECTED") {
        bail!("no CONNECTED: {}", String::from_utf8_lossy(&buf));
    }
    let sub = format!("SUBSCRIBE\nid:0\ndestination:{topic}\nack:auto\nreceipt:s\n\n\0");
    s.get_mut().write_all(sub.as_bytes()).await?;
    read_frame(&mut s, &mut buf).await?;
    let frame = format!(
        "SEND\ndestination:/queue/{queue}\ntype:GetState#1001\ncorrelation-id:c\nreply-to:{topic}\n\n\0"
    );
    async fn once(
        s: &mut BufReader<TcpStream>,
        buf: &mut Vec<u8>,
        frame: &str,
    ) -> anyhow::Result<()> {
        s.get_mut().write_all(frame.as_bytes()).await?;
        loop {
            read_frame(s, buf).await?;
            if buf.starts_with(b"MESSAGE") {
                return Ok(());
            }
        }
    }
    for _ in 0..n / 10 + 1 {
        once(&mut s, &mut buf, &frame).await?;
    }
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        once(&mut s, &mut buf, &frame).await?;
        samples.push(t.elapsed());
    }
    Ok(Stats::of(&mut samples))
}

/// Reads one frame (skipping heart-beat newlines) into `buf`.
async fn read_frame(s: &mut BufReader<TcpStream>, buf: &mut Vec<u8>) -> anyhow::Result<()> {
    buf.clear();
    if s.read_until(0, buf).await? == 0 {
        bail!("broker closed the connection");
    }
    let start = buf.iter().position(|b| *b != b'\n').unwrap_or(buf.len());
    buf.drain(..start);
    Ok(())
}
