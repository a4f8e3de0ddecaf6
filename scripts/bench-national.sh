#!/usr/bin/env bash
# National benchmark of the directory ("make bench-national").
#
# For each engine asked for:
#   1. serves a synthetic, deterministic, schema-valid Open Referral UK 3.0
#      feed of BENCH_SERVICES services (scripts/nationalfeed) on loopback;
#   2. prepares a fresh joinedup database (one start of the server, which
#      migrates and loads the default data), then imports the feed with the
#      real command, `joinedup import oruk URL`, under /usr/bin/time -v:
#      wall time and peak memory; then imports it again (unchanged);
#   3. starts the server with --no-page-cache, times its first search, and
#      loads each query of the grid with wrk (BENCH_CONNECTIONS connections,
#      2 threads, BENCH_DURATION each): p50, p95 and p99;
#   4. prints the server's peak memory (VmHWM) after the load.
#
# Environment:
#   BENCH_ENGINES       sqlite, postgres, or "sqlite postgres"; default sqlite
#   BENCH_SERVICES      services in the feed; default 200000
#   BENCH_DURATION      wrk's time per query (wrk syntax); default 5s
#   BENCH_WARMUP        wrk's warm-up per query; default 1s
#   BENCH_CONNECTIONS   default 10
#   BENCH_DATABASE_URL  an empty PostgreSQL database for the postgres run;
#                       default: a throwaway cluster started with initdb and
#                       pg_ctl from /usr/lib/postgresql/15/bin (or the newest
#                       installed) on a free loopback port, removed afterwards
#
# Goals (on the project's 2-core machine): import within 60 s and under
# 300 MB, re-import within 20 s; every query p95 within 10 ms and p99 within
# 25 ms; first request within 50 ms; server under 256 MB. They are printed
# next to the figures; the script fails only when something does not run.
set -euo pipefail

read -r -a ENGINES <<<"${BENCH_ENGINES:-sqlite}"
SERVICES="${BENCH_SERVICES:-200000}"
DURATION="${BENCH_DURATION:-5s}"
WARMUP="${BENCH_WARMUP:-1s}"
CONNECTIONS="${BENCH_CONNECTIONS:-10}"
HOST=127.0.0.1
START_TIMEOUT=120 # seconds for a server to answer (the first start loads the default data)

# The grid: label|path. POSTCODE is in south-east London, where the feed
# puts London's services.
POSTCODE="SE15+5LJ"
GRID=(
  "word in >5% (food)|/directory?q=food"
  "word in >5% + postcode|/directory?q=food&postcode=$POSTCODE"
  "two-word phrase|/directory?q=mental+health"
  "category + postcode|/directory?category=food-bank&postcode=$POSTCODE"
  "open now + postcode|/directory?open=now&postcode=$POSTCODE"
  "word matching nothing|/directory?q=xylophone"
  "deep page (page 200)|/directory?q=food&page=200"
  "ORUK /services?search=|/api/oruk/services?search=food&per_page=50"
  "ORUK /service_at_locations near|/api/oruk/service_at_locations?postcode=$POSTCODE&proximity=2000"
)
FIRST_PATH="/directory?q=food&postcode=$POSTCODE"

TMP=""
PIDS=()
PG_DIR=""
PG_BIN=""
PG_RUN=()
DATABASE_URL_PG="${BENCH_DATABASE_URL:-}"

log() { printf '%s\n' "$*" >&2; }
die() {
  log "bench-national: $*"
  exit 1
}

stop_pid() {
  local pid="$1" i
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    stop_pid "$pid"
  done
  if [[ -n "$PG_DIR" && -d "$PG_DIR" ]]; then
    "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
    rm -rf -- "$PG_DIR"
  fi
  if [[ -n "$TMP" && -d "$TMP" ]]; then
    rm -rf -- "$TMP"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  local port i
  for i in $(seq 1 50); do
    port=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/$HOST/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  die "no free loopback port found"
}

# wait_ready NAME PID URL LOG
wait_ready() {
  local name="$1" pid="$2" url="$3" logfile="$4" deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    kill -0 "$pid" 2>/dev/null || {
      sed 's/^/  /' "$logfile" >&2
      die "$name exited before it was ready"
    }
    [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url" || true)" == 200 ]] && return 0
    sleep 0.1
  done
  sed 's/^/  /' "$logfile" >&2
  die "$name did not answer 200 at $url within ${START_TIMEOUT}s"
}

start_postgres() {
  local port initdb
  initdb=/usr/lib/postgresql/15/bin/initdb
  [[ -x "$initdb" ]] || initdb="$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -1)" ||
    die "PostgreSQL is not installed (apt-get install postgresql), and BENCH_DATABASE_URL is not set"
  PG_BIN="$(dirname "$initdb")"
  PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/joinedup-bench-national-pg.XXXXXX")"
  PG_RUN=()
  if ((EUID == 0)); then
    id postgres >/dev/null 2>&1 || die "running as root, and there is no postgres user to run PostgreSQL as"
    chown postgres "$PG_DIR"
    PG_RUN=(runuser -u postgres --)
  fi
  log "starting a throwaway PostgreSQL ($PG_BIN) ..."
  "${PG_RUN[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C \
    --no-instructions >"$PG_DIR/initdb.log" 2>&1 || {
    cat "$PG_DIR/initdb.log" >&2
    die "initdb failed"
  }
  port="$(free_port)"
  "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 \
    -o "-p $port -k $PG_DIR -c listen_addresses=$HOST -c max_connections=100" start >/dev/null || {
    cat "$PG_DIR/postgres.log" >&2
    die "PostgreSQL did not start"
  }
  "${PG_RUN[@]}" "$PG_BIN/createdb" -h "$HOST" -p "$port" -U postgres joinedup_national || die "createdb failed"
  DATABASE_URL_PG="postgres://postgres@$HOST:$port/joinedup_national?sslmode=disable"
}

# db_args ENGINE: the flags that point joinedup at the engine's database.
db_args() {
  DB_ARGS=(--data-dir "$TMP/data")
  if [[ "$1" == postgres ]]; then
    [[ -n "$DATABASE_URL_PG" ]] || start_postgres
    DB_ARGS+=(--database "$DATABASE_URL_PG")
  fi
}

# start_joinedup FLAGS...: sets JOINEDUP (its URL) and JOINEDUP_PID.
start_joinedup() {
  local port
  port="$(free_port)"
  JOINEDUP="http://$HOST:$port"
  "$TMP/joinedup" serve --addr "$HOST:$port" "${DB_ARGS[@]}" "$@" >"$TMP/joinedup.log" 2>&1 &
  JOINEDUP_PID=$!
  PIDS+=("$JOINEDUP_PID")
  wait_ready joinedup "$JOINEDUP_PID" "$JOINEDUP/healthz" "$TMP/joinedup.log"
}

# timed_import LABEL: runs the import under /usr/bin/time -v; sets
# IMPORT_SECS and IMPORT_MB, and prints the command's summary.
timed_import() {
  local label="$1" start end
  log "importing ($label) ..."
  start="$(date +%s.%N)"
  /usr/bin/time -v -o "$TMP/time.txt" "$TMP/joinedup" import oruk "$FEED/api/oruk" "${DB_ARGS[@]}" \
    >"$TMP/import.out" 2>"$TMP/import.err" || {
    tail -20 "$TMP/import.err" >&2
    die "the import failed"
  }
  end="$(date +%s.%N)"
  IMPORT_SECS="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')"
  IMPORT_MB="$(awk -F: '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$TMP/time.txt")"
  printf '  %-30s %s\n' "$label summary:" "$(head -1 "$TMP/import.out")"
  grep -E '^(page [0-9]+ of|saved in|nothing to change)' "$TMP/import.err" | sed 's/^/    /' || true
}

# run_query LABEL PATH: wrk with a script that prints the percentiles.
run_query() {
  local label="$1" path="$2" out="$TMP/wrk.txt" secs
  secs="${DURATION%s}"
  timeout --kill-after=5 $((${WARMUP%s} + 30)) wrk -t2 -c "$CONNECTIONS" -d "$WARMUP" "$JOINEDUP$path" >/dev/null 2>&1 || true
  timeout --kill-after=5 $((secs + 30)) wrk -t2 -c "$CONNECTIONS" -d "$DURATION" -s "$TMP/percentiles.lua" \
    "$JOINEDUP$path" >"$out" 2>&1 || true
  awk -v label="$label" -v path="$path" '
    /^PCT/ {
      err = $6 > 0 ? $6 " errors" : "0"
      printf "  %-32s %8.2f %8.2f %8.2f %9s  %s  %s\n", label, $2, $3, $4, $5, err, ($3 <= 10 && $4 <= 25) ? "yes" : "NO"
      found = 1
    }
    END { if (!found) printf "  %-32s wrk gave no result\n", label }' "$out"
}

bench_engine() {
  local engine="$1" first code
  echo "== $engine =="
  rm -rf -- "$TMP/data"
  db_args "$engine"
  log "preparing a fresh database on $engine ..."
  start_joinedup
  stop_pid "$JOINEDUP_PID"

  timed_import "first import"
  local first_secs="$IMPORT_SECS" first_mb="$IMPORT_MB"
  timed_import "re-import (unchanged)"
  local again_secs="$IMPORT_SECS" again_mb="$IMPORT_MB"

  log "starting the server with --no-page-cache ..."
  start_joinedup --no-page-cache
  first="$(curl -s -o /dev/null -w '%{time_total} %{http_code}' "$JOINEDUP$FIRST_PATH")"
  code="${first#* }"
  [[ "$code" == 200 ]] || log "bench-national: warning: the first request answered $code"
  first="$(awk -v t="${first% *}" 'BEGIN { printf "%.1f", t * 1000 }')"

  echo
  printf '  %-32s %10s %10s  %s\n' "" "measured" "goal" "met"
  printf '  %-32s %9ss %9ss  %s\n' "import $SERVICES services" "$first_secs" 60 "$(awk -v a="$first_secs" 'BEGIN { print a <= 60 ? "yes" : "NO" }')"
  printf '  %-32s %8sMB %8sMB  %s\n' "import peak memory" "$first_mb" 300 "$(awk -v a="$first_mb" 'BEGIN { print a < 300 ? "yes" : "NO" }')"
  printf '  %-32s %9ss %9ss  %s\n' "re-import (unchanged)" "$again_secs" 20 "$(awk -v a="$again_secs" 'BEGIN { print a <= 20 ? "yes" : "NO" }')"
  printf '  %-32s %8sMB %8sMB  %s\n' "re-import peak memory" "$again_mb" 300 "$(awk -v a="$again_mb" 'BEGIN { print a < 300 ? "yes" : "NO" }')"
  printf '  %-32s %8sms %8sms  %s\n' "first request after start" "$first" 50 "$(awk -v a="$first" 'BEGIN { print a <= 50 ? "yes" : "NO" }')"
  echo
  echo "  wrk -t2 -c$CONNECTIONS -d$DURATION per query, page cache off; milliseconds; goal p95 <= 10, p99 <= 25"
  printf '  %-32s %8s %8s %8s %9s  %s  %s\n' "query" "p50" "p95" "p99" "requests" "errors" "met"
  local q label path
  for q in "${GRID[@]}"; do
    IFS='|' read -r label path <<<"$q"
    log "  loading $path ..."
    run_query "$label" "$path"
  done
  local hwm
  hwm="$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$JOINEDUP_PID/status" 2>/dev/null || echo "?")"
  echo
  printf '  %-32s %8sMB %8sMB  %s\n' "server peak memory (VmHWM)" "$hwm" 256 "$(awk -v a="$hwm" 'BEGIN { print a + 0 < 256 ? "yes" : "NO" }')"
  echo "  queries:"
  for q in "${GRID[@]}"; do
    IFS='|' read -r label path <<<"$q"
    printf '    %-32s %s\n' "$label" "$path"
  done
  echo
  stop_pid "$JOINEDUP_PID"
}

main() {
  local e
  for e in "${ENGINES[@]}"; do
    [[ "$e" == sqlite || "$e" == postgres ]] || die "unknown engine $e in BENCH_ENGINES: want sqlite or postgres"
  done
  command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
  [[ -x /usr/bin/time ]] || die "/usr/bin/time is not installed (apt-get install time)"
  cd "$(dirname "$0")/.."
  TMP="$(mktemp -d "${TMPDIR:-/tmp}/joinedup-bench-national.XXXXXX")"
  cat >"$TMP/percentiles.lua" <<'EOF'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("PCT %.2f %.2f %.2f %d %d\n", latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests, e.connect + e.read + e.write + e.status + e.timeout))
end
EOF
  log "building joinedup and scripts/nationalfeed ..."
  go build -o "$TMP/joinedup" ./cmd/joinedup
  go build -o "$TMP/nationalfeed" ./scripts/nationalfeed
  local port
  port="$(free_port)"
  FEED="http://$HOST:$port"
  "$TMP/nationalfeed" --addr "$HOST:$port" --services "$SERVICES" >"$TMP/feed.log" 2>&1 &
  PIDS+=("$!")
  wait_ready nationalfeed "$!" "$FEED/api/oruk/" "$TMP/feed.log"

  echo "joinedup national benchmark"
  echo "  date:     $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "  commit:   $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "  nproc:    $(nproc); load avg: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the figures)"
  echo "  feed:     $SERVICES services from scripts/nationalfeed at $FEED/api/oruk"
  echo
  for e in "${ENGINES[@]}"; do
    bench_engine "$e"
  done
}

main "$@"
