#!/usr/bin/env bash
# Builds the Azure Functions deployment package: artifacts/package/ttdn-functions.zip with host.json,
# one folder per function (functions/*/function.json) and the self-contained linux-x64 custom
# handler in handler/ (host.json runs handler/Ttdn.App with handler/ as its working directory).
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

cp host.json "$STAGE/"
functions=0
for definition in functions/*/function.json; do
  name="$(basename "$(dirname "$definition")")"
  mkdir -p "$STAGE/$name"
  cp "$definition" "$STAGE/$name/function.json"
  functions=$((functions + 1))
done
((functions > 0)) || die "no functions/*/function.json found"

log "Publishing the custom handler (Release, linux-x64, self-contained)"
mkdir -p "$ROOT/artifacts/package"
PUBLISH_LOG="$ROOT/artifacts/package/publish.log"
if ! dotnet publish functions/Ttdn.App/Ttdn.App.csproj -c Release -r linux-x64 --self-contained true \
  -p:DebugType=none -p:GenerateDocumentationFile=false -o "$STAGE/handler" -nologo >"$PUBLISH_LOG" 2>&1; then
  tail -n 30 "$PUBLISH_LOG" >&2
  die "dotnet publish failed (log: $PUBLISH_LOG)"
fi
[[ -x "$STAGE/handler/Ttdn.App" ]] || die "the publish did not produce an executable handler/Ttdn.App"

rm -f "$ZIP_PATH"
# zip keeps the Unix mode bits, so handler/Ttdn.App stays executable on the Linux host.
(cd "$STAGE" && zip -q -r -X "$ZIP_PATH" .)
log "Wrote ${ZIP_PATH#"$ROOT"/} ($functions functions, $(du -h "$ZIP_PATH" | cut -f1))"
echo "$ZIP_PATH"
