#!/usr/bin/env bash
# The Python package: builds the wheel with maturin (from PyPI) in a fresh
# venv, installs it there (not editable: the test imports what users get),
# builds the simulator the tests drive, and runs the pytest suite against
# the broker (GCCLIENT_TEST_STOMP) and the simulator. Examples run as tests.
set -euo pipefail
# shellcheck source=../lib/step.sh
source "$(dirname "$0")/../lib/step.sh"
need_broker

if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  sudo_=; [ "$(id -u)" = 0 ] || sudo_=sudo
  $sudo_ apt-get update -qq
  $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
fi

TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
VENV=$TARGET/python-venv
WHEELS=$(mktemp -d /tmp/gcclient-wheels.XXXXXX)
trap 'rm -rf "$WHEELS"' EXIT

python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check "maturin>=1.16,<2" "pytest>=7"

cargo build -p gcclient-sim --locked
# A debug wheel: it shares the build of `cargo test` and is fast enough for
# the tests (the benchmark builds with --release).
(cd bindings/python && "$VENV/bin/maturin" build --locked -o "$WHEELS")
"$VENV/bin/pip" install -q --disable-pip-version-check --force-reinstall "$WHEELS"/gcclient-*.whl

export GCCLIENT_SIM_BIN=$TARGET/debug/gcclient-sim
cd bindings/python
"$VENV/bin/python" -m pytest -q -p no:cacheprovider tests
