#!/usr/bin/env bash
# A real Vitess cluster on loopback for the tests and the demo: keyspace `commerce`, sharded -80 and
# 80- by a hash vindex, each shard its own MariaDB instance served by an unmanaged vttablet, the
# topology in etcd, and VTGate with static gRPC auth and a MySQL port, reached exactly as the
# connector reaches PlanetScale.
#
#   scripts/vitess-local.sh up        build the binaries once (cached), start what is down, print how to connect
#   scripts/vitess-local.sh down      stop everything it started (by process id) and remove the cluster's data
#   scripts/vitess-local.sh status    say what runs
#   scripts/vitess-local.sh env       the connection as shell variables (SV_VTGATE_*)
#   scripts/vitess-local.sh reshard-keyspace  (re)create keyspace `resharded`: serving shards -80 and 80-,
#                                             and idle target shards -40, 40-80, 80-c0, c0- for a Reshard
#   scripts/vitess-local.sh vtctldclient ARGS  run vtctldclient against the cluster's topology
#
# Vitess is built from the Go module vitess.io/vitess at $VITESS_VERSION with CGO off into
# $SV_VITESS_CACHE (default /var/cache/source-vitess as root, else ~/.cache/source-vitess); the first build takes 3 to 10 minutes on
# 2 cores, later runs reuse it. etcd and MariaDB come from Debian's packages. Data and logs live in
# $SV_VITESS_DIR (default /var/tmp/source-vitess; logs in its logs/ folder).
#
# Why unmanaged tablets over MariaDB instances we start ourselves: vttablet's own MySQL set-up
# (mysqlctl's init_db.sql) uses super_read_only, which MariaDB lacks. Vitess over MariaDB is
# deprecated for new deployments but still served by v0.24 (its CI runs it); v0.26 refuses it.
set -euo pipefail

VITESS_VERSION=v0.24.4
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ "$(id -u)" = 0 ]; then CACHE=${SV_VITESS_CACHE:-/var/cache/source-vitess}
else CACHE=${SV_VITESS_CACHE:-$HOME/.cache/source-vitess}; fi
BIN=$CACHE/vitess-$VITESS_VERSION/bin
DIR=${SV_VITESS_DIR:-/var/tmp/source-vitess}
LOGS=$DIR/logs
RUN=$DIR/run

KEYSPACE=commerce
CELL=zone1
ETCD_PORT=12379
ETCD_PEER_PORT=12380
VTGATE_HTTP_PORT=15001
VTGATE_GRPC_PORT=15991
VTGATE_MYSQL_PORT=15306
# VTGate advertises MySQL 8.4 by default, so clients ask for @@transaction_isolation, which the
# shards' MariaDB 10.11 does not have (it came in 11.1); Connector/J asks for it from 5.7.20 on, so
# advertise Vitess's own former default, 5.7.9.
VTGATE_MYSQL_VERSION=5.7.9-Vitess
VT_USER=airbyte
VT_PASSWORD=airbyte-vitess-pw
DB_PASSWORD=vt-internal-pw   # Vitess's own accounts on the shards' MariaDB (vt_app, vt_dba, ...)
# The cluster's processes run in this zone, as on a host kept in local time: MariaDB's time_zone is
# then SYSTEM = this zone, so any TIMESTAMP that Vitess rendered in the server's zone rather than in
# UTC would show. Not a whole-hour offset, and no daylight saving, so a shift is plain to see.
SERVER_TZ=Asia/Kolkata
export TZ=$SERVER_TZ

# uid shard mysql-port: one MariaDB + one vttablet each (tablet ports derive from the uid)
SERVING_SHARDS=("100 -80 17100" "200 80- 17200")
# keyspace `resharded`, for Reshard tests (its own instances, so `commerce` stays as it is)
RESHARD_KEYSPACE=resharded
RESHARD_SOURCES=("300 -80 17300" "400 80- 17400")
RESHARD_TARGETS=("500 -40 17500" "600 40-80 17600" "700 80-c0 17700" "800 c0- 17800")

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
say() { echo "vitess-local: $*" >&2; }
die() { say "$*"; say "logs: $LOGS"; exit 1; }
topo() { echo --topo-implementation etcd2 --topo-global-server-address "127.0.0.1:$ETCD_PORT" --topo-global-root /vitess/global; }
VTCTLD_HTTP_PORT=15000
VTCTLD_GRPC_PORT=15999
# Through the running vtctld once it is up: vtctldclient's embedded server ("internal") has no
# tablet dialer, so workflow commands such as SwitchTraffic fail in it (and leave their lock).
vtctld() {
  if pid_alive vtctld; then "$BIN/vtctldclient" --server "127.0.0.1:$VTCTLD_GRPC_PORT" "$@"
  else "$BIN/vtctldclient" --server internal $(topo) "$@"; fi
}

# ------------------------------------------------------------------------------------ install

install_packages() {
  local missing=()
  [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
  command -v mariadb >/dev/null 2>&1 || missing+=(mariadb-client)
  command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  [ -f "/usr/share/zoneinfo/$SERVER_TZ" ] || missing+=(tzdata)
  [ ${#missing[@]} -eq 0 ] && return
  say "installing ${missing[*]} from Debian's packages"
  as_root apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q "${missing[@]}" >&2
}

build_vitess() {
  if [ -x "$BIN/vtgate" ] && [ -x "$BIN/vttablet" ] && [ -x "$BIN/vtctld" ] && [ -x "$BIN/vtctldclient" ]; then
    return
  fi
  command -v go >/dev/null 2>&1 || die "Go is needed to build Vitess (go 1.26, from the Go module proxy)"
  say "building vtgate, vttablet, vtctld and vtctldclient $VITESS_VERSION into $BIN (once; 3 to 10 minutes)"
  local started=$SECONDS src
  # `go install pkg@version` refuses Vitess (its go.mod has exclude directives), so build inside
  # the downloaded module, where its own go.mod and go.sum apply.
  src=$(cd /tmp && GOFLAGS=-mod=mod go mod download -json "vitess.io/vitess@$VITESS_VERSION" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -d "$src" ] || die "could not download vitess.io/vitess@$VITESS_VERSION from the Go module proxy"
  mkdir -p "$BIN.partial"
  (cd "$src" && CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$BIN.partial/" \
      ./go/cmd/vtgate ./go/cmd/vttablet ./go/cmd/vtctld ./go/cmd/vtctldclient) >&2 \
    || die "the Go build of Vitess failed (output above)"
  rm -rf "$BIN" && mv "$BIN.partial" "$BIN"
  say "built in $((SECONDS - started)) s"
}

# ------------------------------------------------------------------------------------ processes

pid_alive() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

# Vitess refuses to run as root ("running this as root makes no sense"): as root, its processes
# and etcd run as the system user vitess.
RUN_AS=()
if [ "$(id -u)" = 0 ]; then RUN_AS=(setpriv --reuid=vitess --regid=vitess --init-groups); fi

make_user() {
  [ ${#RUN_AS[@]} -gt 0 ] || return 0
  id vitess >/dev/null 2>&1 || useradd --system --no-create-home --home-dir "$DIR" --shell /usr/sbin/nologin vitess
}

# spawn NAME CMD...: runs CMD in the background, detached, output to logs/NAME.log, pid to run/NAME.pid
spawn() {
  local name=$1; shift
  setsid "$@" >>"$LOGS/$name.log" 2>&1 < /dev/null &
  echo $! > "$RUN/$name.pid"
}

# wait_for WHAT LOG NAME CHECK...: until CHECK passes; fails at once when process NAME has died
wait_for() {
  local what=$1 log=$2 name=$3; shift 3
  for _ in $(seq 1 240); do
    "$@" >/dev/null 2>&1 && return 0
    if [ -n "$name" ] && ! pid_alive "$name"; then
      say "$what exited; the end of $log:"
      tail -n 40 "$log" >&2 || true
      die "$what did not come up"
    fi
    sleep 0.5
  done
  say "$what did not come up within 120 s; the end of $log:"
  tail -n 40 "$log" >&2 || true
  die "$what did not come up"
}

stop_pid() {
  local name=$1 pid
  [ -f "$RUN/$name.pid" ] || return 0
  pid=$(cat "$RUN/$name.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$RUN/$name.pid"
}

# ------------------------------------------------------------------------------------ etcd

start_etcd() {
  pid_alive etcd && return
  spawn etcd "${RUN_AS[@]}" etcd --name sv-local --data-dir "$DIR/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "sv-local=http://127.0.0.1:$ETCD_PEER_PORT"
  wait_for etcd "$LOGS/etcd.log" etcd curl -sf "http://127.0.0.1:$ETCD_PORT/health"
}

init_topology() {
  if ! vtctld GetCellInfo "$CELL" >/dev/null 2>&1; then
    vtctld AddCellInfo --root "/vitess/$CELL" --server-address "127.0.0.1:$ETCD_PORT" "$CELL" >&2
  fi
  if ! vtctld GetKeyspace "$KEYSPACE" >/dev/null 2>&1; then
    vtctld CreateKeyspace --durability-policy none "$KEYSPACE" >&2
    vtctld ApplyVSchema --vschema '{"sharded": true, "vindexes": {"hash": {"type": "hash"}}, "tables": {}}' \
      "$KEYSPACE" >/dev/null
  fi
}

start_vtctld() {
  pid_alive vtctld && return
  spawn vtctld "${RUN_AS[@]}" "$BIN/vtctld" $(topo) --cell "$CELL" \
    --service-map grpc-vtctl,grpc-vtctld --port "$VTCTLD_HTTP_PORT" --grpc-port "$VTCTLD_GRPC_PORT" \
    --bind-address 127.0.0.1 --grpc-bind-address 127.0.0.1
  wait_for vtctld "$LOGS/vtctld.log" vtctld curl -sf "http://127.0.0.1:$VTCTLD_HTTP_PORT/debug/status"
}

# ------------------------------------------------------------------------------------ MariaDB

mysql_dir() { echo "$DIR/mysql-$1"; }
shard_sql() { as_root mariadb --socket="$(mysql_dir "$1")/mysql.sock" "${@:2}"; }
in_server_zone() { [ "$(shard_sql "$1" -N -e 'SELECT @@system_time_zone')" = "$(date +%Z)" ]; }

start_mariadb() {
  local uid=$1 port=$2 keyspace=${3:-$KEYSPACE} dir
  dir=$(mysql_dir "$uid")
  pid_alive "mysql-$uid" && return
  if [ ! -d "$dir/data/mysql" ]; then
    as_root mkdir -p "$dir/data"
    cat > "$dir/my.cnf" <<CNF
[mysqld]
datadir=$dir/data
socket=$dir/mysql.sock
pid-file=$dir/mysql.pid
port=$port
bind-address=127.0.0.1
server_id=$uid
log_bin=$dir/data/binlog
binlog_format=ROW
binlog_row_image=FULL
gtid_strict_mode=1
log_bin_compress=OFF
log_slave_updates=1
character-set-server=utf8mb4
collation-server=utf8mb4_general_ci
innodb_buffer_pool_size=64M
innodb_log_file_size=48M
max_connections=300
skip-name-resolve
CNF
    as_root chown -R mysql:mysql "$dir"
    as_root mariadb-install-db --defaults-file="$dir/my.cnf" --user=mysql \
      --auth-root-authentication-method=socket --skip-test-db >"$LOGS/mysql-$uid.install.log" 2>&1 \
      || die "mariadb-install-db failed for shard instance $uid (see $LOGS/mysql-$uid.install.log)"
  fi
  as_root chown -R mysql:mysql "$dir"
  spawn "mysql-$uid" /usr/sbin/mariadbd --defaults-file="$dir/my.cnf" --user=mysql --log-error="$LOGS/mysql-$uid.err"
  wait_for "MariaDB $uid (port $port)" "$LOGS/mysql-$uid.err" "mysql-$uid" shard_sql "$uid" -e 'SELECT 1'
  # Vitess's accounts; vttablet reaches MariaDB over TCP with them
  shard_sql "$uid" <<SQL
CREATE DATABASE IF NOT EXISTS \`$keyspace\`;
CREATE USER IF NOT EXISTS 'vt_dba'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
CREATE USER IF NOT EXISTS 'vt_app'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
CREATE USER IF NOT EXISTS 'vt_allprivs'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
CREATE USER IF NOT EXISTS 'vt_filtered'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
CREATE USER IF NOT EXISTS 'vt_repl'@'127.0.0.1' IDENTIFIED BY '$DB_PASSWORD';
GRANT ALL ON *.* TO 'vt_dba'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL ON *.* TO 'vt_app'@'127.0.0.1';
GRANT ALL ON *.* TO 'vt_allprivs'@'127.0.0.1';
GRANT ALL ON *.* TO 'vt_filtered'@'127.0.0.1';
GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'vt_repl'@'127.0.0.1';
SQL
}

# ------------------------------------------------------------------------------------ vttablet

alias_of() { printf '%s-%010d' "$CELL" "$1"; }

# No --heartbeat-enable: its writes to the sidecar database every second would move every shard's
# position all the time, so no sync could ever find nothing new.
start_vttablet() {
  local uid=$1 shard=$2 port=$3 keyspace=${4:-$KEYSPACE}
  pid_alive "vttablet-$uid" && return
  local db_flags=()
  for role in app dba allprivs filtered repl appdebug; do
    db_flags+=("--db-$role-user" "vt_$role" "--db-$role-password" "$DB_PASSWORD" "--db-$role-use-ssl=false")
  done
  db_flags[${#db_flags[@]}]=--db-appdebug-user=vt_app
  spawn "vttablet-$uid" "${RUN_AS[@]}" "$BIN/vttablet" $(topo) \
    --tablet-path "$(alias_of "$uid")" --tablet-hostname 127.0.0.1 \
    --init-keyspace "$keyspace" --init-shard "$shard" --init-tablet-type replica \
    --init-db-name-override "$keyspace" \
    --unmanaged --db-host 127.0.0.1 --db-port "$port" --db-charset utf8mb4_general_ci "${db_flags[@]}" \
    --port "$((uid + 15000))" --grpc-port "$((uid + 16000))" \
    --bind-address 127.0.0.1 --grpc-bind-address 127.0.0.1 \
    --service-map grpc-queryservice,grpc-tabletmanager,grpc-updatestream \
    --health-check-interval 2s \
    --pid-file "$RUN/vttablet-$uid.vtpid"
  wait_for "vttablet $uid ($keyspace/$shard)" "$LOGS/vttablet-$uid.log" "vttablet-$uid" \
    curl -sf "http://127.0.0.1:$((uid + 15000))/debug/status"
}

make_primary() {
  local uid=$1
  if vtctld GetTablet "$(alias_of "$uid")" 2>/dev/null | grep -q '"type": "PRIMARY"\|"type": 1\b'; then return; fi
  vtctld TabletExternallyReparented "$(alias_of "$uid")" >&2
}

# ------------------------------------------------------------------------------------ vtgate

start_vtgate() {
  pid_alive vtgate && return
  cat > "$DIR/vtgate-mysql-users.json" <<JSON
{"$VT_USER": [{"Password": "$VT_PASSWORD", "UserData": "$VT_USER"}]}
JSON
  cat > "$DIR/vtgate-grpc-users.json" <<JSON
[{"Username": "$VT_USER", "Password": "$VT_PASSWORD"}]
JSON
  spawn vtgate "${RUN_AS[@]}" "$BIN/vtgate" $(topo) \
    --cell "$CELL" --cells-to-watch "$CELL" --tablet-types-to-wait PRIMARY \
    --port "$VTGATE_HTTP_PORT" --grpc-port "$VTGATE_GRPC_PORT" --mysql-server-port "$VTGATE_MYSQL_PORT" \
    --bind-address 127.0.0.1 --grpc-bind-address 127.0.0.1 --mysql-server-bind-address 127.0.0.1 \
    --mysql-auth-server-impl static --mysql-auth-server-static-file "$DIR/vtgate-mysql-users.json" \
    --grpc-auth-mode static --grpc-auth-static-password-file "$DIR/vtgate-grpc-users.json" \
    --vschema-ddl-authorized-users "$VT_USER" \
    --service-map grpc-vtgateservice --tablet-refresh-interval 2s \
    --mysql-server-version "$VTGATE_MYSQL_VERSION"
  wait_for vtgate "$LOGS/vtgate.log" vtgate \
    mariadb -h127.0.0.1 -P"$VTGATE_MYSQL_PORT" -u"$VT_USER" -p"$VT_PASSWORD" -e "SHOW VITESS_TABLETS"
}

# vtgate_sees KEYSPACE SHARD...: VTGate knows a primary of each shard, serving or not yet
vtgate_sees() {
  local keyspace=$1 tablets shard; shift
  tablets=$(mariadb -h127.0.0.1 -P"$VTGATE_MYSQL_PORT" -u"$VT_USER" -p"$VT_PASSWORD" -N -e "SHOW VITESS_TABLETS" 2>/dev/null) || return 1
  for shard in "$@"; do
    grep -qP "\t$keyspace\t$shard\tPRIMARY\t" <<< "$tablets" || return 1
  done
}

# vtgate_serves KEYSPACE SHARD...: VTGate sees a serving primary of each shard
vtgate_serves() {
  local keyspace=$1 tablets shard; shift
  tablets=$(mariadb -h127.0.0.1 -P"$VTGATE_MYSQL_PORT" -u"$VT_USER" -p"$VT_PASSWORD" -N -e "SHOW VITESS_TABLETS" 2>/dev/null) || return 1
  for shard in "$@"; do
    grep -qP "\t$keyspace\t$shard\tPRIMARY\tSERVING\t" <<< "$tablets" || return 1
  done
}

shards_of() { local entry; for entry in "$@"; do read -r _ shard _ <<< "$entry"; echo "$shard"; done; }

# ------------------------------------------------------------------------------------ commands

print_env() {
  echo "SV_VTGATE_HOST=127.0.0.1"
  echo "SV_VTGATE_GRPC_PORT=$VTGATE_GRPC_PORT"
  echo "SV_VTGATE_MYSQL_PORT=$VTGATE_MYSQL_PORT"
  echo "SV_VTGATE_USER=$VT_USER"
  echo "SV_VTGATE_PASSWORD=$VT_PASSWORD"
  echo "SV_VTGATE_KEYSPACE=$KEYSPACE"
  echo "SV_VTGATE_CELL=$CELL"
  echo "SV_VTGATE_HTTP_PORT=$VTGATE_HTTP_PORT"
  # the shards' own MariaDB, for tests that look behind VTGate (Vitess's dba account)
  local shards=()
  for entry in "${SERVING_SHARDS[@]}"; do read -r _ shard port <<< "$entry"; shards+=("$shard=$port"); done
  echo "SV_VITESS_SHARD_PORTS=$(IFS=,; echo "${shards[*]}")"
  echo "SV_VITESS_DB_USER=vt_dba"
  echo "SV_VITESS_DB_PASSWORD=$DB_PASSWORD"
  echo "SV_VITESS_LOGS=$LOGS"
  echo "SV_VITESS_SCRIPT=$ROOT/scripts/vitess-local.sh"
}

up() {
  install_packages
  build_vitess
  make_user
  mkdir -p "$LOGS" "$RUN" "$DIR/etcd"
  # the vitess user writes its logs, pids and etcd's data; mysql writes its error logs beside them
  if [ ${#RUN_AS[@]} -gt 0 ]; then chown vitess:vitess "$DIR" "$LOGS" "$RUN" "$DIR/etcd"; fi
  chmod 755 "$DIR"; chmod 1777 "$LOGS"
  start_etcd
  init_topology
  start_vtctld
  for entry in "${SERVING_SHARDS[@]}"; do
    read -r uid shard port <<< "$entry"
    if pid_alive "mysql-$uid" && ! in_server_zone "$uid"; then
      say "restarting shard instance $uid and its tablet in time zone $SERVER_TZ (an older script started them)"
      stop_pid "vttablet-$uid"
      stop_pid "mysql-$uid"
    fi
    start_mariadb "$uid" "$port"
    start_vttablet "$uid" "$shard" "$port"
    make_primary "$uid"
  done
  vtctld RebuildKeyspaceGraph "$KEYSPACE" >&2
  start_vtgate
  wait_for "VTGate serving every shard of $KEYSPACE" "$LOGS/vtgate.log" vtgate \
    vtgate_serves "$KEYSPACE" $(shards_of "${SERVING_SHARDS[@]}")
  say "up: VTGate gRPC 127.0.0.1:$VTGATE_GRPC_PORT, MySQL 127.0.0.1:$VTGATE_MYSQL_PORT, user $VT_USER," \
    "password $VT_PASSWORD, keyspace $KEYSPACE (shards -80, 80-), cells $CELL, tls_mode disabled; logs in $LOGS"
}

reshard_keyspace() {
  pid_alive vtgate || die "the cluster is not up: run 'up' first"
  for entry in "${RESHARD_SOURCES[@]}" "${RESHARD_TARGETS[@]}"; do
    read -r uid _ _ <<< "$entry"
    stop_pid "vttablet-$uid"
    stop_pid "mysql-$uid"
    as_root rm -rf "$(mysql_dir "$uid")"
  done
  if vtctld GetKeyspace "$RESHARD_KEYSPACE" >/dev/null 2>&1; then
    # a keyspace left half-deleted (an earlier run stopped part-way) makes DeleteKeyspace stumble on
    # its missing parts: what counts is that it is gone afterwards
    vtctld DeleteKeyspace --recursive --force "$RESHARD_KEYSPACE" >&2 || true
    if vtctld GetKeyspace "$RESHARD_KEYSPACE" >/dev/null 2>&1; then
      die "could not delete keyspace $RESHARD_KEYSPACE from the topology"
    fi
  fi
  vtctld CreateKeyspace --durability-policy none "$RESHARD_KEYSPACE" >&2
  vtctld ApplyVSchema --vschema '{"sharded": true, "vindexes": {"hash": {"type": "hash"}}, "tables": {}}' \
    "$RESHARD_KEYSPACE" >/dev/null
  for entry in "${RESHARD_SOURCES[@]}" "${RESHARD_TARGETS[@]}"; do
    read -r uid shard port <<< "$entry"
    start_mariadb "$uid" "$port" "$RESHARD_KEYSPACE"
    start_vttablet "$uid" "$shard" "$port" "$RESHARD_KEYSPACE"
    make_primary "$uid"
  done
  vtctld RebuildKeyspaceGraph "$RESHARD_KEYSPACE" >&2
  wait_for "VTGate serving $RESHARD_KEYSPACE" "$LOGS/vtgate.log" vtgate \
    vtgate_serves "$RESHARD_KEYSPACE" $(shards_of "${RESHARD_SOURCES[@]}")
  wait_for "VTGate seeing the target shards of $RESHARD_KEYSPACE" "$LOGS/vtgate.log" vtgate \
    vtgate_sees "$RESHARD_KEYSPACE" $(shards_of "${RESHARD_TARGETS[@]}")
  say "keyspace $RESHARD_KEYSPACE: serving -80, 80-; targets -40, 40-80, 80-c0, c0- ready for a Reshard"
}

down() {
  stop_pid vtgate
  for entry in "${RESHARD_SOURCES[@]}" "${RESHARD_TARGETS[@]}" "${SERVING_SHARDS[@]}"; do
    read -r uid _ _ <<< "$entry"
    stop_pid "vttablet-$uid"
    stop_pid "mysql-$uid"
  done
  stop_pid vtctld
  stop_pid etcd
  # the data goes too: a later `up` starts from an empty keyspace (the logs stay for reading)
  as_root rm -rf "$DIR/etcd" "$DIR"/mysql-*
  say "down"
}

status() {
  local any=0
  for name in etcd vtctld vtgate $(cd "$RUN" 2>/dev/null && ls -- *.pid 2>/dev/null | sed 's/\.pid$//' | grep -v '^etcd$\|^vtctld$\|^vtgate$'); do
    if pid_alive "$name"; then echo "$name: running (pid $(cat "$RUN/$name.pid"))"; any=1
    else echo "$name: down"; fi
  done
  [ $any = 1 ]
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  env) print_env ;;
  reshard-keyspace) reshard_keyspace ;;
  vtctldclient) shift; vtctld "$@" ;;
  *) echo "usage: $0 up|down|status|env|reshard-keyspace|vtctldclient ARGS" >&2; exit 2 ;;
esac
