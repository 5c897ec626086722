//! Client configuration as a record with the core's defaults.

use std::collections::HashMap;

use gcclient::protocol::Secret;

use crate::error::GcError;

/// Everything a client needs; the defaults are the core's (checked by the
/// Python tests against [`default_config`]).
#[derive(Clone, uniffi::Record)]
pub struct ClientConfig {
    /// Broker URLs tried in order (`tcp://host:61613`, `ssl://host:61614`).
    pub brokers: Vec<String>,
    #[uniffi(default = None)]
    pub broker_login: Option<String>,
    /// Crosses as an opaque object (core's `Secret` custom type): foreign
    /// code never holds the text, and printing the record shows none of it.
    #[uniffi(default = None)]
    pub broker_passcode: Option<Secret>,
    /// STOMP `host` header; defaults to the broker's host name.
    #[uniffi(default = None)]
    pub vhost: Option<String>,
    /// PEM file of CA certificates for `ssl://` brokers.
    #[uniffi(default = None)]
    pub tls_ca_file: Option<String>,
    /// GC's command queue.
    #[uniffi(default = "Connector1")]
    pub queue: String,
    /// This client's topic; default `gcclient.<host>.<uuid>`.
    #[uniffi(default = None)]
    pub destination: Option<String>,
    #[uniffi(default = 10000)]
    pub command_ttl_ms: i64,
    #[uniffi(default = false)]
    pub persistent: bool,
    #[uniffi(default = 3000)]
    pub hello_interval_ms: i64,
    #[uniffi(default = 5000)]
    pub beat_interval_ms: i64,
    #[uniffi(default = 10000)]
    pub request_timeout_ms: i64,
    #[uniffi(default = 10000)]
    pub stomp_heartbeat_ms: i64,
    #[uniffi(default = 5000)]
    pub receipt_timeout_ms: i64,
    #[uniffi(default = 10000)]
    pub connect_timeout_ms: i64,
    #[uniffi(default = 5000)]
    pub backoff_max_ms: i64,
    /// API name -> wire name, e.g. `get_phonebooks -> getPhoneBooks`.
    #[uniffi(default)]
    pub wire_names: HashMap<String, String>,
    /// GC's stand-in for `#` inside event fields, if the deployment has one.
    #[uniffi(default = None)]
    pub hash_token: Option<String>,
    /// Titles of the deployment's `<agent>#<title>#<data>` CallbackMessage events.
    #[uniffi(default = [])]
    pub callback_message_titles: Vec<String>,
    /// Events buffered per subscriber before the oldest are dropped.
    #[uniffi(default = 4096)]
    pub event_buffer: i32,
    /// Bytes of buffered notifications before the oldest are dropped.
    #[uniffi(default = 4194304)]
    pub event_buffer_bytes: i64,
    /// The broker's longest header line; longer agent ids are refused.
    #[uniffi(default = 10240)]
    pub max_header_bytes: i64,
    /// The broker's largest frame; larger commands are refused.
    #[uniffi(default = 104857600)]
    pub max_frame_bytes: i64,
    /// Larger inbound frames are skipped and reported.
    #[uniffi(default = 16777216)]
    pub max_inbound_frame_bytes: i64,
    /// Keep retrying after the broker refused the login.
    #[uniffi(default = false)]
    pub retry_on_auth_failure: bool,
    #[uniffi(default = true)]
    pub relogin_after_reconnect: bool,
    #[uniffi(default = 1000)]
    pub clock_skew_warn_ms: i64,
    /// Complete a request with an uncorrelated event of its reply type (only
    /// for a GC that omits correlation ids).
    #[uniffi(default = false)]
    pub match_uncorrelated_replies: bool,
}

impl From<gcclient::Config> for ClientConfig {
    fn from(c: gcclient::Config) -> Self {
        ClientConfig {
            brokers: c.brokers,
            broker_login: c.broker_login,
            broker_passcode: c.broker_passcode,
            vhost: c.vhost,
            tls_ca_file: c.tls_ca_file.map(|p| p.to_string_lossy().into_owned()),
            queue: c.queue,
            destination: c.destination,
            command_ttl_ms: signed(c.command_ttl_ms),
            persistent: c.persistent,
            hello_interval_ms: signed(c.hello_interval_ms),
            beat_interval_ms: signed(c.beat_interval_ms),
            request_timeout_ms: signed(c.request_timeout_ms),
            stomp_heartbeat_ms: signed(c.stomp_heartbeat_ms),
            receipt_timeout_ms: signed(c.receipt_timeout_ms),
            connect_timeout_ms: signed(c.connect_timeout_ms),
            backoff_max_ms: signed(c.backoff_max_ms),
            wire_names: c.wire_names,
            hash_token: c.hash_token,
            callback_message_titles: c.callback_message_titles,
            event_buffer: i32::try_from(c.event_buffer).unwrap_or(i32::MAX),
            event_buffer_bytes: signed(c.event_buffer_bytes as u64),
            max_header_bytes: signed(c.max_header_bytes as u64),
            max_frame_bytes: signed(c.max_frame_bytes as u64),
            max_inbound_frame_bytes: signed(c.max_inbound_frame_bytes as u64),
            retry_on_auth_failure: c.retry_on_auth_failure,
            relogin_after_reconnect: c.relogin_after_reconnect,
            clock_skew_warn_ms: signed(c.clock_skew_warn_ms),
            match_uncorrelated_replies: c.match_uncorrelated_replies,
        }
    }
}

/// Durations and sizes cross as signed integers: JVM languages have no
/// unsigned types, and uniffi's `u64` becomes Kotlin's `ULong`, whose
/// getters Java cannot call. Values beyond `i64::MAX` ms do not occur.
fn signed(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn unsigned(name: &str, v: i64) -> Result<u64, GcError> {
    u64::try_from(v).map_err(|_| GcError::Config {
        detail: format!("{name}: must not be negative, got {v}"),
    })
}

fn bytes(name: &str, v: i64) -> Result<usize, GcError> {
    unsigned(name, v).map(|v| usize::try_from(v).unwrap_or(usize::MAX))
}

impl TryFrom<ClientConfig> for gcclient::Config {
    type Error = GcError;

    fn try_from(c: ClientConfig) -> Result<Self, GcError> {
        Ok(gcclient::Config {
            brokers: c.brokers,
            broker_login: c.broker_login,
            broker_passcode: c.broker_passcode,
            vhost: c.vhost,
            tls_ca_file: c.tls_ca_file.map(Into::into),
            queue: c.queue,
            destination: c.destination,
            command_ttl_ms: unsigned("command_ttl_ms", c.command_ttl_ms)?,
            persistent: c.persistent,
            hello_interval_ms: unsigned("hello_interval_ms", c.hello_interval_ms)?,
            beat_interval_ms: unsigned("beat_interval_ms", c.beat_interval_ms)?,
            request_timeout_ms: unsigned("request_timeout_ms", c.request_timeout_ms)?,
            stomp_heartbeat_ms: unsigned("stomp_heartbeat_ms", c.stomp_heartbeat_ms)?,
            receipt_timeout_ms: unsigned("receipt_timeout_ms", c.receipt_timeout_ms)?,
            connect_timeout_ms: unsigned("connect_timeout_ms", c.connect_timeout_ms)?,
            backoff_max_ms: unsigned("backoff_max_ms", c.backoff_max_ms)?,
            wire_names: c.wire_names,
            hash_token: c.hash_token,
            callback_message_titles: c.callback_message_titles,
            event_buffer: unsigned("event_buffer", c.event_buffer.into())? as usize,
            // Saturating: an absurd value stays absurd, and validate() names it.
            event_buffer_bytes: bytes("event_buffer_bytes", c.event_buffer_bytes)?,
            max_header_bytes: bytes("max_header_bytes", c.max_header_bytes)?,
            max_frame_bytes: bytes("max_frame_bytes", c.max_frame_bytes)?,
            max_inbound_frame_bytes: bytes("max_inbound_frame_bytes", c.max_inbound_frame_bytes)?,
            retry_on_auth_failure: c.retry_on_auth_failure,
            relogin_after_reconnect: c.relogin_after_reconnect,
            clock_skew_warn_ms: unsigned("clock_skew_warn_ms", c.clock_skew_warn_ms)?,
            match_uncorrelated_replies: c.match_uncorrelated_replies,
        })
    }
}

/// The core's `Debug`: no passcode, and `user:***@` for passwords in broker URLs.
impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match gcclient::Config::try_from(self.clone()) {
            Ok(cfg) => cfg.fmt(f),
            // A value out of range: show the setting names only, never values
            // that could hold a password.
            Err(_) => f.write_str("ClientConfig { <invalid: see validate()> }"),
        }
    }
}

/// The core's defaults for one broker URL.
#[uniffi::export]
pub fn default_config(broker: String) -> ClientConfig {
    gcclient::Config::new(broker).into()
}

/// A config from TOML text (the same keys as the record's fields).
#[uniffi::export]
pub fn config_from_toml(text: String) -> Result<ClientConfig, GcError> {
    Ok(gcclient::Config::from_toml_str(&text)?.into())
}

/// Defaults overridden by the `GCCLIENT_*` environment variables.
#[uniffi::export]
pub fn config_from_env() -> Result<ClientConfig, GcError> {
    Ok(gcclient::Config::from_env()?.into())
}

/// Checks a config without connecting; the error names the setting.
#[uniffi::export]
pub fn validate_config(config: ClientConfig) -> Result<(), GcError> {
    Ok(gcclient::Config::try_from(config)?.validate()?)
}

#[cfg(test)]
mod tests {
    use uniffi::{Lift, Lower, RustBuffer};

    use super::*;

    #[test]
    fn a_passcode_crosses_as_a_handle_never_as_its_text() {
        let mut config = default_config("tcp://127.0.0.1:61613".into());
        config.broker_passcode = Some(Secret::new("hunter2"));
        assert!(!format!("{config:?}").contains("hunter2"));
        let bytes = <ClientConfig as Lower<crate::UniFfiTag>>::lower_into_rust_buffer(config)
            .destroy_into_vec();
        assert!(
            !bytes.windows(7).any(|w| w == b"hunter2"),
            "the passcode's text crossed the FFI"
        );
        let back = <ClientConfig as Lift<crate::UniFfiTag>>::try_lift_from_rust_buffer(
            RustBuffer::from_vec(bytes),
        )
        .unwrap();
        assert_eq!(back.broker_passcode.unwrap().expose(), "hunter2");
    }
}
