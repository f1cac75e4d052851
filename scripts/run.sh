#!/usr/bin/env bash
# The main job: installs what is missing, builds Litfass in release mode and answers a business
# owner's question on the embedded default scenario (Neuss): what bandwidth can the commercial
# building at Krefelder Straße 15 get? With arguments, runs `litfass` with them instead:
#   scripts/run.sh                                   # the default job
#   scripts/run.sh query "Büchel 20, 41460 Neuss"    # any litfass command
#   scripts/run.sh info --format json
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build -c release --product litfass >&2
if [ $# -eq 0 ]; then
    set -- query "Krefelder Straße 15, 41460 Neuss"
fi
exec .build/release/litfass "$@"
