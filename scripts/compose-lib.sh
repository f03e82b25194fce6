# Sourced by scripts/compose-check.sh and scripts/deploy.sh: which container engine and compose
# command to use, which compose files, and small helpers. Not run on its own.
#
# Settings (environment):
#   COMPOSE_PROJECT        the stack's project name (default: terrain)
#   TERRAIN_LOCAL_IMAGES   1: add compose.local.yaml (images from Debian's packages, for hosts
#                          that reach no registry; default 1 with podman, 0 with docker)
#   COMPOSE_EXTRA_FILES    more -f files, space separated (compose-check adds compose.check.yaml)
#   TERRAIN_BUILD_CA_BUNDLE  a CA bundle pip inside builds must trust (a proxy that re-signs
#                          TLS); default: $PIP_CERT when set. Passed as a build secret (podman).
#   PODMAN_COMPOSE         the podman-compose command (default: on PATH, else installed into
#                          build/podman-compose by pip)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
COMPOSE_PROJECT=${COMPOSE_PROJECT:-terrain}

_now() { date +%s.%N; }

# The container engine: docker compose when present, else podman with podman-compose. With
# podman, runc and no default ulimits (crun cannot set rlimits on these virtual machines).
if docker compose version >/dev/null 2>&1; then
    ENGINE=docker
    COMPOSE_CMD=(docker compose)
    BUILD_ARGS=()
elif command -v podman >/dev/null 2>&1; then
    ENGINE=podman
    if [[ -z "${CONTAINERS_CONF:-}" ]]; then
        mkdir -p "$ROOT/build"
        printf '[containers]\ndefault_ulimits = []\n\n[engine]\nruntime = "%s"\n' \
            "$(command -v runc || echo runc)" > "$ROOT/build/containers.conf"
        export CONTAINERS_CONF=$ROOT/build/containers.conf
    fi
    if [[ -z "${PODMAN_COMPOSE:-}" ]]; then
        if command -v podman-compose >/dev/null 2>&1; then
            PODMAN_COMPOSE=$(command -v podman-compose)
        else
            if [[ ! -x "$ROOT/build/podman-compose/bin/podman-compose" ]]; then
                python3 -m venv "$ROOT/build/podman-compose" >&2
                "$ROOT/build/podman-compose/bin/pip" install -q --no-cache-dir podman-compose >&2
            fi
            PODMAN_COMPOSE=$ROOT/build/podman-compose/bin/podman-compose
        fi
    fi
    # Builds reach PyPI and Debian's mirror through the host's network.
    build_flags="--network host"
    ca=${TERRAIN_BUILD_CA_BUNDLE:-${PIP_CERT:-}}
    [[ -n "$ca" && -s "$ca" ]] && build_flags+=" --secret id=ca-bundle,src=$ca"
    COMPOSE_CMD=("$PODMAN_COMPOSE" --in-pod false)
    BUILD_ARGS=(--podman-build-args "$build_flags")
else
    echo "Neither docker compose nor podman found." >&2
    exit 1
fi

COMPOSE_FILES=(-f "$ROOT/compose.yaml")
local_default=0
[[ $ENGINE == podman ]] && local_default=1
if [[ "${TERRAIN_LOCAL_IMAGES:-$local_default}" == 1 ]]; then
    COMPOSE_FILES+=(-f "$ROOT/compose.local.yaml")
    export LOCAL_BASE_IMAGE=${LOCAL_BASE_IMAGE:-localhost/debian:bookworm-minbase}
fi
for extra in ${COMPOSE_EXTRA_FILES:-}; do
    COMPOSE_FILES+=(-f "$extra")
done

# `compose ARGS…`: the compose command on this stack.
compose() {
    if [[ $ENGINE == podman && "${1:-}" == build ]]; then
        "${COMPOSE_CMD[@]}" "${BUILD_ARGS[@]}" -p "$COMPOSE_PROJECT" "${COMPOSE_FILES[@]}" "$@"
    else
        "${COMPOSE_CMD[@]}" -p "$COMPOSE_PROJECT" "${COMPOSE_FILES[@]}" "$@"
    fi
}

# `wait_until SECONDS DESCRIPTION COMMAND…`: polls COMMAND every half second until it succeeds;
# fails after SECONDS.
wait_until() {
    local limit=$1 what=$2
    shift 2
    local deadline=$(($(date +%s) + limit))
    until "$@" >/dev/null 2>&1; do
        if (($(date +%s) >= deadline)); then
            echo "timed out after ${limit}s waiting for: $what" >&2
            return 1
        fi
        sleep 0.5
    done
}

# `replica_ready SERVICE`: /ready answers 200 inside that API container (the same probe as its
# healthcheck, which podman without systemd does not run on its own).
replica_ready() {
    compose exec -T "$1" python -c \
        "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/ready', timeout=2)"
}

# `replica_alive SERVICE`: /health answers 200 (the process serves and the database answers).
replica_alive() {
    compose exec -T "$1" python -c \
        "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2)"
}

db_ready() {
    compose exec -T db pg_isready -q -U terrain -d terrain
}

# `psql_value SQL`: one value from the stack's database.
psql_value() {
    compose exec -T db psql -U terrain -d terrain -tAc "$1"
}

# `lb_ready`: /ready answers 200 through the load balancer.
lb_ready() {
    python3 - "${TERRAIN_HTTP_PORT:-18080}" <<'EOF'
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/ready", timeout=3)
EOF
}
