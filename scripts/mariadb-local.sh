#!/usr/bin/env bash
# The local MariaDB that STANDARD reads, the MySQL adapter's tests and the demo use:
# 127.0.0.1:3306, with a test account made over the unix socket.
#
#   scripts/mariadb-local.sh up       install (Debian) and start it if needed, make the account
#   scripts/mariadb-local.sh status   say whether it answers
#   scripts/mariadb-local.sh env      print the account as shell variables
#
# A stock Debian MariaDB authenticates root@localhost by unix socket only (TCP with an empty
# password is refused with ERROR 1698) and refuses to run as root unless told --user=mysql;
# so the account is made as root over the socket, and the server is started as mysql.
set -euo pipefail

SV_MYSQL_HOST=127.0.0.1
SV_MYSQL_PORT=3306
SV_MYSQL_USER=airbyte
SV_MYSQL_PASSWORD=airbyte-test-pw
LOG=/var/log/mysql/error.log

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
say() { echo "mariadb-local: $*" >&2; }
answers() {
  mariadb -h"$SV_MYSQL_HOST" -P"$SV_MYSQL_PORT" -u"$SV_MYSQL_USER" -p"$SV_MYSQL_PASSWORD" \
    --connect-timeout=2 -e 'SELECT 1' >/dev/null 2>&1
}
socket_answers() { as_root mariadb --connect-timeout=2 -e 'SELECT 1' >/dev/null 2>&1; }

install() {
  if [ -x /usr/sbin/mariadbd ] && command -v mariadb >/dev/null 2>&1; then return; fi
  say "installing mariadb-server and mariadb-client from Debian's packages"
  as_root apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q mariadb-server mariadb-client >&2
}

start() {
  if socket_answers; then return; fi
  say "starting mariadbd (as user mysql; errors in $LOG)"
  as_root mkdir -p /run/mysqld /var/log/mysql
  as_root chown mysql:mysql /run/mysqld /var/log/mysql
  [ -d /var/lib/mysql/mysql ] || as_root mariadb-install-db --user=mysql --datadir=/var/lib/mysql >&2
  # matched by its pid file too: the local Vitess cluster's shard servers run the same binary
  as_root start-stop-daemon --start --oknodo --background --pidfile /run/mysqld/mysqld.pid \
    --exec /usr/sbin/mariadbd -- --user=mysql --log-error="$LOG" --pid-file=/run/mysqld/mysqld.pid
  for _ in $(seq 1 120); do
    socket_answers && return
    sleep 0.5
  done
  say "mariadbd did not answer on its socket within 60 s; the end of $LOG:"
  as_root tail -n 30 "$LOG" >&2 || true
  exit 1
}

account() {
  as_root mariadb <<SQL
CREATE USER IF NOT EXISTS '$SV_MYSQL_USER'@'localhost' IDENTIFIED BY '$SV_MYSQL_PASSWORD';
CREATE USER IF NOT EXISTS '$SV_MYSQL_USER'@'127.0.0.1' IDENTIFIED BY '$SV_MYSQL_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$SV_MYSQL_USER'@'localhost' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '$SV_MYSQL_USER'@'127.0.0.1' WITH GRANT OPTION;
SQL
  if ! answers; then
    say "the account $SV_MYSQL_USER does not log in over TCP on $SV_MYSQL_HOST:$SV_MYSQL_PORT"
    say "(is another server on port $SV_MYSQL_PORT, or is skip-networking set?)"
    exit 1
  fi
}

case "${1:-up}" in
  up)
    install
    start
    account
    say "up: $SV_MYSQL_USER@$SV_MYSQL_HOST:$SV_MYSQL_PORT ($(mariadb -h"$SV_MYSQL_HOST" -u"$SV_MYSQL_USER" -p"$SV_MYSQL_PASSWORD" -N -e 'SELECT VERSION()'))"
    ;;
  status)
    if answers; then echo "up"; else echo "down"; exit 1; fi
    ;;
  env)
    echo "SV_MYSQL_HOST=$SV_MYSQL_HOST"
    echo "SV_MYSQL_PORT=$SV_MYSQL_PORT"
    echo "SV_MYSQL_USER=$SV_MYSQL_USER"
    echo "SV_MYSQL_PASSWORD=$SV_MYSQL_PASSWORD"
    ;;
  *)
    echo "usage: $0 up|status|env" >&2
    exit 2
    ;;
esac
