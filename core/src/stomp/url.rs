//! Broker addresses: `tcp://host:port`, `ssl://host:port`, bare `host:port`,
//! `tcp://user:password@host:port`, and ActiveMQ's
//! `failover:(tcp://a:61613,tcp://b:61613)?randomize=false` list form.

use std::fmt;

use crate::secret::Secret;

/// Port of ActiveMQ's STOMP connector when none is given.
pub const DEFAULT_STOMP_PORT: u16 = 61613;
/// Port of ActiveMQ's `stomp+ssl` connector when none is given.
pub const DEFAULT_STOMP_TLS_PORT: u16 = 61614;

/// One broker. `Display` and `Debug` never show the password of a
/// `user:password@` URL, so a broker can be logged and put in errors.
#[derive(Clone, PartialEq, Eq)]
pub struct BrokerUrl {
    pub host: String,
    pub port: u16,
    pub tls: bool,
    /// The login of a `user:password@host` URL; it wins over the configured one.
    pub login: Option<String>,
    pub passcode: Option<Secret>,
}

impl fmt::Debug for BrokerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BrokerUrl({self})")
    }
}

impl BrokerUrl {
    /// Accepted schemes: `tcp`, `stomp` (plain) and `ssl`, `tls`,
    /// `stomp+ssl`, `stomps` (TLS). No scheme means plain TCP. Errors never
    /// quote the URL (it may hold a password).
    pub fn parse(s: &str) -> Result<BrokerUrl, String> {
        let s = s.trim();
        let (tls, rest) = match s.split_once("://") {
            None => (false, s),
            Some((scheme, rest)) => match scheme.to_ascii_lowercase().as_str() {
                "tcp" | "stomp" | "nio" | "stomp+nio" => (false, rest),
                "ssl" | "tls" | "stomp+ssl" | "stomps" | "stomp+nio+ssl" => (true, rest),
                other => return Err(format!("unknown scheme `{other}` (use tcp:// or ssl://)")),
            },
        };
        let rest = rest.split(['/', '?']).next().unwrap_or_default();
        // user:password@host; the last `@` ends the user info (passwords may hold `@`).
        let (userinfo, rest) = match rest.rsplit_once('@') {
            Some((u, r)) => (Some(u), r),
            None => (None, rest),
        };
        let (login, passcode) = match userinfo {
            None => (None, None),
            Some(u) => {
                let (user, pass) = match u.split_once(':') {
                    Some((user, pass)) => (user, Some(pass)),
                    None => (u, None),
                };
                if user.is_empty() {
                    return Err("empty user name before `@`".into());
                }
                let user = percent_decode(user).ok_or("bad %-escape in the user name")?;
                let pass = match pass {
                    Some(p) => Some(Secret::new(
                        percent_decode(p).ok_or("bad %-escape in the password")?,
                    )),
                    None => None,
                };
                (Some(user), pass)
            }
        };
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
        Ok(BrokerUrl {
            host,
            port,
            tls,
            login,
            passcode,
        })
    }

    /// One configured broker entry: a single URL, or ActiveMQ's
    /// `failover:(url,url,...)?randomize=...` list. ActiveMQ shuffles a
    /// failover list unless `randomize=false`; so do we (once, here).
    /// Other failover options are ignored with a warning: the transport has
    /// its own reconnect policy.
    pub fn parse_list(s: &str) -> Result<Vec<BrokerUrl>, String> {
        let s = s.trim();
        let Some(rest) = strip_prefix_ignore_case(s, "failover:") else {
            return Ok(vec![BrokerUrl::parse(s)?]);
        };
        let (list, query) = match rest.strip_prefix('(') {
            Some(inner) => {
                let (list, after) = inner
                    .split_once(')')
                    .ok_or("unclosed `(` in failover URL")?;
                let query = match after {
                    "" => "",
                    q => q.strip_prefix('?').ok_or("unexpected text after `)`")?,
                };
                (list, query)
            }
            None => match rest.split_once('?') {
                Some((list, q)) => (list, q),
                None => (rest, ""),
            },
        };
        let mut randomize = true;
        for opt in query.split('&').filter(|o| !o.is_empty()) {
            let (k, v) = opt.split_once('=').unwrap_or((opt, ""));
            if k.eq_ignore_ascii_case("randomize") {
                randomize = match v.to_ascii_lowercase().as_str() {
                    "true" => true,
                    "false" => false,
                    _ => return Err(format!("randomize: `{v}` is not true/false")),
                };
            } else {
                tracing::warn!(option = k, "failover URL option ignored");
            }
        }
        let mut urls = list
            .split(',')
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(BrokerUrl::parse)
            .collect::<Result<Vec<_>, _>>()?;
        if urls.is_empty() {
            return Err("failover list has no broker".into());
        }
        if randomize {
            shuffle(&mut urls);
        }
        Ok(urls)
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

/// A broker entry as it can be shown: any `user:password@` part becomes
/// `user:***@`. For logs and errors that must quote a configured string.
pub fn redact(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // Every URL of a failover list may carry credentials.
    for (i, part) in s.split(',').enumerate() {
        if i > 0 {
            out.push(',');
        }
        let (prefix, rest) = match part.find("://") {
            Some(at) => part.split_at(at + 3),
            None => ("", part),
        };
        let end = rest.find(['/', '?', ')']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        out.push_str(prefix);
        match authority.rsplit_once('@') {
            Some((user, host)) => {
                let user = user.split(':').next().unwrap_or_default();
                out.push_str(user);
                out.push_str(":***@");
                out.push_str(host);
            }
            None => out.push_str(authority),
        }
        out.push_str(tail);
    }
    out
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn shuffle(urls: &mut [BrokerUrl]) {
    for i in (1..urls.len()).rev() {
        let j = rand::Rng::gen_range(&mut rand::thread_rng(), 0..=i);
        urls.swap(i, j);
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

    #[test]
    fn credentials_in_the_url_are_the_login_and_never_shown() {
        let u = BrokerUrl::parse("tcp://user:pw%40x@mq1:61613").unwrap();
        assert_eq!(u.login.as_deref(), Some("user"));
        assert_eq!(u.passcode.as_ref().map(|p| p.expose()), Some("pw@x"));
        assert_eq!((u.host.as_str(), u.port), ("mq1", 61613));
        let shown = format!("{u} {u:?}");
        assert!(!shown.contains("pw"), "{shown}");
        let e = BrokerUrl::parse("tcp://user:hunter2@mq1:0").unwrap_err();
        assert!(!e.contains("hunter2"), "{e}");
        assert_eq!(
            redact("failover:(tcp://u:hunter2@a:1,tcp://b:2)?randomize=false"),
            "failover:(tcp://u:***@a:1,tcp://b:2)?randomize=false"
        );
        assert_eq!(redact("tcp://a:1"), "tcp://a:1");
    }

    #[test]
    fn failover_lists_keep_their_order_only_when_asked() {
        let list = BrokerUrl::parse_list("failover:(tcp://a:61613,tcp://b:61613)?randomize=false")
            .unwrap();
        let hosts: Vec<&str> = list.iter().map(|u| u.host.as_str()).collect();
        assert_eq!(hosts, ["a", "b"]);
        let many = (0..8)
            .map(|i| format!("tcp://h{i}:1"))
            .collect::<Vec<_>>()
            .join(",");
        let ordered: Vec<String> = (0..8).map(|i| format!("h{i}")).collect();
        // 8! orders: 20 shuffles all giving the written order would be a broken shuffle.
        let shuffled = (0..20).any(|_| {
            let l = BrokerUrl::parse_list(&format!("failover:({many})")).unwrap();
            l.iter().map(|u| u.host.clone()).collect::<Vec<_>>() != ordered
        });
        assert!(shuffled);
        assert_eq!(BrokerUrl::parse_list("tcp://x:1").unwrap().len(), 1);
        assert!(BrokerUrl::parse_list("failover:(tcp://a:1").is_err());
        assert!(BrokerUrl::parse_list("failover:()").is_err());
        assert!(BrokerUrl::parse_list("failover:(tcp://a:1)?randomize=maybe").is_err());
    }
}
