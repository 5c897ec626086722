# Sourced by scripts/test.d steps that need the scripted GC peer of the C
# ABI tests (ffi/examples/gc_peer.rs): starts it on queue $1, its output in
# $2/peer.out, sets PEER_PID, and returns once it prints `ready`.
start_ffi_gc_peer() {
  local queue=$1 work=$2
  "$LIBDIR/examples/ffi-gc-peer" --stomp "$GCCLIENT_TEST_STOMP" --queue "$queue" > "$work/peer.out" 2>&1 &
  PEER_PID=$!
  for _ in $(seq 300); do
    grep -q '^ready$' "$work/peer.out" && return 0
    kill -0 "$PEER_PID" 2>/dev/null || { cat "$work/peer.out"; exit 1; }
    sleep 0.1
  done
  echo "GC peer not ready"
  cat "$work/peer.out"
  exit 1
}

# Steps run on their own (not from scripts/test) have no `log` yet.
type log >/dev/null 2>&1 || log() { printf '\n=== %s\n' "$*"; }
