//! The bench's GC: answers `Hello`/`Beat` with `System#IN_SERVICE` and every
//! `GetState` with a `State` event at once, on the command's `reply-to` with
//! its `correlation-id`, as GC does. Written on the raw socket and without
//! receipts, and it batches replies to commands that arrive together, so at
//! 32 in flight the peer is never the bottleneck of the clients compared.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::io::AsyncWriteExt;
use tokio::task::JoinHandle;

use crate::raw::RawStomp;

pub struct BenchPeer {
    task: JoinHandle<()>,
    pub answered: Arc<AtomicU64>,
}

impl BenchPeer {
    pub async fn start(stomp: &str, queue: &str) -> anyhow::Result<BenchPeer> {
        let mut s = RawStomp::connect(stomp).await?;
        s.subscribe(&format!("/queue/{queue}")).await?;
        let answered = Arc::new(AtomicU64::new(0));
        let count = answered.clone();
        let task = tokio::spawn(async move {
            let mut out = Vec::with_capacity(64 * 1024);
            loop {
                if s.reader.next().await.is_err() {
                    return;
                }
                if s.reader.buf.starts_with(b"MESSAGE") {
                    reply(&s.reader, &mut out);
                    count.fetch_add(1, Ordering::Relaxed);
                }
                if !s.reader.has_buffered() && !out.is_empty() {
                    if s.writer.write_all(&out).await.is_err() {
                        return;
                    }
                    out.clear();
                }
            }
        });
        Ok(BenchPeer { task, answered })
    }
}

impl Drop for BenchPeer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn reply(r: &crate::raw::RawReader, out: &mut Vec<u8>) {
    let Some(reply_to) = r.header("reply-to") else {
        return;
    };
    let jms_type = r.header("type").unwrap_or_default();
    let (command, agent) = match jms_type.iter().position(|b| *b == b'#') {
        Some(i) => (&jms_type[..i], &jms_type[i + 1..]),
        None => (jms_type, &b""[..]),
    };
    let agent = String::from_utf8_lossy(agent);
    let body = match command {
        b"Hello" | b"Beat" => "System#IN_SERVICE".to_owned(),
        b"GetState" => format!(
            "{agent}#State#READY##2025-01-31 14:30:00##1738333800000#Zoë Ünal#{agent}#5001##Zoë Ünal#zunal"
        ),
        _ => return,
    };
    out.extend_from_slice(b"SEND\ndestination:");
    // A JMS client's reply-to arrives as /topic/..; /temp-topic/ and
    // /queue/ forms are used as they come.
    out.extend_from_slice(reply_to);
    out.extend_from_slice(b"\ntype:\n");
    if let Some(cid) = r.header("correlation-id") {
        out.extend_from_slice(b"correlation-id:");
        out.extend_from_slice(cid);
        out.push(b'\n');
    }
    out.push(b'\n');
    out.extend_from_slice(body.as_bytes());
    out.push(0);
}
