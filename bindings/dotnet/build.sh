#!/usr/bin/env bash
# Builds the C# binding with Mono's mcs (C# 7.2, .NET Framework 4.6.2
# reference assemblies) -- the same sources the SDK-style GcClient.csproj
# builds with the dotnet SDK.
#
#   bindings/dotnet/build.sh [OUT_DIR]       (default bindings/dotnet/bin)
#
# Produces OUT_DIR/GcClient.dll (+ .pdb/.mdb), and, when NUnit 2.6 is
# installed, OUT_DIR/GcClient.Tests.dll and OUT_DIR/ExitWithLiveClient.exe;
# plus the examples (examples/dotnet) and the benchmark.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=${1:-$HERE/bin}
mkdir -p "$OUT"

API=/usr/lib/mono/4.6.2-api
[ -d "$API" ] || { echo "build.sh: $API missing (apt-get install mono-complete)" >&2; exit 1; }
# -nostdlib + the 4.6.2 reference assemblies: using an API newer than
# .NET Framework 4.6.2 is a compile error, as it would be for USD.
MCS=(mcs -langversion:7.2 -noconfig -nostdlib -lib:"$API" -lib:"$API/Facades"
     -r:mscorlib.dll -r:System.dll -r:System.Core.dll -debug -optimize+ -define:TRACE -warnaserror+)

# The version of the package (the workspace's, as the native library's);
# the dotnet SDK writes the same attributes from GcClient.csproj.
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -1)
cat > "$OUT/AssemblyInfo.g.cs" <<EOF
[assembly: System.Reflection.AssemblyVersion("${VERSION%%-*}.0")]
[assembly: System.Reflection.AssemblyFileVersion("${VERSION%%-*}.0")]
[assembly: System.Reflection.AssemblyInformationalVersion("$VERSION")]
[assembly: System.Reflection.AssemblyProduct("gcclient")]
[assembly: System.Reflection.AssemblyTitle("GcClient")]
[assembly: System.Runtime.Versioning.TargetFramework(".NETFramework,Version=v4.6.2", FrameworkDisplayName = ".NET Framework 4.6.2")]
EOF

"${MCS[@]}" -target:library -out:"$OUT/GcClient.dll" -doc:"$OUT/GcClient.xml" -recurse:"$HERE/src/*.cs" "$OUT/AssemblyInfo.g.cs"

NUNIT=$(ls /usr/lib/cli/nunit.framework-2.6*/nunit.framework.dll 2>/dev/null | head -1 || true)
if [ -n "$NUNIT" ]; then
  cp "$NUNIT" "$OUT/"
  "${MCS[@]}" -target:library -out:"$OUT/GcClient.Tests.dll" -r:"$OUT/GcClient.dll" -r:"$NUNIT" \
    "$HERE"/tests/TestEnv.cs "$HERE"/tests/*Tests.cs
  "${MCS[@]}" -target:exe -out:"$OUT/ExitWithLiveClient.exe" -r:"$OUT/GcClient.dll" "$HERE/tests/ExitWithLiveClient.cs"
fi

"${MCS[@]}" -target:exe -out:"$OUT/GcBench.exe" -r:"$OUT/GcClient.dll" "$HERE/bench/GcBench.cs"

EX=$ROOT/examples/dotnet
if [ -d "$EX/UsdCtiAdapter" ]; then
  "${MCS[@]}" -target:exe -out:"$OUT/UsdCtiAdapter.exe" -r:"$OUT/GcClient.dll" -recurse:"$EX/UsdCtiAdapter/*.cs"
  "${MCS[@]}" -target:exe -out:"$OUT/ConsoleAgent.exe" -r:"$OUT/GcClient.dll" "$EX/ConsoleAgent/Program.cs"
fi
echo "built into $OUT"
