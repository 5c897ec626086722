//! What the broker accepts in one frame, checked before a frame is written.
//!
//! ActiveMQ closes the whole connection on a frame it cannot read
//! (`ProtocolException: The maximum header length was exceeded`), which
//! would fail every other sender sharing it; so an oversized frame is
//! refused here, before it reaches the socket, and only its sender fails.

use super::frame::Frame;

/// ActiveMQ 5.x `StompWireFormat.MAX_HEADER_LENGTH`: one header line
/// (`name:value`, escaped) longer than this ends the connection.
pub const ACTIVEMQ_MAX_HEADER_LINE: usize = 10 * 1024;
/// ActiveMQ 5.x `StompWireFormat.MAX_HEADERS`.
pub const ACTIVEMQ_MAX_HEADERS: usize = 1000;
/// ActiveMQ 5.x `StompWireFormat.MAX_DATA_LENGTH` (100 MiB), also the
/// `wireFormat.maxFrameSize` of its stock `activemq.xml` connectors.
pub const ACTIVEMQ_MAX_FRAME: usize = 100 * 1024 * 1024;

/// Limits of one broker's STOMP reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameLimits {
    /// Longest header line, in bytes after escaping, without the end-of-line.
    pub max_header_line: usize,
    pub max_headers: usize,
    /// Whole frame: command, headers, body and the NUL.
    pub max_frame: usize,
}

impl Default for FrameLimits {
    fn default() -> Self {
        FrameLimits {
            max_header_line: ACTIVEMQ_MAX_HEADER_LINE,
            max_headers: ACTIVEMQ_MAX_HEADERS,
            max_frame: ACTIVEMQ_MAX_FRAME,
        }
    }
}

/// Which limit a frame exceeds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    #[error(
        "header `{header}` is {len} bytes on the wire, over the broker's {limit}-byte header limit"
    )]
    HeaderTooLong {
        header: String,
        len: usize,
        limit: usize,
    },
    #[error("{count} headers, over the broker's limit of {limit}")]
    TooManyHeaders { count: usize, limit: usize },
    #[error("the frame is {len} bytes, over the broker's {limit}-byte frame limit")]
    FrameTooLarge { len: usize, limit: usize },
}

/// Bytes `raw` takes on the wire once escaped (STOMP 1.2 "Value Encoding").
pub fn escaped_len(raw: &str) -> usize {
    raw.len()
        + raw
            .bytes()
            .filter(|b| matches!(b, b'\\' | b'\n' | b'\r' | b':'))
            .count()
}

/// The length of `name:value` on the wire.
pub fn header_line_len(name: &str, value: &str, escaped: bool) -> usize {
    if escaped {
        escaped_len(name) + 1 + escaped_len(value)
    } else {
        name.len() + 1 + value.len()
    }
}

impl FrameLimits {
    /// Checks a frame as [`super::codec::encode_frame`] would write it.
    pub fn check(&self, frame: &Frame) -> Result<(), LimitError> {
        let escaped = Frame::escapes_headers(&frame.command);
        if frame.headers.len() > self.max_headers {
            return Err(LimitError::TooManyHeaders {
                count: frame.headers.len(),
                limit: self.max_headers,
            });
        }
        let mut total = frame.command.len() + 1;
        for (name, value) in &frame.headers {
            let len = header_line_len(name, value, escaped);
            if len > self.max_header_line {
                return Err(LimitError::HeaderTooLong {
                    header: name.clone(),
                    len,
                    limit: self.max_header_line,
                });
            }
            total += len + 1;
        }
        total += 1 + frame.body.len() + 1;
        if total > self.max_frame {
            return Err(LimitError::FrameTooLarge {
                len: total,
                limit: self.max_frame,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stomp::codec::encode_frame;

    #[test]
    fn measures_what_the_encoder_writes() {
        let f = Frame::new("SEND")
            .header("destination", "/q")
            .header("type", "Login#x\ny")
            .body("hello");
        let mut out = bytes::BytesMut::new();
        encode_frame(&f, &mut out);
        let limits = FrameLimits {
            max_frame: out.len(),
            ..FrameLimits::default()
        };
        assert_eq!(limits.check(&f), Ok(()));
        let tight = FrameLimits {
            max_frame: out.len() - 1,
            ..limits
        };
        assert_eq!(
            tight.check(&f),
            Err(LimitError::FrameTooLarge {
                len: out.len(),
                limit: out.len() - 1
            })
        );
        // "type:Login#x\ny" escapes to 15 bytes.
        let short = FrameLimits {
            max_header_line: 14,
            ..FrameLimits::default()
        };
        assert!(matches!(
            short.check(&f),
            Err(LimitError::HeaderTooLong {
                len: 15,
                limit: 14,
                ..
            })
        ));
    }
}
