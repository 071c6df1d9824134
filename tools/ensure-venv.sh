#!/usr/bin/env bash
# Create .venv with the project installed. On a fresh Debian/Ubuntu the stdlib venv module needs the
# python3-venv package; install it when we can (root + apt), else say exactly what to run.
set -euo pipefail
PYTHON=${PYTHON:-python3}
VENV=${1:-.venv}

if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
    echo "Завуч требует Python 3.11 или новее; найден: $("$PYTHON" --version 2>&1)" >&2
    exit 1
fi

if ! "$PYTHON" -m venv --help >/dev/null 2>&1 || ! "$PYTHON" -c 'import ensurepip' >/dev/null 2>&1; then
    pkg="python3-venv"
    ver=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && (apt-get install -y -qq "python${ver}-venv" || apt-get install -y -qq "$pkg")
    else
        echo "Нужен модуль venv: sudo apt-get install python${ver}-venv" >&2
        exit 1
    fi
fi

rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --upgrade pip
"$VENV/bin/pip" install --quiet -e '.[dev]'
