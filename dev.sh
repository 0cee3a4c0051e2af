#!/usr/bin/env bash
# One entry point for a newcomer: `./dev.sh run` starts the app, `./dev.sh test` runs every test.
# Both create .venv (Python 3.11+) and install the project into it first.
set -euo pipefail
cd "$(dirname "$0")"

PYTHON="${PYTHON:-python3}"
VENV="${VENV:-.venv}"

need_python() {
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)." >&2
    exit 1
  fi
  if ! "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null; then
    echo "Python's venv module is missing: on Debian/Ubuntu run 'sudo apt-get install -y python3-venv'." >&2
    exit 1
  fi
}

# Install (or refresh) the project with the given extras when pyproject.toml changed.
setup() {
  local extras="$1" stamp="$VENV/.installed-$1"
  need_python
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    # One line while installing; pip's and setuptools' chatter goes to a log, shown only if the install fails.
    local log="$VENV/install.log" target="."
    [ "$extras" = "base" ] || target=".[$extras]"
    echo "Installing the project into $VENV (the first time takes a minute; log: $log)..." >&2
    if ! { "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip &&
      "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$target"; } >"$log" 2>&1; then
      tail -n 30 "$log" >&2
      echo "Installing failed; the whole log is in $log." >&2
      exit 1
    fi
    touch "$stamp"
  fi
}

case "${1:-}" in
  run)
    setup base
    shift
    exec "$VENV/bin/streamlit" run dashboard/serve.py --server.port "${PORT:-8501}" "$@"
    ;;
  test)
    setup test
    shift
    "$VENV/bin/ruff" check .
    "$VENV/bin/ruff" format --check .
    "$VENV/bin/mypy" .
    "$VENV/bin/crisis-monitor" validate
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
  bench)
    setup test
    shift
    exec "$VENV/bin/python" benchmarks/run.py "$@"
    ;;
  bench-meeting)
    setup test
    shift
    exec "$VENV/bin/python" benchmarks/storyline_bench.py "$@"
    ;;
  *)
    echo "usage: ./dev.sh run | test [pytest args] | bench [args] | bench-meeting [args]" >&2
    exit 2
    ;;
esac
