"""One sync of the connector through PyAirbyte, Airbyte's Python client, as a PyAirbyte user runs it.

usage: pyairbyte_sync.py --executable F --config F --cache-dir D --streams a,b [--full-refresh]

Runs check (which must succeed), discover (which must offer every stream), then reads the streams
into the DuckDB cache in D, which keeps the state between runs, and prints the cache's tables as
one JSON object on the last line: {"stream": [row, ...]}.
"""
import argparse
import json
import sys

import airbyte as ab
from airbyte.caches import DuckDBCache


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--executable", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--cache-dir", required=True)
    parser.add_argument("--streams", required=True)
    parser.add_argument("--full-refresh", action="store_true")
    args = parser.parse_args()

    with open(args.config, encoding="utf-8") as f:
        config = json.load(f)
    streams = args.streams.split(",")
    source = ab.get_source("source-vitess", config=config, local_executable=args.executable,
                           install_if_missing=False)
    source.check()
    missing = set(streams) - set(source.get_available_streams())
    if missing:
        sys.exit(f"discover does not offer {sorted(missing)}")
    source.select_streams(streams)
    cache = DuckDBCache(db_path=f"{args.cache_dir}/cache.duckdb", schema_name="main")
    source.read(cache=cache, force_full_refresh=args.full_refresh)
    tables = {}
    for name in streams:
        frame = cache[name].to_pandas()
        tables[name] = json.loads(frame.to_json(orient="records", date_format="iso"))
    print(json.dumps(tables))


if __name__ == "__main__":
    main()
