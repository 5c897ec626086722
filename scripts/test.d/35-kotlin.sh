#!/usr/bin/env bash
# The Kotlin/JVM package: Maven builds the gcclient-uniffi cdylib (dev),
# generates its Kotlin and the public API over it, packs the library into
# the jar, runs the JUnit tests against the broker and the simulator, and
# installs the jar (with -sources and -javadoc) into ~/.m2. Then: every class
# in the jar must be Java 8 (major 52); a plain-Java module compiled with
# `--release 8` runs a call flow against the jar; no Kotlin daemon may be
# left behind; the Kotlin and Java CRM adapter examples each pop a screen.
set -euo pipefail
# shellcheck source=../lib/step.sh
source "$(dirname "$0")/../lib/step.sh"
need_broker

if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then
  sudo_=; [ "$(id -u)" = 0 ] || sudo_=sudo
  $sudo_ apt-get update -qq
  $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven openjdk-17-jdk-headless >/dev/null
fi

# Debian's Maven 3.8 prints colour resets even in batch mode: strip them.
mvnq() { mvn -q -B -ntp "$@" 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g'; }
WORK=$(mktemp -d /tmp/gcclient-kotlin.XXXXXX)
SIM_PID= EX_PID=
cleanup() {
  [ -n "$EX_PID" ] && kill "$EX_PID" 2>/dev/null || true
  [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Surefire prints nothing under -q: sum its reports into one closing line.
junit_summary() {
  local dir=$1
  cat "$dir"/TEST-*.xml | grep -o '<testsuite [^>]*>' | awk '
    { for (i = 1; i <= NF; i++) if (split($i, kv, "=") == 2) { gsub(/"/, "", kv[2]); n[kv[1]] += kv[2] } }
    END {
      failed = n["failures"] + n["errors"]
      printf "JUnit: %d passed, %d failed, %d skipped\n", n["tests"] - failed - n["skipped"], failed, n["skipped"]
      exit failed > 0 || n["tests"] == 0
    }'
}

log "Kotlin/JVM: build, JUnit tests (broker + simulator), install"
start=$SECONDS
# A dev build of the native library: it shares the build of the Python step
# (a release build of every dependency cost CI minutes); scripts/release
# ships release builds.
if ! mvnq -f bindings/kotlin/pom.xml install -Dcargo.profile=dev; then
  junit_summary bindings/kotlin/target/surefire-reports || true
  exit 1
fi
junit_summary bindings/kotlin/target/surefire-reports
jar=bindings/kotlin/target/gcclient-0.1.0.jar
echo "$jar: $(jar tf "$jar" | grep libgcclient_uniffi), $(du -h "$jar" | cut -f1); $((SECONDS - start)) s"
for extra in sources javadoc; do
  [ -s "bindings/kotlin/target/gcclient-0.1.0-$extra.jar" ] || { echo "no -$extra jar"; exit 1; }
done

log "Kotlin/JVM: class versions in the jar, manifest, no compile daemon"
python3 - "$jar" <<'PY'
import sys, zipfile, collections
jar = zipfile.ZipFile(sys.argv[1])
majors = collections.Counter()
for name in jar.namelist():
    if name.endswith(".class"):
        head = jar.read(name)[:8]
        assert head[:4] == b"\xca\xfe\xba\xbe", name
        majors[int.from_bytes(head[6:8], "big")] += 1
manifest = jar.read("META-INF/MANIFEST.MF").decode()
assert "Automatic-Module-Name: io.gcclient" in manifest, manifest
print(f"class major versions: {dict(majors)}")
sys.exit(0 if set(majors) == {52} else 1)
PY
if pgrep -f KotlinCompileDaemon >/dev/null; then
  echo "a Kotlin compile daemon is running after the build:"; pgrep -af KotlinCompileDaemon; exit 1
fi
echo "no Kotlin compile daemon running"

log "Kotlin/JVM: a plain-Java 8 project (--release 8) against the jar, full call flow"
if ! mvnq -f bindings/kotlin/java8-test/pom.xml test -Dgcclient.sim="$(cat bindings/kotlin/target/gcclient-sim.path)"; then
  junit_summary bindings/kotlin/java8-test/target/surefire-reports || true
  exit 1
fi
junit_summary bindings/kotlin/java8-test/target/surefire-reports

log "Kotlin and Java CRM adapter examples against the simulator"
SIM=$(cat bindings/kotlin/target/gcclient-sim.path)
mvnq -f examples/kotlin/pom.xml package
mvnq -f examples/java/pom.xml package

wait_for() { # FILE PATTERN SECONDS PID
  for _ in $(seq $(($3 * 10))); do
    grep -q "$2" "$1" && return 0
    kill -0 "$4" 2>/dev/null || break
    sleep 0.1
  done
  grep -q "$2" "$1" || { echo "no \`$2\` in $1:"; cat "$1"; return 1; }
}

for lang in kotlin java; do
  queue=Connector1-example-$lang-$$
  mkfifo "$WORK/sim.in.$lang"
  "$SIM" --broker "tcp://$GCCLIENT_TEST_STOMP" --queue "$queue" \
    < "$WORK/sim.in.$lang" > "$WORK/sim.out" 2> "$WORK/sim.err" &
  SIM_PID=$!
  exec 3> "$WORK/sim.in.$lang"
  wait_for "$WORK/sim.err" "serving queue" 30 "$SIM_PID"

  mvnq -f "examples/$lang/pom.xml" exec:java \
    -Dexec.args="tcp://$GCCLIENT_TEST_STOMP $queue 1001 1234 5001 1" > "$WORK/example.out" 2>&1 &
  EX_PID=$!
  wait_for "$WORK/example.out" "^ready:" 120 "$EX_PID"
  echo "offer 1001 5551234 callVariable1=Zoe BAAccountNumber=42" >&3
  wait_for "$WORK/example.out" "customer: Zoë Ünal (account 42, Gold)" 30 "$EX_PID"
  wait "$EX_PID" || { echo "the $lang example failed:"; cat "$WORK/example.out"; exit 1; }
  EX_PID=
  grep -q "^SCREEN POP dialog .* from 5551234" "$WORK/example.out" \
    || { echo "no screen pop:"; cat "$WORK/example.out"; exit 1; }
  echo "examples/$lang:"
  sed 's/^/  /' "$WORK/example.out"

  echo quit >&3
  exec 3>&-
  wait "$SIM_PID" || true
  SIM_PID=
done

# The examples compile Kotlin too: nothing may outlive the step.
if pgrep -f KotlinCompileDaemon >/dev/null; then
  echo "a Kotlin compile daemon is still running after the examples:"; pgrep -af KotlinCompileDaemon | cut -c1-200; exit 1
fi
echo "no Kotlin compile daemon left running"
