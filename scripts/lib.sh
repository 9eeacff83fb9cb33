# shellcheck shell=bash
# Helpers shared by scripts/run.sh and scripts/test.sh. Source it, don't run it:
#   source scripts/lib.sh
#   start_azurite /tmp/azurite-data   # exports AZURITE_PID and STORAGE_CONNECTION_STRING
#
# Everything started through these helpers is stopped when the sourcing shell exits.

TTDN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AZURITE_ENTRY="$TTDN_ROOT/node_modules/azurite/dist/src/azurite.js"
AZURITE_ACCOUNT="devstoreaccount1"
AZURITE_KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

# No telemetry or first-run banners from the .NET CLI (this machine has no internet anyway).
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log()  { printf '==> %s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die()  { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------
# Process cleanup: PIDs registered here are stopped (newest first) on exit.
# ---------------------------------------------------------------------------
_TTDN_CLEANUP_PIDS=()
_TTDN_CLEANUP_NAMES=()
_TTDN_TRAPS_SET=0

# stop_pid PID [NAME] — SIGTERM, wait up to 15 s, then SIGKILL.
stop_pid() {
  local pid=$1 name=${2:-process} i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    warn "$name (pid $pid) did not stop after 15 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

_ttdn_cleanup() {
  local i
  for ((i = ${#_TTDN_CLEANUP_PIDS[@]} - 1; i >= 0; i--)); do
    [[ -n "${_TTDN_CLEANUP_PIDS[i]}" ]] || continue
    stop_pid "${_TTDN_CLEANUP_PIDS[i]}" "${_TTDN_CLEANUP_NAMES[i]}"
    _TTDN_CLEANUP_PIDS[i]=""
  done
}

_ttdn_on_signal() {
  trap - INT TERM HUP
  printf '\n' >&2
  log "Stopping..."
  exit "$1"
}

# register_cleanup PID NAME — stop PID when the shell exits (or on Ctrl-C / SIGTERM).
register_cleanup() {
  _TTDN_CLEANUP_PIDS+=("$1")
  _TTDN_CLEANUP_NAMES+=("${2:-process}")
  if [[ $_TTDN_TRAPS_SET == 0 ]]; then
    _TTDN_TRAPS_SET=1
    trap _ttdn_cleanup EXIT
    trap '_ttdn_on_signal 130' INT
    trap '_ttdn_on_signal 143' TERM
    trap '_ttdn_on_signal 129' HUP
  fi
}

# ---------------------------------------------------------------------------
# Ports
# ---------------------------------------------------------------------------

# free_port [COUNT] — print COUNT (default 1) distinct free loopback TCP ports, one per line.
# All sockets are held open together, so the ports are distinct from each other.
free_port() {
  node -e '
    const net = require("net");
    const n = Number(process.argv[1] || 1);
    const servers = [];
    const ports = [];
    (function next() {
      if (servers.length === n) {
        console.log(ports.join("\n"));
        servers.forEach((s) => s.close());
        return;
      }
      const s = net.createServer();
      s.on("error", (e) => { console.error(e.message); process.exit(1); });
      s.listen(0, "127.0.0.1", () => { ports.push(s.address().port); servers.push(s); next(); });
    })();
  ' "${1:-1}"
}

# port_open PORT — true when something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# ---------------------------------------------------------------------------
# Node modules (Azurite)
# ---------------------------------------------------------------------------

# ensure_node_modules — `npm ci` when node_modules/azurite is missing or package-lock.json
# changed since the last install.
ensure_node_modules() {
  command -v node >/dev/null 2>&1 || die "node is not installed (Node.js 20 or newer is needed for Azurite)"
  command -v npm >/dev/null 2>&1 || die "npm is not installed (it comes with Node.js 20 or newer)"
  local marker="$TTDN_ROOT/node_modules/.package-lock.json"
  if [[ ! -f "$AZURITE_ENTRY" || ! -f "$marker" || "$TTDN_ROOT/package-lock.json" -nt "$marker" ]]; then
    log "Installing node packages (Azurite) with npm ci"
    (cd "$TTDN_ROOT" && npm ci --no-audit --no-fund) || die "npm ci failed"
  fi
  [[ -f "$AZURITE_ENTRY" ]] || die "Azurite entry script not found at $AZURITE_ENTRY after npm ci"
}

# ---------------------------------------------------------------------------
# Azurite
# ---------------------------------------------------------------------------

# start_azurite DATA_DIR — start Azurite (blob, queue, table) on three free loopback ports,
# storing its data in DATA_DIR. Exports AZURITE_PID, AZURITE_BLOB_PORT, AZURITE_QUEUE_PORT,
# AZURITE_TABLE_PORT and STORAGE_CONNECTION_STRING. Azurite's own log goes to
# DATA_DIR/azurite.log (override with AZURITE_LOG). Azurite is stopped when the shell exits.
start_azurite() {
  local data_dir=${1:?usage: start_azurite DATA_DIR}
  [[ -f "$AZURITE_ENTRY" ]] || die "Azurite is not installed ($AZURITE_ENTRY missing); run ensure_node_modules first"
  mkdir -p "$data_dir"
  data_dir="$(cd "$data_dir" && pwd)"
  local azurite_log=${AZURITE_LOG:-$data_dir/azurite.log}

  local ports
  ports=$(free_port 3) || die "could not find free TCP ports"
  local blob queue table
  { read -r blob; read -r queue; read -r table; } <<<"$ports"
  [[ -n "$blob" && -n "$queue" && -n "$table" ]] || die "could not find free TCP ports"

  # AZURITE_IN_MEMORY=1 keeps the data in memory only (benchmarks, like the tests); DATA_DIR then holds the log.
  local persistence=(--location "$data_dir")
  [[ "${AZURITE_IN_MEMORY:-0}" == 1 ]] && persistence=(--inMemoryPersistence)
  node "$AZURITE_ENTRY" \
    --blobHost 127.0.0.1 --blobPort "$blob" \
    --queueHost 127.0.0.1 --queuePort "$queue" \
    --tableHost 127.0.0.1 --tablePort "$table" \
    "${persistence[@]}" \
    --skipApiVersionCheck --loose --silent --disableTelemetry \
    >>"$azurite_log" 2>&1 </dev/null &
  AZURITE_PID=$!
  register_cleanup "$AZURITE_PID" "Azurite"

  local deadline=$((SECONDS + 60)) p ready
  while :; do
    ready=1
    for p in "$blob" "$queue" "$table"; do
      port_open "$p" || { ready=0; break; }
    done
    [[ $ready == 1 ]] && break
    if ! kill -0 "$AZURITE_PID" 2>/dev/null; then
      tail -n 30 "$azurite_log" >&2 || true
      die "Azurite exited during startup (log: $azurite_log)"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 30 "$azurite_log" >&2 || true
      die "Azurite did not open ports $blob/$queue/$table on 127.0.0.1 within 60 s (log: $azurite_log)"
    fi
    sleep 0.2
  done

  export AZURITE_PID
  export AZURITE_BLOB_PORT=$blob AZURITE_QUEUE_PORT=$queue AZURITE_TABLE_PORT=$table
  export STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=$AZURITE_ACCOUNT;AccountKey=$AZURITE_KEY;BlobEndpoint=http://127.0.0.1:$blob/$AZURITE_ACCOUNT;QueueEndpoint=http://127.0.0.1:$queue/$AZURITE_ACCOUNT;TableEndpoint=http://127.0.0.1:$table/$AZURITE_ACCOUNT;"
}

# stop_azurite — stop the Azurite started by start_azurite now (it is stopped on exit anyway).
stop_azurite() {
  [[ -n "${AZURITE_PID:-}" ]] || return 0
  stop_pid "$AZURITE_PID" "Azurite"
  unset AZURITE_PID
}
