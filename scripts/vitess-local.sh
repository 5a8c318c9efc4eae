#!/usr/bin/env bash
# A real Vitess cluster on loopback for the tests and the demo: keyspace `commerce`, sharded -80 and
# 80- by a hash vindex, each shard its own database instance served by an unmanaged vttablet, the
# topology in etcd, and VTGate with static gRPC auth and a MySQL port, reached exactly as the
# connector reaches PlanetScale. Two flavours, each a cluster of its own that runs beside the other:
#
#   mariadb (the default)  shards on MariaDB 10.11 from Debian's packages; positions MariaDB/...
#   mysql                  shards on MySQL 9.7 from a Debian sid root run by chroot, as PlanetScale
#                          serves it: positions MySQL56/<uuid>:1-N, utf8mb4_0900_ai_ci, binary JSON
#
#   scripts/vitess-local.sh [--flavor mariadb|mysql] [--replicas] COMMAND
#     up        build the binaries once (cached), start what is down, print how to connect;
#               with --replicas, also one replica tablet per serving shard (uid+1), its own instance
#               replicating from the shard's primary by GTID
#     down      stop everything it started (by process id) and remove the cluster's data
#     status    say what runs
#     env       the connection as shell variables (SV_VTGATE_*, SV_VITESS_*)
#     reshard-keyspace  (re)create keyspace `resharded`: serving shards -80 and 80-,
#                       and idle target shards -40, 40-80, 80-c0, c0- for a Reshard
#     vtctldclient ARGS run vtctldclient against the cluster's topology
#   The flavour may also come from SV_VITESS_FLAVOR.
#
# Ports: the mariadb cluster uses etcd 12379/12380, vtctld 15000/15999, VTGate 15001 (HTTP),
# 15991 (gRPC), 15306 (MySQL), tablet uid u at u+15000 (HTTP) and u+16000 (gRPC), its database
# instance at u+17000; the mysql cluster uses the same ports plus 10000 (etcd 22379, VTGate gRPC
# 25991 and MySQL 25306, shards' MySQL 27100 and 27200, ...). Uids: serving shards 100 and 200,
# their replicas 101 and 201, keyspace `resharded` 300 to 800.
#
# Vitess is built from the Go module vitess.io/vitess at $VITESS_VERSION with CGO off into
# $SV_VITESS_CACHE (default /var/cache/source-vitess as root, else ~/.cache/source-vitess); the first
# build takes 3 to 10 minutes on 2 cores, later runs reuse it. etcd and MariaDB come from Debian's
# packages. MySQL comes from Debian sid (no MySQL server package is reachable for bookworm): a sid
# root made once by debootstrap in the cache (about 2 minutes; root only), kept out of the machine's
# own apt sources. Data and logs live in $SV_VITESS_DIR (default /var/tmp/source-vitess; mysql:
# $SV_VITESS_MYSQL_DIR, default /var/tmp/source-vitess-mysql; logs in its logs/ folder).
#
# Why unmanaged tablets over instances we start ourselves: vttablet's own MySQL set-up (mysqlctl's
# init_db.sql) uses super_read_only, which MariaDB lacks; one way for both flavours. Vitess over
# MariaDB is deprecated for new deployments but still served by v0.24 (its CI runs it); v0.26
# refuses it.
set -euo pipefail

usage() {
  echo "usage: $0 [--flavor mariadb|mysql] [--replicas] up|down|status|env|reshard-keyspace|vtctldclient ARGS" >&2
  exit 2
}

FLAVOR=${SV_VITESS_FLAVOR:-mariadb}
REPLICAS=0
while [ $# -gt 0 ]; do
  case $1 in
    --flavor) [ $# -ge 2 ] || usage; FLAVOR=$2; shift 2 ;;
    --flavor=*) FLAVOR=${1#--flavor=}; shift ;;
    --replicas) REPLICAS=1; shift ;;
    --) shift; break ;;
    -*) usage ;;
    *) break ;;
  esac
done

VITESS_VERSION=v0.24.4
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ "$(id -u)" = 0 ]; then CACHE=${SV_VITESS_CACHE:-/var/cache/source-vitess}
else CACHE=${SV_VITESS_CACHE:-$HOME/.cache/source-vitess}; fi
BIN=$CACHE/vitess-$VITESS_VERSION/bin
# The Debian sid root that holds MySQL (flavour mysql); its mysqld runs in it by chroot
MYSQL_ROOT=$CACHE/debian-sid-mysql

case $FLAVOR in
  mariadb) PORT_OFFSET=0; DIR=${SV_VITESS_DIR:-/var/tmp/source-vitess} ;;
  mysql) PORT_OFFSET=10000; DIR=${SV_VITESS_MYSQL_DIR:-/var/tmp/source-vitess-mysql} ;;
  *) echo "vitess-local: unknown flavour '$FLAVOR' (mariadb or mysql)" >&2; usage ;;
esac
LOGS=$DIR/logs
RUN=$DIR/run

KEYSPACE=commerce
CELL=zone1
ETCD_PORT=$((12379 + PORT_OFFSET))
ETCD_PEER_PORT=$((12380 + PORT_OFFSET))
VTCTLD_HTTP_PORT=$((15000 + PORT_OFFSET))
VTCTLD_GRPC_PORT=$((15999 + PORT_OFFSET))
VTGATE_HTTP_PORT=$((15001 + PORT_OFFSET))
VTGATE_GRPC_PORT=$((15991 + PORT_OFFSET))
VTGATE_MYSQL_PORT=$((15306 + PORT_OFFSET))
tablet_http_port() { echo $(($1 + 15000 + PORT_OFFSET)); }
tablet_grpc_port() { echo $(($1 + 16000 + PORT_OFFSET)); }
db_port() { echo $(($1 + 17000 + PORT_OFFSET)); }
VT_USER=airbyte
VT_PASSWORD=airbyte-vitess-pw
DB_PASSWORD=vt-internal-pw   # Vitess's own accounts on the shards' databases (vt_app, vt_dba, ...)
# The cluster's processes run in this zone, as on a host kept in local time: the database's
# time_zone is then SYSTEM = this zone, so any TIMESTAMP that Vitess rendered in the server's zone
# rather than in UTC would show. Not a whole-hour offset, and no daylight saving, so a shift is
# plain to see.
SERVER_TZ=Asia/Kolkata
export TZ=$SERVER_TZ

# uid shard: one database instance + one vttablet each (ports derive from the uid)
SERVING_SHARDS=("100 -80" "200 80-")
# keyspace `resharded`, for Reshard tests (its own instances, so `commerce` stays as it is)
RESHARD_KEYSPACE=resharded
RESHARD_SOURCES=("300 -80" "400 80-")
RESHARD_TARGETS=("500 -40" "600 40-80" "700 80-c0" "800 c0-")
# a serving shard's replica (--replicas): the next uid
replica_of() { local uid shard; read -r uid shard <<< "$1"; echo "$((uid + 1)) $shard"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
say() { echo "vitess-local ($FLAVOR): $*" >&2; }
die() { say "$*"; say "logs: $LOGS"; exit 1; }
topo() { echo --topo-implementation etcd2 --topo-global-server-address "127.0.0.1:$ETCD_PORT" --topo-global-root /vitess/global; }
# Through the running vtctld once it is up: vtctldclient's embedded server ("internal") has no
# tablet dialer, so workflow commands such as SwitchTraffic fail in it (and leave their lock).
vtctld() {
  if pid_alive vtctld; then "$BIN/vtctldclient" --server "127.0.0.1:$VTCTLD_GRPC_PORT" "$@"
  else "$BIN/vtctldclient" --server internal $(topo) "$@"; fi
}

# ------------------------------------------------------------------------------------ install

install_packages() {
  local missing=()
  if [ "$FLAVOR" = mariadb ]; then
    [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
  else
    [ -f "$MYSQL_ROOT/.source-vitess-ready" ] || command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  fi
  # the MariaDB client also asks VTGate whether it serves (VTGate speaks the same protocol for both)
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
  built() { [ -x "$BIN/vtgate" ] && [ -x "$BIN/vttablet" ] && [ -x "$BIN/vtctld" ] && [ -x "$BIN/vtctldclient" ]; }
  built && return
  command -v go >/dev/null 2>&1 || die "Go is needed to build Vitess (go 1.26, from the Go module proxy)"
  mkdir -p "$CACHE"
  # one build at a time: both flavours' clusters may come up at once
  exec 8>"$CACHE/.vitess-build.lock"
  flock 8
  if built; then exec 8>&-; return; fi
  say "building vtgate, vttablet, vtctld and vtctldclient $VITESS_VERSION into $BIN (once; 3 to 10 minutes)"
  local started=$SECONDS src partial=$BIN.partial.$$
  # `go install pkg@version` refuses Vitess (its go.mod has exclude directives), so build inside
  # the downloaded module, where its own go.mod and go.sum apply.
  src=$(cd /tmp && GOFLAGS=-mod=mod go mod download -json "vitess.io/vitess@$VITESS_VERSION" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -d "$src" ] || die "could not download vitess.io/vitess@$VITESS_VERSION from the Go module proxy"
  rm -rf "$partial" && mkdir -p "$partial"
  (cd "$src" && CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$partial/" \
      ./go/cmd/vtgate ./go/cmd/vttablet ./go/cmd/vtctld ./go/cmd/vtctldclient) >&2 \
    || { rm -rf "$partial"; die "the Go build of Vitess failed (output above)"; }
  # a build of an older script (which takes no lock) may have finished meanwhile: keep that one
  if built; then rm -rf "$partial"; else rm -rf "$BIN" && mv "$partial" "$BIN"; fi
  exec 8>&-
  say "built in $((SECONDS - started)) s"
}

# ------------------------------------------------------------------------------------ the sid root (mysql)

# mounts_under DIR: the mount points at or below DIR, deepest first
mounts_under() {
  awk -v d="$1" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts | sort -r
}

# unmount_under DIR: nothing stays mounted at or below DIR (before anything there is removed: a
# bind mount left by a failed debootstrap could be the machine's own /dev)
unmount_under() {
  local point
  for point in $(mounts_under "$1"); do umount "$point" || umount -l "$point" || true; done
  [ -z "$(mounts_under "$1")" ] || die "cannot unmount what is mounted below $1: $(mounts_under "$1" | tr '\n' ' ')"
}

# the mirror the machine's apt already uses for its own release
apt_mirror() {
  local codename mirror
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  mirror=$(apt-get indextargets --format '$(RELEASE) $(REPO_URI)' 2>/dev/null \
    | awk -v c="$codename" '$1 == c { print $2; exit }')
  echo "${mirror:-http://deb.debian.org/debian/}"
}

in_root() { chroot "$MYSQL_ROOT" "$@"; }

# A Debian sid root holding mysql-server-core and mysql-client, made once. sid stays inside it and
# never reaches the machine's own apt sources. Its Release file looks expired to this machine's
# clock, hence Check-Valid-Until=false.
make_mysql_root() {
  [ -f "$MYSQL_ROOT/.source-vitess-ready" ] && return
  [ "$(id -u)" = 0 ] || die "the MySQL flavour needs root once, to make its Debian sid root (debootstrap, chroot)"
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.debian-sid-mysql.lock"
  flock 9
  if [ -f "$MYSQL_ROOT/.source-vitess-ready" ]; then exec 9>&-; return; fi
  local partial=$MYSQL_ROOT.partial mirror started=$SECONDS
  local apt=(apt-get -q -y -o Acquire::Check-Valid-Until=false -o APT::Install-Recommends=false)
  mirror=$(apt_mirror)
  say "making a Debian sid root with MySQL in $MYSQL_ROOT from $mirror (once; about 2 minutes)"
  unmount_under "$partial"
  rm -rf --one-file-system "$partial"
  debootstrap --variant=minbase sid "$partial" "$mirror" >"$LOGS/debootstrap.log" 2>&1 \
    || { unmount_under "$partial"; die "debootstrap of Debian sid failed (see $LOGS/debootstrap.log)"; }
  unmount_under "$partial"
  {
    chroot "$partial" "${apt[@]}" update \
      && DEBIAN_FRONTEND=noninteractive chroot "$partial" "${apt[@]}" install mysql-server-core mysql-client tzdata \
      && chroot "$partial" apt-get clean
  } >"$LOGS/sid-mysql-install.log" 2>&1 \
    || die "installing MySQL into the sid root failed (see $LOGS/sid-mysql-install.log)"
  # mysqld drops to this user in the root (mysql-server-core alone does not make it), with the ids
  # of the machine's own mysql user, so that `ps` and `ls` outside name it rightly
  id mysql >/dev/null 2>&1 || useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin mysql
  chroot "$partial" sh -c "getent group mysql >/dev/null || groupadd --system --gid $(id -g mysql) mysql
    id mysql >/dev/null 2>&1 || useradd --system --uid $(id -u mysql) --gid mysql --no-create-home \
      --home-dir /nonexistent --shell /usr/sbin/nologin mysql"
  chroot "$partial" /usr/sbin/mysqld --version >"$partial/.source-vitess-ready"
  unmount_under "$partial"
  mv "$partial" "$MYSQL_ROOT"
  exec 9>&-
  say "sid root made in $((SECONDS - started)) s: $(cat "$MYSQL_ROOT/.source-vitess-ready")"
}

# The cluster's folder is bind-mounted at the same path inside the root, so the instances' data,
# sockets and error logs have one path inside and outside.
mount_dir_in_root() {
  mountpoint -q "$MYSQL_ROOT$DIR" && return
  mkdir -p "$MYSQL_ROOT$DIR"
  mount --bind "$DIR" "$MYSQL_ROOT$DIR" || die "cannot bind-mount $DIR into $MYSQL_ROOT"
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

# spawn NAME CMD...: runs CMD in the background, detached, output to logs/NAME.log, pid to run/NAME.pid.
# The daemon gets no other descriptor of ours: one inherited from `flock /tmp/sv-cluster.lock
# scripts/vitess-local.sh up` would hold that lock for as long as the daemon lives, and our own
# build locks likewise.
spawn() {
  local name=$1; shift
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec setsid "$@" >>"$LOGS/$name.log" 2>&1 < /dev/null
  ) &
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

# the names of the started processes of a kind (vttablet, mysql), from their pid files
started() { (cd "$RUN" 2>/dev/null && ls -- "$1"-*.pid 2>/dev/null | sed 's/\.pid$//') || true; }

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

# ------------------------------------------------------------------------------------ database instances

db_dir() { echo "$DIR/mysql-$1"; }

# shard_sql UID ARGS...: the instance's client as its root, over its unix socket
shard_sql() {
  if [ "$FLAVOR" = mariadb ]; then as_root mariadb --socket="$(db_dir "$1")/mysql.sock" "${@:2}"
  else in_root mysql --no-defaults --socket="$(db_dir "$1")/mysql.sock" -uroot "${@:2}"; fi
}
in_server_zone() { [ "$(shard_sql "$1" -N -e 'SELECT @@system_time_zone')" = "$(date +%Z)" ]; }

mariadb_cnf() {
  local uid=$1 dir; dir=$(db_dir "$1")
  cat <<CNF
[mysqld]
datadir=$dir/data
socket=$dir/mysql.sock
pid-file=$dir/mysql.pid
port=$(db_port "$uid")
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
}

# As PlanetScale runs MySQL: GTIDs, full row images, 0900 collations. secure_file_priv must name a
# folder that exists (mysqld aborts otherwise); the X protocol is off (it would want port 33060).
mysql_cnf() {
  local uid=$1 dir; dir=$(db_dir "$1")
  cat <<CNF
[mysqld]
datadir=$dir/data
socket=$dir/mysql.sock
pid-file=$dir/mysql.pid
port=$(db_port "$uid")
bind-address=127.0.0.1
mysqlx=OFF
server_id=$uid
log_bin=$dir/data/binlog
gtid_mode=ON
enforce_gtid_consistency=ON
binlog_format=ROW
binlog_row_image=FULL
log_replica_updates=ON
character_set_server=utf8mb4
collation_server=utf8mb4_0900_ai_ci
secure_file_priv=$dir/files
innodb_buffer_pool_size=64M
innodb_redo_log_capacity=32M
max_connections=300
skip_name_resolve=ON
CNF
}

# init_instance UID: a fresh data folder for the instance (once)
init_instance() {
  local uid=$1 dir; dir=$(db_dir "$1")
  [ -f "$dir/initialized" ] && return
  # a MariaDB data folder made before this marker existed
  if [ "$FLAVOR" = mariadb ] && [ -d "$dir/data/mysql" ]; then as_root touch "$dir/initialized"; return; fi
  as_root rm -rf "$dir"
  as_root mkdir -p "$dir/data"
  if [ "$FLAVOR" = mariadb ]; then
    mariadb_cnf "$uid" > "$dir/my.cnf"
    as_root chown -R mysql:mysql "$dir"
    as_root mariadb-install-db --defaults-file="$dir/my.cnf" --user=mysql \
      --auth-root-authentication-method=socket --skip-test-db >"$LOGS/mysql-$uid.install.log" 2>&1 \
      || die "mariadb-install-db failed for shard instance $uid (see $LOGS/mysql-$uid.install.log)"
  else
    mkdir -p "$dir/files"
    mysql_cnf "$uid" > "$dir/my.cnf"
    chown -R "$(in_root id -u mysql):$(in_root id -g mysql)" "$dir"
    # root@localhost without a password, reached over the socket only (skip_name_resolve, loopback)
    in_root /usr/sbin/mysqld --defaults-file="$dir/my.cnf" --user=mysql --initialize-insecure \
      --log-error="$LOGS/mysql-$uid.install.log" >/dev/null 2>&1 \
      || die "mysqld --initialize-insecure failed for shard instance $uid (see $LOGS/mysql-$uid.install.log)"
  fi
  touch "$dir/initialized"
}

# Vitess's accounts; vttablet reaches the instance over TCP with them. On a replica they are made
# outside the binlog (no GTID of its own, which Vitess would call errant) and come again, as no-ops,
# from the primary's binlog.
vitess_accounts_sql() {
  local keyspace=$1 role=$2 ident user
  if [ "$FLAVOR" = mariadb ]; then ident="IDENTIFIED BY '$DB_PASSWORD'"
  else ident="IDENTIFIED WITH caching_sha2_password BY '$DB_PASSWORD'"; fi
  [ "$role" = replica ] && echo "SET sql_log_bin = 0;"
  echo "CREATE DATABASE IF NOT EXISTS \`$keyspace\`;"
  for user in vt_dba vt_app vt_allprivs vt_filtered vt_repl; do
    echo "CREATE USER IF NOT EXISTS '$user'@'127.0.0.1' $ident;"
  done
  cat <<SQL
GRANT ALL ON *.* TO 'vt_dba'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL ON *.* TO 'vt_app'@'127.0.0.1';
GRANT ALL ON *.* TO 'vt_allprivs'@'127.0.0.1';
GRANT ALL ON *.* TO 'vt_filtered'@'127.0.0.1';
GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'vt_repl'@'127.0.0.1';
SQL
}

# start_instance UID [KEYSPACE [ROLE]]: the instance of a tablet, started and given Vitess's accounts
start_instance() {
  local uid=$1 keyspace=${2:-$KEYSPACE} role=${3:-primary} port
  port=$(db_port "$uid")
  pid_alive "mysql-$uid" && return
  init_instance "$uid"
  local dir; dir=$(db_dir "$uid")
  if [ "$FLAVOR" = mariadb ]; then
    as_root chown -R mysql:mysql "$dir"
    spawn "mysql-$uid" /usr/sbin/mariadbd --defaults-file="$dir/my.cnf" --user=mysql --log-error="$LOGS/mysql-$uid.err"
  else
    spawn "mysql-$uid" chroot "$MYSQL_ROOT" /usr/sbin/mysqld --defaults-file="$dir/my.cnf" --user=mysql \
      --log-error="$LOGS/mysql-$uid.err"
  fi
  wait_for "$FLAVOR $uid (port $port)" "$LOGS/mysql-$uid.err" "mysql-$uid" shard_sql "$uid" -e 'SELECT 1'
  vitess_accounts_sql "$keyspace" "$role" | shard_sql "$uid"
}

# ------------------------------------------------------------------------------------ vttablet

alias_of() { printf '%s-%010d' "$CELL" "$1"; }

# No --heartbeat-enable: its writes to the sidecar database every second would move every shard's
# position all the time, so no sync could ever find nothing new. A replica tablet finds its shard's
# primary in the topology when it starts and points its instance at it (GTID auto-position).
start_vttablet() {
  local uid=$1 shard=$2 keyspace=${3:-$KEYSPACE}
  pid_alive "vttablet-$uid" && return
  local db_flags=()
  for role in app dba allprivs filtered repl appdebug; do
    db_flags+=("--db-$role-user" "vt_$role" "--db-$role-password" "$DB_PASSWORD" "--db-$role-use-ssl=false")
  done
  db_flags[${#db_flags[@]}]=--db-appdebug-user=vt_app
  # MariaDB does not know collation 255 (utf8mb4_0900_ai_ci, what plain utf8mb4 means to Vitess)
  [ "$FLAVOR" = mariadb ] && db_flags+=(--db-charset utf8mb4_general_ci)
  spawn "vttablet-$uid" "${RUN_AS[@]}" "$BIN/vttablet" $(topo) \
    --tablet-path "$(alias_of "$uid")" --tablet-hostname 127.0.0.1 \
    --init-keyspace "$keyspace" --init-shard "$shard" --init-tablet-type replica \
    --init-db-name-override "$keyspace" \
    --unmanaged --db-host 127.0.0.1 --db-port "$(db_port "$uid")" "${db_flags[@]}" \
    --port "$(tablet_http_port "$uid")" --grpc-port "$(tablet_grpc_port "$uid")" \
    --bind-address 127.0.0.1 --grpc-bind-address 127.0.0.1 \
    --service-map grpc-queryservice,grpc-tabletmanager,grpc-updatestream \
    --health-check-interval 2s \
    --pid-file "$RUN/vttablet-$uid.vtpid"
  wait_for "vttablet $uid ($keyspace/$shard)" "$LOGS/vttablet-$uid.log" "vttablet-$uid" \
    curl -sf "http://127.0.0.1:$(tablet_http_port "$uid")/debug/status"
}

# make_primary UID KEYSPACE SHARD: the tablet becomes its shard's first primary, unless the shard
# has one already (a later reparent, planned or not, stays as it is)
make_primary() {
  local uid=$1 keyspace=$2 shard=$3
  if vtctld GetShard "$keyspace/$shard" 2>/dev/null | grep -q '"primary_alias": {'; then return; fi
  vtctld TabletExternallyReparented "$(alias_of "$uid")" >&2
}

# start_shard UID SHARD KEYSPACE: the shard's primary instance and tablet
start_shard() {
  local uid=$1 shard=$2 keyspace=$3
  start_instance "$uid" "$keyspace"
  start_vttablet "$uid" "$shard" "$keyspace"
  make_primary "$uid" "$keyspace" "$shard"
}

# start_replica UID SHARD: a replica instance and tablet, its instance replicating from the shard's
# primary by GTID. Unmanaged tablets leave replication alone (Vitess sets DisableActiveReparents for
# them), so the first start points the instance at the primary as vttablet would; later reparents
# (PlannedReparentShard, EmergencyReparentShard through vtctld) move it themselves. A replica tablet
# learns of a table created later only at its next schema reload (every 30 minutes), so a VStream of
# replicas names it as unknown until `vtctldclient ReloadSchemaKeyspace commerce`.
start_replica() {
  local uid=$1 shard=$2 primary
  start_instance "$uid" "$KEYSPACE" replica
  if ! replication_configured "$uid"; then
    primary=$(primary_uid "$KEYSPACE" "$shard")
    [ -n "$primary" ] || die "shard $KEYSPACE/$shard has no primary for replica $uid to replicate from"
    replicate_from "$uid" "$primary"
  fi
  start_vttablet "$uid" "$shard"
  wait_for "replica $uid replicating from its primary" "$LOGS/mysql-$uid.err" "mysql-$uid" replicating "$uid"
}

# primary_uid KEYSPACE SHARD: the uid of the shard's primary in the topology (empty if none)
primary_uid() {
  vtctld GetShard "$1/$2" 2>/dev/null | tr -d ' \n' \
    | sed -n 's/.*"primary_alias":{"cell":"[^"]*","uid":\([0-9]*\)}.*/\1/p'
}

replica_status() {
  if [ "$FLAVOR" = mariadb ]; then shard_sql "$1" -E -e 'SHOW SLAVE STATUS'
  else shard_sql "$1" -E -e 'SHOW REPLICA STATUS'; fi
}

replication_configured() { [ -n "$(replica_status "$1")" ]; }

# replicate_from UID PRIMARY_UID: read-only, and replicating from the primary's instance from the
# first GTID on (the replica has none of its own, its accounts were made outside the binlog)
replicate_from() {
  local uid=$1 port; port=$(db_port "$2")
  if [ "$FLAVOR" = mariadb ]; then
    shard_sql "$uid" <<SQL
SET GLOBAL read_only = ON;
CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = $port, MASTER_USER = 'vt_repl',
  MASTER_PASSWORD = '$DB_PASSWORD', MASTER_USE_GTID = current_pos;
START SLAVE;
SQL
  else
    shard_sql "$uid" <<SQL
SET GLOBAL super_read_only = ON;
CHANGE REPLICATION SOURCE TO SOURCE_HOST = '127.0.0.1', SOURCE_PORT = $port, SOURCE_USER = 'vt_repl',
  SOURCE_PASSWORD = '$DB_PASSWORD', GET_SOURCE_PUBLIC_KEY = 1, SOURCE_AUTO_POSITION = 1;
START REPLICA;
SQL
  fi
}

replicating() {
  local status
  status=$(replica_status "$1")
  grep -Eq '(Slave|Replica)_IO_Running: Yes' <<< "$status" && grep -Eq '(Slave|Replica)_SQL_Running: Yes' <<< "$status"
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
  local version_flags=()
  # VTGate advertises MySQL 8.4 by default, so clients ask for @@transaction_isolation, which the
  # shards' MariaDB 10.11 does not have (it came in 11.1); Connector/J asks for it from 5.7.20 on,
  # so over MariaDB advertise Vitess's own former default, 5.7.9. Over MySQL the default is right.
  [ "$FLAVOR" = mariadb ] && version_flags=(--mysql-server-version 5.7.9-Vitess)
  spawn vtgate "${RUN_AS[@]}" "$BIN/vtgate" $(topo) \
    --cell "$CELL" --cells-to-watch "$CELL" --tablet-types-to-wait PRIMARY \
    --port "$VTGATE_HTTP_PORT" --grpc-port "$VTGATE_GRPC_PORT" --mysql-server-port "$VTGATE_MYSQL_PORT" \
    --bind-address 127.0.0.1 --grpc-bind-address 127.0.0.1 --mysql-server-bind-address 127.0.0.1 \
    --mysql-auth-server-impl static --mysql-auth-server-static-file "$DIR/vtgate-mysql-users.json" \
    --grpc-auth-mode static --grpc-auth-static-password-file "$DIR/vtgate-grpc-users.json" \
    --vschema-ddl-authorized-users "$VT_USER" \
    --service-map grpc-vtgateservice --tablet-refresh-interval 2s \
    "${version_flags[@]}"
  wait_for vtgate "$LOGS/vtgate.log" vtgate \
    mariadb -h127.0.0.1 -P"$VTGATE_MYSQL_PORT" -u"$VT_USER" -p"$VT_PASSWORD" -e "SHOW VITESS_TABLETS"
}

vitess_tablets() {
  mariadb -h127.0.0.1 -P"$VTGATE_MYSQL_PORT" -u"$VT_USER" -p"$VT_PASSWORD" -N -e "SHOW VITESS_TABLETS" 2>/dev/null
}

# vtgate_sees KEYSPACE SHARD...: VTGate knows a primary of each shard, serving or not yet
vtgate_sees() {
  local keyspace=$1 tablets shard; shift
  tablets=$(vitess_tablets) || return 1
  for shard in "$@"; do
    grep -qP "\t$keyspace\t$shard\tPRIMARY\t" <<< "$tablets" || return 1
  done
}

# vtgate_serves KEYSPACE SHARD...: VTGate sees a serving primary of each shard
vtgate_serves() {
  local keyspace=$1 tablets shard; shift
  tablets=$(vitess_tablets) || return 1
  for shard in "$@"; do
    grep -qP "\t$keyspace\t$shard\tPRIMARY\tSERVING\t" <<< "$tablets" || return 1
  done
}

# vtgate_serves_replicas KEYSPACE SHARD...: VTGate sees a serving replica of each shard
vtgate_serves_replicas() {
  local keyspace=$1 tablets shard; shift
  tablets=$(vitess_tablets) || return 1
  for shard in "$@"; do
    grep -qP "\t$keyspace\t$shard\tREPLICA\tSERVING\t" <<< "$tablets" || return 1
  done
}

shards_of() { local entry; for entry in "$@"; do read -r _ shard <<< "$entry"; echo "$shard"; done; }

# ------------------------------------------------------------------------------------ commands

print_env() {
  echo "SV_VITESS_FLAVOR=$FLAVOR"
  echo "SV_VTGATE_HOST=127.0.0.1"
  echo "SV_VTGATE_GRPC_PORT=$VTGATE_GRPC_PORT"
  echo "SV_VTGATE_MYSQL_PORT=$VTGATE_MYSQL_PORT"
  echo "SV_VTGATE_USER=$VT_USER"
  echo "SV_VTGATE_PASSWORD=$VT_PASSWORD"
  echo "SV_VTGATE_KEYSPACE=$KEYSPACE"
  echo "SV_VTGATE_CELL=$CELL"
  echo "SV_VTGATE_HTTP_PORT=$VTGATE_HTTP_PORT"
  # the shards' own database instances, for tests that look behind VTGate (Vitess's dba account):
  # each shard's primary as the topology has it now (a reparent may have swapped it with its replica)
  local shards=() replicas=() entry uid shard primary replica
  for entry in "${SERVING_SHARDS[@]}"; do
    read -r uid shard <<< "$entry"
    read -r replica _ <<< "$(replica_of "$entry")"
    primary=$uid
    if pid_alive vtctld && [ "$(primary_uid "$KEYSPACE" "$shard")" = "$replica" ]; then
      primary=$replica; replica=$uid
    fi
    shards+=("$shard=$(db_port "$primary")")
    pid_alive "mysql-$replica" && replicas+=("$shard=$(db_port "$replica")")
  done
  echo "SV_VITESS_SHARD_PORTS=$(IFS=,; echo "${shards[*]}")"
  # the replicas' instances, when `up --replicas` started them (empty otherwise)
  echo "SV_VITESS_REPLICA_PORTS=$(IFS=,; echo "${replicas[*]}")"
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
  if [ "$FLAVOR" = mysql ]; then
    make_mysql_root
    mount_dir_in_root
  fi
  start_etcd
  init_topology
  start_vtctld
  local entry uid shard
  for entry in "${SERVING_SHARDS[@]}"; do
    read -r uid shard <<< "$entry"
    if pid_alive "mysql-$uid" && ! in_server_zone "$uid"; then
      say "restarting shard instance $uid and its tablet in time zone $SERVER_TZ (an older script started them)"
      stop_pid "vttablet-$uid"
      stop_pid "mysql-$uid"
    fi
    start_shard "$uid" "$shard" "$KEYSPACE"
  done
  vtctld RebuildKeyspaceGraph "$KEYSPACE" >&2
  start_vtgate
  wait_for "VTGate serving every shard of $KEYSPACE" "$LOGS/vtgate.log" vtgate \
    vtgate_serves "$KEYSPACE" $(shards_of "${SERVING_SHARDS[@]}")
  if [ "$REPLICAS" = 1 ]; then
    for entry in "${SERVING_SHARDS[@]}"; do
      read -r uid shard <<< "$(replica_of "$entry")"
      start_replica "$uid" "$shard"
    done
    wait_for "VTGate serving a replica of every shard of $KEYSPACE" "$LOGS/vtgate.log" vtgate \
      vtgate_serves_replicas "$KEYSPACE" $(shards_of "${SERVING_SHARDS[@]}")
  fi
  say "up: VTGate gRPC 127.0.0.1:$VTGATE_GRPC_PORT, MySQL 127.0.0.1:$VTGATE_MYSQL_PORT, user $VT_USER," \
    "password $VT_PASSWORD, keyspace $KEYSPACE (shards -80, 80-$([ "$REPLICAS" = 1 ] && echo ', a replica each')), cells $CELL," \
    "tls_mode disabled; logs in $LOGS"
}

reshard_keyspace() {
  pid_alive vtgate || die "the cluster is not up: run 'up' first"
  local entry uid shard
  for entry in "${RESHARD_SOURCES[@]}" "${RESHARD_TARGETS[@]}"; do
    read -r uid _ <<< "$entry"
    stop_pid "vttablet-$uid"
    stop_pid "mysql-$uid"
    as_root rm -rf "$(db_dir "$uid")"
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
    read -r uid shard <<< "$entry"
    start_shard "$uid" "$shard" "$RESHARD_KEYSPACE"
  done
  vtctld RebuildKeyspaceGraph "$RESHARD_KEYSPACE" >&2
  wait_for "VTGate serving $RESHARD_KEYSPACE" "$LOGS/vtgate.log" vtgate \
    vtgate_serves "$RESHARD_KEYSPACE" $(shards_of "${RESHARD_SOURCES[@]}")
  wait_for "VTGate seeing the target shards of $RESHARD_KEYSPACE" "$LOGS/vtgate.log" vtgate \
    vtgate_sees "$RESHARD_KEYSPACE" $(shards_of "${RESHARD_TARGETS[@]}")
  say "keyspace $RESHARD_KEYSPACE: serving -80, 80-; targets -40, 40-80, 80-c0, c0- ready for a Reshard"
}

down() {
  local name
  stop_pid vtgate
  for name in $(started vttablet); do stop_pid "$name"; done
  for name in $(started mysql); do stop_pid "$name"; done
  stop_pid vtctld
  stop_pid etcd
  # the data goes too: a later `up` starts from an empty keyspace (the logs stay for reading)
  as_root rm -rf "$DIR/etcd" "$DIR"/mysql-*
  if [ "$FLAVOR" = mysql ] && [ -d "$MYSQL_ROOT" ]; then unmount_under "$MYSQL_ROOT$DIR"; fi
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
  *) usage ;;
esac
