#!/usr/bin/env bash
# Upgrades a running compose stack to the code of this checkout, one step after another, and
# refuses to go on when a step fails (exit 1, the stack left as that step left it):
#   1. build the new images
#   2. back up the database (pg_dump by the database's own container: its version matches)
#      and check the dump reads back
#   3. migrate once (the one-off `migrate` with the new image); old replicas keep serving
#   4. rolling restart: each API replica in turn is recreated from the new image and must be
#      /ready before the next one goes; the load balancer sends traffic to the other meanwhile;
#      then each worker (SIGTERM: it finishes the job in hand)
#   5. health: /ready through the load balancer at the migration head; every service running
#
#   scripts/deploy.sh [--no-build] [--backup-dir DIR]      (default DIR: backups/)
#
# Same environment as the stack's start (POSTGRES_PASSWORD, S3_ACCESS_KEY, S3_SECRET_KEY,
# COMPOSE_PROJECT, TERRAIN_LOCAL_IMAGES, COMPOSE_EXTRA_FILES: see scripts/compose-lib.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
backup_dir=backups
while (($#)); do
    case $1 in
        --no-build) build=0 ;;
        --backup-dir) backup_dir=$2; shift ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
# shellcheck source=scripts/compose-lib.sh
source scripts/compose-lib.sh

started=$(_now)
elapsed() { awk -v a="$1" -v b="$(_now)" 'BEGIN { printf "%.1f", b - a }'; }
step() {
    local name=$1 begin
    shift
    begin=$(_now)
    echo "-- deploy: $name"
    if ! "$@"; then
        echo "-- deploy: FAILED: $name (after $(elapsed "$begin")s); stopping here" >&2
        exit 1
    fi
    echo "-- deploy: ok $(elapsed "$begin")s: $name"
}

backup() {
    mkdir -p "$backup_dir"
    local file
    file="$backup_dir/terrain-$(date -u +%Y%m%dT%H%M%SZ).dump"
    compose exec -T db pg_dump -U terrain -d terrain -Fc > "$file.partial"
    # A dump that does not read back is no backup.
    compose exec -T db pg_restore --list < "$file.partial" > /dev/null
    mv "$file.partial" "$file"
    echo "   $file ($(du -h "$file" | cut -f1))"
}

# `recreate SERVICE`: a new container from the (new) image in place of the old one.
recreate() {
    mkdir -p build
    compose up -d --no-deps --force-recreate "$1" > build/deploy-step.log 2>&1 ||
        { tail -20 build/deploy-step.log; return 1; }
}

roll_api() {
    local service
    for service in api-1 api-2; do
        recreate "$service" || return 1
        wait_until 120 "$service /ready" replica_ready "$service" || return 1
        echo "   $service recreated and ready"
    done
}

roll_workers() {
    local service
    for service in worker-1 worker-2; do
        recreate "$service" || return 1
        wait_until 60 "$service running" compose exec -T "$service" true || return 1
        echo "   $service recreated and running"
    done
}

health() {
    wait_until 60 "/ready through the load balancer" lb_ready || return 1
    python3 - "${TERRAIN_HTTP_PORT:-18080}" <<'EOF'
import json, sys, urllib.request
body = json.load(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/ready", timeout=3))
assert body["migration"] == body["expected_migration"], body
print(f"   /ready: {body['status']}, migration {body['migration']}, payments {body['payments']}")
EOF
}

build_images() { mkdir -p build && compose build > build/deploy-build.log 2>&1; }
if ((build)); then
    step "build images" build_images
fi
step "backup" backup
step "migrate" compose --profile tools run --rm --no-deps migrate
step "rolling restart: API replicas" roll_api
step "rolling restart: workers" roll_workers
step "health check" health
echo "-- deploy: done in $(elapsed "$started")s"
