#!/usr/bin/env bash
# Installs and starts the companion server with a local database, migrated and seeded.
# Uses DATABASE_URL when set; otherwise the PostgreSQL on 127.0.0.1:5432, or a private one.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system.sh
bash scripts/setup-venv.sh server

if [[ -z "${DATABASE_URL:-}" ]]; then
  DATABASE_URL="$(.venv/bin/python -m server.devdb terrain)"
  export DATABASE_URL
fi
if [[ -z "${TERRAIN_RATE_LIMIT_STORAGE:-}" ]] && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  export TERRAIN_RATE_LIMIT_STORAGE=redis://127.0.0.1:6379/0  # rate limits shared by all workers
fi
.venv/bin/terrain-server migrate
.venv/bin/terrain-server seed --demo   # prints the demo accounts' new passwords
echo "Terrain Builder server on http://127.0.0.1:${PORT:-8000} (API docs at /docs). Ctrl-C stops it."
exec .venv/bin/terrain-server serve --host 127.0.0.1 --port "${PORT:-8000}"
