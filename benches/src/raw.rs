//! The least a STOMP client can be: one socket, frames written by hand, no
//! receipts, headers read only where the bench needs them. The floor, the
//! bench's GC peer and the event flooder are built on it, so nothing of
//! gcclient's transport sits under the numbers it is compared with.

use anyhow::{bail, Context};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::TcpStream;

pub struct RawReader {
    inner: BufReader<OwnedReadHalf>,
    pub buf: Vec<u8>,
}

pub struct RawStomp {
    pub reader: RawReader,
    pub writer: OwnedWriteHalf,
}

impl RawStomp {
    /// CONNECT (no heart-beats) and wait for CONNECTED.
    pub async fn connect(addr: &str) -> anyhow::Result<RawStomp> {
        let tcp = TcpStream::connect(addr)
            .await
            .with_context(|| format!("connect {addr}"))?;
        tcp.set_nodelay(true)?;
        let (r, w) = tcp.into_split();
        let mut s = RawStomp {
            reader: RawReader {
                inner: BufReader::with_capacity(64 * 1024, r),
                buf: Vec::with_capacity(4096),
            },
            writer: w,
        };
        s.writer
            .write_all(b"CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n\n\0")
            .await?;
        s.reader.next().await?;
        if !s.reader.buf.starts_with(b"CONNECTED") {
            bail!("no CONNECTED: {}", String::from_utf8_lossy(&s.reader.buf));
        }
        Ok(s)
    }

    /// SUBSCRIBE and wait for its RECEIPT, so nothing sent afterwards is missed.
    pub async fn subscribe(&mut self, destination: &str) -> anyhow::Result<()> {
        let sub = format!("SUBSCRIBE\nid:0\ndestination:{destination}\nack:auto\nreceipt:s\n\n\0");
        self.writer.write_all(sub.as_bytes()).await?;
        loop {
            self.reader.next().await?;
            if self.reader.buf.starts_with(b"RECEIPT") {
                return Ok(());
            }
            if self.reader.buf.starts_with(b"ERROR") {
                bail!("{}", String::from_utf8_lossy(&self.reader.buf));
            }
        }
    }
}

impl RawReader {
    /// Reads one frame (heart-beat newlines skipped) into `buf`.
    pub async fn next(&mut self) -> anyhow::Result<()> {
        self.buf.clear();
        if self.inner.read_until(0, &mut self.buf).await? == 0 {
            bail!("broker closed the connection");
        }
        let start = self
            .buf
            .iter()
            .position(|b| *b != b'\n')
            .unwrap_or(self.buf.len());
        self.buf.drain(..start);
        Ok(())
    }

    /// Whether a whole frame is already waiting in the buffer (so a writer
    /// can batch its flush). ActiveMQ ends frames with NUL + newline, so a
    /// lone newline does not count.
    pub fn has_buffered(&self) -> bool {
        self.inner.buffer().contains(&0)
    }

    /// The value of header `name` in the current frame (raw, unescaped).
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        let end = self
            .buf
            .windows(2)
            .position(|w| w == b"\n\n")
            .unwrap_or(self.buf.len());
        self.buf[..end]
            .split(|b| *b == b'\n')
            .skip(1)
            .find_map(|line| {
                let colon = line.iter().position(|b| *b == b':')?;
                (&line[..colon] == name.as_bytes()).then(|| &line[colon + 1..])
            })
    }
}
