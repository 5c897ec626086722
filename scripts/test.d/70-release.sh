#!/usr/bin/env bash
# Release artifacts (docs/release.md): runs scripts/release into a scratch
# dist and checks what it built -- glibc floor (2.17) and stripping of every
# native, wheel tags (auditwheel), jar class version and its native loading
# from the jar, the .nupkg layout, the C tarball used through pkg-config,
# the binaries -- then the multi-platform packaging with stand-in natives,
# then a classic packages.config project consuming the .nupkg with xbuild.
# Needs no broker. Runs on its own from the repo root.
#   GCCLIENT_RELEASE_DIST=DIR   check an already built dist instead
set -euo pipefail
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT"
type log >/dev/null 2>&1 || log() { printf '\n=== %s\n' "$*"; }
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
WORK=$(mktemp -d /tmp/gcclient-release-test.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

if [ -n "${GCCLIENT_RELEASE_DIST:-}" ]; then
  DIST=$(cd "$GCCLIENT_RELEASE_DIST" && pwd)
else
  DIST=$TARGET/release-test-dist
  log "scripts/release (into $DIST)"
  start=$SECONDS
  scripts/release --out "$DIST"
  echo "scripts/release took $((SECONDS - start)) s"
fi
export PATH=$TARGET/release-venv/bin:$PATH
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)

failed=0 passed=0
tally() { # COUNT_FAILED: from check.py's exit status
  if [ "$1" -gt 0 ]; then failed=$((failed + $1)); fi
}

log "checks on the artifacts"
rc=0; python3 scripts/release.d/check.py "$DIST" | tee "$WORK/check.out" || rc=$?
tally "$rc"
log "multi-platform packaging with stand-in natives"
rc=0; python3 scripts/release.d/check.py merge "$DIST" | tee -a "$WORK/check.out" || rc=$?
tally "$rc"
passed=$(grep -c '^PASS' "$WORK/check.out" || true)

log ".nupkg consumed by a classic packages.config project (xbuild, Mono)"
consume() { # NAME SOURCE_DIR -> builds WORK/NAME; its output in WORK/NAME/build.out
  local dir=$WORK/$1
  mkdir -p "$dir"
  for f in Consumer.csproj packages.config Program.cs; do
    sed "s/@VERSION@/$VERSION/g" "scripts/release.d/nuget-consumer/$f" > "$dir/$f"
  done
  (cd "$dir" && nuget install packages.config -OutputDirectory packages -Source "$2" -NonInteractive > restore.out 2>&1) \
    || { cat "$dir/restore.out"; return 1; }
  (cd "$dir" && xbuild /nologo /v:minimal Consumer.csproj > build.out 2>&1)
}
result() { # OK NAME DETAIL
  if [ "$1" = 0 ]; then echo "PASS  $2: $3"; passed=$((passed + 1)); else echo "FAIL  $2: $3"; failed=$((failed + 1)); fi
}
ok=0
if consume full "$DIST"; then
  out=$(cd "$WORK/full/bin" && mono Consumer.exe 2>&1) || ok=1
  ls "$WORK/full/bin" > "$WORK/full/bin.txt"
  grep -qx GcClient.dll "$WORK/full/bin.txt" && grep -qx libgcclient_native.so "$WORK/full/bin.txt" || ok=1
  [ "$out" = "GcClient native $VERSION" ] || ok=1
  result $ok "packages.config project builds and runs" "bin/: $(tr '\n' ' ' < "$WORK/full/bin.txt"); $out"
else
  cat "$WORK/full/build.out"
  result 1 "packages.config project builds and runs" "xbuild failed"
fi

# A package without this platform's native: the consumer's build must stop
# with the package's own message, not a failed copy.
mkdir -p "$WORK/win-only/natives/win-x64" "$WORK/win-only/feed" "$WORK/win-only/bin"
echo "stand-in" > "$WORK/win-only/natives/win-x64/gcclient.dll"
unzip -q -o -j "$DIST/GcClient.$VERSION.nupkg" lib/net462/GcClient.dll lib/net462/GcClient.xml -d "$WORK/win-only/bin"
bindings/dotnet/pack.sh "$WORK/win-only/feed" "$WORK/win-only/bin" "$WORK/win-only/natives" "$VERSION" 2> "$WORK/win-only/pack.err" >/dev/null
ok=0
grep -q "NOTE: no native library for linux-x64" "$WORK/win-only/pack.err" || ok=1
if consume missing "$WORK/win-only/feed"; then ok=1; fi
grep -q "GcClient $VERSION has no native library for linux-x64" "$WORK/missing/build.out" || ok=1
if grep -qi "cannot copy\|MSB3030" "$WORK/missing/build.out"; then ok=1; fi
result $ok "package without this platform's native: clear message at pack and build time" \
  "$(grep -o 'error[^:]*: GcClient [^(]*' "$WORK/missing/build.out" | head -1)"
[ $ok = 0 ] || cat "$WORK/win-only/pack.err" "$WORK/missing/build.out"

echo
echo "release: $passed passed, $failed failed"
[ "$failed" = 0 ]
