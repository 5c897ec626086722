//! A minimal localhost HTTP control endpoint for the binary: one request
//! per connection, the console's commands in, their text out. Hand-written
//! on tokio because it needs so little (no keep-alive, no chunking, bodies
//! up to 8 KiB), which keeps a web framework out of the dependencies.
//!
//! `GET /agents`, `GET /calls`, `POST /` with a console line as the body
//! (`offer 1001 5551234`, `down`, ...). 200 with the console's output, 400
//! with `error: ...`, 404 for other paths.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::bail;
use gcclient_sim::SimHandle;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const MAX_REQUEST: usize = 8 * 1024;

/// Listens on `addr` (a loopback address only) and serves in the
/// background; returns the bound address.
pub async fn serve(addr: SocketAddr, sim: SimHandle) -> anyhow::Result<SocketAddr> {
    if !addr.ip().is_loopback() {
        bail!("--http {addr}: the control endpoint has no authentication; use a loopback address such as 127.0.0.1:8080");
    }
    let listener = TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            };
            let sim = sim.clone();
            tokio::spawn(async move {
                if let Err(e) = one(stream, &sim).await {
                    tracing::debug!(error = %e, "http control request failed");
                }
            });
        }
    });
    Ok(bound)
}

async fn one(mut stream: TcpStream, sim: &SimHandle) -> anyhow::Result<()> {
    let request = tokio::time::timeout(Duration::from_secs(5), read_request(&mut stream)).await;
    let (status, text) = match request {
        Err(_) => (
            "408 Request Timeout",
            "error: request incomplete after 5 s\n".to_owned(),
        ),
        Ok(Err(e)) => ("400 Bad Request", format!("error: {e}\n")),
        Ok(Ok((method, path, body))) => {
            let line = match (method.as_str(), path.as_str()) {
                ("GET", "/agents") => Some("agents".to_owned()),
                ("GET", "/calls") => Some("calls".to_owned()),
                ("POST", "/") => Some(body),
                _ => None,
            };
            match line {
                None => (
                    "404 Not Found",
                    "GET /agents, GET /calls, POST / with a console command\n".to_owned(),
                ),
                Some(line) => match crate::console(sim, line.trim()).await {
                    Ok(out) => ("200 OK", out),
                    Err(e) => ("400 Bad Request", format!("error: {e}\n")),
                },
            }
        }
    };
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
        text.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await?;
    Ok(())
}

/// Method, path and body (UTF-8) of one request.
async fn read_request(stream: &mut TcpStream) -> anyhow::Result<(String, String, String)> {
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > MAX_REQUEST {
            bail!("request larger than {MAX_REQUEST} bytes");
        }
        let mut chunk = [0u8; 1024];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            bail!("connection closed mid-request");
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = std::str::from_utf8(&buf[..head_end])?;
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let (Some(method), Some(path)) = (request_line.next(), request_line.next()) else {
        bail!("bad request line");
    };
    let mut length = 0usize;
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse()?;
            }
        }
    }
    if length > MAX_REQUEST {
        bail!("body larger than {MAX_REQUEST} bytes");
    }
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let mut chunk = [0u8; 1024];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            bail!("connection closed mid-body");
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(length);
    Ok((method.to_owned(), path.to_owned(), String::from_utf8(body)?))
}
