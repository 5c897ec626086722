#!/usr/bin/env bash
# The javadoc jar of the JVM package: Dokka's HTML for the Kotlin API
# (bindings/kotlin's own and the uniffi-generated Kotlin), in a jar.
#
#   scripts/release.d/javadoc.sh KOTLIN_DIR SOURCES_DIR OUT_JAR
#
# SOURCES_DIR holds both sets of sources (scripts/release copies them).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$2" && pwd) OUT=$3
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$1/pom.xml" | head -1)
build=$(mktemp -d /tmp/gcclient-javadoc.XXXXXX)
trap 'rm -rf "$build"' EXIT
mvn -q -B -ntp -f "$HERE/javadoc/pom.xml" -Dgcclient.out="$build/dokka" \
  -Dgcclient.src="$SRC" -Dgcclient.version="$version" dokka:dokka 2>&1 |
  sed -u 's/\x1b\[[0-9;]*m//g' | { grep -v '^$' || true; }
[ -f "$build/dokka/index.html" ] || { echo "javadoc.sh: Dokka wrote no index.html" >&2; exit 1; }
jar --create --file "$OUT" -C "$build/dokka" .
