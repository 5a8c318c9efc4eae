#!/usr/bin/env bash
# The connector's main job, end to end, printing every Airbyte message on stdout (progress on stderr):
#
#   scripts/demo.sh              VSTREAM on the local Vitess cluster (scripts/vitess-local.sh; the first
#                                run builds Vitess, 3 to 10 minutes): load samples/vitess-shop.sql into
#                                keyspace commerce, spec, check, discover, a first incremental sync (a copy),
#                                then an insert, an update and a delete, and a second sync that shows them
#   scripts/demo.sh --standard   the quick trial: STANDARD (plain SQL, full refresh) on the local MariaDB
#                                (scripts/mariadb-local.sh) with samples/shop.sql
#
# The jar is rebuilt when its sources changed. Scratch files go to target/demo.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=vstream
case "${1:-}" in
  --standard) mode=standard ;;
  "") ;;
  *) echo "usage: $0 [--standard]" >&2; exit 2 ;;
esac

jar=app/target/source-vitess.jar
# Maven's own output goes to stderr: stdout carries Airbyte messages only.
if [ ! -f "$jar" ] || [ -n "$(find . -path ./bench -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$jar" -print -quit)" ]; then
  echo "== building the connector" >&2
  mvn -B -q -Dstyle.color=never -DskipTests -pl app -am package >&2
fi

work=target/demo
mkdir -p "$work"
run() { java -jar "$jar" "$@"; }
say() { echo "== $*" >&2; }

# configured_catalog SYNC_MODE: every discovered stream, as the Airbyte UI would configure it
configured_catalog() {
  python3 - "$work/catalog.out" "$work/catalog.json" "$1" <<'PY'
import json, sys
catalog = next(json.loads(l)["catalog"] for l in open(sys.argv[1]) if '"CATALOG"' in l)
mode = sys.argv[3]
streams = [{"stream": s, "sync_mode": mode,
            "destination_sync_mode": "append_dedup" if mode == "incremental" else "overwrite",
            "cursor_field": s.get("default_cursor_field", []),
            "primary_key": s.get("source_defined_primary_key", [])} for s in catalog["streams"]]
json.dump({"streams": streams}, open(sys.argv[2], "w"))
PY
}

# last_states OUT STATE: the last STATE of every stream in OUT, as Airbyte hands them to the next sync
last_states() {
  python3 - "$1" "$2" <<'PY'
import json, sys
last = {}
for line in open(sys.argv[1]):
    m = json.loads(line)
    if m.get("type") == "STATE":
        last[m["state"]["stream"]["stream_descriptor"]["name"]] = m["state"]
json.dump(list(last.values()), open(sys.argv[2], "w"))
PY
}

if [ "$mode" = standard ]; then
  scripts/mariadb-local.sh up
  eval "$(scripts/mariadb-local.sh env)"
  say "(re)creating the sample database shop from samples/shop.sql (drops any database named shop)"
  mariadb --default-character-set=utf8mb4 -h"$SV_MYSQL_HOST" -P"$SV_MYSQL_PORT" -u"$SV_MYSQL_USER" \
    -p"$SV_MYSQL_PASSWORD" < samples/shop.sql
  cat > "$work/config.json" <<JSON
{"host": "$SV_MYSQL_HOST", "port": $SV_MYSQL_PORT, "database": "shop", "username": "$SV_MYSQL_USER",
 "password": "$SV_MYSQL_PASSWORD", "tls_mode": "disabled", "replication_method": "STANDARD"}
JSON
  say "spec"; run spec
  say "check"; run check --config "$work/config.json"
  say "discover"; run discover --config "$work/config.json" | tee "$work/catalog.out"
  configured_catalog full_refresh
  say "read (full refresh)"
  run read --config "$work/config.json" --catalog "$work/catalog.json"
  exit 0
fi

scripts/vitess-local.sh up
eval "$(scripts/vitess-local.sh env)"
vtgate_sql() {
  mariadb --default-character-set=utf8mb4 -h"$SV_VTGATE_HOST" -P"$SV_VTGATE_MYSQL_PORT" -u"$SV_VTGATE_USER" \
    -p"$SV_VTGATE_PASSWORD" "$SV_VTGATE_KEYSPACE" "$@"
}
say "(re)creating the sample tables customers, products, order_items in keyspace $SV_VTGATE_KEYSPACE (samples/vitess-shop.sql)"
# a dropped table keeps its vindex in the VSchema: take it back so that the sample loads again
for table_vindex in customers:hash products:xxhash order_items:hash; do
  vtgate_sql -e "ALTER VSCHEMA ON ${table_vindex%%:*} DROP VINDEX ${table_vindex#*:}" 2>/dev/null || true
done
vtgate_sql < samples/vitess-shop.sql
cat > "$work/config.json" <<JSON
{"host": "$SV_VTGATE_HOST", "port": $SV_VTGATE_MYSQL_PORT, "grpc_port": $SV_VTGATE_GRPC_PORT,
 "database": "$SV_VTGATE_KEYSPACE", "username": "$SV_VTGATE_USER", "password": "$SV_VTGATE_PASSWORD",
 "tls_mode": "disabled", "replication_method": "VSTREAM", "cells": "$SV_VTGATE_CELL"}
JSON
say "spec"; run spec
say "check"; run check --config "$work/config.json"
say "discover"; run discover --config "$work/config.json" > "$work/catalog.all"
# the keyspace may hold the tests' tables too: the demo configures its own three
python3 - "$work/catalog.all" "$work/catalog.out" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
for m in lines:
    if m["type"] == "CATALOG":
        m["catalog"]["streams"] = [s for s in m["catalog"]["streams"]
                                   if s["name"] in ("customers", "products", "order_items")]
with open(sys.argv[2], "w") as out:
    for m in lines:
        out.write(json.dumps(m) + "\n")
PY
cat "$work/catalog.out"
configured_catalog incremental
say "read: the first incremental sync copies every table"
run read --config "$work/config.json" --catalog "$work/catalog.json" | tee "$work/read1.out"
last_states "$work/read1.out" "$work/state.json"
say "changing the shop: samples/vitess-shop-changes.sql (an insert, an update, a delete)"
vtgate_sql < samples/vitess-shop-changes.sql
say "read: the second sync, from the first one's state, brings just those changes (the delete with _ab_cdc_deleted_at)"
run read --config "$work/config.json" --catalog "$work/catalog.json" --state "$work/state.json" | tee "$work/read2.out"
