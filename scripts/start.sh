#!/usr/bin/env bash
# Installs and starts Terrain Builder's desktop app. It opens with the bundled sample library
# and a sample table; no server or account is needed.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system.sh
bash scripts/setup-venv.sh desktop
exec .venv/bin/terrain-desktop "$@"
