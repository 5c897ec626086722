//! STOMP 1.2 frames and the header escaping rules.

use bytes::Bytes;

/// One STOMP frame. Headers keep their wire order; a repeated header keeps
/// its first value as the one that counts (STOMP 1.2, "Repeated Header Entries").
#[derive(Clone, PartialEq, Eq)]
pub struct Frame {
    pub command: String,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl Frame {
    pub fn new(command: impl Into<String>) -> Self {
        Frame {
            command: command.into(),
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }

    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    /// The first value of a header.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// CONNECT and CONNECTED are the frames STOMP 1.2 leaves unescaped.
    pub(crate) fn escapes_headers(command: &str) -> bool {
        !matches!(command, "CONNECT" | "CONNECTED")
    }
}

// Passcodes travel in CONNECT headers: never print header values of CONNECT.
impl std::fmt::Debug for Frame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("Frame");
        d.field("command", &self.command);
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                let shown = if n == "passcode" { "***" } else { v.as_str() };
                (n.as_str(), shown)
            })
            .collect();
        d.field("headers", &headers);
        d.field("body_len", &self.body.len());
        d.finish()
    }
}

/// Escapes a header name or value (STOMP 1.2 "Value Encoding").
pub fn escape(raw: &str, out: &mut Vec<u8>) {
    for b in raw.bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b':' => out.extend_from_slice(b"\\c"),
            _ => out.push(b),
        }
    }
}

/// Undoes [`escape`]. An undefined escape sequence is a fatal protocol
/// error in STOMP 1.2, so it is reported rather than guessed at.
pub fn unescape(raw: &str) -> Result<String, String> {
    if !raw.contains('\\') {
        return Ok(raw.to_owned());
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('c') => out.push(':'),
            Some(other) => return Err(format!("undefined escape `\\{other}` in a header")),
            None => return Err("a header ends with a lone `\\`".into()),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_round_trips() {
        let raw = "ID:vm-1\\a\nb\rc";
        let mut out = Vec::new();
        escape(raw, &mut out);
        assert_eq!(out, b"ID\\cvm-1\\\\a\\nb\\rc");
        assert_eq!(unescape(std::str::from_utf8(&out).unwrap()).unwrap(), raw);
    }

    #[test]
    fn undefined_escape_is_an_error() {
        assert!(unescape("a\\tb").unwrap_err().contains("\\t"));
        assert!(unescape("a\\").is_err());
    }

    #[test]
    fn debug_hides_the_passcode() {
        let f = Frame::new("CONNECT").header("passcode", "hunter2");
        assert!(!format!("{f:?}").contains("hunter2"));
    }
}
