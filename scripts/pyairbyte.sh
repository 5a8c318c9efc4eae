#!/usr/bin/env bash
# PyAirbyte, Airbyte's Python client, pinned, in a virtual environment of its own:
#   scripts/pyairbyte.sh install          create it (once; about 800 MB from PyPI)
#   scripts/pyairbyte.sh python ARGS...   run its python offline (no registry, no telemetry)
# The venv lives in $SV_PYAIRBYTE_VENV (default /var/cache/source-vitess/pyairbyte-$VERSION as root,
# else ~/.cache/source-vitess/pyairbyte-$VERSION).
set -euo pipefail

VERSION=0.71.3
if [ "$(id -u)" = 0 ]; then CACHE=/var/cache/source-vitess; else CACHE=$HOME/.cache/source-vitess; fi
VENV=${SV_PYAIRBYTE_VENV:-$CACHE/pyairbyte-$VERSION}
say() { echo "pyairbyte: $*" >&2; }

install() {
  if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('airbyte') != '$VERSION')" 2>/dev/null; then
    return
  fi
  command -v python3 >/dev/null 2>&1 || { say "python3 is needed"; exit 1; }
  say "installing airbyte==$VERSION into $VENV (once; a few minutes)"
  rm -rf "$VENV"
  python3 -m venv "$VENV" || { say "python3 -m venv failed (Debian: apt-get install -y python3-venv)"; exit 1; }
  "$VENV/bin/pip" install -q --disable-pip-version-check "airbyte==$VERSION" >&2
}

case "${1:-}" in
  install) install ;;
  python)
    shift
    install
    # offline: PyAirbyte would otherwise fetch Airbyte's connector registry, which these machines cannot reach
    AIRBYTE_OFFLINE_MODE=1 DO_NOT_TRACK=1 exec "$VENV/bin/python" "$@"
    ;;
  *) echo "usage: $0 install|python ARGS..." >&2; exit 2 ;;
esac
