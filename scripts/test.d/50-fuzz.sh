#!/usr/bin/env bash
# Fuzzing: runs each cargo-fuzz target of fuzz/ (event parser, STOMP frame
# decoder, config parser) for a bounded time from the seed corpus in
# fuzz/seeds/. Any crash or failed property fails the build; the crashing
# input is printed (and kept under $CARGO_TARGET_DIR/fuzz-artifacts/).
#
# GCCLIENT_FUZZ_SECS: seconds of one core per target (default 60).
set -euo pipefail
# shellcheck source=../lib/step.sh
source "$(dirname "$0")/../lib/step.sh"
SECS=${GCCLIENT_FUZZ_SECS:-60}

if ! command -v cargo-fuzz >/dev/null; then
  cargo install cargo-fuzz --locked
fi

# cargo-fuzz passes nightly-only compiler flags. A nightly toolchain is used
# when installed; otherwise stable is told to accept them (RUSTC_BOOTSTRAP),
# which is fine for a test build that is never shipped.
toolchain=()
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  toolchain=(+nightly)
else
  export RUSTC_BOOTSTRAP=1
fi

TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
WORK=$(mktemp -d /tmp/gcclient-fuzz.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
# gcclient has no `unsafe`, so AddressSanitizer would only slow the search
# down (-s none); debug assertions (-a) turn integer overflow into a crash.
flags=(-a -s none --fuzz-dir fuzz --target-dir "$TARGET/fuzz")
cargo "${toolchain[@]}" fuzz build "${flags[@]}"

# The targets run side by side, one process each: on N cores, T targets of
# SECS each get T*SECS/N seconds of wall time, so each still gets about
# SECS seconds of a core (as run one after the other) in less wall time.
targets=$(cargo "${toolchain[@]}" fuzz list --fuzz-dir fuzz)
count=$(echo "$targets" | wc -w)
cores=$(nproc)
[ "$cores" -lt "$count" ] || cores=$count
wall=$(( (SECS * count + cores - 1) / cores ))
declare -A pids
for t in $targets; do
  mkdir -p "$WORK/$t" "$TARGET/fuzz-artifacts"
  echo "fuzzing $t for ${wall} s (about ${SECS} s of one core; $count targets on $cores cores)"
  # -max_len: GC events and frames are far shorter; shorter inputs search faster.
  cargo "${toolchain[@]}" fuzz run "${flags[@]}" "$t" "$WORK/$t" "fuzz/seeds/$t" -- \
    -max_total_time="$wall" -max_len=4096 -print_final_stats=1 \
    -artifact_prefix="$TARGET/fuzz-artifacts/$t-" >"$WORK/$t.log" 2>&1 &
  pids[$t]=$!
done
failed=0
for t in $targets; do
  if ! wait "${pids[$t]}"; then
    tail -n 60 "$WORK/$t.log"
    echo "fuzz target $t failed; input in $TARGET/fuzz-artifacts/" >&2
    failed=1
  fi
  echo "$t:"
  grep -E '^Done|stat::number_of_executed_units' "$WORK/$t.log" || true
done
exit $failed
