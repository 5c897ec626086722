#!/usr/bin/env bash
# Called by Maven (exec-maven-plugin), from bindings/kotlin:
#   build-native.sh lib OUT PROFILE   builds the gcclient-uniffi cdylib, generates
#                                     its Kotlin into OUT/generated-sources/uniffi,
#                                     (one call status per thread:
#                                     codegen/reuse_call_status.py; the call
#                                     status and RustBuffer read and written
#                                     directly: codegen/direct_structures.py),
#                                     the public API over it (codegen/public_api.py)
#                                     into OUT/generated-sources/api and copies
#                                     the library to
#                                     OUT/native/<jna-prefix>/ (packed into the jar)
#   build-native.sh sim OUT PROFILE   builds the gcclient-sim binary for the tests
#                                     and writes its path to OUT/gcclient-sim.path
# PROFILE is a cargo profile: dev (default) or release.
set -euo pipefail
what=$1 out=$2 profile=${3:-dev}
mkdir -p "$out"
out=$(cd "$out" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"

# The target directory honours CARGO_TARGET_DIR and .cargo/config.
target=$(cargo metadata --format-version 1 --no-deps | grep -o '"target_directory":"[^"]*"' | cut -d'"' -f4)
case $profile in dev) dir=debug ;; *) dir=$profile ;; esac
bin=$target/$dir

case $what in
lib)
  cargo build -q -p gcclient-uniffi --profile "$profile" --features bindgen --lib --bin uniffi-bindgen
  case "$(uname -s)" in
    Linux) os=linux ext=so ;;
    Darwin) os=darwin ext=dylib ;;
    *) echo "build-native.sh: unsupported OS $(uname -s)" >&2; exit 1 ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x86-64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) echo "build-native.sh: unsupported CPU $(uname -m)" >&2; exit 1 ;;
  esac
  lib=$bin/libgcclient_uniffi.$ext
  gen=$out/generated-sources/uniffi
  rm -rf "$gen"
  "$bin/uniffi-bindgen" generate --no-format --language kotlin --config "$here/uniffi.toml" \
    --out-dir "$gen" "$lib"
  python3 "$here/codegen/reuse_call_status.py" "$gen/io/gcclient/internal/gcclient.kt" \
    "$gen/io/gcclient/internal/core/gcclient_core.kt"
  python3 "$here/codegen/direct_structures.py" "$gen/io/gcclient/internal/gcclient.kt" \
    "$gen/io/gcclient/internal/core/gcclient_core.kt"
  rm -rf "$out/generated-sources/api"
  python3 "$here/codegen/public_api.py" "$gen/io/gcclient/internal/gcclient.kt" \
    "$gen/io/gcclient/internal/core/gcclient_core.kt" "$out/generated-sources/api"
  # JNA looks for the library on the class path under its platform prefix.
  mkdir -p "$out/native/$os-$arch"
  dest=$out/native/$os-$arch/$(basename "$lib")
  # Debug info is most of a dev build (~140 MB); JNA extracts the library
  # from the jar at every start, so the jar carries it stripped.
  if [ "$os" = linux ] && command -v strip >/dev/null; then
    strip --strip-debug -o "$dest" "$lib"
  else
    cp "$lib" "$dest"
  fi
  ;;
sim)
  cargo build -q -p gcclient-sim --profile "$profile" --bin gcclient-sim
  printf '%s\n' "$bin/gcclient-sim" > "$out/gcclient-sim.path"
  ;;
*)
  echo "usage: build-native.sh lib|sim OUT [PROFILE]" >&2
  exit 2
  ;;
esac
