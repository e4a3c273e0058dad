#!/usr/bin/env bash
# The virtual environment the ML backend tests run a real Label Studio ML backend from:
# label-studio-ml (PyPI) pins Flask 1.1 and Jinja2 3.0, which Jupyter's packages must not get,
# so it lives apart, in .venv-ml-backend (made once; prints its python).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv-ml-backend
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import label_studio_ml.api" >/dev/null 2>&1; then
  "${PYTHON:-python3}" -m venv "$VENV" >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "label-studio-ml==1.0.9" "rq>=1.10" >&2
fi
echo "$PWD/$VENV/bin/python"
