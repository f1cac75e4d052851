#!/usr/bin/env bash
# Runs every test: installs what is missing, builds (debug, with the litfass executable the CLI
# tests run), then `swift test`. Tests read only the repository: Data/ and Tests/Fixtures/.
set -euo pipefail
cd "$(dirname "$0")/.."
# Headless Chromium renders `litfass serve`'s page in LitfassServeTests; large, so only the tests install it.
# A single-node Slurm (slurm-wlm, munge) runs a tiled coverage plan as a job array, and PyYAML reads the
# Kubernetes manifest, in PlanEngineTests; scripts/slurm/start-single-node.sh starts and stops the daemons.
export LITFASS_EXTRA_APT_PACKAGES="${LITFASS_EXTRA_APT_PACKAGES:-} chromium slurm-wlm munge python3-yaml"
source scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
