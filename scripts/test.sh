#!/usr/bin/env bash
# Installs everything and runs the whole test suite: lint, types, then pytest.
# Extra arguments go to pytest (e.g. `scripts/test.sh -k auth`).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system.sh
bash scripts/setup-venv.sh server,desktop,dev

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy (strict)"
.venv/bin/mypy
echo "== pytest"
# Independent tests run on one worker per core (each worker makes its own database);
# PYTEST_WORKERS=0 runs them in this process.
.venv/bin/python -m pytest -n "${PYTEST_WORKERS:-auto}" --dist loadfile "$@"
