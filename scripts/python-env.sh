# Sourced by the set-up scripts: picks the Python to install into and sets $PYTHON.
#
# A system Python that is "externally managed" (PEP 668: Debian's and Ubuntu's python3 refuse
# `pip install` outside a virtual environment) gets a virtual environment in .venv, made once and
# reused; any other Python (a pyenv or conda one, or an active virtual environment) is used as
# it is. Say PYTHON=... to choose the interpreter, JUPYLABEL_VENV=1 to always use .venv.

PYTHON="${PYTHON:-python3}"

externally_managed() {
  "$1" - <<'PY' 2>/dev/null
import os, sys, sysconfig
in_venv = sys.prefix != getattr(sys, "base_prefix", sys.prefix)
marker = os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")
sys.exit(0 if (not in_venv and os.path.exists(marker)) else 1)
PY
}

if [ "${JUPYLABEL_VENV:-0}" = "1" ] || externally_managed "$PYTHON"; then
  if [ ! -x .venv/bin/python ]; then
    echo "== making a virtual environment in .venv ($PYTHON is managed by the system, PEP 668)"
    if ! "$PYTHON" -m venv .venv 2>/dev/null; then
      # Debian ships venv's pip bootstrap separately (python3-venv / python3.X-venv).
      rm -rf .venv
      version="$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
      $SUDO apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "python${version}-venv" >/dev/null
      "$PYTHON" -m venv .venv
    fi
  else
    echo "== using the virtual environment in .venv"
  fi
  PYTHON="$PWD/.venv/bin/python"
fi
