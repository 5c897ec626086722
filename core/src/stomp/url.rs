//! Broker addresses: `tcp://host:port`, `ssl://host:port`, or bare `host:port`.

use std::fmt;

/// Port of ActiveMQ's STOMP connector when none is given.
pub const DEFAULT_STOMP_PORT: u16 = 61613;
/// Port of ActiveMQ's `stomp+ssl` connector when none is given.
pub const DEFAULT_STOMP_TLS_PORT: u16 = 61614;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BrokerUrl {
    pub host: String,
    pub port: u16,
    pub tls: bool,
}

impl BrokerUrl {
    /// Accepted schemes: `tcp`, `stomp` (plain) and `ssl`, `tls`,
    /// `stomp+ssl`, `stomps` (TLS). No scheme means plain TCP.
    pub fn parse(s: &str) -> Result<BrokerUrl, String> {
        let s = s.trim();
        let (tls, rest) = match s.split_once("://") {
            None => (false, s),
            Some((scheme, rest)) => match scheme.to_ascii_lowercase().as_str() {
                "tcp" | "stomp" => (false, rest),
                "ssl" | "tls" | "stomp+ssl" | "stomps" => (true, rest),
                other => return Err(format!("unknown scheme `{other}` (use tcp:// or ssl://)")),
            },
        };
        let rest = rest.split(['/', '?']).next().unwrap_or_default();
        if rest.is_empty() {
            return Err("missing host".into());
        }
        let default_port = if tls {
            DEFAULT_STOMP_TLS_PORT
        } else {
            DEFAULT_STOMP_PORT
        };
        // IPv6 literals come in brackets: [::1]:61613
        let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
            let (host, after) = v6.split_once(']').ok_or("unclosed `[` in host")?;
            let port = match after.strip_prefix(':') {
                Some(p) => Some(p),
                None if after.is_empty() => None,
                None => return Err(format!("unexpected `{after}` after the host")),
            };
            (host.to_owned(), port)
        } else {
            match rest.rsplit_once(':') {
                Some((h, p)) => (h.to_owned(), Some(p)),
                None => (rest.to_owned(), None),
            }
        };
        if host.is_empty() {
            return Err("missing host".into());
        }
        let port = match port {
            None => default_port,
            Some(p) => p
                .parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| format!("bad port `{p}`"))?,
        };
        Ok(BrokerUrl { host, port, tls })
    }

    /// `host:port` as `TcpStream::connect` takes it.
    pub fn socket_addr(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

impl fmt::Display for BrokerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = if self.tls { "ssl" } else { "tcp" };
        write!(f, "{scheme}://{}", self.socket_addr())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_usual_forms() {
        let u = BrokerUrl::parse("tcp://mq1:61613").unwrap();
        assert_eq!((u.host.as_str(), u.port, u.tls), ("mq1", 61613, false));
        let u = BrokerUrl::parse("ssl://mq1").unwrap();
        assert_eq!((u.port, u.tls), (61614, true));
        let u = BrokerUrl::parse("127.0.0.1:1234").unwrap();
        assert_eq!(u.socket_addr(), "127.0.0.1:1234");
        let u = BrokerUrl::parse("stomp+ssl://[::1]:9").unwrap();
        assert_eq!(u.to_string(), "ssl://[::1]:9");
    }

    #[test]
    fn rejects_nonsense_with_a_reason() {
        assert!(BrokerUrl::parse("http://x").unwrap_err().contains("scheme"));
        assert!(BrokerUrl::parse("tcp://x:0").unwrap_err().contains("port"));
        assert!(BrokerUrl::parse("tcp://x:99999")
            .unwrap_err()
            .contains("port"));
        assert!(BrokerUrl::parse("tcp://").unwrap_err().contains("host"));
        assert!(BrokerUrl::parse("[::1").is_err());
    }
}
