#!/usr/bin/env bash
# Screenshots of a scripted journey through the desktop app, into docs/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/screenshots.py "$@"
# The catalogue browser needs a server: a database of its own on the local PostgreSQL.
exec xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/catalogue_screenshot.py
