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
# The binding rows run on what the bindings' own steps built (30-python's
# wheel, 35-kotlin's jar; C# is built here with mcs, it takes seconds);
# without it, a row says "not measured" and is not expected below.
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
WHEEL=$(ls "$TARGET"/wheels/gcclient-*.whl 2>/dev/null | head -1 || true)
KJAR=bindings/kotlin/target/gcclient-0.1.0.jar
have_py=0 have_kt=0 have_cs=0
if [ -n "$WHEEL" ]; then
  export GCCLIENT_BENCH_PY_WHEEL=$WHEEL; have_py=1
else
  export GCCLIENT_BENCH_PY=0
  echo "60-bench-smoke: no gcclient wheel in $TARGET/wheels (30-python builds it): Python binding rows skipped"
fi
if [ -f "$KJAR" ] && command -v mvn >/dev/null; then
  have_kt=1
else
  export GCCLIENT_BENCH_KOTLIN=0
  echo "60-bench-smoke: no $KJAR (35-kotlin builds it) or no Maven: Kotlin/Java binding rows skipped"
fi
if command -v mono >/dev/null && command -v mcs >/dev/null && [ -d /usr/lib/mono/4.6.2-api ]; then
  have_cs=1
else
  echo "60-bench-smoke: no Mono (mono-complete): C# rows skipped"
fi
scripts/bench --quick --out-dir "$OUT"
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
if [ "$have_py" = 1 ]; then
  expect "^\| gcclient [^|]*\(Python, asyncio\) $num" "Python asyncio round trip"
  expect "^\| gcclient [^|]*\(Python, sync[^|]*\) $num" "Python sync round trip"
  expect "^\| gcclient \(Python\): .on_notification. callback \| [0-9]+ \|" "Python events"
fi
if [ "$have_kt" = 1 ]; then
  expect "^\| gcclient \(Kotlin, suspend[^|]*\) $num" "Kotlin suspend round trip"
  expect "^\| gcclient \(Java, blocking[^|]*\) $num" "Java blocking round trip"
  expect "^\| gcclient \(Java, CompletableFuture[^|]*\) $num" "Java CompletableFuture round trip"
  expect "^\| gcclient \(Kotlin/JVM\): listener callback \| [0-9]+ \|" "JVM events"
fi
if [ "$have_cs" = 1 ]; then
  expect "^\| gcclient \(C#, Mono[^|]*\) $num" "C# round trip"
  expect "^\| gcclient \(C#, Mono\): .EventReceived. handler \| [0-9]+ \|" "C# events"
fi
expect "^## Goals: every binding" "goal table"
expect "^\| 10 \| [0-9]+ \| [0-9]+ \| [0-9.]+ \|" "scale row for 10 agents"
expect "Re-login storm: .*\*\*[0-9]+ ms\*\*.*\(0 failed\)" "re-login storm"
[ -s "$OUT/benchmarks.png" ] || { echo "60-bench-smoke: no plot" >&2; fail=1; }
if [ "$fail" != 0 ]; then
  cat "$md" >&2
  exit 1
fi
echo "60-bench-smoke: ok"
