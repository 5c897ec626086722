//! Client configuration from code, environment variables or a TOML file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::error::Error;
use crate::protocol::{ParseOptions, Secret, WireNames};

/// Everything a [`crate::Client`] needs. `Debug` never shows the passcode.
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Broker URLs tried in order (`tcp://host:61613`, `ssl://host:61614`).
    pub brokers: Vec<String>,
    pub broker_login: Option<String>,
    pub broker_passcode: Option<Secret>,
    /// STOMP `host` header; defaults to the broker's host name.
    pub vhost: Option<String>,
    /// PEM file of CA certificates for `ssl://` brokers.
    pub tls_ca_file: Option<PathBuf>,
    /// GC's command queue.
    pub queue: String,
    /// This client's topic; default `gcclient.<host>.<uuid>`.
    pub destination: Option<String>,
    /// JMS time-to-live of a command: a stale MakeCall must never run late.
    pub command_ttl_ms: u64,
    /// JMS delivery mode of commands.
    pub persistent: bool,
    /// Hello is repeated this often until `System#IN_SERVICE` (guide: max 3 s).
    pub hello_interval_ms: u64,
    pub beat_interval_ms: u64,
    /// How long a request waits for its correlated reply.
    pub request_timeout_ms: u64,
    /// STOMP heart-beat; the broker is declared dead after about 3x.
    pub stomp_heartbeat_ms: u64,
    pub receipt_timeout_ms: u64,
    /// How long `Client::connect` waits for the first broker connection.
    pub connect_timeout_ms: u64,
    pub backoff_max_ms: u64,
    /// API name -> wire name, e.g. `{ get_phonebooks = "getPhoneBooks" }`.
    pub wire_names: HashMap<String, String>,
    /// GC's stand-in for `#` inside event fields, if the deployment has one.
    pub hash_token: Option<String>,
    /// Events buffered per subscriber before the oldest are dropped.
    pub event_buffer: usize,
    /// Re-send Connect + Login for every agent after a broker reconnect.
    pub relogin_after_reconnect: bool,
    pub clock_skew_warn_ms: u64,
    /// Let an event without a correlation id complete the oldest request of
    /// its agent waiting for that event type. Off: GC copies the command's
    /// correlation id onto its reply, and matching by type
    /// alone can hand a request an unrelated event (a consult leg's DROP
    /// answering a conference). Only for a GC that omits correlation ids.
    pub match_uncorrelated_replies: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            brokers: vec!["tcp://127.0.0.1:61613".into()],
            broker_login: None,
            broker_passcode: None,
            vhost: None,
            tls_ca_file: None,
            queue: "Connector1".into(),
            destination: None,
            command_ttl_ms: 10_000,
            persistent: false,
            hello_interval_ms: 3_000,
            beat_interval_ms: 5_000,
            request_timeout_ms: 10_000,
            stomp_heartbeat_ms: 10_000,
            receipt_timeout_ms: 5_000,
            connect_timeout_ms: 10_000,
            backoff_max_ms: 5_000,
            wire_names: HashMap::new(),
            hash_token: None,
            event_buffer: 4096,
            relogin_after_reconnect: true,
            clock_skew_warn_ms: 1_000,
            match_uncorrelated_replies: false,
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("brokers", &self.brokers)
            .field("broker_login", &self.broker_login)
            .field(
                "broker_passcode",
                &self.broker_passcode.as_ref().map(|_| "***"),
            )
            .field("vhost", &self.vhost)
            .field("tls_ca_file", &self.tls_ca_file)
            .field("queue", &self.queue)
            .field("destination", &self.destination)
            .field("command_ttl_ms", &self.command_ttl_ms)
            .field("persistent", &self.persistent)
            .field("hello_interval_ms", &self.hello_interval_ms)
            .field("beat_interval_ms", &self.beat_interval_ms)
            .field("request_timeout_ms", &self.request_timeout_ms)
            .field("stomp_heartbeat_ms", &self.stomp_heartbeat_ms)
            .field("wire_names", &self.wire_names)
            .field("hash_token", &self.hash_token)
            .field("event_buffer", &self.event_buffer)
            .finish_non_exhaustive()
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret::new)
    }
}

fn ms(v: u64) -> Duration {
    Duration::from_millis(v)
}

impl Config {
    /// A config for one broker URL, defaults elsewhere.
    pub fn new(broker: impl Into<String>) -> Self {
        Config {
            brokers: vec![broker.into()],
            ..Config::default()
        }
    }

    pub fn from_toml_str(s: &str) -> Result<Self, Error> {
        let cfg: Config = toml::from_str(s).map_err(|e| Error::Config(e.to_string()))?;
        cfg.validate()?;
        Ok(cfg)
    }

    pub fn from_toml_file(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::Config(format!("cannot read {}: {e}", path.display())))?;
        Self::from_toml_str(&text)
    }

    /// Defaults overridden by `GCCLIENT_*` environment variables:
    /// `GCCLIENT_BROKERS` (comma-separated), `GCCLIENT_BROKER_LOGIN`,
    /// `GCCLIENT_BROKER_PASSCODE`, `GCCLIENT_TLS_CA_FILE`, `GCCLIENT_QUEUE`,
    /// `GCCLIENT_DESTINATION`, `GCCLIENT_COMMAND_TTL_MS`, `GCCLIENT_PERSISTENT`,
    /// `GCCLIENT_HELLO_INTERVAL_MS`, `GCCLIENT_BEAT_INTERVAL_MS`,
    /// `GCCLIENT_REQUEST_TIMEOUT_MS`, `GCCLIENT_STOMP_HEARTBEAT_MS`,
    /// `GCCLIENT_HASH_TOKEN`.
    pub fn from_env() -> Result<Self, Error> {
        Self::default().with_env(|k| std::env::var(k).ok())
    }

    /// Applies `GCCLIENT_*` variables found by `get` on top of `self`.
    pub fn with_env(mut self, get: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let num = |key: &str, target: &mut u64| -> Result<(), Error> {
            if let Some(v) = get(key) {
                *target = v
                    .trim()
                    .parse()
                    .map_err(|_| Error::Config(format!("{key}: `{v}` is not a number")))?;
            }
            Ok(())
        };
        if let Some(v) = get("GCCLIENT_BROKERS") {
            self.brokers = v
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
        }
        if let Some(v) = get("GCCLIENT_BROKER_LOGIN") {
            self.broker_login = Some(v);
        }
        if let Some(v) = get("GCCLIENT_BROKER_PASSCODE") {
            self.broker_passcode = Some(Secret::new(v));
        }
        if let Some(v) = get("GCCLIENT_TLS_CA_FILE") {
            self.tls_ca_file = Some(v.into());
        }
        if let Some(v) = get("GCCLIENT_QUEUE") {
            self.queue = v;
        }
        if let Some(v) = get("GCCLIENT_DESTINATION") {
            self.destination = Some(v);
        }
        if let Some(v) = get("GCCLIENT_PERSISTENT") {
            self.persistent = matches!(v.trim(), "1" | "true" | "yes");
        }
        if let Some(v) = get("GCCLIENT_HASH_TOKEN") {
            self.hash_token = Some(v);
        }
        num("GCCLIENT_COMMAND_TTL_MS", &mut self.command_ttl_ms)?;
        num("GCCLIENT_HELLO_INTERVAL_MS", &mut self.hello_interval_ms)?;
        num("GCCLIENT_BEAT_INTERVAL_MS", &mut self.beat_interval_ms)?;
        num("GCCLIENT_REQUEST_TIMEOUT_MS", &mut self.request_timeout_ms)?;
        num("GCCLIENT_STOMP_HEARTBEAT_MS", &mut self.stomp_heartbeat_ms)?;
        self.validate()?;
        Ok(self)
    }

    /// Rejects configs that could only fail later, with a message that
    /// names the setting.
    pub fn validate(&self) -> Result<(), Error> {
        let bad = |m: String| Err(Error::Config(m));
        if self.brokers.is_empty() {
            return bad("brokers: at least one broker URL is needed".into());
        }
        for b in &self.brokers {
            crate::stomp::BrokerUrl::parse(b)
                .map_err(|e| Error::Config(format!("brokers: `{b}`: {e}")))?;
        }
        if self.queue.is_empty() || self.queue.contains(['#', ',']) {
            return bad("queue: must be non-empty without `#` or `,`".into());
        }
        if let Some(d) = &self.destination {
            if d.is_empty() || d.contains(['#', ',', '|', '/']) {
                return bad("destination: must be non-empty without `#`, `,`, `|` or `/`".into());
            }
        }
        for (name, value) in [
            ("command_ttl_ms", self.command_ttl_ms),
            ("hello_interval_ms", self.hello_interval_ms),
            ("beat_interval_ms", self.beat_interval_ms),
            ("request_timeout_ms", self.request_timeout_ms),
            ("receipt_timeout_ms", self.receipt_timeout_ms),
        ] {
            if value == 0 {
                return bad(format!("{name}: must be greater than 0"));
            }
        }
        if self.event_buffer == 0 {
            return bad("event_buffer: must be greater than 0".into());
        }
        self.wire_names()?;
        Ok(())
    }

    pub fn wire_names(&self) -> Result<WireNames, Error> {
        WireNames::from_overrides(
            self.wire_names
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str())),
        )
        .map_err(Error::Config)
    }

    pub fn parse_options(&self) -> ParseOptions {
        ParseOptions {
            hash_token: self.hash_token.clone(),
        }
    }

    /// The client destination, generating the default once.
    pub(crate) fn resolved_destination(&self) -> String {
        self.destination.clone().unwrap_or_else(|| {
            let host = std::env::var("HOSTNAME")
                .ok()
                .or_else(|| {
                    std::fs::read_to_string("/etc/hostname")
                        .ok()
                        .map(|s| s.trim().to_owned())
                })
                .unwrap_or_else(|| "host".into());
            let host: String = host
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c
                    } else {
                        '-'
                    }
                })
                .collect();
            format!("gcclient.{host}.{}", uuid::Uuid::new_v4())
        })
    }

    pub(crate) fn hello_interval(&self) -> Duration {
        ms(self.hello_interval_ms)
    }
    pub(crate) fn beat_interval(&self) -> Duration {
        ms(self.beat_interval_ms)
    }
    pub(crate) fn request_timeout(&self) -> Duration {
        ms(self.request_timeout_ms)
    }
    pub(crate) fn connect_timeout(&self) -> Duration {
        ms(self.connect_timeout_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_and_env_and_debug_hide_passcode() {
        let cfg = Config::from_toml_str(
            r#"
            brokers = ["tcp://a:61613", "tcp://b:61613"]
            broker_login = "admin"
            broker_passcode = "s3cret-pass"
            queue = "Connector2"
            command_ttl_ms = 5000
            [wire_names]
            get_phonebooks = "getPhoneBooks"
            "#,
        )
        .unwrap();
        assert_eq!(cfg.brokers.len(), 2);
        assert_eq!(cfg.queue, "Connector2");
        assert_eq!(
            cfg.wire_names()
                .unwrap()
                .get(crate::protocol::CommandKind::GetPhonebooks),
            "getPhoneBooks"
        );
        assert!(!format!("{cfg:?}").contains("s3cret-pass"));

        let env = Config::default()
            .with_env(|k| match k {
                "GCCLIENT_BROKERS" => Some("tcp://x:1, tcp://y:2".into()),
                "GCCLIENT_COMMAND_TTL_MS" => Some("2500".into()),
                _ => None,
            })
            .unwrap();
        assert_eq!(env.brokers, vec!["tcp://x:1", "tcp://y:2"]);
        assert_eq!(env.command_ttl_ms, 2500);
    }

    #[test]
    fn bad_configs_name_the_setting() {
        let e = Config::from_toml_str("brokers = []")
            .unwrap_err()
            .to_string();
        assert!(e.contains("brokers"), "{e}");
        let e = Config::from_toml_str("bogus = 1").unwrap_err().to_string();
        assert!(e.contains("bogus"), "{e}");
        let e = Config::from_toml_str("[wire_names]\nnot_a_command = \"x\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not_a_command"), "{e}");
        let e = Config::default()
            .with_env(|k| (k == "GCCLIENT_REQUEST_TIMEOUT_MS").then(|| "soon".into()))
            .unwrap_err()
            .to_string();
        assert!(e.contains("GCCLIENT_REQUEST_TIMEOUT_MS"), "{e}");
    }
}
