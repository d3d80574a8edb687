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

# Each clone builds into its own target dir, so that what scripts/run executes is what this
# clone built, never a binary another clone wrote there in between. CARGO_TARGET_DIR
# overrides (a cache shared by clones saves disk and time, but gives up that guarantee).
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
# Relative to the repo, where the scripts run cargo.
if [[ "$CARGO_TARGET_DIR" != /* ]]; then CARGO_TARGET_DIR="$REPO/$CARGO_TARGET_DIR"; fi
export CARGO_TARGET_DIR
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
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 update -qq </dev/null ||
            krafto_die "apt-get update failed"
        _krafto_apt_updated=1
    fi
    # Another clone may be installing at the same moment: wait for its dpkg lock.
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$@" </dev/null ||
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

# Is CARGO_TARGET_DIR inside this clone (so no other clone writes into it)?
krafto_target_is_ours() {
    local target repo
    target=$(readlink -m -- "$CARGO_TARGET_DIR")
    repo=$(readlink -m -- "$REPO")
    [[ "$target/" == "$repo/"* ]]
}

# krafto_build — build the two server binaries; sets KRAFTO_BIN_DIR.
krafto_build() {
    local args=(build -p platform -p tenant-admin)
    if [[ "$KRAFTO_PROFILE" == release ]]; then args+=(--release); fi
    if ! krafto_target_is_ours; then
        krafto_warn "CARGO_TARGET_DIR=$CARGO_TARGET_DIR is outside this clone: if another clone builds into it meanwhile, the binaries run here may be that clone's (unset CARGO_TARGET_DIR to build into $REPO/target)"
    fi
    krafto_step "building platform and tenant-admin ($KRAFTO_PROFILE) into $CARGO_TARGET_DIR"
    (cd "$REPO" && cargo "${args[@]}") || krafto_die "cargo build failed; fix the error above and run this script again"
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

# krafto_clone_key — a short key naming this clone (a hash of its path).
krafto_clone_key() {
    printf '%s' "$REPO" | sha1sum | cut -c1-10
}

# Do two paths name the same place (symlinks resolved; they need not exist)?
_krafto_same_path() {
    [[ "$(readlink -m -- "$1")" == "$(readlink -m -- "$2")" ]]
}

# _krafto_free_port FROM — print the first port from FROM upward (100 tried) that nothing
# listens on.
_krafto_free_port() {
    local p
    for ((p = $1; p < $1 + 100; p++)); do
        if ! _krafto_port_open "$p"; then
            printf '%s\n' "$p"
            return 0
        fi
    done
    return 1
}

# _krafto_read_port FILE — print the port remembered in FILE, if it holds one.
_krafto_read_port() {
    local p=''
    if [[ -s "$1" ]]; then read -r p <"$1" || true; fi
    [[ "$p" =~ ^[0-9]+$ ]] && printf '%s\n' "$p"
}

# Machine-wide lock (per OS user) held while a clone chooses a port and starts a service on
# it, so that two clones starting at the same moment do not both take the same free port.
# Sets _krafto_port_lock_fd; services started meanwhile must not inherit it (close it with
# `{_krafto_port_lock_fd}>&-` on their command line).
_krafto_port_lock() {
    local file="${TMPDIR:-/tmp}/krafto-ports-$EUID.lock"
    exec {_krafto_port_lock_fd}>>"$file"
    if command -v flock >/dev/null 2>&1; then
        flock -w 120 "$_krafto_port_lock_fd" ||
            krafto_die "timed out waiting for $file (another clone starting its Postgres or Redis?); run this script again"
    fi
}
_krafto_port_unlock() {
    exec {_krafto_port_lock_fd}>&-
}

# Pick the data and socket directories: inside .krafto when the postgres user can reach
# it and the socket path is short enough, else under /tmp (keyed by the repo path).
_krafto_pg_dirs() {
    local key
    key=$(krafto_clone_key)
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

# _krafto_pg_data_dir_on PORT — print the data directory of the Postgres answering on
# 127.0.0.1:PORT, asked as the superuser `postgres` (our clusters trust it on loopback).
# Fails when none answers or it does not let us ask.
_krafto_pg_data_dir_on() {
    krafto_psql "postgres://postgres@127.0.0.1:$1/postgres?connect_timeout=5" \
        -Atc 'show data_directory' 2>/dev/null
}

# _krafto_pg_stop_hint DATA_DIR — the command that stops the cluster in DATA_DIR.
_krafto_pg_stop_hint() {
    local dir=$1 version='' pg_ctl=pg_ctl owner=''
    version=$(cat "$dir/PG_VERSION" 2>/dev/null || true)
    if [[ -n "$version" && -x "/usr/lib/postgresql/$version/bin/pg_ctl" ]]; then
        pg_ctl="/usr/lib/postgresql/$version/bin/pg_ctl"
    fi
    owner=$(stat -c %U -- "$dir" 2>/dev/null || true)
    if [[ $EUID -eq 0 && -n "$owner" && "$owner" != root ]]; then
        printf 'runuser -u %s -- %s stop -D %s' "$owner" "$pg_ctl" "$dir"
    else
        printf '%s stop -D %s' "$pg_ctl" "$dir"
    fi
}

# _krafto_pg_port_owner PORT — describe what holds PORT when it is not this clone's cluster.
_krafto_pg_port_owner() {
    local port=$1 dir
    if dir=$(_krafto_pg_data_dir_on "$port") && [[ -n "$dir" ]]; then
        printf '%s\n' "port $port serves the Postgres cluster of $dir, not this clone's ($KRAFTO_PG_DATA); that cluster stops with: $(_krafto_pg_stop_hint "$dir")"
    else
        printf '%s\n' "port $port is in use by something that is not this clone's Postgres (see: ss -ltnp 'sport = :$port')"
    fi
}

# _krafto_pg_start PORT — create the private cluster if needed and start it on PORT.
_krafto_pg_start() {
    local port=$1
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
    # The postmaster must not inherit the lock fds, or it would hold the locks forever.
    if ! _krafto_as_pg "$KRAFTO_PG_BINDIR/pg_ctl" start -D "$KRAFTO_PG_DATA" -l "$KRAFTO_PG_LOG" \
        -w -t 30 -o "-p $port -c listen_addresses=127.0.0.1 -k '$KRAFTO_PG_RUN'" >/dev/null \
        {_krafto_pg_lock_fd}>&- {_krafto_port_lock_fd}>&-; then
        krafto_tail_log "$KRAFTO_PG_LOG"
        krafto_die "Postgres did not start on 127.0.0.1:$port; see $KRAFTO_PG_LOG"
    fi
}

# krafto_ensure_postgres — make a Postgres available.
#   DATABASE_URL set: use it as is (nothing is started or derived).
#   otherwise: this clone's private cluster in $REPO/.krafto/pg on 127.0.0.1, created and
#   started when needed; exports KRAFTO_PG_URL=postgres://postgres@127.0.0.1:PORT.
# The port is KRAFTO_PG_PORT when set (refused when another cluster holds it), else the one
# remembered in .krafto/pg.port, else 54329; when another clone's cluster (or anything else)
# holds that one, the next free port is taken and remembered. A Postgres that is not this
# clone's own (its data_directory says so) is never used.
krafto_ensure_postgres() {
    if [[ -n "${DATABASE_URL:-}" ]]; then
        krafto_step "using Postgres from DATABASE_URL"
        return 0
    fi
    local port explicit=0 portfile="$KRAFTO_DIR/pg.port"
    if [[ -n "${KRAFTO_PG_PORT:-}" ]]; then
        [[ "$KRAFTO_PG_PORT" =~ ^[0-9]+$ ]] || krafto_die "KRAFTO_PG_PORT must be a port number, not '$KRAFTO_PG_PORT'"
        port=$KRAFTO_PG_PORT explicit=1
    elif ! port=$(_krafto_read_port "$portfile"); then
        port=54329
    fi
    mkdir -p "$KRAFTO_DIR"
    # The postgres OS user must be able to enter .krafto (root's umask may say otherwise).
    if [[ $EUID -eq 0 ]]; then chmod go+x "$KRAFTO_DIR"; fi
    _krafto_ensure_pg_os_user
    _krafto_pg_dirs

    # Serialise concurrent callers of this clone (scripts/run and scripts/test at the same time).
    exec {_krafto_pg_lock_fd}>"$KRAFTO_DIR/.pg.lock"
    if command -v flock >/dev/null 2>&1; then
        flock -w 120 "$_krafto_pg_lock_fd" ||
            krafto_die "timed out waiting for $KRAFTO_DIR/.pg.lock (another script of this clone is starting Postgres); run this script again"
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

    _krafto_port_lock
    local running_port='' dir
    if [[ -f "$KRAFTO_PG_DATA/postmaster.pid" ]] &&
        _krafto_as_pg "$KRAFTO_PG_BINDIR/pg_ctl" status -D "$KRAFTO_PG_DATA" >/dev/null 2>&1; then
        # Ours already running: use the port it actually runs on (postmaster.pid, line 4).
        running_port=$(sed -n 4p "$KRAFTO_PG_DATA/postmaster.pid" 2>/dev/null || true)
    fi
    if [[ "$running_port" =~ ^[0-9]+$ ]]; then
        if [[ "$running_port" != "$port" ]]; then
            krafto_warn "this clone's cluster already runs on port $running_port (not $port); using it"
            port=$running_port
        fi
        krafto_step "private Postgres already running on port $port"
        _krafto_pg_wait "$port"
    elif _krafto_port_open "$port" &&
        ! { dir=$(_krafto_pg_data_dir_on "$port") && _krafto_same_path "$dir" "$KRAFTO_PG_DATA"; }; then
        # Someone else's: another clone's private cluster, typically. Never use it.
        if ((explicit)); then
            krafto_die "$(_krafto_pg_port_owner "$port")
    Set KRAFTO_PG_PORT to a free port (or unset it to let the scripts choose one), or stop that cluster."
        fi
        local taken=$port
        port=$(_krafto_free_port $((taken + 1))) ||
            krafto_die "no free port in $((taken + 1))-$((taken + 100)) for this clone's Postgres; set KRAFTO_PG_PORT to a free port"
        krafto_warn "$(_krafto_pg_port_owner "$taken")"
        krafto_info "this clone's cluster takes port $port instead (remembered in $portfile)"
        _krafto_pg_start "$port"
        _krafto_pg_wait "$port"
    elif _krafto_port_open "$port"; then
        # Ours, though pg_ctl could not tell (its postmaster.pid is unreadable or stale).
        krafto_step "private Postgres already running on port $port"
    else
        _krafto_pg_start "$port"
        _krafto_pg_wait "$port"
    fi

    # Whatever happened above (a race with another clone included), use only our own cluster.
    dir=$(_krafto_pg_data_dir_on "$port") || dir=''
    if [[ -z "$dir" ]] || ! _krafto_same_path "$dir" "$KRAFTO_PG_DATA"; then
        krafto_die "$(_krafto_pg_port_owner "$port")
    Run this script again, or set KRAFTO_PG_PORT to a free port."
    fi
    if ((!explicit)); then printf '%s\n' "$port" >"$portfile"; fi
    _krafto_port_unlock
    exec {_krafto_pg_lock_fd}>&-
    krafto_info "data $KRAFTO_PG_DATA, log $KRAFTO_PG_LOG"
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

# _krafto_redis_dir PORT — print the working directory (`CONFIG GET dir`) of the Redis on
# 127.0.0.1:PORT. This clone's private Redis runs in $KRAFTO_DIR; another clone's in its own.
_krafto_redis_dir() {
    local port=$1 out
    if command -v redis-cli >/dev/null 2>&1; then
        out=$(timeout 3 redis-cli -h 127.0.0.1 -p "$port" config get dir 2>/dev/null </dev/null) || return 1
        [[ "$(sed -n 1p <<<"$out")" == dir ]] || return 1
        sed -n 2p <<<"$out"
        return 0
    fi
    # shellcheck disable=SC2016 # expanded by the inner bash
    timeout 3 bash -c '
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf "CONFIG GET dir\r\n" >&3
        lines=()
        for _ in 1 2 3 4 5; do IFS= read -r l <&3 || exit 1; lines+=("${l%$'"'\r'"'}"); done
        [[ "${lines[0]}" == "*2" && "${lines[2]}" == dir ]] || exit 1
        printf "%s\n" "${lines[4]}"
    ' _ "$port" 2>/dev/null
}

# Is the Redis on 127.0.0.1:PORT this clone's private one?
_krafto_redis_is_ours() {
    local dir
    dir=$(_krafto_redis_dir "$1") && [[ -n "$dir" ]] && _krafto_same_path "$dir" "$KRAFTO_DIR"
}

# _krafto_redis_port_owner PORT — describe what holds PORT when it is not this clone's Redis.
_krafto_redis_port_owner() {
    local port=$1 dir
    if dir=$(_krafto_redis_dir "$port") && [[ -n "$dir" ]]; then
        printf '%s\n' "port $port serves the private Redis of $dir, not this clone's ($KRAFTO_DIR); that Redis stops with: redis-cli -p $port shutdown nosave"
    else
        printf '%s\n' "port $port is in use by something that is not this clone's Redis (see: ss -ltnp 'sport = :$port')"
    fi
}

# krafto_ensure_redis — make a Redis available and export REDIS_URL. Returns non-zero
# (without exiting) when none can be had, so callers decide whether that is fatal.
# Written without relying on `set -e`, which is off inside `f || ...`.
#
# A Redis on 127.0.0.1:6379 (the machine's) is shared by every clone: Krafto keeps no keys
# in Redis, only publishes tenant-cache invalidations on one channel, and an invalidation
# heard from another clone's servers or tests only makes ours re-read a tenant from their
# own database (the tests of one clone already share that channel the same way). Without
# it, each clone runs a private Redis in .krafto/ and never uses another clone's: on
# KRAFTO_REDIS_PORT when set (refused when another Redis holds it), else on the port
# remembered in .krafto/redis.port, else 56379, else the next free port (then remembered).
krafto_ensure_redis() {
    if [[ -n "${REDIS_URL:-}" ]]; then
        krafto_step "using Redis from REDIS_URL"
        return 0
    fi
    if krafto_redis_ping 127.0.0.1 6379; then
        export REDIS_URL=redis://127.0.0.1:6379
        krafto_step "using the Redis already running on 127.0.0.1:6379 (shared with other clones; it holds no data of ours)"
        return 0
    fi
    local port explicit=0 portfile="$KRAFTO_DIR/redis.port" i
    if [[ -n "${KRAFTO_REDIS_PORT:-}" ]]; then
        [[ "$KRAFTO_REDIS_PORT" =~ ^[0-9]+$ ]] || krafto_die "KRAFTO_REDIS_PORT must be a port number, not '$KRAFTO_REDIS_PORT'"
        port=$KRAFTO_REDIS_PORT explicit=1
    elif ! port=$(_krafto_read_port "$portfile"); then
        port=56379
    fi
    if _krafto_redis_is_ours "$port"; then
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

    _krafto_port_lock
    if _krafto_port_open "$port" && ! _krafto_redis_is_ours "$port"; then
        if ((explicit)); then
            krafto_die "$(_krafto_redis_port_owner "$port")
    Set KRAFTO_REDIS_PORT to a free port (or unset it to let the scripts choose one), or stop that Redis."
        fi
        local taken=$port
        if ! port=$(_krafto_free_port $((taken + 1))); then
            _krafto_port_unlock
            krafto_warn "no free port in $((taken + 1))-$((taken + 100)) for this clone's Redis; set KRAFTO_REDIS_PORT to a free port"
            return 1
        fi
        krafto_warn "$(_krafto_redis_port_owner "$taken")"
        krafto_info "this clone's Redis takes port $port instead (remembered in $portfile)"
    fi
    if ! _krafto_redis_is_ours "$port"; then
        krafto_step "starting private Redis on port $port"
        # The daemon must not inherit the port lock, or it would hold it forever.
        if ! redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
            --dir "$KRAFTO_DIR" --logfile "$KRAFTO_DIR/redis.log" --pidfile "$KRAFTO_DIR/redis.pid" \
            </dev/null {_krafto_port_lock_fd}>&-; then
            _krafto_port_unlock
            krafto_tail_log "$KRAFTO_DIR/redis.log" 20
            krafto_warn "redis-server failed to start; see $KRAFTO_DIR/redis.log"
            return 1
        fi
        for ((i = 0; i < 20; i++)); do
            krafto_redis_ping 127.0.0.1 "$port" && break
            sleep 0.5
        done
    fi
    # Whatever happened above (a race with another clone included), use only our own Redis.
    if ! _krafto_redis_is_ours "$port"; then
        _krafto_port_unlock
        krafto_tail_log "$KRAFTO_DIR/redis.log" 20
        krafto_warn "$(_krafto_redis_port_owner "$port")"
        krafto_warn "this clone's Redis did not come up on port $port; see $KRAFTO_DIR/redis.log, then run this script again or set KRAFTO_REDIS_PORT to a free port"
        return 1
    fi
    if ((!explicit)); then printf '%s\n' "$port" >"$portfile"; fi
    _krafto_port_unlock
    export REDIS_URL="redis://127.0.0.1:$port"
    krafto_info "Redis: $REDIS_URL (log $KRAFTO_DIR/redis.log)"
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

# ---------------------------------------------------------------------------------------
# S3-compatible server for the tests (moto's server mode)

KRAFTO_MOTO_VERSION=5.2.5

# krafto_start_moto — start moto's S3-compatible server for this run on a free loopback
# port (installed with pip into $KRAFTO_DIR/moto-venv, pinned, once) and export
# KRAFTO_TEST_S3_URL. It keeps everything in memory: the caller stops it with
# krafto_stop_moto when its tests end. Nothing is started when KRAFTO_TEST_S3_URL is set.
krafto_start_moto() {
    if [[ -n "${KRAFTO_TEST_S3_URL:-}" ]]; then
        krafto_step "using the S3-compatible server at KRAFTO_TEST_S3_URL ($KRAFTO_TEST_S3_URL)"
        return 0
    fi
    local venv="$KRAFTO_DIR/moto-venv" port i
    if [[ "$("$venv/bin/python" -c 'import moto; print(moto.__version__)' 2>/dev/null)" != "$KRAFTO_MOTO_VERSION" ]]; then
        command -v python3 >/dev/null 2>&1 || krafto_apt_install python3
        if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
            krafto_apt_install python3-venv
        fi
        krafto_step "installing moto[server] $KRAFTO_MOTO_VERSION into $venv (pip; once)"
        mkdir -p "$KRAFTO_DIR"
        python3 -m venv "$venv" </dev/null || krafto_die "python3 -m venv $venv failed; install python3-venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$KRAFTO_MOTO_VERSION" </dev/null ||
            krafto_die "pip install moto[server]==$KRAFTO_MOTO_VERSION failed (is PyPI reachable?); run this script again"
    fi
    _krafto_port_lock
    port=$(_krafto_free_port 55099) || krafto_die "no free port in 55099-55198 for the S3 test server"
    mkdir -p "$KRAFTO_DIR/logs"
    "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" </dev/null >"$KRAFTO_DIR/logs/moto.log" 2>&1 \
        {_krafto_port_lock_fd}>&- &
    KRAFTO_MOTO_PID=$!
    for ((i = 0; i < 60; i++)); do
        if curl -fsS -o /dev/null "http://127.0.0.1:$port/moto-api/" 2>/dev/null; then break; fi
        if ! kill -0 "$KRAFTO_MOTO_PID" 2>/dev/null; then
            _krafto_port_unlock
            krafto_tail_log "$KRAFTO_DIR/logs/moto.log" 20
            krafto_die "moto_server exited; see $KRAFTO_DIR/logs/moto.log"
        fi
        sleep 0.5
    done
    _krafto_port_unlock
    export KRAFTO_MOTO_PID
    export KRAFTO_TEST_S3_URL="http://127.0.0.1:$port"
    krafto_info "S3 (moto): $KRAFTO_TEST_S3_URL (log $KRAFTO_DIR/logs/moto.log)"
}

# krafto_stop_moto — stop the server krafto_start_moto started, if any.
krafto_stop_moto() {
    if [[ -n "${KRAFTO_MOTO_PID:-}" ]]; then
        kill -TERM "$KRAFTO_MOTO_PID" 2>/dev/null || true
        wait "$KRAFTO_MOTO_PID" 2>/dev/null || true
        KRAFTO_MOTO_PID=''
    fi
}
