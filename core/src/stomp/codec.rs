//! The STOMP 1.2 wire codec on `tokio-util::codec`.
//!
//! Decoding keeps a scan position between calls, so a large body arriving in
//! many TCP segments is scanned once, not once per segment.

use bytes::{Buf, BufMut, Bytes, BytesMut};
use tokio_util::codec::{Decoder, Encoder};

use super::frame::{escape, unescape, Frame};

/// What the reader sees: a frame, or a heart-beat (a bare end-of-line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    Frame(Frame),
    HeartBeat,
    /// A frame over the size limit, read past and dropped: one oversized
    /// message must not end a connection other senders share.
    Oversized {
        /// Bytes of the frame, NUL included.
        size: usize,
        /// Its `destination` header, when the headers fitted the limit.
        destination: Option<String>,
    },
}

/// What the writer sends.
#[derive(Debug, Clone)]
pub enum Outgoing {
    Frame(Frame),
    HeartBeat,
}

/// Why a byte stream is not STOMP. Any of these ends the connection: a
/// stream cannot be re-synchronised after a broken frame. (A frame over
/// the size limit is not one of them: it is skipped, [`Incoming::Oversized`].)
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    #[error("malformed STOMP frame: {0}")]
    Malformed(String),
    /// Kept for callers that match on it; the decoder no longer returns it.
    #[error("STOMP frame larger than the {limit} byte limit")]
    TooLarge { limit: usize },
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Default cap on one frame (headers plus body). Generous: GC's largest
/// events (phonebooks, team lists) are tens of kilobytes.
pub const DEFAULT_MAX_FRAME: usize = 16 * 1024 * 1024;

#[derive(Debug)]
pub struct StompCodec {
    max_frame: usize,
    state: State,
}

#[derive(Debug, Clone)]
enum State {
    /// Looking for the blank line that ends the headers; `scanned` bytes
    /// are known not to contain it.
    Head { scanned: usize },
    /// Headers parsed (kept in `pending`), body of known or unknown length.
    Body {
        head_len: usize,
        len: Option<usize>,
        scanned: usize,
    },
    /// Dropping an oversized frame: `left` more bytes when its length is
    /// known, else up to its NUL. `size` counts the bytes dropped so far.
    Skip {
        left: Option<usize>,
        size: usize,
        destination: Option<String>,
    },
}

impl Default for StompCodec {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_FRAME)
    }
}

impl StompCodec {
    pub fn new(max_frame: usize) -> Self {
        StompCodec {
            max_frame,
            state: State::Head { scanned: 0 },
        }
    }
}

fn destination_of(headers: &[(String, String)]) -> Option<String> {
    headers
        .iter()
        .find(|(n, _)| n == "destination")
        .map(|(_, v)| v.clone())
}

/// The destination of a head that ends with its blank line.
fn head_destination(head: &[u8]) -> Option<String> {
    let end = head
        .iter()
        .rposition(|&b| b != b'\n' && b != b'\r')
        .map_or(0, |i| i + 1);
    parse_head(&head[..end])
        .ok()
        .and_then(|(_, h)| destination_of(&h))
}

fn malformed(m: impl Into<String>) -> CodecError {
    CodecError::Malformed(m.into())
}

/// Parses the command line and headers (without the blank line).
fn parse_head(head: &[u8]) -> Result<(String, Vec<(String, String)>), CodecError> {
    let text = std::str::from_utf8(head).map_err(|_| malformed("headers are not UTF-8"))?;
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let command = lines.next().unwrap_or_default().to_owned();
    if command.is_empty() || !command.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(malformed(format!(
            "bad command line `{}`",
            command.escape_debug()
        )));
    }
    let escaped = Frame::escapes_headers(&command);
    let mut headers = Vec::new();
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            return Err(malformed(format!(
                "header without `:`: `{}`",
                line.escape_debug()
            )));
        };
        let (name, value) = if escaped {
            (
                unescape(name).map_err(malformed)?,
                unescape(value).map_err(malformed)?,
            )
        } else {
            (name.to_owned(), value.to_owned())
        };
        headers.push((name, value));
    }
    Ok((command, headers))
}

impl Decoder for StompCodec {
    type Item = Incoming;
    type Error = CodecError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Incoming>, CodecError> {
        loop {
            match self.state.clone() {
                State::Skip {
                    left,
                    size,
                    destination,
                } => {
                    let (drop, done) = match left {
                        Some(left) => (left.min(src.len()), left <= src.len()),
                        None => match src.iter().position(|&b| b == 0) {
                            Some(i) => (i + 1, true),
                            None => (src.len(), false),
                        },
                    };
                    src.advance(drop);
                    let size = size + drop;
                    if done {
                        self.state = State::Head { scanned: 0 };
                        return Ok(Some(Incoming::Oversized { size, destination }));
                    }
                    self.state = State::Skip {
                        left: left.map(|l| l - drop),
                        size,
                        destination,
                    };
                    return Ok(None);
                }
                State::Head { scanned } => {
                    if scanned == 0 {
                        // End-of-lines between frames are heart-beats.
                        if src.first() == Some(&b'\n') {
                            src.advance(1);
                            return Ok(Some(Incoming::HeartBeat));
                        }
                        if src.starts_with(b"\r\n") {
                            src.advance(2);
                            return Ok(Some(Incoming::HeartBeat));
                        }
                        if src.len() == 1 && src[0] == b'\r' {
                            return Ok(None);
                        }
                    }
                    // The head ends at "\n\n" or "\n\r\n".
                    let from = scanned.saturating_sub(2);
                    let end = src[from..].iter().enumerate().find_map(|(i, &b)| {
                        if b != b'\n' {
                            return None;
                        }
                        let at = from + i;
                        match src.get(at + 1) {
                            Some(b'\n') => Some((at, at + 2)),
                            Some(b'\r') if src.get(at + 2) == Some(&b'\n') => Some((at, at + 3)),
                            _ => None,
                        }
                    });
                    let Some((head_end, body_start)) = end else {
                        if src.len() > self.max_frame {
                            // Headers cannot hold a NUL, so the frame ends at the next one.
                            self.state = State::Skip {
                                left: None,
                                size: 0,
                                destination: None,
                            };
                            continue;
                        }
                        self.state = State::Head { scanned: src.len() };
                        return Ok(None);
                    };
                    let (_, headers) = parse_head(&src[..head_end])?;
                    let len = match headers.iter().find(|(n, _)| n == "content-length") {
                        Some((_, v)) => Some(
                            v.trim()
                                .parse::<usize>()
                                .map_err(|_| malformed(format!("bad content-length `{v}`")))?,
                        ),
                        None => None,
                    };
                    if let Some(len) = len {
                        // A huge content-length must not wrap around (found by fuzz/).
                        let end = body_start.checked_add(len).and_then(|e| e.checked_add(1));
                        match end {
                            Some(end) if end <= self.max_frame => {}
                            Some(end) => {
                                self.state = State::Skip {
                                    left: Some(end),
                                    size: 0,
                                    destination: destination_of(&headers),
                                };
                                continue;
                            }
                            // Nobody can send 2^64 bytes: the stream is broken.
                            None => {
                                return Err(malformed(format!("content-length `{len}` overflows")))
                            }
                        }
                    }
                    self.state = State::Body {
                        head_len: body_start,
                        len,
                        scanned: body_start,
                    };
                }
                State::Body {
                    head_len,
                    len,
                    scanned,
                } => {
                    let nul = match len {
                        Some(len) => {
                            let at = head_len + len;
                            if src.len() <= at {
                                src.reserve(at + 1 - src.len());
                                return Ok(None);
                            }
                            if src[at] != 0 {
                                return Err(malformed("body longer than its content-length"));
                            }
                            at
                        }
                        None => match src[scanned..].iter().position(|&b| b == 0) {
                            Some(i) => scanned + i,
                            None => {
                                if src.len() > self.max_frame {
                                    let destination = head_destination(&src[..head_len]);
                                    self.state = State::Skip {
                                        left: None,
                                        size: 0,
                                        destination,
                                    };
                                    continue;
                                }
                                self.state = State::Body {
                                    head_len,
                                    len,
                                    scanned: src.len(),
                                };
                                return Ok(None);
                            }
                        },
                    };
                    let mut raw = src.split_to(nul + 1);
                    self.state = State::Head { scanned: 0 };
                    if raw.len() > self.max_frame {
                        // Arrived whole before the limit was checked.
                        let destination = head_destination(&raw[..head_len]);
                        return Ok(Some(Incoming::Oversized {
                            size: raw.len(),
                            destination,
                        }));
                    }
                    // Parse the head again from the frozen bytes: cheaper
                    // than keeping owned headers across calls.
                    let head_end = raw[..head_len]
                        .iter()
                        .rposition(|&b| b != b'\n' && b != b'\r')
                        .map_or(0, |i| i + 1);
                    let (command, headers) = parse_head(&raw[..head_end.min(head_len)])?;
                    raw.advance(head_len);
                    raw.truncate(raw.len() - 1);
                    let body: Bytes = raw.freeze();
                    return Ok(Some(Incoming::Frame(Frame {
                        command,
                        headers,
                        body,
                    })));
                }
            }
        }
    }
}

impl Encoder<Outgoing> for StompCodec {
    type Error = CodecError;

    fn encode(&mut self, item: Outgoing, dst: &mut BytesMut) -> Result<(), CodecError> {
        match item {
            Outgoing::HeartBeat => dst.put_u8(b'\n'),
            Outgoing::Frame(frame) => encode_frame(&frame, dst),
        }
        Ok(())
    }
}

impl Encoder<Frame> for StompCodec {
    type Error = CodecError;

    fn encode(&mut self, frame: Frame, dst: &mut BytesMut) -> Result<(), CodecError> {
        encode_frame(&frame, dst);
        Ok(())
    }
}

/// Writes a frame. No `content-length` is added: ActiveMQ turns a SEND with
/// one into a JMS BytesMessage, which GC cannot read (see docs/design.md).
/// A body containing NUL therefore cannot be sent; callers reject it first.
pub fn encode_frame(frame: &Frame, dst: &mut BytesMut) {
    let escaped = Frame::escapes_headers(&frame.command);
    let mut buf = Vec::with_capacity(64 + frame.body.len());
    buf.extend_from_slice(frame.command.as_bytes());
    buf.push(b'\n');
    for (name, value) in &frame.headers {
        if escaped {
            escape(name, &mut buf);
            buf.push(b':');
            escape(value, &mut buf);
        } else {
            buf.extend_from_slice(name.as_bytes());
            buf.push(b':');
            buf.extend_from_slice(value.as_bytes());
        }
        buf.push(b'\n');
    }
    buf.push(b'\n');
    buf.extend_from_slice(&frame.body);
    buf.push(0);
    dst.extend_from_slice(&buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(codec: &mut StompCodec, bytes: &[u8]) -> Vec<Incoming> {
        let mut buf = BytesMut::from(bytes);
        let mut out = Vec::new();
        while let Some(item) = codec.decode(&mut buf).unwrap() {
            out.push(item);
        }
        out
    }

    fn frame(items: &[Incoming], i: usize) -> &Frame {
        match &items[i] {
            Incoming::Frame(f) => f,
            other => panic!("expected a frame, got {other:?}"),
        }
    }

    #[test]
    fn decodes_a_message_without_content_length() {
        let mut c = StompCodec::default();
        let items = decode_all(
            &mut c,
            b"MESSAGE\ntype:\ncorrelation-id:abc\nmessage-id:ID\\cvm-1\n\nSystem#IN_SERVICE\0",
        );
        let f = frame(&items, 0);
        assert_eq!(f.command, "MESSAGE");
        assert_eq!(f.get("type"), Some(""));
        assert_eq!(f.get("message-id"), Some("ID:vm-1"));
        assert_eq!(&f.body[..], b"System#IN_SERVICE");
    }

    #[test]
    fn content_length_allows_nul_in_the_body() {
        let mut c = StompCodec::default();
        let items = decode_all(&mut c, b"MESSAGE\ncontent-length:3\n\na\0b\0\n");
        assert_eq!(&frame(&items, 0).body[..], b"a\0b");
        assert_eq!(items[1], Incoming::HeartBeat);
    }

    #[test]
    fn crlf_line_endings_and_heart_beats() {
        let mut c = StompCodec::default();
        let items = decode_all(&mut c, b"\r\n\nRECEIPT\r\nreceipt-id:7\r\n\r\n\0");
        assert_eq!(items[0], Incoming::HeartBeat);
        assert_eq!(items[1], Incoming::HeartBeat);
        assert_eq!(frame(&items, 2).get("receipt-id"), Some("7"));
        assert!(frame(&items, 2).body.is_empty());
    }

    #[test]
    fn first_repeated_header_wins() {
        let mut c = StompCodec::default();
        let items = decode_all(&mut c, b"MESSAGE\nfoo:1\nfoo:2\n\n\0");
        assert_eq!(frame(&items, 0).get("foo"), Some("1"));
    }

    #[test]
    fn byte_by_byte_equals_all_at_once() {
        let wire = b"MESSAGE\na:b\n\nhello\0\nERROR\nmessage:x\ncontent-length:2\n\nhi\0";
        let whole = decode_all(&mut StompCodec::default(), wire);
        let mut c = StompCodec::default();
        let mut buf = BytesMut::new();
        let mut pieces = Vec::new();
        for b in wire {
            buf.put_u8(*b);
            while let Some(item) = c.decode(&mut buf).unwrap() {
                pieces.push(item);
            }
        }
        assert_eq!(whole, pieces);
        assert_eq!(whole.len(), 3);
    }

    #[test]
    fn connected_headers_are_not_unescaped() {
        let mut c = StompCodec::default();
        let items = decode_all(&mut c, b"CONNECTED\nserver:ActiveMQ\\x\n\n\0");
        assert_eq!(frame(&items, 0).get("server"), Some("ActiveMQ\\x"));
    }

    #[test]
    fn malformed_frames_are_errors_not_panics() {
        for bad in [
            &b"message\n\n\0"[..],
            b"MESSAGE\nnocolon\n\n\0",
            b"MESSAGE\ncontent-length:x\n\n\0",
            b"MESSAGE\ncontent-length:1\n\nab\0",
            b"MESSAGE\na:\\t\n\n\0",
            b"MESSAGE\na:\xff\n\n\0",
        ] {
            let mut buf = BytesMut::from(bad);
            assert!(StompCodec::default().decode(&mut buf).is_err(), "{bad:?}");
        }
    }

    /// Feeds `wire` in `chunk`-byte pieces, as TCP segments would arrive.
    fn decode_chunked(codec: &mut StompCodec, wire: &[u8], chunk: usize) -> Vec<Incoming> {
        let mut buf = BytesMut::new();
        let mut out = Vec::new();
        for piece in wire.chunks(chunk) {
            buf.extend_from_slice(piece);
            while let Some(item) = codec.decode(&mut buf).unwrap() {
                out.push(item);
            }
        }
        out
    }

    #[test]
    fn oversized_frames_are_skipped_and_the_stream_goes_on() {
        let next = b"MESSAGE\ndestination:/topic/b\n\nok\0";
        // Unknown length: skipped up to its NUL.
        let mut wire = b"MESSAGE\ndestination:/topic/a\n\n".to_vec();
        wire.extend_from_slice(&[b'x'; 100]);
        wire.push(0);
        let big = wire.len();
        wire.extend_from_slice(next);
        // Known length, with NULs inside the body.
        let mut known = b"MESSAGE\ndestination:/topic/c\ncontent-length:100\n\n".to_vec();
        known.extend_from_slice(&[0u8; 100]);
        known.push(0);
        let known_len = known.len();
        wire.extend_from_slice(&known);
        wire.extend_from_slice(next);
        // Headers alone over the limit: no destination to report.
        let mut head = b"MESSAGE\nx:".to_vec();
        head.extend_from_slice(&[b'y'; 100]);
        head.extend_from_slice(b"\n\nbody\0");
        let head_len = head.len();
        wire.extend_from_slice(&head);
        wire.extend_from_slice(next);
        for chunk in [1, 7, wire.len()] {
            let items = decode_chunked(&mut StompCodec::new(64), &wire, chunk);
            assert_eq!(items.len(), 6, "chunk {chunk}: {items:?}");
            assert_eq!(
                items[0],
                Incoming::Oversized {
                    size: big,
                    destination: Some("/topic/a".into())
                }
            );
            assert_eq!(
                items[2],
                Incoming::Oversized {
                    size: known_len,
                    destination: Some("/topic/c".into())
                }
            );
            assert_eq!(
                items[4],
                Incoming::Oversized {
                    size: head_len,
                    destination: None
                }
            );
            for i in [1, 3, 5] {
                assert_eq!(&frame(&items, i).body[..], b"ok", "chunk {chunk}");
            }
        }
        let mut buf =
            BytesMut::from(&b"MESSAGE\nx:\0\ncontent-length:18446744073709551615\n\n\0"[..]);
        assert!(StompCodec::default().decode(&mut buf).is_err());
    }

    #[test]
    fn encode_then_decode() {
        let f = Frame::new("SEND")
            .header("destination", "/queue/Connector1")
            .header("reply-to", "/topic/a:b")
            .body(Bytes::from_static(
                "Login#1001,1001,pw,5001 Łódź".as_bytes(),
            ));
        let mut buf = BytesMut::new();
        StompCodec::default().encode(f.clone(), &mut buf).unwrap();
        assert!(!buf.windows(15).any(|w| w == b"content-length:"));
        let items = decode_all(&mut StompCodec::default(), &buf);
        assert_eq!(frame(&items, 0), &f);
    }

    #[test]
    fn connect_passcode_is_sent_raw() {
        let f = Frame::new("CONNECT").header("passcode", "a:b");
        let mut buf = BytesMut::new();
        StompCodec::default().encode(f, &mut buf).unwrap();
        assert!(buf.windows(12).any(|w| w == b"passcode:a:b"));
    }
}
