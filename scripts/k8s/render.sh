#!/usr/bin/env bash
# Fills the placeholders of the Kubernetes manifests for one coverage plan and writes
# OUT_DIR/tiles.yaml (the Indexed Job, completions = the plan's tileCount) and OUT_DIR/mosaic.yaml.
#
#   scripts/k8s/render.sh PLAN_DIR IMAGE [OUT_DIR]      (OUT_DIR defaults to PLAN_DIR/k8s)
#
# PLAN_DIR is a local copy of the plan folder (only plan.json is read). Environment:
#   LITFASS_K8S_PARALLELISM  pods at once (default: the tile count, at most 50)
#   LITFASS_K8S_CLAIM        the ReadWriteMany PVC holding the plan folder (default litfass-plan)
#   LITFASS_K8S_THREADS      threads and CPUs per pod (default 1)
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 PLAN_DIR IMAGE [OUT_DIR]" >&2; exit 2; }
plan="$1" image="$2" out="${3:-$1/k8s}"
here="$(cd "$(dirname "$0")" && pwd)"
[ -f "$plan/plan.json" ] || { echo "render: $plan/plan.json: no such file" >&2; exit 1; }
count="$(tr -d '\n' < "$plan/plan.json" | sed -n 's/.*"tileCount"[[:space:]]*:[[:space:]]*\([0-9][0-9]*\).*/\1/p')"
[[ "$count" =~ ^[0-9]+$ ]] && [ "$count" -gt 0 ] || { echo "render: $plan/plan.json: no positive \"tileCount\"" >&2; exit 1; }
parallelism="${LITFASS_K8S_PARALLELISM:-$(( count < 50 ? count : 50 ))}"
claim="${LITFASS_K8S_CLAIM:-litfass-plan}"
threads="${LITFASS_K8S_THREADS:-1}"
for value in "$parallelism" "$threads"; do
    [[ "$value" =~ ^[1-9][0-9]*$ ]] || { echo "render: '$value' is not a positive whole number" >&2; exit 2; }
done
[[ "$image" =~ ^[^[:space:]\|]+$ ]] || { echo "render: '$image' is not an image reference" >&2; exit 2; }
[[ "$claim" =~ ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$ ]] || { echo "render: '$claim' is not a PVC name" >&2; exit 2; }
mkdir -p "$out"
for part in tiles:coverage-indexed-job mosaic:coverage-mosaic-job; do
    sed -e "s|__TILE_COUNT__|$count|g" -e "s|__PARALLELISM__|$parallelism|g" -e "s|__IMAGE__|$image|g" \
        -e "s|__PLAN_CLAIM__|$claim|g" -e "s|__THREADS__|$threads|g" "$here/${part#*:}.yaml" > "$out/${part%%:*}.yaml"
done
echo "render: $out/tiles.yaml ($count tiles, $parallelism at once, image $image, claim $claim) and $out/mosaic.yaml"
