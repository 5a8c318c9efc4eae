#!/usr/bin/env bash
# Runs the connector end to end against the local MariaDB: builds the jar if needed, starts
# MariaDB if it is installed but down, loads the sample shop, then spec, check, discover and a
# full read, printing the Airbyte messages. Scratch files go to target/demo.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=app/target/source-vitess.jar
if [ ! -f "$jar" ]; then
  echo "== building the connector" >&2
  mvn -B -q -DskipTests -pl app -am package
fi

if ! mariadb -h127.0.0.1 -uroot -e 'SELECT 1' >/dev/null 2>&1; then
  if [ -x /usr/sbin/mariadbd ]; then
    echo "== starting MariaDB" >&2
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    for _ in $(seq 1 60); do
      mariadb -h127.0.0.1 -uroot -e 'SELECT 1' >/dev/null 2>&1 && break
      sleep 0.5
    done
  else
    echo "MariaDB is not installed: apt-get install -y mariadb-server (or see README)" >&2
    exit 1
  fi
fi

echo "== loading samples/shop.sql" >&2
mariadb --default-character-set=utf8mb4 -h127.0.0.1 -uroot < samples/shop.sql

work=target/demo
mkdir -p "$work"
cat > "$work/config.json" <<JSON
{"host": "127.0.0.1", "port": 3306, "database": "shop", "username": "root", "password": "",
 "tls_mode": "disabled", "replication_method": "STANDARD"}
JSON

run() { java -jar "$jar" "$@"; }

echo "== spec" >&2
run spec
echo "== check" >&2
run check --config "$work/config.json"
echo "== discover" >&2
run discover --config "$work/config.json" | tee "$work/catalog.out"

# configure every discovered stream for a full refresh, as the Airbyte UI would
python3 - "$work/catalog.out" "$work/catalog.json" <<'PY'
import json, sys
catalog = next(json.loads(l)["catalog"] for l in open(sys.argv[1]) if '"CATALOG"' in l)
streams = [{"stream": s, "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"} for s in catalog["streams"]]
json.dump({"streams": streams}, open(sys.argv[2], "w"))
PY

echo "== read" >&2
run read --config "$work/config.json" --catalog "$work/catalog.json"
