//! Codec throughput on a mixed corpus: every event form of the guide (one
//! sample each, see `protocol::tables::EVENT_FORMS`) and every command.
//! Criterion reports elements per second; the target is at least 1,000,000
//! events decoded per second on one core.
//!
//! Each benchmark runs twice: `*_wall` in wall-clock time (criterion's
//! default) and `*_cpu` in the benchmark thread's own CPU time, which is the
//! "per core" figure and stays meaningful when other work shares the
//! machine (CI runners, a busy laptop).

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use gcclient::protocol::tables::EVENT_FORMS;
use gcclient::protocol::{Command, CommandKind, Event, ParseOptions, WireNames};

/// CPU time of the calling thread, in nanoseconds.
struct ThreadCpuTime;

fn thread_cpu_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

static WALL: WallTime = WallTime;

impl Measurement for ThreadCpuTime {
    type Intermediate = u64;
    type Value = u64;

    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns().saturating_sub(start)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, v: &u64) -> f64 {
        *v as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        // Nanoseconds, like wall time: reuse its formatting.
        WALL.formatter()
    }
}

fn corpus() -> Vec<&'static str> {
    EVENT_FORMS.iter().map(|f| f.sample).collect()
}

fn decode<M: Measurement>(c: &mut Criterion<M>, group_name: &str) {
    let bodies = corpus();
    let mut group = c.benchmark_group(group_name);
    group.throughput(Throughput::Elements(bodies.len() as u64));
    group.bench_function("mixed_events", |b| {
        b.iter(|| {
            for body in &bodies {
                black_box(Event::parse(black_box(body)));
            }
        })
    });
    let opts = ParseOptions {
        hash_token: Some("%23".into()),
        ..Default::default()
    };
    group.bench_function("mixed_events_with_hash_token", |b| {
        b.iter(|| {
            for body in &bodies {
                black_box(Event::parse_with(black_box(body), &opts));
            }
        })
    });
    let state = "1001#State#NOT_READY#7#2025-01-31 14:30:00#READY#1738333800000#Zoë Ünal#1001#5001#Lunch#Zoë Ünal#zunal";
    group.throughput(Throughput::Elements(1));
    group.bench_function("agent_state", |b| {
        b.iter(|| black_box(Event::parse(black_box(state))))
    });
    group.finish();
}

fn encode<M: Measurement>(c: &mut Criterion<M>, group_name: &str) {
    let commands: Vec<Command> = CommandKind::ALL
        .iter()
        .map(|k| Command::example(*k))
        .collect();
    let names = WireNames::default();
    let mut group = c.benchmark_group(group_name);
    group.throughput(Throughput::Elements(commands.len() as u64));
    group.bench_function("all_commands", |b| {
        b.iter(|| {
            for cmd in &commands {
                black_box(cmd.encode(black_box("1001"), &names).ok());
            }
        })
    });
    group.finish();
}

fn wall(c: &mut Criterion) {
    decode(c, "decode_wall");
    encode(c, "encode_wall");
}

fn cpu(c: &mut Criterion<ThreadCpuTime>) {
    decode(c, "decode_cpu");
    encode(c, "encode_cpu");
}

criterion_group!(wall_benches, wall);
criterion_group! {
    name = cpu_benches;
    config = Criterion::default().with_measurement(ThreadCpuTime);
    targets = cpu
}
criterion_main!(wall_benches, cpu_benches);
