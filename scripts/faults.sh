#!/usr/bin/env bash
# Fault tests at full size. Prints one JSON result line per test on standard output.
#   ./scripts/faults.sh [all|crash|chain|outage]
# crash:  1,000 units, 10 SIGKILLs of the app (TTDN_FAULT_UNITS, TTDN_FAULT_KILLS, TTDN_FAULT_SEED override)
# chain:  100 units under the full approval chain, a SIGKILL after each step of the chain
#         (TTDN_FAULT_CHAIN_UNITS, TTDN_FAULT_CHAIN_KILL_MS, TTDN_FAULT_SEED override)
# outage: 300 units, Azurite stopped twice for 10 s (TTDN_FAULT_OUTAGE_UNITS, TTDN_FAULT_OUTAGE_SECONDS override)
# The test suite (./scripts/test.sh) runs the same tests smaller. See docs/RELIABILITY.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

which=${1:-all}
case "$which" in
  crash) filter="FullyQualifiedName~Faults.CrashTests" ;;
  chain) filter="FullyQualifiedName~Faults.ChainCrashTests" ;;
  outage) filter="FullyQualifiedName~Faults.OutageTests" ;;
  all) filter="FullyQualifiedName~Faults.CrashTests|FullyQualifiedName~Faults.ChainCrashTests|FullyQualifiedName~Faults.OutageTests" ;;
  *) die "usage: $0 [all|crash|chain|outage]" ;;
esac

ensure_node_modules
log "Building (Release): the tests start the built app as a process"
dotnet build Serverless.sln -c Release -nologo -v quiet >/dev/null

export TTDN_FAULT_UNITS=${TTDN_FAULT_UNITS:-1000}
export TTDN_FAULT_KILLS=${TTDN_FAULT_KILLS:-10}
export TTDN_FAULT_CHAIN_UNITS=${TTDN_FAULT_CHAIN_UNITS:-100}
export TTDN_FAULT_OUTAGE_UNITS=${TTDN_FAULT_OUTAGE_UNITS:-300}
export TTDN_FAULT_OUTAGE_SECONDS=${TTDN_FAULT_OUTAGE_SECONDS:-10}
results=$(mktemp)
trap 'rm -f "$results"' EXIT
export TTDN_FAULT_RESULTS=$results

log "Running $which (minutes; progress is quiet)"
status=0
dotnet test tests/Ttdn.Integration.Tests -c Release --no-build --filter "$filter" --logger "console;verbosity=normal" >&2 || status=$?
cat "$results"
exit "$status"
