#!/usr/bin/env bash
# Recomputes the Sionna RT reference maps in Tests/Fixtures/reference/sionna (about 3 minutes on 2 cores), then
# runs the comparison test. Needs Debian's libllvm19 (Dr.Jit's CPU backend; Debian 12's LLVM 15 fails to compile
# Sionna's kernels: "LLVM ERROR: Cannot select: ... fmaximum") and sionna-rt from PyPI. Not part of the test run:
# the tests read only the committed files.
set -euo pipefail
cd "$(dirname "$0")/../.."
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
if ! dpkg-query -W -f='${Status}' libllvm19 2>/dev/null | grep -q "install ok installed"; then
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends libllvm19
fi
python3 -m pip install -q "sionna-rt==2.2.0"
export DRJIT_LIBLLVM_PATH="${DRJIT_LIBLLVM_PATH:-/usr/lib/x86_64-linux-gnu/libLLVM-19.so}"
(cd scripts/sionna && python3 run_reference.py ../../Tests/Fixtures/reference/sionna \
    && python3 run_open_line.py ../../Tests/Fixtures/reference/sionna/open_line.csv)
swift build --build-tests
swift test --skip-build --filter SionnaComparisonTests
