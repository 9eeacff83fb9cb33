#!/usr/bin/env bash
# Builds the Azure Functions deployment package: artifacts/package/ttdn-functions.zip, the published
# function app (functions/Ttdn.Functions, a .NET isolated worker for linux-x64) exactly as a
# dotnet-isolated Flex Consumption app runs it: host.json, worker.config.json, functions.metadata,
# extensions.json with .azurefunctions/ (the host's Durable Task extension) and the worker's assemblies.
#   ./scripts/package.sh [OUTPUT.zip]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

ZIP_PATH="${1:-$ROOT/artifacts/package/ttdn-functions.zip}"
command -v zip >/dev/null 2>&1 || die "zip is not installed (apt-get install zip)"
mkdir -p "$(dirname "$ZIP_PATH")"
ZIP_PATH="$(cd "$(dirname "$ZIP_PATH")" && pwd)/$(basename "$ZIP_PATH")"
STAGE="$(mktemp -d "${TMPDIR:-/tmp}/ttdn-package.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT

log "Publishing the function app (Release, linux-x64)"
mkdir -p "$ROOT/artifacts/package"
PUBLISH_LOG="$ROOT/artifacts/package/publish.log"
if ! dotnet publish functions/Ttdn.Functions/Ttdn.Functions.csproj -c Release -r linux-x64 --self-contained false \
  -p:DebugType=none -p:GenerateDocumentationFile=false -o "$STAGE" -nologo >"$PUBLISH_LOG" 2>&1; then
  tail -n 30 "$PUBLISH_LOG" >&2
  die "dotnet publish failed (log: $PUBLISH_LOG)"
fi
for required in host.json worker.config.json functions.metadata extensions.json .azurefunctions Ttdn.Functions.dll; do
  [[ -e "$STAGE/$required" ]] || die "the publish did not produce $required"
done

rm -f "$ZIP_PATH"
(cd "$STAGE" && zip -q -r -X "$ZIP_PATH" .)
functions="$(grep -c '"entryPoint"' "$STAGE/functions.metadata" || true)"
log "Wrote ${ZIP_PATH#"$ROOT"/} ($functions functions, $(du -h "$ZIP_PATH" | cut -f1))"
echo "$ZIP_PATH"
