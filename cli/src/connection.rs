//! Broker options shared by `listen` and `send`.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use gcclient::Config;

#[derive(Args, Debug, Clone)]
pub struct ConnectionArgs {
    /// Broker URL, e.g. tcp://amq:61613 or ssl://amq:61614 (repeat for
    /// failover). Default: $GCCLIENT_BROKERS, else tcp://127.0.0.1:61613.
    #[arg(long = "broker", value_name = "URL")]
    pub brokers: Vec<String>,
    /// Client configuration file (TOML, the fields of gcclient::Config).
    /// Without it, GCCLIENT_* environment variables apply.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// GC's command queue (default Connector1).
    #[arg(long)]
    pub queue: Option<String>,
    /// This client's topic (default gcclient.<host>.<uuid>).
    #[arg(long)]
    pub destination: Option<String>,
    /// Override a command's wire name, e.g. get_phonebooks=getPhoneBooks.
    #[arg(long = "wire-name", value_name = "API=WIRE")]
    pub wire_names: Vec<String>,
    /// Token GC sends in place of `#` inside event fields, if any.
    #[arg(long)]
    pub hash_token: Option<String>,
    /// How long to try the broker list before giving up.
    #[arg(long, value_name = "MS")]
    pub connect_timeout_ms: Option<u64>,
}

impl ConnectionArgs {
    pub fn config(&self) -> anyhow::Result<Config> {
        let mut cfg = match &self.config {
            Some(path) => Config::from_toml_file(path)?,
            None => Config::from_env().context("GCCLIENT_* environment variables")?,
        };
        if !self.brokers.is_empty() {
            cfg.brokers = self.brokers.clone();
        }
        if let Some(q) = &self.queue {
            cfg.queue = q.clone();
        }
        if let Some(d) = &self.destination {
            cfg.destination = Some(d.clone());
        }
        if let Some(t) = &self.hash_token {
            cfg.hash_token = Some(check_hash_token(t)?.to_owned());
        }
        if let Some(ms) = self.connect_timeout_ms {
            cfg.connect_timeout_ms = ms;
        }
        for pair in &self.wire_names {
            let (api, wire) = split_wire_name(pair)?;
            cfg.wire_names.insert(api.to_owned(), wire.to_owned());
        }
        cfg.validate()?;
        Ok(cfg)
    }
}

pub fn split_wire_name(pair: &str) -> anyhow::Result<(&str, &str)> {
    pair.split_once('=')
        .with_context(|| format!("--wire-name `{pair}`: expected API=WIRE"))
}

/// Fields are split on `#` before the token is replaced, so a token that
/// holds `#` itself could never match.
pub fn check_hash_token(token: &str) -> anyhow::Result<&str> {
    if token.is_empty() || token.contains('#') {
        anyhow::bail!("--hash-token `{token}`: must be non-empty and contain no `#`");
    }
    Ok(token)
}
