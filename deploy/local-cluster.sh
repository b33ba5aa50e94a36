#!/usr/bin/env bash
# Starts, stops and checks a local Fleet cluster: one Redis and N silos on loopback.
# The same topology as docker-compose.yml, for machines without a Docker engine.
# See docs/deployment.md.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STATE_DIR="${FLEET_CLUSTER_DIR:-$REPO_ROOT/.fleet-cluster}"
DATA_DIR="$STATE_DIR/data"
REDIS_DIR="$STATE_DIR/redis"
REDIS_PID_FILE="$REDIS_DIR/redis.pid"
SILOS_FILE="$STATE_DIR/silos"        # one line per silo: index http-port silo-port gateway-port
TOKEN_FILE="$STATE_DIR/token"
REDIS_PASSWORD_FILE="$STATE_DIR/redis.password"
SERVER_DLL="$REPO_ROOT/src/Fleet.Server/bin/Release/net10.0/Fleet.Server.dll"
STOP_TIMEOUT=15

usage() {
    cat <<EOF
Usage: ${0##*/} start|stop|status

  start    build the server (Release), start redis-server and the silos on 127.0.0.1,
           wait until every silo's /v2/health/ready answers 200
  stop     stop what 'start' started (by pid files): SIGTERM, then SIGKILL after ${STOP_TIMEOUT} s
  status   show each silo (pid, URL, readiness) and redis; exit 0 only if all are up and ready

Environment:
  FLEET_HTTP_PORTS         HTTP ports, one silo per port (default "8081 8082 8083")
  FLEET_SILO_PORT_BASE     silo i (1-based) gets silo port BASE+i-1 (default 11111)
  FLEET_GATEWAY_PORT_BASE  silo i gets gateway port BASE+i-1 (default 30000)
  FLEET_REDIS_PORT         redis-server port (default 6390)
  FLEET_CLUSTER_DIR        state directory: data/, logs, pid files (default <repo>/.fleet-cluster)
  FLEET_TOKEN              secret of the token named 'admin' (role admin; default: generated once and kept in
                           \$FLEET_CLUSTER_DIR/token). Redis gets a password too (\$FLEET_CLUSTER_DIR/redis.password)
  FLEET_START_TIMEOUT      seconds to wait for all silos to be ready (default 120)
  FLEET_NO_BUILD=1         skip 'dotnet build -c Release src/Fleet.Server'
  FLEET_SERVER_ARGS        extra arguments for every silo, e.g. "--Fleet:SampleModels=false"
EOF
}

say() { printf '%s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

silo_pid_file() { printf '%s/silo%s.pid' "$STATE_DIR" "$1"; }
silo_log_file() { printf '%s/silo%s.log' "$STATE_DIR" "$1"; }

# Prints the pid in FILE when that process is alive and its command line contains PATTERN
# (so a recycled pid is never mistaken for ours).
live_pid() {
    local file=$1 pattern=$2 pid
    [[ -f "$file" ]] || return 1
    pid="$(tr -dc '0-9' <"$file")"
    [[ -n "$pid" ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$pattern" || return 1
    printf '%s' "$pid"
}

port_in_use() {
    local port=$1
    if command -v ss >/dev/null 2>&1; then
        ss -ltnH "sport = :$port" 2>/dev/null | grep -q .
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
    fi
}

http_code() {
    curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null || true
}

now_ms() { date +%s%3N; }

# Lines of $SILOS_FILE, or nothing.
read_silos() {
    [[ -f "$SILOS_FILE" ]] && cat "$SILOS_FILE"
    return 0
}

# Pids of everything this state dir started that is still alive.
running_pids() {
    local idx http silo gw pid
    while read -r idx http silo gw; do
        [[ -n "$idx" ]] || continue
        if pid="$(live_pid "$(silo_pid_file "$idx")" Fleet.Server)"; then printf '%s\n' "$pid"; fi
    done < <(read_silos)
    if pid="$(live_pid "$REDIS_PID_FILE" redis-server)"; then printf '%s\n' "$pid"; fi
}

stop_pids() {
    local pids=("$@") pid waited=0 alive
    [[ ${#pids[@]} -gt 0 ]] || return 0
    kill -TERM "${pids[@]}" 2>/dev/null || true
    while :; do
        alive=()
        for pid in "${pids[@]}"; do
            if kill -0 "$pid" 2>/dev/null; then alive+=("$pid"); fi
        done
        [[ ${#alive[@]} -gt 0 ]] || return 0
        if (( waited >= STOP_TIMEOUT * 10 )); then
            say "  still running after ${STOP_TIMEOUT} s, sending SIGKILL to ${alive[*]}"
            kill -KILL "${alive[@]}" 2>/dev/null || true
            return 0
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
}

do_stop() {
    local idx http silo gw pid silo_pids=() stopped=0
    while read -r idx http silo gw; do
        [[ -n "$idx" ]] || continue
        if pid="$(live_pid "$(silo_pid_file "$idx")" Fleet.Server)"; then
            say "stopping silo $idx (pid $pid, http://127.0.0.1:$http)"
            silo_pids+=("$pid")
        fi
    done < <(read_silos)
    # Silos first: a graceful silo shutdown updates the membership table in Redis.
    if [[ ${#silo_pids[@]} -gt 0 ]]; then
        stop_pids "${silo_pids[@]}"
        stopped=1
    fi
    if pid="$(live_pid "$REDIS_PID_FILE" redis-server)"; then
        say "stopping redis-server (pid $pid)"
        stop_pids "$pid"
        stopped=1
    fi
    while read -r idx http silo gw; do
        [[ -n "$idx" ]] && rm -f "$(silo_pid_file "$idx")"
    done < <(read_silos)
    rm -f "$REDIS_PID_FILE" "$SILOS_FILE"
    if (( stopped )); then say "stopped"; else say "not running"; fi
}

cmd_stop() {
    do_stop
}

cmd_status() {
    local idx http silo gw pid code all_ok=0 any=0 redis_port
    while read -r idx http silo gw; do
        [[ -n "$idx" ]] || continue
        any=1
        if pid="$(live_pid "$(silo_pid_file "$idx")" Fleet.Server)"; then
            code="$(http_code "http://127.0.0.1:$http/v2/health/ready")"
            [[ "$code" == 200 ]] || all_ok=1
            printf 'silo%-3s pid %-8s alive  http://127.0.0.1:%-6s ready: %s\n' "$idx" "$pid" "$http" "${code:-000}"
        else
            all_ok=1
            printf 'silo%-3s pid %-8s DEAD   http://127.0.0.1:%-6s ready: -\n' "$idx" "-" "$http"
        fi
    done < <(read_silos)
    if (( !any )); then
        say "not running (no cluster started from $STATE_DIR)"
        return 1
    fi
    redis_port="$(cat "$STATE_DIR/redis.port" 2>/dev/null || printf '?')"
    if pid="$(live_pid "$REDIS_PID_FILE" redis-server)"; then
        printf 'redis   pid %-8s alive  127.0.0.1:%s\n' "$pid" "$redis_port"
    else
        all_ok=1
        printf 'redis   pid %-8s DEAD   127.0.0.1:%s\n' "-" "$redis_port"
    fi
    return "$all_ok"
}

# Starts "$@" detached (own session, stdin closed, output to LOG) and writes its pid to PIDFILE.
spawn() {
    local pidfile=$1 log=$2
    shift 2
    rm -f "$pidfile"
    # bash writes its own pid, then exec keeps that pid for the server.
    # shellcheck disable=SC2016
    local launcher=(bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@")
    if command -v setsid >/dev/null 2>&1; then
        setsid -f "${launcher[@]}" </dev/null >"$log" 2>&1
    else
        nohup "${launcher[@]}" </dev/null >"$log" 2>&1 &
    fi
    local i
    for i in $(seq 50); do
        [[ -s "$pidfile" ]] && return 0
        sleep 0.1
    done
    die "could not start: $* (see $log)"
}

fail_start() {
    say "$1" >&2
    say "stopping what was started..." >&2
    do_stop >&2 || true
    exit 1
}

cmd_start() {
    command -v curl >/dev/null 2>&1 || die "curl is required (sudo apt-get install -y curl)"
    command -v redis-server >/dev/null 2>&1 \
        || die "redis-server is not installed; install it with: sudo apt-get install -y redis-server"

    local ports_text="${FLEET_HTTP_PORTS:-8081 8082 8083}"
    local silo_base="${FLEET_SILO_PORT_BASE:-11111}" gw_base="${FLEET_GATEWAY_PORT_BASE:-30000}"
    local redis_port="${FLEET_REDIS_PORT:-6390}" timeout="${FLEET_START_TIMEOUT:-120}"
    local http_ports=() extra_args=() p
    read -r -a http_ports <<<"$ports_text"
    read -r -a extra_args <<<"${FLEET_SERVER_ARGS:-}"
    [[ ${#http_ports[@]} -gt 0 ]] || die "FLEET_HTTP_PORTS is empty"
    for p in "${http_ports[@]}" "$silo_base" "$gw_base" "$redis_port" "$timeout"; do
        [[ "$p" =~ ^[0-9]+$ ]] || die "not a number: '$p' (check FLEET_* variables)"
    done

    local running
    running="$(running_pids | tr '\n' ' ')"
    if [[ -n "$running" ]]; then
        say "error: a cluster is already running from $STATE_DIR (pids: ${running% })" >&2
        say "       use '${0##*/} status' or '${0##*/} stop'" >&2
        exit 1
    fi

    local n=${#http_ports[@]} i all_ports=("$redis_port")
    for ((i = 0; i < n; i++)); do
        all_ports+=("${http_ports[i]}" $((silo_base + i)) $((gw_base + i)))
    done
    local dup
    dup="$(printf '%s\n' "${all_ports[@]}" | sort | uniq -d | head -1)"
    [[ -z "$dup" ]] || die "port $dup is configured twice (HTTP, silo, gateway and redis ports must all differ)"
    for p in "${all_ports[@]}"; do
        if port_in_use "$p"; then
            die "port $p is already in use on this machine (see 'ss -ltnp'); pick other ports with FLEET_HTTP_PORTS, FLEET_SILO_PORT_BASE, FLEET_GATEWAY_PORT_BASE or FLEET_REDIS_PORT"
        fi
    done

    if [[ "${FLEET_NO_BUILD:-}" != 1 ]]; then
        say "building src/Fleet.Server (Release)..."
        local build_log
        build_log="$(mktemp)"
        if ! dotnet build -c Release "$REPO_ROOT/src/Fleet.Server" -nologo >"$build_log" 2>&1; then
            tail -n 30 "$build_log" >&2
            rm -f "$build_log"
            die "build failed"
        fi
        rm -f "$build_log"
    fi
    [[ -f "$SERVER_DLL" ]] || die "$SERVER_DLL not found: build it (dotnet build -c Release src/Fleet.Server) or unset FLEET_NO_BUILD"

    mkdir -p "$STATE_DIR" "$DATA_DIR" "$REDIS_DIR"
    local token="${FLEET_TOKEN:-}"
    if [[ -z "$token" ]]; then
        if [[ -s "$TOKEN_FILE" ]]; then
            token="$(cat "$TOKEN_FILE")"
        else
            token="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
            (umask 077 && printf '%s\n' "$token" >"$TOKEN_FILE")
        fi
    fi
    if [[ ! -s "$REDIS_PASSWORD_FILE" ]]; then
        (umask 077 && head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$REDIS_PASSWORD_FILE")
    fi
    local redis_password
    redis_password="$(cat "$REDIS_PASSWORD_FILE")"
    # The password goes in a config file only the owner reads (not on a command line, visible in ps).
    (umask 077 && printf 'requirepass %s\n' "$redis_password" >"$REDIS_DIR/redis.conf")

    local t0
    t0="$(now_ms)"
    : >"$SILOS_FILE"
    printf '%s\n' "$redis_port" >"$STATE_DIR/redis.port"

    say "starting redis-server on 127.0.0.1:$redis_port"
    rm -f "$REDIS_PID_FILE"
    if ! redis-server "$REDIS_DIR/redis.conf" --bind 127.0.0.1 --port "$redis_port" --daemonize yes --save '' --appendonly no \
        --dir "$REDIS_DIR" --pidfile "$REDIS_PID_FILE" --logfile "$REDIS_DIR/redis.log" >/dev/null; then
        fail_start "error: redis-server failed to start (see $REDIS_DIR/redis.log)"
    fi
    for i in $(seq 100); do
        if [[ -s "$REDIS_PID_FILE" ]] && (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null; then break; fi
        sleep 0.1
    done
    live_pid "$REDIS_PID_FILE" redis-server >/dev/null \
        || fail_start "error: redis-server did not start; last lines of $REDIS_DIR/redis.log:
$(tail -n 20 "$REDIS_DIR/redis.log" 2>/dev/null)"

    for ((i = 0; i < n; i++)); do
        local idx=$((i + 1)) http=${http_ports[i]} silo=$((silo_base + i)) gw=$((gw_base + i))
        printf '%s %s %s %s\n' "$idx" "$http" "$silo" "$gw" >>"$SILOS_FILE"
        say "starting silo $idx: http://127.0.0.1:$http (silo port $silo, gateway port $gw)"
        # The secrets go through the environment, not the command line (visible in ps).
        (
            # Run from the build output so relative paths in logs point next to the binary.
            cd "$(dirname "$SERVER_DLL")"
            export Fleet__Security__Tokens__0__Name=admin Fleet__Security__Tokens__0__Role=admin Fleet__Security__Tokens__0__Secret="$token"
            export Fleet__Cluster__Redis="127.0.0.1:$redis_port,password=$redis_password"
            spawn "$(silo_pid_file "$idx")" "$(silo_log_file "$idx")" \
                dotnet "$SERVER_DLL" \
                --urls "http://127.0.0.1:$http" \
                "--Fleet:DataDirectory=$DATA_DIR" \
                --Fleet:Cluster:Mode=Redis \
                "--Fleet:Cluster:SiloPort=$silo" \
                "--Fleet:Cluster:GatewayPort=$gw" \
                --Fleet:Cluster:AdvertisedAddress=127.0.0.1 \
                ${extra_args[@]+"${extra_args[@]}"}
        ) || fail_start "error: could not start silo $idx"
    done

    say "waiting for /v2/health/ready on every silo (timeout ${timeout} s)..."
    local deadline=$((t0 + timeout * 1000)) ready=() idx http silo gw pid code elapsed
    while :; do
        local pending=0
        while read -r idx http silo gw; do
            [[ -n "${ready[idx]:-}" ]] && continue
            if ! pid="$(live_pid "$(silo_pid_file "$idx")" Fleet.Server)"; then
                fail_start "error: silo $idx (http://127.0.0.1:$http) exited during start; last lines of $(silo_log_file "$idx"):
$(tail -n 40 "$(silo_log_file "$idx")")"
            fi
            code="$(http_code "http://127.0.0.1:$http/v2/health/ready")"
            if [[ "$code" == 200 ]]; then
                ready[idx]=1
                elapsed="$(( $(now_ms) - t0 ))"
                printf '  silo %s ready: http://127.0.0.1:%s (%d.%01d s)\n' "$idx" "$http" $((elapsed / 1000)) $((elapsed % 1000 / 100))
            else
                pending=$((pending + 1))
            fi
        done <"$SILOS_FILE"
        (( pending > 0 )) || break
        if (( $(now_ms) > deadline )); then
            local msg="error: not every silo was ready after ${timeout} s"
            while read -r idx http silo gw; do
                [[ -n "${ready[idx]:-}" ]] && continue
                code="$(http_code "http://127.0.0.1:$http/v2/health/ready")"
                msg+="
--- silo $idx (http://127.0.0.1:$http, /v2/health/ready: ${code:-000}); last lines of $(silo_log_file "$idx"):
$(tail -n 40 "$(silo_log_file "$idx")")"
            done <"$SILOS_FILE"
            fail_start "$msg"
        fi
        sleep 0.2
    done
    elapsed="$(( $(now_ms) - t0 ))"

    say ""
    printf 'Fleet cluster ready: %d silo(s) in %d.%01d s\n\n' "$n" $((elapsed / 1000)) $((elapsed % 1000 / 100))
    printf '%-6s %-24s %-8s %s\n' SILO URL PID LOG
    while read -r idx http silo gw; do
        printf '%-6s %-24s %-8s %s\n' "silo$idx" "http://127.0.0.1:$http" "$(cat "$(silo_pid_file "$idx")")" "$(silo_log_file "$idx")"
    done <"$SILOS_FILE"
    printf '%-6s %-24s %-8s %s\n' redis "127.0.0.1:$redis_port" "$(tr -dc '0-9' <"$REDIS_PID_FILE")" "$REDIS_DIR/redis.log"
    say ""
    if [[ -n "${FLEET_TOKEN:-}" ]]; then
        say "admin token: \$FLEET_TOKEN (from your environment)"
    else
        say "admin token: $token (saved in $TOKEN_FILE)"
    fi
    say ""
    say "  export FLEET_TOKEN=$token"
    say "  export FLEET_SERVER=http://127.0.0.1:${http_ports[0]}"
    say ""
    say "stop with: $0 stop"
}

main() {
    case "${1:-}" in
        start) cmd_start ;;
        stop) cmd_stop ;;
        status) cmd_status ;;
        -h | --help | help | "") usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

main "$@"
