//! Shared by the bench binaries: latency statistics and a table printer.

use std::time::Duration;

/// p50/p99/max of a set of samples.
#[derive(Debug, Clone, Copy)]
pub struct Stats {
    pub n: usize,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
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

/// A markdown row: name, n, p50, p99, max (µs) and the p50 ratio to `floor`.
pub fn row(name: &str, s: &Stats, floor: Option<&Stats>) -> String {
    let ratio = floor
        .map(|f| format!("{:.2}", s.p50.as_secs_f64() / f.p50.as_secs_f64()))
        .unwrap_or_else(|| "1.00".into());
    format!(
        "| {name} | {} | {} | {} | {} | {ratio} |",
        s.n,
        us(s.p50),
        us(s.p99),
        us(s.max)
    )
}

pub const HEADER: &str =
    "| client | requests | p50 µs | p99 µs | max µs | p50 / floor |\n|---|---|---|---|---|---|";
