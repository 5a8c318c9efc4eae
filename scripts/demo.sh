#!/usr/bin/env bash
# Runs the connector end to end against the local MariaDB: builds the jar when its sources changed,
# installs and starts MariaDB if needed (scripts/mariadb-local.sh), loads the sample shop, then spec,
# check, discover and a full read, printing the Airbyte messages. Scratch files go to target/demo.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=app/target/source-vitess.jar
# Rebuild when any source or pom is newer than the jar, so the demo never runs a stale build.
# Maven's own output goes to stderr: stdout carries Airbyte messages only.
if [ ! -f "$jar" ] || [ -n "$(find . -path ./bench -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$jar" -print -quit)" ]; then
  echo "== building the connector" >&2
  mvn -B -q -DskipTests -pl app -am package >&2
fi

scripts/mariadb-local.sh up
eval "$(scripts/mariadb-local.sh env)"

echo "== (re)creating the sample database shop from samples/shop.sql (drops any database named shop)" >&2
mariadb --default-character-set=utf8mb4 -h"$SV_MYSQL_HOST" -P"$SV_MYSQL_PORT" -u"$SV_MYSQL_USER" -p"$SV_MYSQL_PASSWORD" < samples/shop.sql

work=target/demo
mkdir -p "$work"
cat > "$work/config.json" <<JSON
{"host": "$SV_MYSQL_HOST", "port": $SV_MYSQL_PORT, "database": "shop", "username": "$SV_MYSQL_USER", "password": "$SV_MYSQL_PASSWORD",
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
