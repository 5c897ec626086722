//! Command -> reply round trips from Rust: gcclient and the raw floor, one
//! at a time or with a number of requests in flight.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use gcclient::protocol::Command;
use tokio::io::AsyncWriteExt;

use crate::raw::RawStomp;

/// The clients' config: the bench's broker and GC queue, Hello every 200 ms.
fn config(stomp: &str, queue: &str) -> gcclient::Config {
    let mut cfg = gcclient::Config::new(format!("tcp://{stomp}"));
    cfg.queue = queue.to_owned();
    cfg.hello_interval_ms = 200;
    cfg
}

/// `n` GetState round trips with `inflight` outstanding, after `warmup`
/// unmeasured ones. Every sample is one request's send-to-reply time.
pub async fn gcclient(
    stomp: &str,
    queue: &str,
    n: usize,
    inflight: usize,
    warmup: usize,
) -> anyhow::Result<Vec<Duration>> {
    let client = gcclient::Client::connect(config(stomp, queue)).await?;
    client.wait_in_service(Duration::from_secs(10)).await?;
    let mut workers = Vec::new();
    for w in 0..inflight {
        // One agent per worker, as a CRM with many agents on one client does.
        let agent = client.agent(&format!("{}", 1001 + w));
        let share = n / inflight + usize::from(w < n % inflight);
        let warm = warmup / inflight + 1;
        workers.push(tokio::spawn(async move {
            for _ in 0..warm {
                agent.request(Command::GetState).await?;
            }
            let mut samples = Vec::with_capacity(share);
            for _ in 0..share {
                let t = Instant::now();
                agent.request(Command::GetState).await?;
                samples.push(t.elapsed());
            }
            anyhow::Ok(samples)
        }));
    }
    let mut all = Vec::with_capacity(n);
    for w in workers {
        all.extend(w.await.context("worker")??);
    }
    client.close().await;
    Ok(all)
}

/// [`gcclient`] through the core's blocking API from plain threads (one per
/// request in flight): what every binding's blocking path calls, so the
/// difference to [`gcclient`] is the cost of a caller outside the runtime.
pub fn gcclient_blocking(
    stomp: &str,
    queue: &str,
    n: usize,
    inflight: usize,
    warmup: usize,
) -> anyhow::Result<Vec<Duration>> {
    let client = gcclient::blocking::Client::connect(config(stomp, queue))?;
    client.wait_in_service(Duration::from_secs(10))?;
    let workers: Vec<_> = (0..inflight)
        .map(|w| {
            let agent = client.agent(&format!("{}", 1001 + w));
            let share = n / inflight + usize::from(w < n % inflight);
            let warm = warmup / inflight + 1;
            std::thread::spawn(move || {
                for _ in 0..warm {
                    agent.execute(Command::GetState)?;
                }
                let mut samples = Vec::with_capacity(share);
                for _ in 0..share {
                    let t = Instant::now();
                    agent.execute(Command::GetState)?;
                    samples.push(t.elapsed());
                }
                anyhow::Ok(samples)
            })
        })
        .collect();
    let mut all = Vec::with_capacity(n);
    for w in workers {
        all.extend(w.join().map_err(|_| anyhow::anyhow!("worker panicked"))??);
    }
    client.close();
    Ok(all)
}

/// The floor: one socket, SEND without receipt, replies matched by
/// `correlation-id`, nothing decoded beyond that header.
pub async fn floor(
    stomp: &str,
    queue: &str,
    n: usize,
    inflight: usize,
    warmup: usize,
) -> anyhow::Result<Vec<Duration>> {
    floor_with(stomp, queue, n, inflight, warmup, FloorFrame::Bare).await
}

/// What the floor's SEND frames carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloorFrame {
    /// type, correlation-id, reply-to.
    Bare,
    /// Plus a receipt request, as gcclient's transport sends every frame.
    Receipt,
    /// Plus receipt, `expires` and `persistent:false`: gcclient's frame.
    GcclientHeaders,
}

pub async fn floor_with(
    stomp: &str,
    queue: &str,
    n: usize,
    inflight: usize,
    warmup: usize,
    kind: FloorFrame,
) -> anyhow::Result<Vec<Duration>> {
    let mut s = RawStomp::connect(stomp).await?;
    let topic = format!("/topic/floor.{}", uuid::Uuid::new_v4().simple());
    s.subscribe(&topic).await?;
    let frame = |cid: usize| {
        let extra = match kind {
            FloorFrame::Bare => String::new(),
            FloorFrame::Receipt => format!("receipt:r{cid}\n"),
            FloorFrame::GcclientHeaders => {
                let expires = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default()
                    .as_millis()
                    + 10_000;
                format!("receipt:r{cid}\nexpires:{expires}\npersistent:false\n")
            }
        };
        format!(
            "SEND\ndestination:/queue/{queue}\ntype:GetState#1001\ncorrelation-id:c{cid}\nreply-to:{topic}\n{extra}\n\0"
        )
    };
    let total = n + warmup;
    let mut sent = 0usize;
    let mut started: HashMap<usize, Instant> = HashMap::with_capacity(inflight * 2);
    let mut samples = Vec::with_capacity(n);
    let mut out = Vec::new();
    while sent < total.min(inflight) {
        out.extend_from_slice(frame(sent).as_bytes());
        started.insert(sent, Instant::now());
        sent += 1;
    }
    s.writer.write_all(&out).await?;
    let mut done = 0usize;
    while done < total {
        s.reader.next().await?;
        if !s.reader.buf.starts_with(b"MESSAGE") {
            continue;
        }
        let cid: usize = s
            .reader
            .header("correlation-id")
            .and_then(|c| {
                std::str::from_utf8(c.strip_prefix(b"c")?)
                    .ok()?
                    .parse()
                    .ok()
            })
            .context("reply without our correlation-id")?;
        let Some(t) = started.remove(&cid) else {
            bail!("unexpected reply c{cid}");
        };
        if cid >= warmup {
            samples.push(t.elapsed());
        }
        done += 1;
        if sent < total {
            started.insert(sent, Instant::now());
            s.writer.write_all(frame(sent).as_bytes()).await?;
            sent += 1;
        }
    }
    Ok(samples)
}
