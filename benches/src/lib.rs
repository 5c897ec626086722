//! Shared by the bench binaries: latency statistics, the machine's state
//! (load, RSS), the raw STOMP pieces and the Rust round-trip runners.

use std::time::Duration;

pub mod peer;
pub mod raw;
pub mod roundtrip;

/// p50/p99/max of a set of samples.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Stats {
    pub n: usize,
    #[serde(serialize_with = "as_us")]
    pub p50: Duration,
    #[serde(serialize_with = "as_us")]
    pub p99: Duration,
    #[serde(serialize_with = "as_us")]
    pub max: Duration,
}

fn as_us<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64() * 1e6)
}

impl Stats {
    pub fn of(samples: &mut [Duration]) -> Stats {
        assert!(!samples.is_empty(), "no samples");
        samples.sort();
        let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
        Stats {
            n: samples.len(),
            p50: at(0.50),
            p99: at(0.99),
            max: *samples.last().unwrap(),
        }
    }
}

pub fn us(d: Duration) -> String {
    format!("{:.0}", d.as_secs_f64() * 1e6)
}

/// The 1/5/15-minute load averages (the machine is shared; numbers without
/// them mean little).
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

/// (VmRSS, VmHWM) of this process in KiB.
pub fn rss_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}
