#!/usr/bin/env bash
# Re-derives Data/building-height-defaults.json from the measured NRW LoD2 heights in
# Tests/Fixtures/data/lod2-nrw/ and prints how OSM level-derived heights of the Neuss extract compare.
# Deterministic: the same inputs give the same file (a test checks the committed file against it).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build -c release --product litfass >&2
args=()
for file in Tests/Fixtures/data/lod2-nrw/*.gml; do args+=(--lod2 "$file"); done
.build/release/litfass heights derive "${args[@]}" --out Data/building-height-defaults.json --compare-osm Data/neuss-s11.osm.pbf
