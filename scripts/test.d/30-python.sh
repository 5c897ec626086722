#!/usr/bin/env bash
# The Python package: in a fresh venv, runs the install commands of
# docs/python.md as documented (a debug build instead of --release: it
# shares the build of `cargo test`), so the documented install is tested;
# builds the simulator the tests drive, and runs the pytest suite against
# the broker (GCCLIENT_TEST_STOMP) and the simulator. Examples, the docs'
# code blocks and mypy --strict run as tests.
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
python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check "pytest>=7" "mypy>=1.8"

# The documented commands, between the install markers of docs/python.md.
install=$(awk '/<!-- install:begin/{f=1; next} /<!-- install:end/{f=0} f' docs/python.md |
  grep -v '^```')
[ -n "$install" ] || { echo "30-python.sh: no install block in docs/python.md" >&2; exit 1; }
rm -f "$TARGET"/wheels/gcclient-*.whl
(
  export PATH="$VENV/bin:$PATH" VIRTUAL_ENV="$VENV" CARGO_TARGET_DIR="$TARGET"
  echo "$install" | sed -e 's/ --release//' \
    -e 's|^pip install \(.*\.whl\)$|pip install -q --disable-pip-version-check --force-reinstall \1|' \
    -e "s|\.\./\.\./target/|$TARGET/|" \
    -e 's|^pip install maturin$|pip install -q --disable-pip-version-check "maturin>=1.16,<2"|' |
    while IFS= read -r cmd; do
      echo "+ $cmd"
      case "$cmd" in
        cd\ *) cd "${cmd#cd }" ;;
        maturin\ build*) $cmd --locked ;;
        *) eval "$cmd" ;;
      esac
    done
)

cargo build -p gcclient-sim --locked
export GCCLIENT_SIM_BIN=$TARGET/debug/gcclient-sim
cd bindings/python
"$VENV/bin/python" -m pytest -q -p no:cacheprovider tests
