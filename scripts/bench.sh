#!/usr/bin/env bash
# Benchmarks against a real, fresh Azurite (in memory; its log in .local/bench-azurite). Prints one JSON line per result.
#   ./scripts/bench.sh [all|fanout|submissions|consolidation|reminders] [--n 200,2000] [--rate 50,200]
# See docs/BENCHMARKS.md for what each measures and the latest numbers.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

ensure_node_modules
log "Building the benchmarks (Release)"
dotnet build tests/Ttdn.Bench -c Release -nologo -v quiet >/dev/null
# A fresh Azurite every run, so one run's data never slows the next; in memory, as in the tests,
# so its disk store for queue messages (much slower than the queue service) is not what is measured.
DATA_DIR="$ROOT/.local/bench-azurite"
rm -rf "$DATA_DIR"
AZURITE_IN_MEMORY=1 start_azurite "$DATA_DIR"
export STORAGE_CONNECTION_STRING
dotnet tests/Ttdn.Bench/bin/Release/net10.0/Ttdn.Bench.dll "${@:-all}"
