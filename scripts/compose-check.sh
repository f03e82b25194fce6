#!/usr/bin/env bash
# The deployment, checked by running it: builds the images, starts the compose stack
# (compose.yaml, plus compose.local.yaml where no registry can be reached, plus
# compose.check.yaml's Stripe stand-in), migrates, seeds, walks a user's journey through the
# load balancer, then breaks things (an API replica stops under load, a worker is killed
# mid-upload, PostgreSQL restarts), upgrades the running stack with scripts/deploy.sh, and tears
# everything down. Prints each step with its time; stops at the first failure (exit 1).
#
#   scripts/compose-check.sh            (takes ~10 minutes; docs/DEV_GUIDE.md says when to run it)
#
# Environment: TERRAIN_TESTDATA (the real model files; unset, they are looked for where the
# test suite looks, as tests/shared_testdata.py does), TERRAIN_HTTP_PORT (load balancer,
# 18080), STRIPE_STANDIN_PORT (18111), KEEP_STACK=1 (leave the stack running), and those
# of scripts/compose-lib.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build

export COMPOSE_PROJECT=${COMPOSE_PROJECT:-terrain-check}
export COMPOSE_EXTRA_FILES="$PWD/compose.check.yaml ${COMPOSE_EXTRA_FILES:-}"
export TERRAIN_HTTP_PORT=${TERRAIN_HTTP_PORT:-18080}
export STRIPE_STANDIN_PORT=${STRIPE_STANDIN_PORT:-18111}
export POSTGRES_PASSWORD=${POSTGRES_PASSWORD:-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}
export S3_ACCESS_KEY=${S3_ACCESS_KEY:-check} S3_SECRET_KEY=${S3_SECRET_KEY:-check-secret-key}
# shellcheck source=scripts/compose-lib.sh
source scripts/compose-lib.sh

testdata=${TERRAIN_TESTDATA:-}
if [[ -z "$testdata" ]]; then
    parent=$(dirname "$PWD")  # the same two places as tests/shared_testdata.py
    for candidate in "$parent/shared/testdata" "$(dirname "$parent")/shared/testdata"; do
        [[ -d "$candidate/openforge" ]] && testdata=$(cd "$candidate" && pwd) && break
    done
fi
[[ -d "${testdata:-}/openforge" ]] || { echo "Set TERRAIN_TESTDATA (real model files)." >&2; exit 1; }

# The journey's Python: one with httpx (the project's .venv, else a small one under build/).
python=${PYTHON:-}
for candidate in "$python" .venv/bin/python python3; do
    [[ -n "$candidate" ]] && "$candidate" -c "import httpx" 2>/dev/null && python=$candidate && break
done
if ! "$python" -c "import httpx" 2>/dev/null; then
    python3 -m venv build/check-venv && build/check-venv/bin/pip install -q httpx >/dev/null 2>&1
    python=build/check-venv/bin/python
fi
compose_line=$(printf '%q ' "${COMPOSE_CMD[@]}" -p "$COMPOSE_PROJECT" "${COMPOSE_FILES[@]}")
base=http://127.0.0.1:$TERRAIN_HTTP_PORT

elapsed() { awk -v a="$1" -v b="$(_now)" 'BEGIN { printf "%.1f", b - a }'; }
started=$(_now)
step_no=0
step() {
    local name=$1
    shift
    step_no=$((step_no + 1))
    local begin
    begin=$(_now)
    echo "== $step_no. $name"
    if "$@"; then
        printf '   ok  %6ss  (total %6ss)  %s\n' "$(elapsed "$begin")" "$(elapsed "$started")" "$name"
    else
        printf '   FAILED after %ss: %s\n' "$(elapsed "$begin")" "$name"
        exit 1
    fi
}

teardown() {
    local status=$?
    if [[ "${KEEP_STACK:-0}" == 1 ]]; then
        echo "== stack left running (KEEP_STACK=1): project $COMPOSE_PROJECT"
        return
    fi
    if ((status != 0)); then
        echo "== logs of the failed run (last lines per service)"
        compose logs --tail 30 2>&1 | tail -150 || true
    fi
    echo "== tear down"
    compose --profile tools down -v -t 5 >/dev/null 2>&1 || true
    [[ $ENGINE == podman ]] && podman network rm -f "${COMPOSE_PROJECT}_default" >/dev/null 2>&1
    echo "   done (exit $status, total $(elapsed "$started")s)"
}
trap teardown EXIT

echo "engine: $ENGINE ($("${COMPOSE_CMD[0]}" version 2>/dev/null | head -1)); project $COMPOSE_PROJECT"
echo "files: ${COMPOSE_FILES[*]}"
echo "testdata: $testdata; load balancer: $base"

if [[ "${TERRAIN_LOCAL_IMAGES:-$local_default}" == 1 && $ENGINE == podman ]]; then
    step "base image (Debian bookworm from Debian's packages)" deploy/local/make-base-image.sh
fi
# A stack left over from an interrupted run would hold the ports.
compose --profile tools down -v -t 5 >/dev/null 2>&1 || true

# `quiet COMMAND…`: its output goes to build/compose-step.log, shown only when it fails.
quiet() { "$@" >build/compose-step.log 2>&1 || { tail -40 build/compose-step.log; return 1; }; }
step "build images" quiet compose build
images() {
    $ENGINE image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' |
        grep -E 'terrain-(api|worker|local-[a-z]+):' | sed 's/^/   /'
}
step "image sizes" images

step "up: db, redis, s3, stripe stand-in" quiet compose up -d db redis s3 stripe
step "database accepts connections" wait_until 90 "pg_isready" db_ready
step "bucket (one-off)" quiet compose --profile tools run --rm --no-deps bucket
step "up: api-1, api-2, worker-1, worker-2, lb" quiet compose up -d api-1 api-2 worker-1 worker-2 lb
step "both replicas alive (/health); not ready before migrate" \
    bash -c "source scripts/compose-lib.sh; wait_until 120 health replica_alive api-1 &&
             wait_until 60 health replica_alive api-2 && ! replica_ready api-1 2>/dev/null"
step "migrate (one-off)" compose --profile tools run --rm --no-deps migrate
step "both replicas /ready, and through the load balancer" \
    bash -c "source scripts/compose-lib.sh; wait_until 60 ready replica_ready api-1 &&
             wait_until 60 ready replica_ready api-2 && wait_until 30 lb lb_ready"
step "seed --demo (one-off, worker image)" quiet compose --profile tools run --rm --no-deps seed
step "journey: register, upload, ready, search, table, push/pull, order" \
    "$python" scripts/compose_journey.py journey --base "$base" \
    --stripe "http://127.0.0.1:$STRIPE_STANDIN_PORT" --testdata "$testdata"
step "client address: forwarded by lb, trusted from it only" \
    bash -c "source scripts/compose-lib.sh; psql_value \"SELECT client_address FROM activity_log
             WHERE action = 'account.registered' ORDER BY created_at DESC LIMIT 1\" |
             grep -v '^172\.30\.0\.254$' | grep -E '^[0-9a-f.:]+$'"
step "failure: api-1 stops during a stream of requests" \
    "$python" scripts/compose_journey.py failover --base "$base" --compose "$compose_line"
step "api-1 ready again" wait_until 90 "api-1 ready" replica_ready api-1
step "failure: worker killed mid-upload, job taken over after its lease" \
    "$python" scripts/compose_journey.py takeover --base "$base" --compose "$compose_line" \
    --testdata "$testdata"
step "failure: PostgreSQL restarts (503 meanwhile, then recovers)" \
    "$python" scripts/compose_journey.py db-outage --base "$base" --compose "$compose_line"
step "upgrade: scripts/deploy.sh (backup, migrate, rolling restart, health)" \
    scripts/deploy.sh --backup-dir build/backups
step "after the upgrade: journey again" \
    "$python" scripts/compose_journey.py journey --base "$base" \
    --stripe "http://127.0.0.1:$STRIPE_STANDIN_PORT" --testdata "$testdata"
echo "== all steps passed in $(elapsed "$started")s"
