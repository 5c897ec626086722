#!/usr/bin/env bash
# Smoke run of the benchmarks (scripts/bench --quick): tiny counts, debug
# build, no broker restart, output to a temporary directory (docs/ is left
# alone). It checks that every contender produced figures, so the bench
# cannot rot; the figures themselves mean nothing here.
set -euo pipefail
# shellcheck source=../lib/step.sh
source "$(dirname "$0")/../lib/step.sh"
need_broker
OUT=$(mktemp -d /tmp/gcclient-bench-smoke.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
# The gcclient Python and Kotlin rows need release builds of the bindings;
# their own suites (30-python, the Kotlin Maven tests) cover them.
GCCLIENT_BENCH_PY=0 GCCLIENT_BENCH_KOTLIN=0 scripts/bench --quick --out-dir "$OUT"
md="$OUT/benchmarks.md"
fail=0
expect() {
  if ! grep -Eq "$1" "$md"; then
    echo "60-bench-smoke: missing in benchmarks.md: $2" >&2
    fail=1
  fi
}
num='\| [0-9]+ \| [0-9]+ \| [0-9]+ \| [0-9]+ \|'
expect "^\| raw STOMP floor .* $num" "raw floor round trip"
expect "^\| gcclient \(Rust\) $num [0-9.]+ \|" "gcclient (Rust) round trip"
expect "^\| stomp\.py [^|]* $num" "stomp.py round trip"
if [ -f tests/jms-peer/target/jms-peer.jar ]; then
  expect "^\| Java JMS [^|]* $num" "Java JMS round trip"
fi
expect "^\| gcclient \(Rust\): decoded events \| [0-9]+ \| [0-9.]+ \|" "gcclient event throughput"
expect "^\| 10 \| [0-9]+ \| [0-9]+ \| [0-9.]+ \|" "scale row for 10 agents"
expect "Re-login storm: .*\*\*[0-9]+ ms\*\*.*\(0 failed\)" "re-login storm"
[ -s "$OUT/benchmarks.png" ] || { echo "60-bench-smoke: no plot" >&2; fail=1; }
if [ "$fail" != 0 ]; then
  cat "$md" >&2
  exit 1
fi
echo "60-bench-smoke: ok"
