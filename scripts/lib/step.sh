# Sourced first by every scripts/test.d step, so that a step runs the same
# on its own (`bash scripts/test.d/40-dotnet.sh` from anywhere) as under
# scripts/test: sets ROOT (the repository) when the caller did not, defines
# `log`, and changes to ROOT.
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
export ROOT
type log >/dev/null 2>&1 || log() { printf '\n=== %s\n' "$*"; }
cd "$ROOT"

# A step that talks to a broker calls this. Under scripts/test the broker is
# already there (GCCLIENT_TEST_STOMP); on its own the step starts a private
# one on GCCLIENT_STOMP_PORT / GCCLIENT_OPENWIRE_PORT (default 61613 / 61616,
# as scripts/test; activemq.sh refuses ports already taken), stopped and
# removed when the step's shell exits.
need_broker() {
  [ -n "${GCCLIENT_TEST_STOMP:-}" ] && return 0
  local stomp=${GCCLIENT_STOMP_PORT:-61613} ow=${GCCLIENT_OPENWIRE_PORT:-61616} dir
  dir=$(mktemp -d /tmp/gcclient-step-broker.XXXXXX)
  log "private broker for $(basename "$0") (stomp $stomp, openwire $ow)"
  "$ROOT/scripts/activemq.sh" start --dir "$dir" --stomp "$stomp" --openwire "$ow" --watch-pid $$ --rm-on-exit
  export GCCLIENT_TEST_STOMP=127.0.0.1:$stomp GCCLIENT_TEST_OPENWIRE=127.0.0.1:$ow
}
