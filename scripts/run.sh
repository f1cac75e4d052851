#!/usr/bin/env bash
# The main job: installs what is missing, builds Litfass in release mode and runs it on the
# embedded default scenario (Neuss). With arguments, runs `litfass` with them instead:
#   scripts/run.sh                      # the default job
#   scripts/run.sh info --format json   # any litfass command
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build -c release --product litfass >&2
if [ $# -eq 0 ]; then
    set -- info
fi
exec .build/release/litfass "$@"
