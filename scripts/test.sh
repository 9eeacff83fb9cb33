#!/usr/bin/env bash
# Runs every test of Serverless.sln (Release) and prints "N passed, N failed" as the last line.
# Extra arguments go to `dotnet test`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

ARTIFACTS="$ROOT/artifacts"
RESULTS="$ARTIFACTS/test-results"
mkdir -p "$ARTIFACTS"

summary_fail() {
  echo "0 passed, 1 failed"
  exit 1
}

# Browser tests need Chromium; install it from Debian when missing and we are root.
if [[ ! -x /usr/bin/chromium && "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
  log "Installing chromium with apt-get (log: ${ARTIFACTS#"$ROOT"/}/chromium-install.log)"
  if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; } \
    >"$ARTIFACTS/chromium-install.log" 2>&1; then
    warn "could not install chromium (see $ARTIFACTS/chromium-install.log); the browser tests will fail"
  fi
fi

# The integration tests start their own Azurite from node_modules/azurite.
ensure_node_modules

log "Building Serverless.sln (Release)"
if ! dotnet build Serverless.sln -c Release -nologo; then
  echo "ERROR: build failed" >&2
  summary_fail
fi

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
TEST_LOG="$ARTIFACTS/test-output.log"

log "Running tests (results: ${RESULTS#"$ROOT"/})"
test_rc=0
dotnet test Serverless.sln -c Release --no-build \
  --logger "trx;LogFilePrefix=tests" \
  --results-directory "$RESULTS" \
  "$@" 2>&1 | tee "$TEST_LOG" || test_rc=$?

shopt -s nullglob
trx_files=("$RESULTS"/*.trx)
shopt -u nullglob

if ((${#trx_files[@]} == 0)); then
  echo "ERROR: no test results (.trx) were written to $RESULTS (dotnet test exit code $test_rc)" >&2
  summary_fail
fi

# counter NAME FILE... — sum the NAME="N" attribute of every <Counters .../> element.
counter() {
  local name=$1 total=0 n
  shift
  while read -r n; do
    total=$((total + n))
  done < <(grep -ho '<Counters [^>]*>' "$@" | sed -n "s/.* $name=\"\([0-9]*\)\".*/\1/p")
  echo "$total"
}

passed=$(counter passed "${trx_files[@]}")
failed=$(counter failed "${trx_files[@]}")

# Two test projects finishing in the same second would share one .trx name (the last one wins);
# then count from dotnet test's per-assembly summary lines instead.
if grep -q 'Overwriting results file' "$TEST_LOG"; then
  warn "a .trx file was overwritten; counting from the console summary instead"
  passed=0
  failed=0
  while read -r f p; do
    passed=$((passed + p))
    failed=$((failed + f))
  done < <(sed -n 's/.*\(Passed\|Failed\)! *- *Failed: *\([0-9]*\), *Passed: *\([0-9]*\),.*/\2 \3/p' "$TEST_LOG")
fi

if ((test_rc != 0 && failed == 0)); then
  echo "ERROR: dotnet test exited with code $test_rc although no test failed (crashed test host, or bad arguments?)" >&2
  failed=1
fi

echo "$passed passed, $failed failed"
if ((test_rc != 0 || failed > 0)); then
  exit 1
fi
