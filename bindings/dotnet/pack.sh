#!/usr/bin/env bash
# Packs GcClient.<version>.nupkg with the classic nuget CLI (Debian's
# `nuget`, or nuget.exe on Windows) from build.sh's output and the native
# libraries of one or more platforms:
#
#   bindings/dotnet/pack.sh OUT_DIR BUILD_DIR NATIVES_DIR [VERSION]
#
# BUILD_DIR holds GcClient.dll/.xml (build.sh). NATIVES_DIR has one folder
# per .NET runtime id with the C-ABI library as cargo names it there:
#   linux-x64/libgcclient.so  linux-arm64/libgcclient.so
#   osx-x64/libgcclient.dylib  osx-arm64/libgcclient.dylib  win-x64/gcclient.dll
# VERSION defaults to the workspace version (Cargo.toml).
# (The older form `pack.sh OUT BUILD LINUX_LIB_DIR [WINDOWS_LIB_DIR]`, with
# libgcclient.so / gcclient.dll directly in those folders, still works.)
#
# In the package the native library is called gcclient_native
# (runtimes/win-x64/native/gcclient_native.dll, .../libgcclient_native.so):
# `gcclient.dll` would be the same file name as the managed GcClient.dll on
# NTFS, and copying both into one output folder would overwrite one.
# build/net462/GcClient.targets is written here to name only the native
# files this package holds; a platform without one is reported now and,
# for a .NET Framework build on it, by a build error that says so.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 3 ] || { echo "usage: $0 OUT_DIR BUILD_DIR NATIVES_DIR [VERSION]" >&2; exit 2; }
OUT=$1 BUILD=$2 NATIVES=$3
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT

if [ -f "$NATIVES/libgcclient.so" ]; then # the older form
  legacy=$STAGE/legacy-natives
  mkdir -p "$legacy/linux-x64"
  ln -s "$(cd "$NATIVES" && pwd)/libgcclient.so" "$legacy/linux-x64/"
  if [ -n "${4:-}" ]; then
    mkdir -p "$legacy/win-x64"
    ln -s "$(cd "$4" && pwd)/gcclient.dll" "$legacy/win-x64/"
  fi
  NATIVES=$legacy VERSION=
else
  VERSION=${4:-}
fi
[ -n "$VERSION" ] || VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' "$HERE/../../Cargo.toml" | head -1)

# rid -> the file cargo builds, the file in the package
cargo_name() { case $1 in win-*) echo gcclient.dll ;; osx-*) echo libgcclient.dylib ;; *) echo libgcclient.so ;; esac; }
package_name() { case $1 in win-*) echo gcclient_native.dll ;; osx-*) echo libgcclient_native.dylib ;; *) echo libgcclient_native.so ;; esac; }
RIDS=(win-x64 linux-x64 linux-arm64 osx-x64 osx-arm64)

mkdir -p "$STAGE/bin" "$STAGE/build"
cp "$BUILD/GcClient.dll" "$BUILD/GcClient.xml" "$STAGE/bin/"
files= have=() missing=()
for rid in "${RIDS[@]}"; do
  src=$NATIVES/$rid/$(cargo_name "$rid")
  if [ -f "$src" ]; then
    mkdir -p "$STAGE/runtimes/$rid/native"
    cp -L "$src" "$STAGE/runtimes/$rid/native/$(package_name "$rid")"
    files+="    <file src=\"runtimes/$rid/native/$(package_name "$rid")\" target=\"runtimes/$rid/native/\" />\n"
    have+=("$rid")
  else
    missing+=("$rid")
  fi
done
[ ${#have[@]} -gt 0 ] || { echo "pack.sh: no native library under $NATIVES (expected e.g. linux-x64/libgcclient.so)" >&2; exit 1; }
if [ ${#missing[@]} -gt 0 ]; then
  echo "pack.sh: NOTE: no native library for ${missing[*]}; the package will not run there" \
       "(a .NET Framework build on Windows fails with a message when win-x64 is missing)" >&2
fi

# The .NET Framework part of the targets file: copy the native library
# next to the output (classic projects do not read runtimes/ themselves).
has() { local r; for r in "${have[@]}"; do [ "$r" = "$1" ] && return 0; done; return 1; }
native_item() { # RID CONDITION
  cat <<EOF
  <ItemGroup Condition="'\$(TargetFrameworkIdentifier)' == '.NETFramework' And $2">
    <None Include="\$(MSBuildThisFileDirectory)..\\..\\runtimes\\$1\\native\\$(package_name "$1")">
      <Link>$(package_name "$1")</Link>
      <CopyToOutputDirectory>PreserveNewest</CopyToOutputDirectory>
      <Visible>false</Visible>
    </None>
  </ItemGroup>
EOF
}
missing_check() { # RID CONDITION
  cat <<EOF
  <PropertyGroup Condition="'\$(TargetFrameworkIdentifier)' == '.NETFramework' And $2">
    <BuildDependsOn>GcClientNativeMissing;\$(BuildDependsOn)</BuildDependsOn>
  </PropertyGroup>
  <Target Name="GcClientNativeMissing">
    <Error Text="GcClient $VERSION has no native library for $1 (runtimes/$1/native/$(package_name "$1")): this package was packed without that platform's build. Use the package built by the release workflow (docs/release.md), or pack one with bindings/dotnet/pack.sh and a $1 library." />
  </Target>
EOF
}
{
  win="'\$(OS)' == 'Windows_NT'" unix="'\$(OS)' != 'Windows_NT'"
  if has win-x64; then native_item win-x64 "$win"; else missing_check win-x64 "$win"; fi
  # Mono on Linux x64 (the tests here) builds .NET Framework projects too.
  if has linux-x64; then native_item linux-x64 "$unix"; else missing_check linux-x64 "$unix"; fi
} > "$STAGE/native.xml"
sed -e "/<!-- native libraries: written by pack.sh -->/r $STAGE/native.xml" \
    -e "/<!-- native libraries: written by pack.sh -->/d" "$HERE/build/GcClient.targets" > "$STAGE/build/GcClient.targets"
sed -e "s|    <!-- native libraries: written by pack.sh -->|$files|" "$HERE/GcClient.nuspec" > "$STAGE/GcClient.nuspec"

mkdir -p "$OUT"
(cd "$STAGE" && nuget pack GcClient.nuspec -OutputDirectory "$(cd "$OUT" && pwd)" \
  -Properties "bin=bin;version=$VERSION" -NoPackageAnalysis -NonInteractive) >&2
echo "$OUT/GcClient.$VERSION.nupkg (natives: ${have[*]})"
