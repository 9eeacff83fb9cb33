#!/usr/bin/env bash
# Renders a report DOCX to PDF and PNG pages so a person can look at it:
#   scripts/render-report.sh                 # generates a sample report first (tools/Ttdn.SampleReport)
#   scripts/render-report.sh report.docx     # renders a report you downloaded
# Output: artifacts/render/<name>.pdf and artifacts/render/<name>-NN.png (one per page).
# Installs libreoffice-writer and poppler-utils with apt-get when they are missing (needs root).
# Not part of CI: LibreOffice is large and slow to start, and the tests check the documents' structure.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

OUT="$ROOT/artifacts/render"
DPI="${RENDER_DPI:-110}"

need_install=()
command -v soffice >/dev/null 2>&1 || need_install+=(libreoffice-writer)
command -v pdftoppm >/dev/null 2>&1 || need_install+=(poppler-utils)
# The report is set in Times New Roman; Liberation Serif has the same metrics, so pages break where Word breaks them.
fc-list 2>/dev/null | grep -qi "Liberation Serif" || need_install+=(fonts-liberation2)
if ((${#need_install[@]} > 0)); then
  [[ "$(id -u)" == 0 ]] || die "missing ${need_install[*]}; install them (apt-get install ${need_install[*]}) or run as root"
  log "Installing ${need_install[*]} with apt-get"
  apt-get update >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need_install[@]}" >/dev/null
fi

if (($# > 0)); then
  DOCX="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
  [[ -f "$DOCX" ]] || die "no such file: $1"
else
  SAMPLE="$ROOT/artifacts/sample"
  log "Writing a sample report to ${SAMPLE#"$ROOT"/}"
  dotnet run --project tools/Ttdn.SampleReport -c Release -- "$SAMPLE" "${SAMPLE_UNITS:-64}"
  DOCX="$(ls "$SAMPLE"/*.docx | head -n 1)"
fi

mkdir -p "$OUT"
name="$(basename "$DOCX" .docx)"
rm -f "$OUT/$name".pdf "$OUT/$name"-*.png
# A private profile: a desktop LibreOffice that is already running would otherwise swallow the job.
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
log "Converting ${DOCX#"$ROOT"/} to PDF with LibreOffice"
soffice -env:UserInstallation="file://$profile" --headless --convert-to pdf --outdir "$OUT" "$DOCX" >/dev/null
[[ -f "$OUT/$name.pdf" ]] || die "LibreOffice wrote no PDF"
log "Rendering the pages at $DPI dpi"
pdftoppm -r "$DPI" -png "$OUT/$name.pdf" "$OUT/$name"
log "Done: ${OUT#"$ROOT"/}/$name.pdf and $(ls "$OUT/$name"-*.png | wc -l) page(s) as PNG"
