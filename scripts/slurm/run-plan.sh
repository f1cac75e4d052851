#!/usr/bin/env bash
# Runs a Litfass coverage plan on Slurm: every tile as one task of a job array, then the mosaic as a
# job that starts only when every tile succeeded (--dependency=afterok).
#
#   scripts/slurm/run-plan.sh [--wait] PLAN_DIR [sbatch options for both jobs, e.g. --partition=p --cpus-per-task=4]
#
# PLAN_DIR must be on a file system that every node sees; `litfass` must be on PATH on the nodes, or set
# LITFASS=/path/to/litfass. Plans with more tiles than the cluster's MaxArraySize are split into several
# arrays (LITFASS_TILE_OFFSET). LITFASS_SLURM_MAX_RUNNING=K caps the tasks running at once (--array=…%K).
# Prints the job ids; with --wait, returns only when the mosaic job has ended, with its exit status.
set -euo pipefail
usage() { echo "usage: $0 [--wait] PLAN_DIR [sbatch options...]" >&2; exit 2; }
wait_flag=()
if [ "${1:-}" = "--wait" ]; then wait_flag=(--wait); shift; fi
[ $# -ge 1 ] || usage
plan="$(cd "$1" 2>/dev/null && pwd)" || { echo "run-plan: $1: no such folder" >&2; exit 2; }
shift
[ -f "$plan/plan.json" ] || { echo "run-plan: $plan/plan.json: no such file (make it with litfass coverage plan --out $plan)" >&2; exit 1; }
here="$(cd "$(dirname "$0")" && pwd)"

# tileCount from plan.json, without needing jq or python on the submit host.
count="$(tr -d '\n' < "$plan/plan.json" | sed -n 's/.*"tileCount"[[:space:]]*:[[:space:]]*\([0-9][0-9]*\).*/\1/p')"
[[ "$count" =~ ^[0-9]+$ ]] && [ "$count" -gt 0 ] || { echo "run-plan: $plan/plan.json: no positive \"tileCount\"" >&2; exit 1; }

# Largest array the cluster accepts (indices 0 … MaxArraySize−1).
max_array="$(scontrol show config 2>/dev/null | sed -n 's/^MaxArraySize *= *\([0-9]*\).*/\1/p')"
[[ "$max_array" =~ ^[0-9]+$ ]] && [ "$max_array" -gt 0 ] || max_array=1001
throttle="${LITFASS_SLURM_MAX_RUNNING:+%$LITFASS_SLURM_MAX_RUNNING}"

mkdir -p "$plan/slurm"
export PLAN="$plan"
tile_jobs=()
for (( offset = 0; offset < count; offset += max_array )); do
    last=$(( count - offset < max_array ? count - offset - 1 : max_array - 1 ))
    job="$(LITFASS_TILE_OFFSET=$offset sbatch --parsable --export=ALL --array="0-$last$throttle" \
        --output="$plan/slurm/tile-%A_%a.out" "$@" "$here/coverage-array.sbatch")"
    tile_jobs+=("${job%%;*}")
done
dependency="afterok$(printf ':%s' "${tile_jobs[@]}")"
echo "run-plan: $count tiles as job array(s) ${tile_jobs[*]}"
mosaic_job="$(sbatch --parsable --export=ALL --job-name=litfass-mosaic --dependency="$dependency" --kill-on-invalid-dep=yes \
    --output="$plan/slurm/mosaic-%j.out" "$@" --wrap "exec \"\${LITFASS:-litfass}\" coverage mosaic --plan \"\$PLAN\"")"
mosaic_job="${mosaic_job%%;*}"
echo "run-plan: mosaic job $mosaic_job (starts after every tile succeeded; log $plan/slurm/mosaic-$mosaic_job.out)"
[ ${#wait_flag[@]} -gt 0 ] || exit 0

# --wait: poll once a second (sbatch --wait backs off to long intervals), then report how the mosaic job ended.
while [ -n "$(squeue -h -j "$mosaic_job" -o '%i' 2>/dev/null)" ]; do sleep 1; done
state="$(scontrol show job -o "$mosaic_job" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 || true)"
if [ "$state" != "COMPLETED" ]; then
    echo "run-plan: the mosaic job $mosaic_job ended ${state:-in an unknown state} (a tile failed, or the mosaic did; see $plan/slurm/)" >&2
    exit 1
fi
echo "run-plan: done; mosaic in $plan/mosaic/"
