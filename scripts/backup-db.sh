#!/usr/bin/env bash
# Back up the server's database: scripts/backup-db.sh DATABASE_URL FILE
# A compressed custom-format pg_dump, written to FILE only once complete (docs/DEPLOY.md).
set -euo pipefail
url="${1:?usage: backup-db.sh DATABASE_URL FILE}"
out="${2:?usage: backup-db.sh DATABASE_URL FILE}"
url="${url/postgresql+psycopg:/postgresql:}"   # libpq spells the scheme without the driver
pg_dump --format=custom --no-owner --no-privileges --dbname="$url" --file="$out.partial"
mv "$out.partial" "$out"
echo "Backed up to $out ($(du -h "$out" | cut -f1))."
