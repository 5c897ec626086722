#!/usr/bin/env bash
# The .NET binding (bindings/dotnet): installs Mono and NUnit 2.6 from
# Debian if missing, builds libgcclient and the scripted GC peer, builds the
# C# library, tests and examples with mcs (C# 7.2, .NET Framework 4.6.2 API),
# runs the NUnit tests against the broker and the peer, then the two
# examples. The simulator tests start gcclient-sim themselves.
# GCCLIENT_DOTNET_BENCH=1 also runs the benchmark.
set -euo pipefail
# shellcheck source=../lib/step.sh
source "$(dirname "$0")/../lib/step.sh"
# shellcheck source=../lib/ffi-gc-peer.sh
source "$ROOT/scripts/lib/ffi-gc-peer.sh"
need_broker

if ! command -v mcs >/dev/null || ! command -v nunit-console >/dev/null || [ ! -d /usr/lib/mono/4.6.2-api ]; then
  sudo_=; [ "$(id -u)" = 0 ] || sudo_=sudo
  $sudo_ apt-get update -qq
  $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mono-complete libnunit-cil-dev nunit-console >/dev/null
fi

cargo build -p gcclient-ffi --lib --examples --locked
cargo build -p gcclient-sim --bin gcclient-sim --locked
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
LIBDIR=$TARGET/debug
WORK=$(mktemp -d /tmp/gcclient-dotnet.XXXXXX)
PEER_PID=
cleanup() {
  [ -n "$PEER_PID" ] && kill "$PEER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

log "build C# (mcs -langversion:7.2 against the .NET Framework 4.6.2 API)"
bindings/dotnet/build.sh "$WORK/bin"

QUEUE=Connector1-dotnet-$$
start_ffi_gc_peer "$QUEUE" "$WORK"

export GCCLIENT_TEST_QUEUE=$QUEUE
export GCCLIENT_TEST_SIM=$LIBDIR/gcclient-sim
# DllImport("gcclient_native"): the name the NuGet package gives libgcclient.so.
mkdir -p "$WORK/native"
ln -s "$LIBDIR/libgcclient.so" "$WORK/native/libgcclient_native.so"
export LD_LIBRARY_PATH=$WORK/native:$LIBDIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}

log "NUnit tests on Mono (broker + scripted GC peer + gcclient-sim)"
# nunit-console's exit code is the number of failed tests.
(cd "$WORK" && nunit-console -nologo -labels -xml="$WORK/TestResult.xml" "$WORK/bin/GcClient.Tests.dll") > "$WORK/nunit.out" 2>&1 \
  || { cat "$WORK/nunit.out"; exit 1; }
grep -E '^(storm|pool|cancel|dispose|context|close|exit \([a-z-]*\)|held):|^Tests run:' "$WORK/nunit.out"
grep -q 'Not run: 0, Invalid: 0, Ignored: 0, Skipped: 0' "$WORK/nunit.out" \
  || { echo "some .NET tests did not run"; cat "$WORK/nunit.out"; exit 1; }

log "examples/dotnet: console agent and USD-style CTI adapter"
mono "$WORK/bin/ConsoleAgent.exe" "tcp://$GCCLIENT_TEST_STOMP" "$QUEUE" 1001 secret 5001 > "$WORK/console.out" 2>&1 \
  || { cat "$WORK/console.out"; exit 1; }
grep -q '^answered D[0-9]*: ACTIVE' "$WORK/console.out" && grep -q '^released D[0-9]*: DROP' "$WORK/console.out" \
  || { echo "ConsoleAgent did not answer the call"; cat "$WORK/console.out"; exit 1; }
echo "ConsoleAgent: call answered and released"
mono "$WORK/bin/UsdCtiAdapter.exe" "tcp://$GCCLIENT_TEST_STOMP" "$QUEUE" 1002 secret 5001 > "$WORK/usd.out" 2>&1 \
  || { cat "$WORK/usd.out"; exit 1; }
# Every line the adapter shows must come from its UI thread.
if grep -q '^\[other\]' "$WORK/usd.out" || ! grep -q '^\[ui\] call state: D[0-9]* Connected' "$WORK/usd.out" \
   || ! grep -q '^\[ui\] call state: D[0-9]* Dropped' "$WORK/usd.out"; then
  echo "UsdCtiAdapter: unexpected output"; cat "$WORK/usd.out"; exit 1
fi
echo "UsdCtiAdapter: $(grep -c '^\[ui\]' "$WORK/usd.out") UI-thread updates, call connected and dropped"

if [ "${GCCLIENT_DOTNET_BENCH:-0}" = 1 ]; then
  log "benchmark (C#)"
  mono "$WORK/bin/GcBench.exe" "tcp://$GCCLIENT_TEST_STOMP" "$QUEUE" 20000 2000
fi
