#!/usr/bin/env bash
# Issue 27's goals, one benchmark after another on a quiet machine, into one log:
#
#     bash benchmarks/quiet_run.sh [LOG [STEP ...]]     (default build/quiet-run.log, all steps)
#
# STEP: real, viewport, startup, edits, load, sync (in that order when all are run).
# Run it with nothing else running (no tests, no builds): it prints the load average before
# each step, so a reader can see it was quiet. The "before" side of every comparison is the
# code of BEFORE (default: main at the start of the speed work), checked out into a temporary
# worktree; each script interleaves it with this checkout.
# About 30 minutes on the project's 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
log=${1:-build/quiet-run.log}
shift || true
steps=${*:-real viewport startup edits load sync}
before_rev=${BEFORE:-787c547}
# The app before the speed work has no `MainWindow.ready`, so it cannot be timed to a usable
# window: start-up's "before" is main after the first start-up work (its own bare window is
# timed in the same rounds, so the ratios stand on their own).
startup_before=${STARTUP_BEFORE:-e910a92}
mkdir -p "$(dirname "$log")"
: >"$log"
py=.venv/bin/python
xvfb=(xvfb-run -a -s "-screen 0 1600x1000x24")

step() {
  local key=$1 name=$2
  shift 2
  [[ " $steps " == *" $key "* ]] || return 0
  {
    echo
    echo "=== $name"
    echo "\$ $*"
    echo "started $(date -u +%H:%M:%S) UTC; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  } | tee -a "$log"
  local started=$SECONDS
  # A step that fails is reported and the run goes on to the next (every step is its own
  # process, so one failure cannot disturb the others' figures).
  "$@" 2>&1 | tee -a "$log" || echo "step FAILED (exit ${PIPESTATUS[0]})" | tee -a "$log"
  echo "ended after $((SECONDS - started)) s; load average $(cut -d' ' -f1-3 /proc/loadavg)" \
    | tee -a "$log"
}

before=$(mktemp -d -u)
git worktree add --detach -q "$before" "$before_rev"
trap 'git worktree remove --force "$before"' EXIT

echo "quiet run of $(git rev-parse --short HEAD) against $before_rev, $(nproc) cores" | tee -a "$log"
step real "viewport: 1,000 real OpenForge pieces, interactive and still" \
  "$py" benchmarks/viewport.py --real --rounds 8
step viewport "viewport: like-for-like rows, drags with their first frame" \
  "$py" benchmarks/viewport.py
step startup "start-up to a usable window, beside a bare PyVista window" \
  "${xvfb[@]}" "$py" benchmarks/startup.py --runs 7 --baseline "$startup_before"
step edits "edits with the docks on, 10 vs 1,000 pieces" \
  "${xvfb[@]}" "$py" benchmarks/edits.py --baseline "$before_rev"
step load "server: 500 clients, before and now interleaved" \
  "$py" benchmarks/load.py --clients 500 --duration 60 --source "$before" --source .
step sync "sync: a push beside what the server persists" \
  "$py" benchmarks/sync.py
echo "log: $log"
