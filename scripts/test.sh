#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine, then run the whole suite.
#   scripts/test.sh            # everything: front end, unit, store, server, notebooks, end-to-end in
#                              # JupyterLab, Notebook 7 and marimo (all three from the test extra)
#   scripts/test.sh -m "not e2e"   # extra arguments go to pytest
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

echo "== front end: types (tsc --checkJs) and unit tests (node --test)"
npx --no-install tsc -p tsconfig.json
node --test tests/js/

echo "== tests"
exec "$PYTHON" -m pytest "$@"
