# shellcheck shell=bash
# Shared helpers for scripts/run, scripts/test, scripts/bench and scripts/openapi.
# Source it; do not execute it.
#
# Everything local (private Postgres cluster, private Redis, root key, mail, logs) lives
# under $REPO/.krafto/ (git-ignored). Delete that directory to start from scratch.

set -euo pipefail

REPO="${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
KRAFTO_DIR="${KRAFTO_DIR:-$REPO/.krafto}"
export REPO KRAFTO_DIR

# One shared target dir for every clone on the machine (saves disk and rebuild time).
if [[ -n "${HOME:-}" ]]; then
    export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/krafto-target}"
else
    export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
fi
export KRAFTO_PROFILE="${KRAFTO_PROFILE:-debug}"

# ---------------------------------------------------------------------------------------
# Output

if [[ -t 1 && -z "${NO_COLOR:-}" ]]; then
    _k_bold=$'\033[1m' _k_red=$'\033[31m' _k_yellow=$'\033[33m' _k_reset=$'\033[0m'
else
    _k_bold='' _k_red='' _k_yellow='' _k_reset=''
fi

krafto_step() { printf '%s==> %s%s\n' "$_k_bold" "$*" "$_k_reset"; }
krafto_info() { printf '    %s\n' "$*"; }
krafto_warn() { printf '%s==> note:%s %s\n' "$_k_yellow" "$_k_reset" "$*" >&2; }
krafto_die() {
    printf '%s==> error:%s %s\n' "$_k_red" "$_k_reset" "$*" >&2
    exit 1
}

# Print the last lines of a log file to stderr, indented.
krafto_tail_log() {
    local file=$1 lines=${2:-40}
    if [[ -r "$file" ]]; then
        printf -- '---- last %s lines of %s ----\n' "$lines" "$file" >&2
        tail -n "$lines" "$file" >&2 || true
        printf -- '---- end of %s ----\n' "$file" >&2
    else
        printf '(no log at %s)\n' "$file" >&2
    fi
}

# ---------------------------------------------------------------------------------------
# System packages

_krafto_apt_updated=0

# krafto_apt_install PKG... — install Debian packages (as root, or through sudo).
krafto_apt_install() {
    command -v apt-get >/dev/null 2>&1 ||
        krafto_die "need the package(s) $*, but apt-get is not available; install them by hand"
    local sudo=()
    if [[ $EUID -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 ||
            krafto_die "need the package(s) $*; run as root or install sudo"
        sudo=(sudo -n)
    fi
    krafto_step "installing $* with apt-get"
    if [[ $_krafto_apt_updated -eq 0 ]]; then
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -qq </dev/null ||
            krafto_die "apt-get update failed"
        _krafto_apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" </dev/null ||
        krafto_die "apt-get install $* failed"
}

# ---------------------------------------------------------------------------------------
# Rust toolchain and build

krafto_require_cargo() {
    if ! command -v cargo >/dev/null 2>&1 && [[ -x "${HOME:-/nonexistent}/.cargo/bin/cargo" ]]; then
        export PATH="$HOME/.cargo/bin:$PATH"
    fi
    if ! command -v cargo >/dev/null 2>&1; then
        krafto_die "cargo is not installed. Install Rust with rustup:
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y
    . \"\$HOME/.cargo/env\"
then run this script again."
    fi
    # Some dependencies compile a little C (ring); make sure a C compiler exists.
    if ! command -v cc >/dev/null 2>&1; then
        krafto_apt_install gcc libc6-dev
    fi
}

# Directory holding the built binaries for $KRAFTO_PROFILE.
krafto_bin_dir() {
    if [[ "$KRAFTO_PROFILE" == release ]]; then
        printf '%s/release\n' "$CARGO_TARGET_DIR"
    else
        printf '%s/debug\n' "$CARGO_TARGET_DIR"
    fi
}

# krafto_build — build the two server binaries; sets KRAFTO_BIN_DIR.
krafto_build() {
    local args=(build -p platform -p tenant-admin)
    if [[ "$KRAFTO_PROFILE" == release ]]; then args+=(--release); fi
    krafto_step "building platform and tenant-admin ($KRAFTO_PROFILE) into $CARGO_TARGET_DIR"
    (cd "$REPO" && cargo "${args[@]}") || krafto_die "cargo build failed"
    KRAFTO_BIN_DIR="$(krafto_bin_dir)"
    export KRAFTO_BIN_DIR
}

# ---------------------------------------------------------------------------------------
# URLs

# krafto_url_with_db URL DB — the same server URL with its database path replaced by /DB
# (query string kept). Example: postgres://u:p@h:5432/app?sslmode=require → .../postgres?sslmode=require
krafto_url_with_db() {
    local url=$1 db=$2
    if [[ "$url" =~ ^([A-Za-z][A-Za-z0-9+.-]*://[^/?#]*)(/[^?#]*)?(\?[^#]*)?$ ]]; then
        printf '%s/%s%s\n' "${BASH_REMATCH[1]}" "$db" "${BASH_REMATCH[3]}"
    else
        krafto_die "cannot parse database URL '$url' (expected postgres://user@host:port/db)"
    fi
}

# krafto_url_server URL — the URL without its database path (and without query string).
krafto_url_server() {
    local url=$1
    if [[ "$url" =~ ^([A-Za-z][A-Za-z0-9+.-]*://[^/?#]*) ]]; then
        printf '%s\n' "${BASH_REMATCH[1]}"
    else
        krafto_die "cannot parse database URL '$url'"
    fi
}

# ---------------------------------------------------------------------------------------
# Postgres

# Sets KRAFTO_PG_BINDIR to a directory holding initdb, pg_ctl, postgres (installs the
# Debian `postgresql` package when none is found). Optional $1: wanted major version.
krafto_find_pg_bindir() {
    local want=${1:-} d
    if [[ -n "${KRAFTO_PG_BINDIR:-}" && -x "$KRAFTO_PG_BINDIR/initdb" && -z "$want" ]]; then
        return 0
    fi
    local candidates=()
    if [[ -n "$want" ]]; then
        candidates+=("/usr/lib/postgresql/$want/bin")
    else
        # Newest Debian-packaged version first, then whatever initdb is on PATH.
        while IFS= read -r d; do [[ -n "$d" ]] && candidates+=("$d"); done < <(
            for d in /usr/lib/postgresql/*/bin; do [[ -d "$d" ]] && printf '%s\n' "$d"; done |
                sort -t/ -k4,4 -V -r
        )
        if command -v initdb >/dev/null 2>&1; then
            candidates+=("$(dirname "$(readlink -f "$(command -v initdb)")")")
        fi
    fi
    for d in "${candidates[@]}"; do
        if [[ -x "$d/initdb" && -x "$d/pg_ctl" && -x "$d/postgres" ]]; then
            KRAFTO_PG_BINDIR=$d
            export KRAFTO_PG_BINDIR
            return 0
        fi
    done
    if [[ -n "$want" ]]; then
        krafto_die "the cluster in $KRAFTO_PG_DATA was made by Postgres $want, whose binaries are not installed.
    Install postgresql-$want, or delete $KRAFTO_PG_DATA to start a fresh cluster."
    fi
    krafto_apt_install postgresql postgresql-contrib
    krafto_find_pg_bindir
}

# psql on PATH (Debian wrapper) or from the server bindir.
krafto_psql() {
    local psql
    if command -v psql >/dev/null 2>&1; then
        psql=psql
    elif [[ -n "${KRAFTO_PG_BINDIR:-}" && -x "$KRAFTO_PG_BINDIR/psql" ]]; then
        psql="$KRAFTO_PG_BINDIR/psql"
    else
        krafto_apt_install postgresql-client
        psql=psql
    fi
    PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-10}" "$psql" -X -v ON_ERROR_STOP=1 -q "$@" </dev/null
}

# Run a command as the cluster's OS user: `postgres` when we are root (initdb and
# postgres refuse to run as root), ourselves otherwise.
_krafto_as_pg() {
    if [[ $EUID -eq 0 ]]; then
        # cd /: the current directory may be unreadable for postgres (e.g. under /root).
        if command -v runuser >/dev/null 2>&1; then
            (cd / && runuser -u postgres -- "$@")
        else
            (cd / && su postgres -s /bin/sh -c "$(printf '%q ' "$@")")
        fi
    else
        "$@"
    fi
}

_krafto_ensure_pg_os_user() {
    [[ $EUID -eq 0 ]] || return 0
    if ! id -u postgres >/dev/null 2>&1; then
        krafto_step "creating the 'postgres' OS user"
        useradd --system --user-group --no-create-home --shell /usr/sbin/nologin postgres ||
            krafto_die "could not create the postgres OS user"
    fi
}

# Is something answering TCP on 127.0.0.1:$1?
_krafto_port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Pick the data and socket directories: inside .krafto when the postgres user can reach
# it and the socket path is short enough, else under /tmp (keyed by the repo path).
_krafto_pg_dirs() {
    local key
    key=$(printf '%s' "$REPO" | sha1sum | cut -c1-10)
    KRAFTO_PG_DATA="${KRAFTO_PG_DATA:-$KRAFTO_DIR/pg}"
    KRAFTO_PG_RUN="${KRAFTO_PG_RUN:-$KRAFTO_DIR/pg-run}"
    if [[ $EUID -eq 0 ]] && ! _krafto_as_pg test -x "$KRAFTO_DIR" 2>/dev/null; then
        krafto_warn "the postgres OS user cannot enter $KRAFTO_DIR; keeping the cluster in /var/tmp/krafto-$key"
        KRAFTO_PG_DATA="/var/tmp/krafto-$key/pg"
        KRAFTO_PG_RUN="/var/tmp/krafto-$key/pg-run"
        mkdir -p "/var/tmp/krafto-$key"
        chmod 755 "/var/tmp/krafto-$key"
    fi
    # Unix socket paths are limited to ~107 bytes.
    if (( ${#KRAFTO_PG_RUN} > 80 )); then
        KRAFTO_PG_RUN="/tmp/krafto-$key-pg-run"
    fi
    KRAFTO_PG_LOG="$KRAFTO_PG_RUN/postgres.log"
    export KRAFTO_PG_DATA KRAFTO_PG_RUN KRAFTO_PG_LOG
}

# Wait until the private cluster accepts connections, or die pointing at the log.
_krafto_pg_wait() {
    local port=$1 i
    for ((i = 0; i < 60; i++)); do
        if "$KRAFTO_PG_BINDIR/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres 2>/dev/null; then
            return 0
        fi
        sleep 0.5
    done
    krafto_tail_log "$KRAFTO_PG_LOG"
    krafto_die "Postgres on 127.0.0.1:$port did not accept connections within 30 s; see $KRAFTO_PG_LOG"
}

# krafto_ensure_postgres — make a Postgres available.
#   DATABASE_URL set: use it as is (nothing is started or derived).
#   otherwise: a private cluster in $REPO/.krafto/pg on 127.0.0.1:${KRAFTO_PG_PORT:-54329},
#   created and started when needed; exports KRAFTO_PG_URL=postgres://postgres@127.0.0.1:PORT
krafto_ensure_postgres() {
    if [[ -n "${DATABASE_URL:-}" ]]; then
        krafto_step "using Postgres from DATABASE_URL"
        return 0
    fi
    local port="${KRAFTO_PG_PORT:-54329}"
    mkdir -p "$KRAFTO_DIR"
    # The postgres OS user must be able to enter .krafto (root's umask may say otherwise).
    if [[ $EUID -eq 0 ]]; then chmod go+x "$KRAFTO_DIR"; fi
    _krafto_ensure_pg_os_user
    _krafto_pg_dirs

    # Serialise concurrent callers (scripts/run and scripts/test at the same time). The
    # postmaster must not inherit this fd, or it would hold the lock forever.
    local lockfd
    exec {lockfd}>"$KRAFTO_DIR/.pg.lock"
    if command -v flock >/dev/null 2>&1; then
        flock -w 120 "$lockfd" || krafto_die "timed out waiting for $KRAFTO_DIR/.pg.lock"
    fi

    # A partial initdb (interrupted) leaves a directory without PG_VERSION: start over.
    if [[ -d "$KRAFTO_PG_DATA" && ! -f "$KRAFTO_PG_DATA/PG_VERSION" ]]; then
        krafto_warn "removing incomplete cluster directory $KRAFTO_PG_DATA"
        rm -rf "$KRAFTO_PG_DATA"
    fi

    if [[ -f "$KRAFTO_PG_DATA/PG_VERSION" ]]; then
        krafto_find_pg_bindir "$(cat "$KRAFTO_PG_DATA/PG_VERSION")"
    else
        krafto_find_pg_bindir
    fi

    mkdir -p "$KRAFTO_PG_RUN"
    if [[ $EUID -eq 0 ]]; then chown postgres: "$KRAFTO_PG_RUN"; fi
    chmod 700 "$KRAFTO_PG_RUN"

    # Ours already running? Use the port it actually runs on (postmaster.pid, line 4).
    if [[ -f "$KRAFTO_PG_DATA/postmaster.pid" ]] &&
        _krafto_as_pg "$KRAFTO_PG_BINDIR/pg_ctl" status -D "$KRAFTO_PG_DATA" >/dev/null 2>&1; then
        local running_port
        running_port=$(sed -n 4p "$KRAFTO_PG_DATA/postmaster.pid" 2>/dev/null || true)
        if [[ "$running_port" =~ ^[0-9]+$ && "$running_port" != "$port" ]]; then
            krafto_warn "the private cluster already runs on port $running_port (not $port); using it"
            port=$running_port
        fi
        krafto_step "private Postgres already running on port $port"
        _krafto_pg_wait "$port"
        krafto_info "data $KRAFTO_PG_DATA, log $KRAFTO_PG_LOG"
    elif _krafto_port_open "$port"; then
        # Port taken by someone else: another clone's private cluster, typically. Reuse it
        # if it lets us in as the postgres superuser without a password, else give up.
        if krafto_psql "postgres://postgres@127.0.0.1:$port/postgres" -Atc 'select 1' >/dev/null 2>&1; then
            krafto_warn "port $port is already served by another Postgres (not $KRAFTO_PG_DATA); using it"
        else
            krafto_die "port $port is in use by something that is not a usable Postgres; set KRAFTO_PG_PORT to a free port"
        fi
    else
        if [[ ! -f "$KRAFTO_PG_DATA/PG_VERSION" ]]; then
            krafto_step "creating private Postgres cluster in $KRAFTO_PG_DATA"
            mkdir -p "$KRAFTO_PG_DATA"
            if [[ $EUID -eq 0 ]]; then chown postgres: "$KRAFTO_PG_DATA"; fi
            chmod 700 "$KRAFTO_PG_DATA"
            if ! _krafto_as_pg "$KRAFTO_PG_BINDIR/initdb" -D "$KRAFTO_PG_DATA" -U postgres \
                --auth=trust -E UTF8 --no-locale >"$KRAFTO_PG_RUN/initdb.log" 2>&1; then
                krafto_tail_log "$KRAFTO_PG_RUN/initdb.log"
                rm -rf "$KRAFTO_PG_DATA"
                krafto_die "initdb failed; see $KRAFTO_PG_RUN/initdb.log"
            fi
            # Disposable dev/test data: trade crash safety for speed (one database per test).
            # Port, listen address and socket dir are given at start (they may change).
            _krafto_as_pg tee -a "$KRAFTO_PG_DATA/postgresql.conf" >/dev/null <<'EOF2'

# --- krafto private dev/test cluster (scripts/lib.sh) ---
max_connections = 300
shared_buffers = 128MB
fsync = off
synchronous_commit = off
full_page_writes = off
EOF2
        fi
        krafto_step "starting private Postgres on port $port"
        if ! _krafto_as_pg "$KRAFTO_PG_BINDIR/pg_ctl" start -D "$KRAFTO_PG_DATA" -l "$KRAFTO_PG_LOG" \
            -w -t 30 -o "-p $port -c listen_addresses=127.0.0.1 -k '$KRAFTO_PG_RUN'" >/dev/null {lockfd}>&-; then
            krafto_tail_log "$KRAFTO_PG_LOG"
            krafto_die "Postgres did not start on 127.0.0.1:$port; see $KRAFTO_PG_LOG"
        fi
        _krafto_pg_wait "$port"
        krafto_info "data $KRAFTO_PG_DATA, log $KRAFTO_PG_LOG"
    fi

    exec {lockfd}>&-
    export KRAFTO_PG_PORT=$port
    export KRAFTO_PG_URL="postgres://postgres@127.0.0.1:$port"
    krafto_info "Postgres: $KRAFTO_PG_URL"
}

# krafto_ensure_database SERVER_URL NAME — create database NAME if it does not exist.
krafto_ensure_database() {
    local server=$1 name=$2 maint exists
    maint=$(krafto_url_with_db "$server" postgres)
    exists=$(krafto_psql "$maint" -Atc "select 1 from pg_database where datname = '$name'") ||
        krafto_die "cannot connect to $maint"
    if [[ "$exists" != 1 ]]; then
        krafto_step "creating database $name"
        krafto_psql "$maint" -c "create database \"$name\"" || krafto_die "could not create database $name"
    fi
}

# ---------------------------------------------------------------------------------------
# Redis

# Does a Redis answer PING (without auth) on HOST PORT?
krafto_redis_ping() {
    local host=$1 port=$2 reply=''
    if command -v redis-cli >/dev/null 2>&1; then
        reply=$(timeout 3 redis-cli -h "$host" -p "$port" ping 2>/dev/null </dev/null || true)
        [[ "$reply" == PONG ]]
        return
    fi
    # shellcheck disable=SC2016 # expanded by the inner bash
    reply=$(timeout 3 bash -c '
        exec 3<>"/dev/tcp/$1/$2" || exit 1
        printf "PING\r\n" >&3
        IFS= read -r line <&3 && printf "%s" "$line"
    ' _ "$host" "$port" 2>/dev/null || true)
    [[ "$reply" == +PONG* ]]
}

# krafto_ensure_redis — make a Redis available and export REDIS_URL. Returns non-zero
# (without exiting) when none can be had, so callers decide whether that is fatal.
# Written without relying on `set -e`, which is off inside `f || ...`.
krafto_ensure_redis() {
    if [[ -n "${REDIS_URL:-}" ]]; then
        krafto_step "using Redis from REDIS_URL"
        return 0
    fi
    if krafto_redis_ping 127.0.0.1 6379; then
        export REDIS_URL=redis://127.0.0.1:6379
        krafto_step "using the Redis already running on 127.0.0.1:6379"
        return 0
    fi
    local port="${KRAFTO_REDIS_PORT:-56379}" i
    if krafto_redis_ping 127.0.0.1 "$port"; then
        export REDIS_URL="redis://127.0.0.1:$port"
        krafto_step "private Redis already running on port $port"
        return 0
    fi
    if ! command -v redis-server >/dev/null 2>&1; then
        (krafto_apt_install redis-server) || return 1
        # The Debian package may start its own instance on 6379; use it if it did.
        if krafto_redis_ping 127.0.0.1 6379; then
            export REDIS_URL=redis://127.0.0.1:6379
            krafto_step "using the Redis started by the redis-server package on 127.0.0.1:6379"
            return 0
        fi
    fi
    mkdir -p "$KRAFTO_DIR" || return 1
    krafto_step "starting private Redis on port $port"
    if ! redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
        --dir "$KRAFTO_DIR" --logfile "$KRAFTO_DIR/redis.log" --pidfile "$KRAFTO_DIR/redis.pid" </dev/null; then
        krafto_tail_log "$KRAFTO_DIR/redis.log" 20
        krafto_warn "redis-server failed to start; see $KRAFTO_DIR/redis.log"
        return 1
    fi
    for ((i = 0; i < 20; i++)); do
        if krafto_redis_ping 127.0.0.1 "$port"; then
            export REDIS_URL="redis://127.0.0.1:$port"
            krafto_info "Redis: $REDIS_URL (log $KRAFTO_DIR/redis.log)"
            return 0
        fi
        sleep 0.5
    done
    krafto_tail_log "$KRAFTO_DIR/redis.log" 20
    krafto_warn "Redis on port $port did not answer PING within 10 s; see $KRAFTO_DIR/redis.log"
    return 1
}

# ---------------------------------------------------------------------------------------
# Root key

# krafto_ensure_root_key — export KRAFTO_ROOT_KEY (64 hex chars, an ed25519 private key),
# read from or created in $KRAFTO_DIR/root.key unless already set.
krafto_ensure_root_key() {
    local keyfile="$KRAFTO_DIR/root.key" key=''
    if [[ -n "${KRAFTO_ROOT_KEY:-}" ]]; then
        [[ "$KRAFTO_ROOT_KEY" =~ ^[0-9a-fA-F]{64}$ ]] ||
            krafto_die "KRAFTO_ROOT_KEY must be 64 hex characters (generate one with: tenant-admin keygen)"
        return 0
    fi
    if [[ -s "$keyfile" ]]; then
        key=$(tr -d '[:space:]' <"$keyfile")
        [[ "$key" =~ ^[0-9a-fA-F]{64}$ ]] ||
            krafto_die "$keyfile does not hold 64 hex characters; delete it to generate a new key"
    else
        local bin
        bin="${KRAFTO_BIN_DIR:-$(krafto_bin_dir)}/tenant-admin"
        if [[ -x "$bin" ]]; then
            key=$("$bin" keygen 2>/dev/null </dev/null | tr -d '[:space:]' || true)
        fi
        if ! [[ "$key" =~ ^[0-9a-fA-F]{64}$ ]]; then
            if command -v openssl >/dev/null 2>&1; then
                key=$(openssl rand -hex 32)
            else
                key=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
            fi
        fi
        mkdir -p "$KRAFTO_DIR"
        (umask 077 && printf '%s\n' "$key" >"$keyfile")
        krafto_step "generated a new root key in $keyfile"
    fi
    export KRAFTO_ROOT_KEY="$key"
}
