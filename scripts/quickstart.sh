#!/usr/bin/env bash
# Install jupylabel with JupyterLab and open the quickstart notebook.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
source scripts/python-env.sh  # sets $PYTHON: a virtual environment where the system Python wants one
npm ci --no-audit --no-fund --loglevel=error
npm run build --silent
"$PYTHON" -m pip install --quiet --disable-pip-version-check -e ".[lab]"
# Jupyter refuses to run as root unless told; a container or a fresh VM often runs as root.
EXTRA=()
if [ "$(id -u)" -eq 0 ]; then EXTRA+=(--allow-root); fi
exec "$PYTHON" -m jupyter lab notebooks/quickstart.ipynb "${EXTRA[@]}" "$@"
