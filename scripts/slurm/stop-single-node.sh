#!/usr/bin/env bash
# Stops the daemons scripts/slurm/start-single-node.sh started (recorded in $LITFASS_SLURM_STATE),
# in reverse order, and nothing else. Leaves the configuration and installed packages in place.
set -euo pipefail
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then exec sudo -E "$0" "$@"; fi
state="${LITFASS_SLURM_STATE:-/run/litfass-slurm/started}"
[ -f "$state" ] || exit 0
tac "$state" | while read -r name pid; do
    [ -n "$pid" ] || continue
    # Only the process we started: the pid must still belong to a program of that name.
    if [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = "$name" ]; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then
            echo "litfass slurm: $name ($pid) did not stop on SIGTERM; sending SIGKILL" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
done
rm -f "$state"
