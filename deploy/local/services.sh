#!/usr/bin/env bash
# Local services for development, tests, CI and the demo: PostgreSQL 15, RabbitMQ 3.10 (with the
# management plugin) and s3rver, all on 127.0.0.1, with their data under .local/services of the repo
# (or CDIFF_SERVICES_DIR).
#
#   deploy/local/services.sh up      start what is not running, wait until all three are ready,
#                                    write $CDIFF_SERVICES_DIR/env (idempotent; fast when already up)
#   deploy/local/services.sh down    stop all three cleanly (data is kept)
#   deploy/local/services.sh status  one line per service; always exits 0
#   deploy/local/services.sh rabbitmqctl|rabbitmq-diagnostics ARGS...
#                                    runs that RabbitMQ CLI against our node (same user, cookie, ports)
#
# Needs root (each server runs as its own OS user through runuser) and the Debian packages that
# deploy/local/install-deps.sh installs. To wipe all data: `down`, then remove the folder.
#
# A second copy side by side (`cdiff chaos` runs one that it kills) needs its own folder, ports and node name:
#   CDIFF_SERVICES_DIR=$root/.local/services (data, logs, pid files and the env file)
# Ports (the derived ones follow CDIFF_RABBIT_PORT):
#   CDIFF_PG_PORT=55432  CDIFF_RABBIT_PORT=55672  CDIFF_RABBIT_MGMT_PORT=+1  CDIFF_S3_PORT=54569
#   CDIFF_RABBIT_DIST_PORT=+2 (Erlang distribution)  CDIFF_EPMD_PORT=+3 (our own epmd)
#   CDIFF_RABBIT_CTL_PORTS=+4..+13 (rabbitmqctl's distribution ports)
#   CDIFF_RABBIT_NODENAME=cdiff@localhost  CDIFF_SERVICES_TIMEOUT=120 (seconds to wait for readiness)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Absolute: the servers start in other working directories.
base=$(realpath -m "${CDIFF_SERVICES_DIR:-$root/.local/services}")
logs=$base/logs
run=$base/run

pg_port=${CDIFF_PG_PORT:-55432}
rabbit_port=${CDIFF_RABBIT_PORT:-55672}
rabbit_mgmt_port=${CDIFF_RABBIT_MGMT_PORT:-$((rabbit_port + 1))}
rabbit_dist_port=${CDIFF_RABBIT_DIST_PORT:-$((rabbit_port + 2))}
epmd_port=${CDIFF_EPMD_PORT:-$((rabbit_port + 3))}
rabbit_ctl_ports=${CDIFF_RABBIT_CTL_PORTS:-$((rabbit_port + 4))-$((rabbit_port + 13))}
rabbit_node=${CDIFF_RABBIT_NODENAME:-cdiff@localhost}
s3_port=${CDIFF_S3_PORT:-54569}
timeout=${CDIFF_SERVICES_TIMEOUT:-120}

# Two users of each service. The .NET hosts connect as the first, which owns its database and may use the "/"
# virtual host but is neither superuser nor administrator: a compromised host cannot read other databases or
# reconfigure the broker. Test harnesses and benchmarks create and drop their own databases and virtual hosts as
# the second. Both get their settings from the env file; these passwords are for this local, loopback-only copy.
user=cdiff
password=cdiff
admin_user=cdiff_admin
admin_password=cdiff-admin

pg_bin=/usr/lib/postgresql/15/bin
pg_data=$base/postgres
pg_socket_dir=$run/postgres
rabbit_bin=/usr/lib/rabbitmq/bin
rabbit_dir=$base/rabbitmq # also the rabbitmq user's HOME here, so its .erlang.cookie lives here
rabbit_pid=$rabbit_dir/rabbitmq.pid
s3_pkg=$root/deploy/local/s3rver
s3_data=$base/s3
s3_pid=$run/s3rver.pid

die() {
  echo "services: $*" >&2
  exit 1
}

# Prints the end of a log to stderr, for the error that explains why a service is not up.
show_log() {
  if [ -s "$1" ]; then
    echo "---- last lines of $1 ----" >&2
    tail -n 30 "$1" >&2
    echo "----" >&2
  fi
}

# A unix socket path must fit in 107 bytes; a deep checkout would overflow it, so fall back to /tmp.
if [ $((${#pg_socket_dir} + 20)) -gt 107 ]; then
  pg_socket_dir=/tmp/cdiff-pg-$(printf '%s' "$root" | md5sum | cut -c1-8)
fi

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  (: <>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# True when the process in pid file $1 is alive and its command name is $2.
pid_alive() {
  local pid
  [ -s "$1" ] || return 1
  pid=$(head -n 1 "$1")
  [[ $pid =~ ^[0-9]+$ ]] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ]
}

# True while the background process with pid $1 (empty: none started) runs.
launched_alive() {
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null
}

# Waits until the command after `--` succeeds. Fails with the log's tail when the timeout passes or when
# the command ALIVE (the service's own liveness check) fails first.
# usage: wait_until NAME LOGFILE ALIVE -- command...
wait_until() {
  local name=$1 logfile=$2 alive=$3 deadline=$((SECONDS + timeout))
  shift 4
  until "$@"; do
    if ! "$alive"; then
      show_log "$logfile"
      die "$name exited while starting (log: $logfile)"
    fi
    if [ $SECONDS -ge $deadline ]; then
      show_log "$logfile"
      die "$name not ready after ${timeout}s (log: $logfile)"
    fi
    sleep 0.2
  done
}

# ---------------------------------------------------------------------------------------------------
# PostgreSQL 15

as_postgres() {
  (cd / && runuser -u postgres -- "$@")
}

pg_psql() {
  as_postgres "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$pg_socket_dir" -p "$pg_port" -U postgres -d postgres "$@"
}

pg_running() {
  pid_alive "$pg_data/postmaster.pid" postgres
}

# Ours, or the one this script just launched and that has not written postmaster.pid yet.
pg_alive() {
  pg_running || launched_alive "${pg_launcher:-}"
}

pg_ready() {
  "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" -U postgres
}

pg_start() {
  mkdir -p "$pg_socket_dir"
  chown postgres:postgres "$pg_socket_dir"
  if [ ! -f "$pg_data/PG_VERSION" ]; then
    # initdb into a scratch folder, renamed when complete: an interrupted initdb leaves no half cluster.
    rm -rf "$pg_data.init"
    mkdir -p "$pg_data.init"
    chown postgres:postgres "$pg_data.init"
    chmod 700 "$pg_data.init"
    as_postgres "$pg_bin/initdb" -D "$pg_data.init" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=scram-sha-256 --no-sync >"$logs/postgres-initdb.log" 2>&1 ||
      { show_log "$logs/postgres-initdb.log"; die "postgres initdb failed"; }
    echo "include_if_exists = 'cdiff.conf'" >>"$pg_data.init/postgresql.conf"
    mv "$pg_data.init" "$pg_data"
  fi
  # Rewritten at each start so that a changed CDIFF_PG_PORT takes effect on existing data.
  cat >"$pg_data/cdiff.conf" <<EOF
# Written by deploy/local/services.sh on each start.
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$pg_socket_dir'
max_connections = 200
# Durable, as in production: cdiff chaos kills this server with SIGKILL and checks that nothing committed
# is lost, which means nothing with these off. Measured on the 2-core machine here, they cost the tests little
# (docs/reliability.md).
fsync = on
synchronous_commit = on
full_page_writes = on
EOF
  chown postgres:postgres "$pg_data/cdiff.conf"
  # A postmaster.pid left by a crash whose pid now belongs to another process would block the start.
  if [ -f "$pg_data/postmaster.pid" ] && ! pg_running; then
    rm -f "$pg_data/postmaster.pid"
  fi
  # Started directly rather than through `pg_ctl start`, to watch it like the other two; pg_ctl stops it.
  (cd / && exec setsid runuser -u postgres -- "$pg_bin/postgres" -D "$pg_data") >>"$logs/postgres.log" 2>&1 </dev/null &
  pg_launcher=$!
}

pg_wait() {
  wait_until postgres "$logs/postgres.log" pg_alive -- pg_ready
  pg_running || { show_log "$logs/postgres.log"; die "postgres answered but is not ours (port $pg_port taken?)"; }
  # Roles and database, created when missing; the service role's privileges are set on every start, so a data
  # folder from before (when it was a superuser) is brought down to them.
  if [ "$(pg_psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$user'")" != 1 ]; then
    pg_psql -c "CREATE ROLE $user LOGIN PASSWORD '$password'"
  fi
  pg_psql -c "ALTER ROLE $user NOSUPERUSER NOCREATEDB NOCREATEROLE"
  if [ "$(pg_psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$admin_user'")" != 1 ]; then
    pg_psql -c "CREATE ROLE $admin_user LOGIN SUPERUSER PASSWORD '$admin_password'"
  fi
  if [ "$(pg_psql -tAc "SELECT 1 FROM pg_database WHERE datname = '$user'")" != 1 ]; then
    pg_psql -c "CREATE DATABASE $user OWNER $user"
  fi
}

pg_stop() {
  if pg_running; then
    as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w -t 60 stop >/dev/null
  fi
}

# ---------------------------------------------------------------------------------------------------
# RabbitMQ 3.10

# Everything RabbitMQ's scripts read, for the server and for rabbitmqctl alike. HOME decides which
# Erlang cookie both use; our own epmd port keeps us apart from a system RabbitMQ and its epmd on 4369.
rabbit_env=(
  HOME="$rabbit_dir"
  RABBITMQ_CONF_ENV_FILE="$rabbit_dir/rabbitmq-env.conf"
  RABBITMQ_CONFIG_FILE="$rabbit_dir/rabbitmq.conf"
  RABBITMQ_ADVANCED_CONFIG_FILE="$rabbit_dir/advanced.config"
  RABBITMQ_ENABLED_PLUGINS_FILE="$rabbit_dir/enabled_plugins"
  RABBITMQ_MNESIA_BASE="$rabbit_dir/mnesia"
  RABBITMQ_LOG_BASE="$rabbit_dir/log"
  RABBITMQ_LOGS=- # log to stdout, which goes to $logs/rabbitmq.log
  RABBITMQ_PID_FILE="$rabbit_pid"
  RABBITMQ_NODENAME="$rabbit_node"
  RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  RABBITMQ_NODE_PORT="$rabbit_port"
  # The default distribution port is NODE_PORT + 20000, which is above 65535 for our port.
  RABBITMQ_DIST_PORT="$rabbit_dist_port"
  RABBITMQ_CTL_DIST_PORT_MIN="${rabbit_ctl_ports%-*}"
  RABBITMQ_CTL_DIST_PORT_MAX="${rabbit_ctl_ports#*-}"
  # Erlang distribution (server and CLI) on loopback only; by default it listens on all interfaces.
  RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  ERL_EPMD_PORT="$epmd_port"
  ERL_EPMD_ADDRESS=127.0.0.1
  ERL_CRASH_DUMP="$rabbit_dir/erl_crash.dump"
)

# Runs a RabbitMQ script as the rabbitmq user. The wrappers in /usr/sbin are bypassed on purpose: they
# cd to /var/lib/rabbitmq, use its cookie and send the server's output to /var/log/rabbitmq.
as_rabbitmq() {
  (cd "$rabbit_dir" && runuser -u rabbitmq -- env "${rabbit_env[@]}" "$@")
}

rabbit_ctl() {
  as_rabbitmq "$rabbit_bin/rabbitmqctl" -q -n "$rabbit_node" "$@"
}

rabbit_running() {
  pid_alive "$rabbit_pid" beam.smp
}

rabbit_alive() {
  rabbit_running || launched_alive "${rabbit_launcher:-}"
}

# True when the port answers the AMQP 0-9-1 protocol header with a method frame (Connection.Start).
amqp_ready() {
  local reply
  # shellcheck disable=SC2016 # $1 is expanded by the inner bash
  reply=$(timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "AMQP\0\0\11\1" >&3 && head -c 1 <&3 | od -An -tx1' _ "$1" 2>/dev/null) || return 1
  [ "${reply// /}" = 01 ]
}

# True when the management API answers (any HTTP status, 401 included).
mgmt_listening() {
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$rabbit_mgmt_port/api/overview")" != 000 ]
}

# True when the admin user can use the management API and the service user has only the management tag
# (it reads queue depths; QueueMonitor) and its permissions on vhost "/".
rabbit_users_ok() {
  local api="http://127.0.0.1:$rabbit_mgmt_port/api" body
  curl -fs -o /dev/null --max-time 5 -u "$user:$password" "$api/whoami" &&
    curl -fs -o /dev/null --max-time 5 -u "$admin_user:$admin_password" "$api/permissions/%2F/$user" &&
    body=$(curl -fs --max-time 5 -u "$admin_user:$admin_password" "$api/users/$user") &&
    [[ $body == *'"tags":["management"]'* ]]
}

rabbit_start() {
  mkdir -p "$rabbit_dir"
  # First boot of an empty node creates this user instead of guest (default_user below).
  cat >"$rabbit_dir/rabbitmq.conf" <<EOF
# Written by deploy/local/services.sh on each start.
listeners.tcp.default = 127.0.0.1:$rabbit_port
management.tcp.ip = 127.0.0.1
management.tcp.port = $rabbit_mgmt_port
default_user = $admin_user
default_pass = $admin_password
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
EOF
  echo '[rabbitmq_management].' >"$rabbit_dir/enabled_plugins"
  : >"$rabbit_dir/rabbitmq-env.conf" # empty: keeps /etc/rabbitmq/rabbitmq-env.conf out
  chown -R rabbitmq:rabbitmq "$rabbit_dir"
  rm -f "$rabbit_pid"
  # setsid: the server outlives this script and the terminal it ran in.
  (cd "$rabbit_dir" && exec setsid runuser -u rabbitmq -- env "${rabbit_env[@]}" "$rabbit_bin/rabbitmq-server") \
    >>"$logs/rabbitmq.log" 2>&1 </dev/null &
  rabbit_launcher=$!
}

# $1: "started" when rabbit_start ran just now. Only then is the AMQP handshake checked, since each
# check leaves a warning in RabbitMQ's log (the client closes without logging in).
rabbit_wait() {
  if [ "$1" = started ]; then
    wait_until rabbitmq "$logs/rabbitmq.log" rabbit_alive -- amqp_ready "$rabbit_port"
  else
    wait_until rabbitmq "$logs/rabbitmq.log" rabbit_alive -- port_open "$rabbit_port"
  fi
  wait_until "rabbitmq management" "$logs/rabbitmq.log" rabbit_alive -- mgmt_listening
  if ! rabbit_users_ok; then
    # A new node (default_user made only the admin), or data from before the service user lost its administrator tag.
    rabbit_ctl add_user "$admin_user" "$admin_password" >/dev/null 2>&1 || rabbit_ctl change_password "$admin_user" "$admin_password" >/dev/null
    rabbit_ctl set_user_tags "$admin_user" administrator >/dev/null
    rabbit_ctl set_permissions -p / "$admin_user" '.*' '.*' '.*' >/dev/null
    rabbit_ctl add_user "$user" "$password" >/dev/null 2>&1 || rabbit_ctl change_password "$user" "$password" >/dev/null
    rabbit_ctl set_user_tags "$user" management >/dev/null
    rabbit_ctl set_permissions -p / "$user" '.*' '.*' '.*' >/dev/null
    rabbit_users_ok || { show_log "$logs/rabbitmq.log"; die "rabbitmq users $user and $admin_user are not as they should be"; }
  fi
}

rabbit_stop() {
  local pid deadline
  if rabbit_running; then
    # The Erlang VM shuts RabbitMQ down cleanly on SIGTERM (same as `rabbitmqctl stop`, much faster).
    pid=$(head -n 1 "$rabbit_pid")
    kill -TERM "$pid"
    deadline=$((SECONDS + 60))
    while kill -0 "$pid" 2>/dev/null; do
      [ $SECONDS -lt $deadline ] || { kill -KILL "$pid" 2>/dev/null || true; break; }
      sleep 0.2
    done
  fi
  rm -f "$rabbit_pid"
  # Our epmd stays behind otherwise; it refuses to die while another node is registered with it.
  if port_open "$epmd_port"; then
    ERL_EPMD_PORT=$epmd_port epmd -kill >/dev/null 2>&1 || true
  fi
}

# ---------------------------------------------------------------------------------------------------
# s3rver (S3 protocol; deploy/local/s3rver/launcher.js)

s3_running() {
  pid_alive "$s3_pid" node
}

s3_alive() {
  s3_running || launched_alive "${s3_launcher:-}"
}

s3_ready() {
  # An anonymous ListBuckets answers 200 with XML once the server listens.
  curl -fs -o /dev/null --max-time 5 "http://127.0.0.1:$s3_port/"
}

s3_install() {
  # npm ci writes node_modules/.package-lock.json; reinstall when the committed lock file is newer.
  if [ ! -f "$s3_pkg/node_modules/.package-lock.json" ] || [ "$s3_pkg/package-lock.json" -nt "$s3_pkg/node_modules/.package-lock.json" ]; then
    command -v npm >/dev/null || die "npm is missing: run deploy/local/install-deps.sh"
    echo "s3rver: npm ci in deploy/local/s3rver"
    (cd "$s3_pkg" && npm ci --no-audit --no-fund --loglevel=error >"$logs/s3rver-npm.log" 2>&1) ||
      { show_log "$logs/s3rver-npm.log"; die "npm ci for s3rver failed"; }
  fi
}

s3_start() {
  s3_install
  mkdir -p "$s3_data"
  (
    export CDIFF_S3_ADDRESS=127.0.0.1 CDIFF_S3_PORT="$s3_port" CDIFF_S3_DIR="$s3_data"
    exec setsid node --openssl-legacy-provider "$s3_pkg/launcher.js"
  ) >>"$logs/s3rver.log" 2>&1 </dev/null &
  s3_launcher=$!
  echo "$s3_launcher" >"$s3_pid" # the same process once it has exec'ed node
}

s3_wait() {
  wait_until s3rver "$logs/s3rver.log" s3_alive -- s3_ready
}

s3_stop() {
  local pid deadline
  if s3_running; then
    pid=$(head -n 1 "$s3_pid")
    kill -TERM "$pid"
    deadline=$((SECONDS + 10))
    while kill -0 "$pid" 2>/dev/null; do
      [ $SECONDS -lt $deadline ] || { kill -KILL "$pid" 2>/dev/null || true; break; }
      sleep 0.1
    done
  fi
  rm -f "$s3_pid"
}

# ---------------------------------------------------------------------------------------------------

write_env() {
  # Sourceable; one `export NAME='value'` per line. The names are the .NET configuration keys.
  cat >"$base/env.tmp" <<EOF
export Postgres__ConnectionString='Host=127.0.0.1;Port=$pg_port;Username=$user;Password=$password;Database=$user'
export RabbitMq__Uri='amqp://$user:$password@127.0.0.1:$rabbit_port/'
export RabbitMq__ManagementUri='http://$user:$password@127.0.0.1:$rabbit_mgmt_port/'
export S3__ServiceUrl='http://127.0.0.1:$s3_port'
export S3__AccessKey='S3RVER'
export S3__SecretKey='S3RVER'
# For test harnesses and benchmarks only (they create and drop databases and virtual hosts), never for the hosts.
export CDIFF_ADMIN_POSTGRES='Host=127.0.0.1;Port=$pg_port;Username=$admin_user;Password=$admin_password;Database=postgres'
export CDIFF_ADMIN_RABBITMQ='http://$admin_user:$admin_password@127.0.0.1:$rabbit_mgmt_port/'
# MassTransit would otherwise report usage to its vendor over the internet.
export MASSTRANSIT_USAGE_TELEMETRY='false'
EOF
  mv "$base/env.tmp" "$base/env"
}

cmd_up() {
  local start=$SECONDS pg_state=up rabbit_state=up s3_state=up
  [ "$(id -u)" = 0 ] || die "run as root: the servers run as the postgres and rabbitmq users"
  if [ ! -x "$pg_bin/initdb" ] || [ ! -x "$rabbit_bin/rabbitmq-server" ] || ! command -v node >/dev/null; then
    die "PostgreSQL 15, RabbitMQ or node is missing: run deploy/local/install-deps.sh"
  fi
  mkdir -p "$logs" "$run"
  # The postgres and rabbitmq users must reach their folders (inside the checkout by default).
  chmod a+x "$(dirname "$base")" "$base"
  runuser -u postgres -- test -x "$base" ||
    die "the postgres user cannot enter $base: make the folders above it world-executable"

  # Start what is not running, all three at once, then wait for each (at once when already ready).
  pg_running || { pg_state=started; pg_start; }
  rabbit_running || { rabbit_state=started; rabbit_start; }
  s3_running || { s3_state=started; s3_start; }
  pg_wait
  s3_wait
  rabbit_wait $rabbit_state
  write_env

  echo "postgres: $pg_state 127.0.0.1:$pg_port (data $pg_data)"
  echo "rabbitmq: $rabbit_state 127.0.0.1:$rabbit_port, management http://127.0.0.1:$rabbit_mgmt_port/ (node $rabbit_node)"
  echo "s3rver: $s3_state http://127.0.0.1:$s3_port (data $s3_data)"
  echo "env: $base/env ($((SECONDS - start))s)"
}

cmd_down() {
  local s3 rabbit pg
  [ "$(id -u)" = 0 ] || die "run as root"
  # All three at once: RabbitMQ alone needs about 6 s to shut down.
  s3_stop & s3=$!
  rabbit_stop & rabbit=$!
  pg_stop & pg=$!
  wait $s3
  wait $rabbit
  wait $pg
  echo "postgres: down"
  echo "rabbitmq: down"
  echo "s3rver: down"
}

cmd_status() {
  local state
  state=down
  if [ -x "$pg_data" ]; then
    pg_running && pg_ready && state=up
  else
    pg_ready && state=up # not root: the data folder is postgres's alone, so trust the port
  fi
  echo "postgres: $state 127.0.0.1:$pg_port"
  state=down; rabbit_running && port_open "$rabbit_port" && state=up
  echo "rabbitmq: $state 127.0.0.1:$rabbit_port (management 127.0.0.1:$rabbit_mgmt_port)"
  state=down; s3_running && s3_ready && state=up
  echo "s3rver: $state 127.0.0.1:$s3_port"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  rabbitmqctl | rabbitmq-diagnostics)
    [ "$(id -u)" = 0 ] || die "run as root"
    tool=$1
    shift
    as_rabbitmq "$rabbit_bin/$tool" -n "$rabbit_node" "$@"
    ;;
  *) echo "usage: $0 up|down|status|rabbitmqctl ARGS|rabbitmq-diagnostics ARGS" >&2; exit 2 ;;
esac
