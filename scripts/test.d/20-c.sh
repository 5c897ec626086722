#!/usr/bin/env bash
# The C ABI: builds libgcclient (cdylib + staticlib) and the scripted GC
# peer, runs the C tests against the broker (shared and static builds, the
# shared one under valgrind), installs into a temporary prefix and builds
# and runs examples/c with pkg-config and with CMake find_package.
set -euo pipefail
# shellcheck source=../lib/step.sh
source "$(dirname "$0")/../lib/step.sh"
# shellcheck source=../lib/ffi-gc-peer.sh
source "$ROOT/scripts/lib/ffi-gc-peer.sh"
need_broker

need=()
for tool in gcc make cmake pkg-config valgrind; do
  command -v "$tool" >/dev/null || need+=("$tool")
done
if [ ${#need[@]} -gt 0 ]; then
  pkgs=("${need[@]/gcc/build-essential}")
  sudo_=; [ "$(id -u)" = 0 ] || sudo_=sudo
  $sudo_ apt-get update -qq
  $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi

cargo build -p gcclient-ffi --lib --examples --locked
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
LIBDIR=$TARGET/debug
WORK=$(mktemp -d /tmp/gcclient-c.XXXXXX)
PEER_PID=
cleanup() {
  [ -n "$PEER_PID" ] && kill "$PEER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# The scripted GC peer on a queue of its own.
QUEUE=Connector1-c-$$
start_ffi_gc_peer "$QUEUE" "$WORK"
export GCCLIENT_TEST_QUEUE=$QUEUE

log "C tests (gcc -Wall -Werror; shared and static library)"
make -s -C tests/c clean all LIBDIR="$LIBDIR"
tests/c/test_ffi_shared
tests/c/test_ffi_static
log "C tests of the asynchronous commands (1,000 silent commands pending, cancel, nowait close/free)"
tests/c/test_async

log "C tests under valgrind"
# Threads of the library's runtime are alive at exit, so their TLS shows as
# "possibly lost"; real leaks are "definitely"/"indirectly" lost.
GCCLIENT_TEST_BURST=200 valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
  --error-exitcode=99 tests/c/test_ffi_shared > "$WORK/valgrind.out" 2>&1 \
  || { cat "$WORK/valgrind.out"; exit 1; }
grep -h "checks passed" "$WORK/valgrind.out"
GCCLIENT_TEST_PENDING=200 valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
  --error-exitcode=99 tests/c/test_async > "$WORK/valgrind-async.out" 2>&1 \
  || { cat "$WORK/valgrind-async.out"; exit 1; }
grep -h "checks passed" "$WORK/valgrind-async.out"

log "install, then build examples/c with pkg-config and CMake"
PREFIX=$WORK/prefix
scripts/install-c.sh "$PREFIX" --libdir "$LIBDIR"
cp examples/c/agent_desktop.c examples/c/Makefile examples/c/CMakeLists.txt "$WORK/"
PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig make -s -C "$WORK" agent_desktop
cmake -S "$WORK" -B "$WORK/build" -DCMAKE_PREFIX_PATH="$PREFIX" -DCMAKE_BUILD_TYPE=Debug > /dev/null
cmake --build "$WORK/build" > /dev/null

for exe in "$WORK/agent_desktop" "$WORK/build/agent_desktop" "$WORK/build/agent_desktop_static"; do
  "$exe" "tcp://$GCCLIENT_TEST_STOMP" "$QUEUE" 1001 secret 5001 > "$WORK/desk.out" 2>&1 \
    || { cat "$WORK/desk.out"; exit 1; }
  grep -q '^answered D' "$WORK/desk.out" && grep -q '^released D' "$WORK/desk.out" \
    || { echo "$exe did not answer the call"; cat "$WORK/desk.out"; exit 1; }
  echo "$(basename "$exe"): $(grep -c '^event:' "$WORK/desk.out") events, call answered and released"
done
