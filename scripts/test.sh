#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine, then run the whole suite.
#   scripts/test.sh            # everything: front end, unit, store, server, notebooks, end-to-end in
#                              # JupyterLab, Notebook 7 and marimo (all three from the test extra)
#   scripts/test.sh -m "not e2e"   # extra arguments go to pytest (a selection runs as one pytest)
#   JUPYLABEL_TEST_SERIAL=1 scripts/test.sh   # one pytest process for everything
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
source scripts/python-env.sh  # sets $PYTHON: a virtual environment where the system Python wants one

# Debian's Chromium drives the end-to-end tests (Playwright never downloads a browser here).
if [ -z "${JUPYLABEL_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "== installing chromium (Debian package)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

echo "== node packages and the front-end bundle"
npm ci --no-audit --no-fund --loglevel=error
npm run build --silent

echo "== python packages"
"$PYTHON" -m pip install --quiet --disable-pip-version-check -e ".[test]"

echo "== a Label Studio ML backend for the ML backend tests (label-studio-ml from PyPI, in .venv-ml-backend)"
PYTHON="$PYTHON" scripts/ml-backend-env.sh >/dev/null

echo "== front end: types (tsc --checkJs) and unit tests (node --test)"
npx --no-install tsc -p tsconfig.json
node --test tests/js/

# With no selection of its own (options only, such as -q or -p no:cacheprovider), the suite runs
# as two pytest processes at once: the browser tests spend most of their time waiting on
# Chromium, JupyterLab and kernels, the rest on DuckDB and local servers, so on two cores the
# pair finishes well before one run of both would. A selection (-m, -k, a path) runs as given.
parallel=1
takes_value=0
for arg in "$@"; do
  if [ "$takes_value" = 1 ]; then takes_value=0; continue; fi  # the value of -p, -o, -W…
  case "$arg" in
    -p|-o|-W|-c|--timeout|--basetemp|--rootdir|--maxfail) takes_value=1 ;;
    -m|-m*|-k|-k*|--lf|--last-failed|[!-]*) parallel=0 ;;
  esac
done
if [ "$parallel" = 0 ] || [ "${JUPYLABEL_TEST_SERIAL:-}" = 1 ]; then
  echo "== tests"
  exec "$PYTHON" -m pytest "$@"
fi

echo "== tests: browser tests (e2e) and the rest, side by side"
e2e_log="$(mktemp)"
"$PYTHON" -m pytest -m e2e "$@" >"$e2e_log" 2>&1 &
e2e_pid=$!
status=0
"$PYTHON" -m pytest -m "not e2e" "$@" || status=$?
e2e_status=0
wait "$e2e_pid" || e2e_status=$?
echo "== browser tests (e2e)"
cat "$e2e_log"
rm -f "$e2e_log"
if [ "$status" -ne 0 ]; then exit "$status"; fi
exit "$e2e_status"
