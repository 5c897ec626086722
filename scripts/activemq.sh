#!/usr/bin/env bash
# A private ActiveMQ broker for tests: Debian's `activemq` package, started
# directly with java (no service manager, no system instance), one directory
# per broker, loopback only. Starts in about 1 s, stops in well under 1 s.
#
#   scripts/activemq.sh install
#   scripts/activemq.sh start --dir D --stomp PORT --openwire PORT
#                             [--ssl-port PORT --keystore FILE --keystore-password X
#                              [--keystore-type pkcs12|jks]]
#                             [--user U --password X] [--persistent]
#                             [--watch-pid PID [--rm-on-exit]]
#   scripts/activemq.sh stop   --dir D      # TERM, then KILL after 10 s
#   scripts/activemq.sh kill   --dir D      # KILL now (a crashed broker)
#   scripts/activemq.sh status --dir D      # exit 0 if running
#   scripts/activemq.sh keystore --out DIR [--keystore-password X]
#                             # DIR/broker.p12 (PKCS#12, default password
#                             # changeit; CN=localhost, SAN localhost and
#                             # 127.0.0.1) signed by a fresh CA: DIR/ca.pem.
#                             # Does nothing if DIR already has them.
#
# start:
# - writes D/conf/activemq.xml (from the template below) and D/conf/log4j.properties,
#   runs java in the background; its pid is in D/pid, its output in D/log;
# - returns once every port of the broker is listening (owned by that java
#   process, not by someone else's), or fails after ACTIVEMQ_START_TIMEOUT
#   seconds (default 30), or as soon as java exits, printing the end of D/log;
# - refuses ports that something else already listens on;
# - is idempotent: on a broker that is already running from D with the same
#   configuration it does nothing; with another configuration it restarts it;
# - installs the package first if it is missing (`install`);
# - `--ssl-port` adds a `stomp+ssl` connector using the keystore;
#   `--user/--password` turn on simpleAuthenticationPlugin (every connector then
#   needs that login, anonymous access is refused);
#   `--persistent` keeps persistent messages in KahaDB under D/data across
#   restarts (default: in memory only, faster);
# - `--watch-pid PID` leaves a watchdog that stops the broker when process PID
#   exits (for test processes that cannot stop it themselves); with
#   `--rm-on-exit` the watchdog also deletes D afterwards.
# stop and kill are no-ops when the broker is not running; both also end the
# watchdog.
#
# Environment: ACTIVEMQ_HOME (default /usr/share/activemq), ACTIVEMQ_JAVA (the
# java command; default $JAVA_HOME/bin/java, else java), ACTIVEMQ_XMX (default
# 384m), ACTIVEMQ_JAVA_OPTS (more JVM options, split at spaces; e.g.
# -XX:TieredStopAtLevel=1 starts ~30% faster but runs slower),
# ACTIVEMQ_START_TIMEOUT (seconds, default 30).
set -euo pipefail
# Bash 5.2: `&` in a ${x//pat/rep} replacement would mean the match.
shopt -u patsub_replacement 2>/dev/null || true

SELF=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
AMQ_HOME=${ACTIVEMQ_HOME:-/usr/share/activemq}
AMQ_JAR=$AMQ_HOME/bin/activemq.jar
XMX=${ACTIVEMQ_XMX:-384m}
START_TIMEOUT=${ACTIVEMQ_START_TIMEOUT:-30}
STOP_TIMEOUT=10

die() {
  echo "activemq.sh: $*" >&2
  exit 1
}

# Exit code 3: a port is taken (the caller may retry with other ports).
die_port() {
  echo "activemq.sh: $*" >&2
  exit 3
}

usage() {
  sed -n '2,/^set -euo/p' "$SELF" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

# ---------------------------------------------------------------- helpers

java_cmd() {
  if [ -n "${ACTIVEMQ_JAVA:-}" ]; then
    echo "$ACTIVEMQ_JAVA"
  elif [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    echo "$JAVA_HOME/bin/java"
  else
    echo java
  fi
}

as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif [ -t 0 ]; then
    sudo "$@"
  else
    sudo -n "$@"
  fi
}

xml_escape() {
  local s=$1
  s=${s//&/&amp;}
  s=${s//</&lt;}
  s=${s//>/&gt;}
  s=${s//\"/&quot;}
  s=${s//\'/&apos;}
  printf '%s' "$s"
}

is_port() {
  [[ $1 =~ ^[0-9]+$ ]] && [ "$1" -ge 1 ] && [ "$1" -le 65535 ]
}

# Does something accept TCP connections on 127.0.0.1:$1?
port_accepts() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The socket inodes listening on TCP port $1 (IPv4 or IPv6, any address).
listening_inodes() {
  local hex
  hex=$(printf '%04X' "$1")
  cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
    awk -v p=":$hex" '$4 == "0A" && substr($2, length($2) - 4) == p { print $10 }'
}

# Is TCP port $2 listened on by process $1? ("yes", "other", or "no")
port_owner() {
  local pid=$1 port=$2 inodes ino fds
  inodes=$(listening_inodes "$port")
  [ -n "$inodes" ] || { echo no; return; }
  fds=$(ls -l "/proc/$pid/fd" 2>/dev/null || true)
  for ino in $inodes; do
    if [[ $fds == *"socket:[$ino]"* ]]; then
      echo yes
      return
    fi
  done
  echo other
}

# The pid of the broker started from $DIR if it is running, else nothing.
broker_pid() {
  local pid cmdline
  [ -f "$DIR/pid" ] || return 0
  pid=$(cat "$DIR/pid" 2>/dev/null || true)
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  # A zombie has an empty cmdline, and a recycled pid another one.
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
  if [[ $cmdline == *"-Dactivemq.base=$DIR "* ]]; then
    echo "$pid"
  fi
}

# Is process $1 alive? A zombie counts as alive while any of its threads is
# still exiting: the JVM's main thread turns zombie first, and its sockets are
# closed only when the last thread is gone.
alive() {
  local stat tasks
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ] && return 0
  tasks=("/proc/$1/task/"*)
  [ "${#tasks[@]}" -gt 1 ]
}

# The start time of process $1 (field 22 of /proc/PID/stat), to tell it from
# a later process with the same pid.
proc_start() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  stat=${stat##*) }
  set -- $stat
  echo "${20}"
}

# Waits until process $1 is gone (see alive), at most $2 seconds. (Not "until
# its cmdline is empty": that happens while it is still closing its sockets.)
wait_gone() {
  local pid=$1 deadline=$((SECONDS + $2)) start
  start=$(proc_start "$pid")
  while alive "$pid" && [ "$(proc_start "$pid")" = "$start" ]; do
    [ $SECONDS -lt "$deadline" ] || return 1
    sleep 0.02
  done
}

stop_watchdog() {
  local wpid
  [ -f "$DIR/watchdog.pid" ] || return 0
  wpid=$(cat "$DIR/watchdog.pid" 2>/dev/null || true)
  rm -f "$DIR/watchdog.pid"
  # The watchdog itself calls `stop`; it must not kill itself.
  [ "${GCCLIENT_AMQ_WATCHDOG:-}" = "$DIR" ] && return 0
  [[ $wpid =~ ^[0-9]+$ ]] || return 0
  # It runs in its own process group (setsid): end its `tail` too.
  if tr '\0' ' ' <"/proc/$wpid/cmdline" 2>/dev/null | grep -q 'gcclient-amq-watchdog'; then
    kill -TERM -- "-$wpid" 2>/dev/null || kill -TERM "$wpid" 2>/dev/null || true
  fi
}

# The log of the last start.
last_start_log() {
  awk '/^==== / { n = NR } { a[NR] = $0 } END { for (i = n; i <= NR; i++) print a[i] }' "$DIR/log" 2>/dev/null || true
}

# What went wrong in the last start: its error lines, then its last lines.
log_tail() {
  local this_start
  this_start=$(last_start_log)
  {
    echo "---- errors in $DIR/log:"
    grep -E 'ERROR|Caused by|Exception:' <<<"$this_start" | grep -vE '^[[:space:]]+at ' | head -n 8 || true
    echo "---- last lines of $DIR/log:"
    grep -vE '^[[:space:]]+at ' <<<"$this_start" | tail -n 15 || true
    echo "----"
  } >&2
}

# Did the last start fail because a port was taken?
log_says_port_taken() {
  last_start_log | grep -q 'BindException'
}

parse_dir() {
  [ -n "${DIR:-}" ] || die "--dir is required"
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd)
}

# ---------------------------------------------------------------- config

# The broker configuration: activemq-minimal.xml.in of the project's notes,
# with placeholders for the optional parts. Elements inside <broker> are in
# alphabetical order, as ActiveMQ's schema wants.
TEMPLATE='<beans xmlns="http://www.springframework.org/schema/beans"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.springframework.org/schema/beans http://www.springframework.org/schema/beans/spring-beans-2.0.xsd
  http://activemq.apache.org/schema/core http://activemq.apache.org/schema/core/activemq-core.xsd">
  <broker xmlns="http://activemq.apache.org/schema/core" useJmx="false" brokerName="acceptance" dataDirectory="@DATA@" persistent="@PERSISTENT@">
@PERSISTENCE@@PLUGINS@@SSLCONTEXT@    <systemUsage>
      <systemUsage>
        <memoryUsage><memoryUsage percentOfJvmHeap="70"/></memoryUsage>
        <storeUsage><storeUsage limit="1 gb"/></storeUsage>
        <tempUsage><tempUsage limit="1 gb"/></tempUsage>
      </systemUsage>
    </systemUsage>
    <transportConnectors>
      <transportConnector name="openwire" uri="tcp://127.0.0.1:@OW@?transport.tcpNoDelay=true"/>
      <transportConnector name="stomp" uri="stomp://127.0.0.1:@STOMP@?transport.tcpNoDelay=true"/>
@SSLCONNECTOR@    </transportConnectors>
  </broker>
</beans>
'

LOG4J='log4j.rootLogger=INFO, console
log4j.logger.org.springframework=WARN
log4j.logger.org.apache.xbean=WARN
log4j.appender.console=org.apache.log4j.ConsoleAppender
log4j.appender.console.layout=org.apache.log4j.PatternLayout
log4j.appender.console.layout.ConversionPattern=%d{HH:mm:ss.SSS} %5p | %m%n
'

render_config() {
  local x=$TEMPLATE persistence="" plugins="" sslcontext="" sslconnector=""
  if [ "$PERSISTENT" = true ]; then
    persistence="    <persistenceAdapter>
      <kahaDB directory=\"$(xml_escape "$DIR/data/kahadb")\"/>
    </persistenceAdapter>
"
  fi
  if [ -n "$USER_NAME" ]; then
    plugins="    <plugins>
      <simpleAuthenticationPlugin anonymousAccessAllowed=\"false\">
        <users>
          <authenticationUser username=\"$(xml_escape "$USER_NAME")\" password=\"$(xml_escape "$USER_PASSWORD")\" groups=\"users,admins\"/>
        </users>
      </simpleAuthenticationPlugin>
    </plugins>
"
  fi
  if [ -n "$SSL_PORT" ]; then
    sslcontext="    <sslContext>
      <sslContext keyStore=\"$(xml_escape "$KEYSTORE")\" keyStorePassword=\"$(xml_escape "$KEYSTORE_PASSWORD")\" keyStoreType=\"$(xml_escape "$KEYSTORE_TYPE")\"/>
    </sslContext>
"
    sslconnector="      <transportConnector name=\"stomp+ssl\" uri=\"stomp+ssl://127.0.0.1:$SSL_PORT?transport.tcpNoDelay=true\"/>
"
  fi
  x=${x//@DATA@/$(xml_escape "$DIR/data")}
  x=${x//@PERSISTENT@/$PERSISTENT}
  x=${x//@OW@/$OW_PORT}
  x=${x//@STOMP@/$STOMP_PORT}
  x=${x//@PERSISTENCE@/$persistence}
  x=${x//@PLUGINS@/$plugins}
  x=${x//@SSLCONTEXT@/$sslcontext}
  x=${x//@SSLCONNECTOR@/$sslconnector}
  printf '%s' "$x"
}

# ---------------------------------------------------------------- commands

cmd_install() {
  [ -f "$AMQ_JAR" ] && return 0
  echo "activemq.sh: installing Debian's activemq package ..." >&2
  command -v apt-get >/dev/null || die "$AMQ_JAR is missing and there is no apt-get"
  # Test processes may call this at the same time: one installs, the others wait.
  local lock=/tmp/gcclient-activemq-install.lock
  (
    flock -w 900 9 || die "timed out waiting for $lock"
    [ -f "$AMQ_JAR" ] && exit 0
    export DEBIAN_FRONTEND=noninteractive
    local apt=(apt-get -y -q -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
    if ! as_root env DEBIAN_FRONTEND=noninteractive "${apt[@]}" install activemq >/tmp/gcclient-activemq-install.log 2>&1; then
      # A clean machine may have no package lists yet.
      as_root env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600 update >>/tmp/gcclient-activemq-install.log 2>&1 || true
      if ! as_root env DEBIAN_FRONTEND=noninteractive "${apt[@]}" install activemq >>/tmp/gcclient-activemq-install.log 2>&1; then
        tail -n 30 /tmp/gcclient-activemq-install.log >&2
        die "apt-get install activemq failed (log: /tmp/gcclient-activemq-install.log)"
      fi
    fi
  ) 9>"$lock"
  [ -f "$AMQ_JAR" ] || die "activemq installed but $AMQ_JAR is missing"
}

cmd_start() {
  local t0=$EPOCHREALTIME
  parse_dir
  is_port "$STOMP_PORT" || die "--stomp PORT is required"
  is_port "$OW_PORT" || die "--openwire PORT is required"
  if [ -n "$SSL_PORT$KEYSTORE$KEYSTORE_PASSWORD" ]; then
    is_port "$SSL_PORT" || die "--ssl-port PORT is required with --keystore"
    [ -n "$KEYSTORE" ] || die "--keystore FILE is required with --ssl-port"
    [ -f "$KEYSTORE" ] || die "keystore $KEYSTORE not found"
    [ -n "$KEYSTORE_PASSWORD" ] || die "--keystore-password is required with --ssl-port"
    KEYSTORE=$(cd "$(dirname "$KEYSTORE")" && pwd)/$(basename "$KEYSTORE")
    if [ -z "$KEYSTORE_TYPE" ]; then
      case "$KEYSTORE" in
      *.jks | *.keystore) KEYSTORE_TYPE=jks ;;
      *) KEYSTORE_TYPE=pkcs12 ;;
      esac
    fi
  fi
  if [ -n "$USER_NAME$USER_PASSWORD" ]; then
    [ -n "$USER_NAME" ] && [ -n "$USER_PASSWORD" ] || die "--user and --password go together"
  fi
  local ports=("$STOMP_PORT" "$OW_PORT")
  [ -n "$SSL_PORT" ] && ports+=("$SSL_PORT")
  [ "$(printf '%s\n' "${ports[@]}" | sort -u | wc -l)" = "${#ports[@]}" ] || die "ports must differ: ${ports[*]}"

  cmd_install

  mkdir -p "$DIR/conf" "$DIR/data"
  local config pid
  config=$(render_config)
  pid=$(broker_pid)
  if [ -n "$pid" ]; then
    if [ "$config" = "$(cat "$DIR/conf/activemq.xml" 2>/dev/null)" ]; then
      echo "activemq.sh: already running (pid $pid) from $DIR" >&2
      start_watchdog
      return 0
    fi
    echo "activemq.sh: restarting the broker in $DIR with a new configuration" >&2
    cmd_stop
  fi

  local p
  for p in "${ports[@]}"; do
    if port_accepts "$p"; then
      die_port "port $p is already in use on 127.0.0.1"
    fi
  done

  printf '%s' "$config" >"$DIR/conf/activemq.xml"
  printf '%s' "$LOG4J" >"$DIR/conf/log4j.properties"
  printf '\n==== %s activemq.sh start: stomp %s, openwire %s%s\n' \
    "$(date '+%F %T')" "$STOMP_PORT" "$OW_PORT" "${SSL_PORT:+, stomp+ssl $SSL_PORT}" >>"$DIR/log"
  local java opts
  java=$(java_cmd)
  read -r -a opts <<<"${ACTIVEMQ_JAVA_OPTS:-}"
  (
    cd "$DIR"
    exec "$java" "-Xmx$XMX" -XX:+UseSerialGC "${opts[@]}" \
      "-Dactivemq.home=$AMQ_HOME" "-Dactivemq.base=$DIR" \
      "-Dactivemq.conf=$DIR/conf" "-Dactivemq.data=$DIR/data" \
      -jar "$AMQ_JAR" start "xbean:file:$DIR/conf/activemq.xml"
  ) </dev/null >>"$DIR/log" 2>&1 &
  pid=$!
  disown "$pid" 2>/dev/null || true
  echo "$pid" >"$DIR/pid"

  # Ready when every connector listens, owned by this java process. (Polled:
  # the kernel offers no event for "a socket of another process listens".)
  local deadline=$((SECONDS + START_TIMEOUT)) ready owner
  while :; do
    if ! alive "$pid"; then
      log_tail
      rm -f "$DIR/pid"
      if log_says_port_taken; then
        die_port "a port was taken by another process during start-up (log: $DIR/log)"
      fi
      die "the broker exited during start-up (log: $DIR/log)"
    fi
    ready=1
    for p in "${ports[@]}"; do
      owner=$(port_owner "$pid" "$p")
      if [ "$owner" = other ]; then
        kill -KILL "$pid" 2>/dev/null || true
        wait_gone "$pid" 10 || true
        rm -f "$DIR/pid"
        log_tail
        die_port "port $p was taken by another process during start-up"
      fi
      [ "$owner" = yes ] || ready=0
    done
    if [ $ready = 1 ] && port_accepts "$STOMP_PORT"; then
      break
    fi
    if [ $SECONDS -ge "$deadline" ]; then
      log_tail
      kill -KILL "$pid" 2>/dev/null || true
      wait_gone "$pid" 10 || true
      rm -f "$DIR/pid"
      die "the broker did not listen on ${ports[*]} within ${START_TIMEOUT}s (log: $DIR/log)"
    fi
    sleep 0.05
  done
  start_watchdog
  local ms
  ms=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", (b - a) * 1000 }')
  echo "activemq.sh: started pid $pid in ${ms} ms: stomp 127.0.0.1:$STOMP_PORT, openwire 127.0.0.1:$OW_PORT${SSL_PORT:+, stomp+ssl 127.0.0.1:$SSL_PORT} ($DIR)" >&2
}

start_watchdog() {
  [ -n "$WATCH_PID" ] || return 0
  stop_watchdog
  local rm_cmd=":"
  [ "$RM_ON_EXIT" = 1 ] && rm_cmd="rm -rf \"\$GCCLIENT_AMQ_WATCHDOG\""
  # Its own session (setsid), no terminal, fds to a file: it outlives this
  # script without holding the caller's pipes open.
  GCCLIENT_AMQ_WATCHDOG=$DIR setsid bash -c '
    # gcclient-amq-watchdog
    tail --pid="$1" -f /dev/null
    bash "$2" stop --dir "$GCCLIENT_AMQ_WATCHDOG"
    '"$rm_cmd"'
  ' gcclient-amq-watchdog "$WATCH_PID" "$SELF" </dev/null >>"$DIR/watchdog.log" 2>&1 &
  echo $! >"$DIR/watchdog.pid"
}

cmd_stop() {
  parse_dir
  stop_watchdog
  local pid
  pid=$(broker_pid)
  if [ -z "$pid" ]; then
    rm -f "$DIR/pid"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone "$pid" "$STOP_TIMEOUT"; then
    echo "activemq.sh: pid $pid ignored TERM for ${STOP_TIMEOUT}s, killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 10 || die "pid $pid survived KILL"
  fi
  rm -f "$DIR/pid"
}

cmd_kill() {
  parse_dir
  stop_watchdog
  local pid
  pid=$(broker_pid)
  if [ -n "$pid" ]; then
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 10 || die "pid $pid survived KILL"
  fi
  rm -f "$DIR/pid"
}

cmd_status() {
  parse_dir
  local pid
  pid=$(broker_pid)
  if [ -n "$pid" ]; then
    echo "running: pid $pid ($DIR)"
  else
    echo "not running ($DIR)"
    return 1
  fi
}

cmd_keystore() {
  [ -n "$OUT_DIR" ] || die "--out DIR is required"
  local pw=${KEYSTORE_PASSWORD:-changeit} kt
  if [ -s "$OUT_DIR/broker.p12" ] && [ -s "$OUT_DIR/ca.pem" ] && [ "$(cat "$OUT_DIR/password" 2>/dev/null)" = "$pw" ]; then
    return 0 # made before
  fi
  kt=$(command -v keytool || true)
  [ -n "$kt" ] || kt=$(dirname "$(readlink -f "$(command -v "$(java_cmd)")")")/keytool
  [ -x "$kt" ] || die "keytool not found"
  local parent tmp
  parent=$(dirname "$OUT_DIR")
  mkdir -p "$parent"
  tmp=$(mktemp -d "$parent/.keystore.XXXXXX")
  local k=("$kt" -J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC -noprompt -storetype pkcs12 -storepass "$pw" -keypass "$pw")
  {
    "${k[@]}" -genkeypair -keystore "$tmp/ca.p12" -alias ca -keyalg EC -groupname secp256r1 \
      -dname "CN=gcclient test CA" -validity 3650 -ext bc:c
    "${k[@]}" -exportcert -rfc -keystore "$tmp/ca.p12" -alias ca -file "$tmp/ca.pem"
    "${k[@]}" -genkeypair -keystore "$tmp/broker.p12" -alias broker -keyalg EC -groupname secp256r1 \
      -dname "CN=localhost" -validity 3650
    "${k[@]}" -certreq -keystore "$tmp/broker.p12" -alias broker -file "$tmp/broker.csr"
    "${k[@]}" -gencert -keystore "$tmp/ca.p12" -alias ca -infile "$tmp/broker.csr" -outfile "$tmp/broker.crt" \
      -rfc -validity 3650 -ext "SAN=dns:localhost,ip:127.0.0.1" -ext "EKU=serverAuth"
    "${k[@]}" -importcert -keystore "$tmp/broker.p12" -alias ca -file "$tmp/ca.pem"
    "${k[@]}" -importcert -keystore "$tmp/broker.p12" -alias broker -file "$tmp/broker.crt"
  } >"$tmp/keytool.log" 2>&1 || {
    cat "$tmp/keytool.log" >&2
    rm -rf "$tmp"
    die "keytool failed"
  }
  rm -f "$tmp/ca.p12" "$tmp/broker.csr" "$tmp/keytool.log"
  printf '%s' "$pw" >"$tmp/password"
  # Concurrent callers: the first complete directory wins, atomically.
  if [ -e "$OUT_DIR" ]; then
    mv -f "$tmp/ca.pem" "$tmp/broker.crt" "$tmp/broker.p12" "$tmp/password" "$OUT_DIR/"
    rm -rf "$tmp"
  elif ! mv -T "$tmp" "$OUT_DIR" 2>/dev/null; then
    rm -rf "$tmp"
  fi
  echo "activemq.sh: $OUT_DIR/broker.p12 (password $pw), CA certificate $OUT_DIR/ca.pem" >&2
}

# ---------------------------------------------------------------- main

[ $# -ge 1 ] || usage
CMD=$1
shift
DIR="" STOMP_PORT="" OW_PORT="" SSL_PORT="" KEYSTORE="" KEYSTORE_PASSWORD="" KEYSTORE_TYPE=""
USER_NAME="" USER_PASSWORD="" PERSISTENT=false WATCH_PID="" RM_ON_EXIT=0 OUT_DIR=""
while [ $# -gt 0 ]; do
  case "$1" in
  --dir) DIR=${2:?--dir needs a value}; shift 2 ;;
  --stomp) STOMP_PORT=${2:?}; shift 2 ;;
  --openwire) OW_PORT=${2:?}; shift 2 ;;
  --ssl-port) SSL_PORT=${2:?}; shift 2 ;;
  --keystore) KEYSTORE=${2:?}; shift 2 ;;
  --keystore-password) KEYSTORE_PASSWORD=${2:?}; shift 2 ;;
  --keystore-type) KEYSTORE_TYPE=${2:?}; shift 2 ;;
  --user) USER_NAME=${2:?}; shift 2 ;;
  --password) USER_PASSWORD=${2:?}; shift 2 ;;
  --persistent) PERSISTENT=true; shift ;;
  --watch-pid) WATCH_PID=${2:?}; shift 2 ;;
  --rm-on-exit) RM_ON_EXIT=1; shift ;;
  --out) OUT_DIR=${2:?}; shift 2 ;;
  -h | --help) usage ;;
  *) die "unknown argument: $1 (try --help)" ;;
  esac
done
if [ -n "$WATCH_PID" ] && ! [[ $WATCH_PID =~ ^[0-9]+$ ]]; then
  die "--watch-pid needs a pid"
fi

case "$CMD" in
install) cmd_install ;;
start) cmd_start ;;
stop) cmd_stop ;;
kill) cmd_kill ;;
status) cmd_status ;;
keystore) cmd_keystore ;;
-h | --help | help) usage ;;
*) die "unknown command: $CMD (install, start, stop, kill, status, keystore)" ;;
esac
