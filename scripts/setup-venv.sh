#!/usr/bin/env bash
# Creates .venv and installs the project with the given extras (default: server,dev).
# Skips pip when pyproject.toml and the extras are unchanged since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."

extras="${1:-server,dev}"
python="${PYTHON:-python3}"
[[ -x .venv/bin/python ]] || "$python" -m venv .venv

stamp=".venv/.installed-$(echo "$extras" | tr ',' '-')"
wanted="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
  echo "Installing Python packages (.[${extras}]) into .venv ..."
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[${extras}]"
  echo "$wanted" > "$stamp"
fi
