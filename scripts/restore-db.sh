#!/usr/bin/env bash
# Restore a backup into an EMPTY database: scripts/restore-db.sh FILE TARGET_DATABASE_URL
# All or nothing (one transaction); prints the schema revision the backup was taken at.
set -euo pipefail
file="${1:?usage: restore-db.sh FILE TARGET_DATABASE_URL}"
url="${2:?usage: restore-db.sh FILE TARGET_DATABASE_URL}"
url="${url/postgresql+psycopg:/postgresql:}"
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$url" "$file"
revision="$(psql "$url" --no-psqlrc --tuples-only --no-align -c 'SELECT version_num FROM alembic_version')"
echo "Restored $file; schema revision $revision."
