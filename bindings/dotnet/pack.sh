#!/usr/bin/env bash
# Packs GcClient.nupkg with the classic nuget CLI (Debian's `nuget`, or
# nuget.exe on Windows) from build.sh's output and native libraries:
#
#   bindings/dotnet/pack.sh OUT_DIR BUILD_DIR LINUX_LIB_DIR [WINDOWS_LIB_DIR]
#
# BUILD_DIR holds GcClient.dll/.xml (build.sh), LINUX_LIB_DIR libgcclient.so
# (cargo build --release -p gcclient-ffi), WINDOWS_LIB_DIR gcclient.dll
# (built on Windows, see docs/dotnet.md; optional).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$1 BUILD=$2 LINUX=$3 WINDOWS=${4:-}
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/bin" "$STAGE/native" "$STAGE/build"
cp "$BUILD/GcClient.dll" "$BUILD/GcClient.xml" "$STAGE/bin/"
cp "$LINUX/libgcclient.so" "$STAGE/native/"
cp "$HERE/build/GcClient.targets" "$STAGE/build/"
cp "$HERE/GcClient.nuspec" "$STAGE/"
if [ -n "$WINDOWS" ]; then
  mkdir -p "$STAGE/win"
  cp "$WINDOWS/gcclient.dll" "$STAGE/win/"
  sed -i 's|  </files>|    <file src="win/gcclient.dll" target="runtimes/win-x64/native/" />\n  </files>|' "$STAGE/GcClient.nuspec"
fi
mkdir -p "$OUT"
(cd "$STAGE" && nuget pack GcClient.nuspec -OutputDirectory "$(cd "$OUT" && pwd)" -Properties "bin=bin;native=native" -NoPackageAnalysis)
