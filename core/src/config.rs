//! Client configuration from code, environment variables or a TOML file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::error::Error;
use crate::protocol::{ParseOptions, Secret, WireNames};
use crate::stomp::{url::redact, BrokerUrl, FrameLimits, TransportConfig};

/// Everything a [`crate::Client`] needs. `Debug` never shows the passcode.
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Broker URLs tried in order (`tcp://host:61613`, `ssl://host:61614`,
    /// `tcp://user:password@host:61613`, or ActiveMQ's
    /// `failover:(tcp://a:61613,tcp://b:61613)?randomize=false`).
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
    /// Capped at `request_timeout_ms` when sent, so a command the caller
    /// gave up on expires at the broker instead of running late.
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
    /// Titles of the deployment's `<agent>#<title>#<data>` CallbackMessage
    /// events (the guide names none); other unknown types stay `Unknown`.
    pub callback_message_titles: Vec<String>,
    /// Events buffered per subscriber before the oldest are dropped.
    pub event_buffer: usize,
    /// Bytes of buffered notifications (by their text size) before the
    /// oldest are dropped, whatever their count.
    pub event_buffer_bytes: usize,
    /// The broker's longest header line (ActiveMQ: 10240 bytes); a command
    /// whose agent id or other header is longer is refused before sending.
    pub max_header_bytes: usize,
    /// The broker's largest frame (ActiveMQ: 100 MiB); larger commands are
    /// refused before sending.
    pub max_frame_bytes: usize,
    /// Larger inbound frames are skipped (and reported) instead of read.
    pub max_inbound_frame_bytes: usize,
    /// Keep retrying after the broker refused the login (default: stop).
    pub retry_on_auth_failure: bool,
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
            callback_message_titles: Vec::new(),
            event_buffer: 4096,
            event_buffer_bytes: 4 * 1024 * 1024,
            max_header_bytes: crate::stomp::limits::ACTIVEMQ_MAX_HEADER_LINE,
            max_frame_bytes: crate::stomp::limits::ACTIVEMQ_MAX_FRAME,
            max_inbound_frame_bytes: crate::stomp::codec::DEFAULT_MAX_FRAME,
            retry_on_auth_failure: false,
            relogin_after_reconnect: true,
            clock_skew_warn_ms: 1_000,
            match_uncorrelated_replies: false,
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field(
                "brokers",
                &self.brokers.iter().map(|b| redact(b)).collect::<Vec<_>>(),
            )
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
            .field("event_buffer_bytes", &self.event_buffer_bytes)
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

const DAY_MS: u64 = 86_400_000;
const HOUR_MS: u64 = 3_600_000;
const MIB: u64 = 1024 * 1024;

/// Every numeric setting with its accepted range: (name, value, min, max).
/// The ranges keep each setting meaningful: no timer of 0 ms, no back-off
/// short enough to become a retry storm, no TTL that overflows `expires`,
/// no buffer whose allocation could abort the process.
#[allow(clippy::type_complexity)]
const RANGES: &[(&str, fn(&Config) -> u64, u64, u64)] = &[
    ("command_ttl_ms", |c| c.command_ttl_ms, 1, DAY_MS),
    ("hello_interval_ms", |c| c.hello_interval_ms, 10, 60_000),
    ("beat_interval_ms", |c| c.beat_interval_ms, 10, HOUR_MS),
    ("request_timeout_ms", |c| c.request_timeout_ms, 1, DAY_MS),
    ("stomp_heartbeat_ms", |c| c.stomp_heartbeat_ms, 0, HOUR_MS),
    ("receipt_timeout_ms", |c| c.receipt_timeout_ms, 1, HOUR_MS),
    ("connect_timeout_ms", |c| c.connect_timeout_ms, 1, DAY_MS),
    (
        "backoff_max_ms",
        |c| c.backoff_max_ms,
        MIN_BACKOFF_MS,
        HOUR_MS,
    ),
    ("clock_skew_warn_ms", |c| c.clock_skew_warn_ms, 0, DAY_MS),
    ("event_buffer", |c| c.event_buffer as u64, 1, 1 << 20),
    (
        "event_buffer_bytes",
        |c| c.event_buffer_bytes as u64,
        4096,
        1024 * MIB,
    ),
    ("max_header_bytes", |c| c.max_header_bytes as u64, 256, MIB),
    (
        "max_frame_bytes",
        |c| c.max_frame_bytes as u64,
        4096,
        1024 * MIB,
    ),
    (
        "max_inbound_frame_bytes",
        |c| c.max_inbound_frame_bytes as u64,
        4096,
        1024 * MIB,
    ),
];

/// The shortest `backoff_max_ms`: at most about twenty connection attempts a
/// second (with jitter, gaps of 50 to 100 ms) once the list was tried.
pub const MIN_BACKOFF_MS: u64 = 100;

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
    /// `GCCLIENT_HASH_TOKEN`, `GCCLIENT_CONNECT_TIMEOUT_MS`,
    /// `GCCLIENT_BACKOFF_MAX_MS`, `GCCLIENT_EVENT_BUFFER`.
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
        num("GCCLIENT_CONNECT_TIMEOUT_MS", &mut self.connect_timeout_ms)?;
        num("GCCLIENT_BACKOFF_MAX_MS", &mut self.backoff_max_ms)?;
        let mut n = self.event_buffer as u64;
        num("GCCLIENT_EVENT_BUFFER", &mut n)?;
        self.event_buffer = usize::try_from(n).unwrap_or(usize::MAX);
        self.validate()?;
        Ok(self)
    }

    /// Rejects configs that could only fail later (or never stop
    /// retrying, or overflow), with a message that names the setting and its
    /// accepted range. Every binding calls this one function.
    pub fn validate(&self) -> Result<(), Error> {
        let bad = |m: String| Err(Error::Config(m));
        if self.brokers.is_empty() {
            return bad("brokers: at least one broker URL is needed".into());
        }
        for b in &self.brokers {
            BrokerUrl::parse_list(b)
                .map_err(|e| Error::Config(format!("brokers: `{}`: {e}", redact(b))))?;
        }
        if self.queue.is_empty() || self.queue.contains(['#', ',']) {
            return bad("queue: must be non-empty without `#` or `,`".into());
        }
        if let Some(d) = &self.destination {
            if d.is_empty() || d.contains(['#', ',', '|', '/']) {
                return bad("destination: must be non-empty without `#`, `,`, `|` or `/`".into());
            }
            crate::protocol::limits::check_id(d)
                .map_err(|reason| Error::Config(format!("destination: {reason}")))?;
        }
        for (name, value, min, max) in RANGES.iter().map(|r| (r.0, (r.1)(self), r.2, r.3)) {
            if value < min || value > max {
                return bad(format!(
                    "{name}: {value} is outside the accepted range {min}..={max}{}",
                    if name == "stomp_heartbeat_ms" {
                        " (0 = off)"
                    } else {
                        ""
                    }
                ));
            }
        }
        self.wire_names()?;
        Ok(())
    }

    /// The TTL a command is sent with: never longer than the caller waits.
    pub fn effective_command_ttl_ms(&self) -> u64 {
        self.command_ttl_ms.min(self.request_timeout_ms)
    }

    /// The broker side of this config, for [`crate::stomp::Transport`].
    pub fn transport_config(&self) -> Result<TransportConfig, Error> {
        let mut brokers = Vec::new();
        for b in &self.brokers {
            let list = BrokerUrl::parse_list(b)
                .map_err(|e| Error::Config(format!("brokers: `{}`: {e}", redact(b))))?;
            brokers.extend(list);
        }
        let tls = if brokers.iter().any(|b| b.tls) {
            Some(std::sync::Arc::new(
                crate::stomp::transport::tls_config(self.tls_ca_file.as_deref())
                    .map_err(Error::Config)?,
            ))
        } else {
            None
        };
        Ok(TransportConfig {
            brokers,
            login: self.broker_login.clone(),
            passcode: self.broker_passcode.clone(),
            vhost: self.vhost.clone(),
            tls,
            heartbeat: ms(self.stomp_heartbeat_ms),
            receipt_timeout: ms(self.receipt_timeout_ms),
            connect_timeout: ms(self.connect_timeout_ms),
            backoff_max: ms(self.backoff_max_ms),
            max_frame: self.max_inbound_frame_bytes,
            outbound: self.frame_limits(),
            retry_on_auth_failure: self.retry_on_auth_failure,
            subscriptions: Vec::new(),
        })
    }

    pub fn frame_limits(&self) -> FrameLimits {
        FrameLimits {
            max_header_line: self.max_header_bytes,
            max_frame: self.max_frame_bytes,
            ..FrameLimits::default()
        }
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
            callback_message_titles: self.callback_message_titles.clone(),
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

    /// The values of issue 24: each is a `Config` error naming the setting
    /// and its range, none aborts or wraps.
    #[test]
    fn absurd_values_are_refused_with_the_range() {
        type Set = fn(&mut Config);
        let cases: [(&str, Set); 9] = [
            ("event_buffer", |c| c.event_buffer = 0xFFFF_FFFF),
            ("event_buffer", |c| c.event_buffer = 1 << 62),
            ("event_buffer", |c| c.event_buffer = 0),
            ("backoff_max_ms", |c| c.backoff_max_ms = 0),
            ("command_ttl_ms", |c| c.command_ttl_ms = u64::MAX),
            ("connect_timeout_ms", |c| c.connect_timeout_ms = 0),
            ("request_timeout_ms", |c| c.request_timeout_ms = 0),
            ("event_buffer_bytes", |c| c.event_buffer_bytes = 1),
            ("max_header_bytes", |c| c.max_header_bytes = usize::MAX),
        ];
        for (name, set) in cases {
            let mut c = Config::default();
            set(&mut c);
            let e = c.validate().unwrap_err();
            assert!(matches!(e, Error::Config(_)), "{e:?}");
            let e = e.to_string();
            assert!(e.contains(name) && e.contains("..="), "{name}: {e}");
        }
        let e = Config::from_toml_str("event_buffer = 4611686018427387904")
            .unwrap_err()
            .to_string();
        assert!(e.contains("event_buffer"), "{e}");
        Config::default().validate().unwrap();
    }

    #[test]
    fn ttl_never_outlives_the_request_timeout() {
        let c = Config {
            command_ttl_ms: 60_000,
            request_timeout_ms: 2_000,
            ..Config::default()
        };
        assert_eq!(c.effective_command_ttl_ms(), 2_000);
        let d = Config::default();
        assert!(d.effective_command_ttl_ms() <= d.request_timeout_ms);
    }

    #[test]
    fn broker_passwords_in_urls_never_show() {
        let c = Config::new("failover:(tcp://u:hunter2@a:61613,tcp://b:61613)?randomize=false");
        c.validate().unwrap();
        assert!(!format!("{c:?}").contains("hunter2"));
        let t = c.transport_config().unwrap();
        assert_eq!(t.brokers.len(), 2);
        assert_eq!(t.brokers[0].login.as_deref(), Some("u"));
        assert!(!format!("{t:?}").contains("hunter2"));
        let e = Config::new("tcp://u:hunter2@a:0").validate().unwrap_err();
        assert!(!format!("{e} {e:?}").contains("hunter2"), "{e}");
    }
}
