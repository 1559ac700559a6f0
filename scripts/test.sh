#!/usr/bin/env bash
# Runs every dlcc test on a fresh or existing checkout:
#   1. scripts/bootstrap.sh: installs missing packages and the Python env, builds
#   2. lit: dialect and importer tests (test/Dialect, test/Importer)
#   3. pytest: end-to-end tests (test/python: torch exports, malformed models, ...)
#   4. the import conformance run over ONNX's backend test suite
#   5. the reference-execution run: every importable backend test model lowered
#      to the CPU (dlcc-reference-cpu-lowering), run, and compared with ONNX's
#      expected outputs
#   6. the program conformance run: every importable backend test model
#      compiled by `dlcc --inference -o` (CPU kernels, cubins for sm_80 and
#      sm_90 checked by ptxas, PTX), run by dlcc-run and compared likewise
#   (4-6 compare every model's class, e.g. pass, pass-specialised,
#   unsupported:OP, limitation:REASON, with its column of
#   test/conformance/expected_outcomes.txt: any change or failure fails)
# and ends with one summary line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
RESULTS=build/test-results
BUDGET_S=${DLCC_TEST_BUDGET_S:-4500}   # CI allows 5400 s; stop well before
START=$(date +%s)
status=0

phase() {  # phase NAME COMMAND...
  local name=$1; shift
  local t0=$(date +%s)
  echo "=== $name"
  "$@"
  local rc=$?
  echo "=== $name: exit $rc, $(( $(date +%s) - t0 )) s"
  [ $rc -eq 0 ] || status=1
  if [ $(( $(date +%s) - START )) -gt "$BUDGET_S" ]; then
    echo "=== over the time budget of $BUDGET_S s after $name"; status=1
  fi
  return $rc
}

phase "bootstrap and build" scripts/bootstrap.sh || { echo "0 passed, 1 failed"; exit 1; }
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
phase "lit" .venv/bin/lit -sv build/test --xunit-xml-output "$RESULTS/lit.xml"
phase "pytest" .venv/bin/python -m pytest test/python -q -rs --junitxml "$RESULTS/pytest.xml"
phase "onnx import conformance" .venv/bin/python test/conformance/onnx_import_conformance.py \
  --build build --junit "$RESULTS/conformance.xml" --json "$RESULTS/conformance.json"
phase "onnx reference execution" .venv/bin/python test/conformance/onnx_reference_execution.py \
  --build build --junit "$RESULTS/reference-execution.xml" --json "$RESULTS/reference-execution.json"
phase "onnx program conformance" .venv/bin/python test/conformance/onnx_program_conformance.py \
  --build build --junit "$RESULTS/program-conformance.xml" --json "$RESULTS/program-conformance.json"
echo "=== total $(( $(date +%s) - START )) s"
.venv/bin/python scripts/summarize_tests.py "$RESULTS"/*.xml || status=1
exit $status
