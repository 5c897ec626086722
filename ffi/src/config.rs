//! Client configuration from C: a struct of the common settings, or a
//! whole `gcclient_core::Config` as TOML or JSON text.

use std::ffi::c_char;

use gcclient_core::protocol::Secret;
use gcclient_core::Config;

use crate::entry::Failure;
use crate::text::opt_arg;

/// The common settings. NULL strings and zero numbers mean "the default"
/// (see `docs/ffi.md`); everything else is reachable through
/// `gc_client_connect_toml` / `gc_client_connect_json`.
#[repr(C)]
pub struct gc_config {
    /// Comma-separated broker URLs (`tcp://host:61613`, `ssl://host:61614`),
    /// tried in order. Required.
    pub brokers: *const c_char,
    pub broker_login: *const c_char,
    pub broker_passcode: *const c_char,
    /// GC's command queue; default `Connector1`.
    pub queue: *const c_char,
    /// This client's topic; default `gcclient.<host>.<uuid>`.
    pub destination: *const c_char,
    /// PEM file of CA certificates for `ssl://` brokers.
    pub tls_ca_file: *const c_char,
    /// How long a request waits for its reply; default 10000.
    pub request_timeout_ms: u32,
    /// How long connecting waits for the first broker; default 10000.
    pub connect_timeout_ms: u32,
    /// JMS time-to-live of a command; default 10000.
    pub command_ttl_ms: u32,
    /// Notifications buffered for the callback before the oldest are
    /// dropped; default 4096.
    pub event_buffer: u32,
}

pub(crate) fn from_struct(c: &gc_config) -> Result<Config, Failure> {
    let brokers =
        opt_arg(c.brokers, "config.brokers")?.ok_or_else(|| Failure::null("config.brokers"))?;
    let mut cfg = Config {
        brokers: brokers
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        ..Config::default()
    };
    cfg.broker_login = opt_arg(c.broker_login, "config.broker_login")?.map(str::to_owned);
    cfg.broker_passcode = opt_arg(c.broker_passcode, "config.broker_passcode")?.map(Secret::new);
    if let Some(q) = opt_arg(c.queue, "config.queue")? {
        cfg.queue = q.to_owned();
    }
    cfg.destination = opt_arg(c.destination, "config.destination")?.map(str::to_owned);
    cfg.tls_ca_file = opt_arg(c.tls_ca_file, "config.tls_ca_file")?.map(Into::into);
    let set = |v: u32, target: &mut u64| {
        if v != 0 {
            *target = u64::from(v);
        }
    };
    set(c.request_timeout_ms, &mut cfg.request_timeout_ms);
    set(c.connect_timeout_ms, &mut cfg.connect_timeout_ms);
    set(c.command_ttl_ms, &mut cfg.command_ttl_ms);
    if c.event_buffer != 0 {
        cfg.event_buffer = c.event_buffer as usize;
    }
    cfg.validate()?;
    Ok(cfg)
}

pub(crate) fn from_json(text: &str) -> Result<Config, Failure> {
    let cfg: Config = serde_json::from_str(text)
        .map_err(|e| Failure::from(gcclient_core::Error::Config(e.to_string())))?;
    cfg.validate()?;
    Ok(cfg)
}
