#!/usr/bin/env bash
# Build the sdist and the wheel (the wheel from the sdist, as pip does for a source install),
# install the wheel into a fresh virtual environment and run a smoke test there, outside the
# source tree, so a file missing from the package fails here and not on a user's machine.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
source scripts/python-env.sh

echo "== package: front-end bundle, sdist and wheel"
npm ci --no-audit --no-fund --loglevel=error
npm run build --silent
"$PYTHON" -m pip install --quiet --disable-pip-version-check build
rm -rf dist
"$PYTHON" -m build --outdir dist . >/dev/null
ls dist

echo "== package: the wheel in a fresh virtual environment"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$PYTHON" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check dist/*.whl
cp scripts/package_smoke.py "$work/"
(cd "$work" && ./venv/bin/python package_smoke.py)
