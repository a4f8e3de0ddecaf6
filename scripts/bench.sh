#!/usr/bin/env bash
# Load benchmark of joinedup ("make bench").
#
# Builds joinedup and a hello-world Go server (scripts/hello), runs both on
# free loopback ports, then for each page:
#   - throughput and latency under load with wrk (50 connections, 2 threads),
#     and the ratio of its requests/sec to hello world's;
#   - page weight as served gzip-compressed: the HTML and every stylesheet,
#     script, font and image it references, against the 16 KB goal;
# and finally the peak resident memory of the joinedup process.
#
# With BENCH_ENGINES="sqlite postgres" it does all that on each engine in
# turn, then loads the pages whose speed depends on the database (marked
# "compare" below) again with the page cache off (--no-page-cache), and
# prints both engines' figures side by side.
#
# Environment:
#   BENCH_DURATION      how long wrk loads each target (wrk syntax: 10s, 1m); default 10s
#   BENCH_WARMUP        warm-up per target before measuring; default 2s
#   BENCH_ENGINES       the engines to run on, in order: sqlite, postgres or both; default sqlite
#   BENCH_DATABASE_URL  an empty PostgreSQL database for the postgres run (joinedup seeds
#                       it); default: a throwaway cluster started with the PostgreSQL
#                       binaries in /usr/lib/postgresql/*/bin (as the postgres user when
#                       run as root), removed afterwards
#
# Only 127.0.0.1 is ever used. Every step is bounded in time, and the
# servers and temporary files are removed on exit, even on failure.
set -euo pipefail

# Pages to load, one per line: label|path|when|weigh[|compare]
#   when:    always  - always benchmarked
#            if-200  - benchmarked only if it answers 200 now (not built yet otherwise)
#   weigh:   yes     - also report its page weight (HTML pages); no for APIs
#   compare: compare - also load it uncached on each engine, for the side-by-side table
# Add new pages here.
TARGETS=(
  "place page|/in-your-area/southwark|always|yes|compare"
  "home|/|always|yes"
  "places list|/in-your-area/|always|yes"
  "news article|/news/celebrating-success-at-the-hsj-awards-2024|always|yes"
  "event|/events/partnership-southwark-strategic-board-22-may-2025|always|yes"
  "news list|/news|if-200|yes"
  "directory search|/directory?q=pharmacy&postcode=SE1+2QH|if-200|yes|compare"
  "ORUK services API|/api/oruk/services?per_page=50|if-200|no|compare"
)

DURATION="${BENCH_DURATION:-10s}"
read -r -a ENGINES <<<"${BENCH_ENGINES:-sqlite}"
DATABASE_URL_PG="${BENCH_DATABASE_URL:-}"
PG_DIR=""      # the throwaway cluster's directory, removed on exit
PG_BIN=""
PG_RUN=()      # runs a PostgreSQL binary (as the postgres user when root)
WARMUP="${BENCH_WARMUP:-2s}"
CONNECTIONS=50
THREADS=2
WEIGHT_GOAL=16384 # bytes, everything a first visit downloads, gzip as served
HOST=127.0.0.1
START_TIMEOUT=30 # seconds to wait for a server to answer
CURL=(curl --silent --show-error --max-time 10 --compressed -H 'Accept-Encoding: gzip')

TMP=""
PIDS=()        # servers, stopped on exit
LOAD_PID=""    # the running wrk, stopped on exit
JOINEDUP_PID=""

log() { printf '%s\n' "$*" >&2; }
die() {
  log "bench: $*"
  exit 1
}

cleanup() {
  local pid i
  if [[ -n "$LOAD_PID" ]]; then
    kill -TERM "$LOAD_PID" 2>/dev/null || true
    wait "$LOAD_PID" 2>/dev/null || true
  fi
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for i in $(seq 1 50); do # up to 5 s for a graceful stop
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ -n "$PG_DIR" && -d "$PG_DIR" ]]; then
    "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
    rm -rf -- "$PG_DIR"
  fi
  if [[ -n "$TMP" && -d "$TMP" ]]; then
    rm -rf -- "$TMP"
  fi
}

# seconds DURATION: wrk's duration syntax (10, 10s, 2m, 1h) in whole
# seconds; fails on anything else.
seconds() {
  [[ "$1" =~ ^([0-9]+)([smh]?)$ ]] || return 1
  case "${BASH_REMATCH[2]}" in
    m) echo $((10#${BASH_REMATCH[1]} * 60)) ;;
    h) echo $((10#${BASH_REMATCH[1]} * 3600)) ;;
    *) echo $((10#${BASH_REMATCH[1]})) ;;
  esac
}

print_header() {
  local cpu commit
  cpu="$(grep -m1 -E '^(model name|Hardware|cpu model)' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')" || true
  commit="$(git rev-parse --short HEAD 2>/dev/null)" || commit="unknown"
  echo "joinedup load benchmark"
  echo "  date:     $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "  go:       $(go version)"
  echo "  nproc:    $(nproc)"
  echo "  cpu:      ${cpu:-unknown}"
  echo "  commit:   $commit"
  echo "  load avg: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown) (other work on the machine skews the numbers)"
  echo "  wrk:      -t $THREADS -c $CONNECTIONS -d $DURATION --latency -H 'Accept-Encoding: gzip' (warm-up $WARMUP)"
  echo "  engines:  ${ENGINES[*]}"
  echo
}

# free_port: a loopback port nothing listens on, below the ephemeral range
# so wrk's own client sockets cannot take it.
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

# status URL: the HTTP status code of URL ("000" if it does not answer).
status() {
  curl --silent --output /dev/null --max-time 5 --write-out '%{http_code}' "$1" 2>/dev/null || true
}

# wait_ready NAME PID URL LOG: wait until URL answers 200, bounded.
wait_ready() {
  local name="$1" pid="$2" url="$3" logfile="$4" deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "bench: $name exited before it was ready; its output:"
      sed 's/^/  /' "$logfile" >&2
      exit 1
    fi
    [[ "$(status "$url")" == 200 ]] && return 0
    sleep 0.2
  done
  log "bench: $name did not answer 200 at $url within ${START_TIMEOUT}s; its output:"
  sed 's/^/  /' "$logfile" >&2
  exit 1
}

build() {
  log "building joinedup and scripts/hello ..."
  timeout --foreground 600 go build -o "$TMP/joinedup" ./cmd/joinedup || die "go build ./cmd/joinedup failed"
  timeout --foreground 600 go build -o "$TMP/hello" ./scripts/hello || die "go build ./scripts/hello failed"
}

# start_postgres: a throwaway PostgreSQL cluster on a free loopback port,
# with an empty database for joinedup; sets DATABASE_URL_PG.
start_postgres() {
  local port initdb
  initdb="$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -1)" || true
  [[ -n "$initdb" ]] || initdb="$(command -v initdb)" ||
    die "PostgreSQL is not installed (apt-get install postgresql), and BENCH_DATABASE_URL is not set"
  PG_BIN="$(dirname "$initdb")"
  PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/joinedup-bench-pg.XXXXXX")"
  PG_RUN=()
  if ((EUID == 0)); then
    # PostgreSQL refuses to run as root.
    id postgres >/dev/null 2>&1 || die "running as root, and there is no postgres user to run PostgreSQL as"
    chown postgres "$PG_DIR"
    PG_RUN=(runuser -u postgres --)
  fi
  log "starting a throwaway PostgreSQL ($PG_BIN) in $PG_DIR ..."
  "${PG_RUN[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C \
    --no-instructions >"$PG_DIR/initdb.log" 2>&1 || {
    cat "$PG_DIR/initdb.log" >&2
    die "initdb failed"
  }
  port="$(free_port)"
  "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t "$START_TIMEOUT" \
    -o "-p $port -k $PG_DIR -c listen_addresses=$HOST -c max_connections=200" start >/dev/null || {
    cat "$PG_DIR/postgres.log" >&2
    die "PostgreSQL did not start"
  }
  "${PG_RUN[@]}" "$PG_BIN/createdb" -h "$HOST" -p "$port" -U postgres joinedup_bench || die "createdb failed"
  DATABASE_URL_PG="postgres://postgres@$HOST:$port/joinedup_bench?sslmode=disable"
}

# start_joinedup ENGINE [FLAGS...]: joinedup on ENGINE (a fresh data dir;
# on postgres, the one database, seeded by the first start).
start_joinedup() {
  local engine="$1" port args=()
  shift
  port="$(free_port)"
  JOINEDUP="http://$HOST:$port"
  rm -rf -- "$TMP/data"
  if [[ "$engine" == postgres ]]; then
    [[ -n "$DATABASE_URL_PG" ]] || start_postgres
    args=(--database "$DATABASE_URL_PG")
  fi
  "$TMP/joinedup" serve --addr "$HOST:$port" --data-dir "$TMP/data" "${args[@]}" "$@" >"$TMP/joinedup.log" 2>&1 &
  JOINEDUP_PID=$!
  PIDS+=("$JOINEDUP_PID")
  wait_ready joinedup "$JOINEDUP_PID" "$JOINEDUP/healthz" "$TMP/joinedup.log"
  log "joinedup on $engine at $JOINEDUP (pid $JOINEDUP_PID) $*"
}

# stop_joinedup: stops the running joinedup and waits for it.
stop_joinedup() {
  local i
  kill -TERM "$JOINEDUP_PID" 2>/dev/null || true
  for i in $(seq 1 100); do
    kill -0 "$JOINEDUP_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$JOINEDUP_PID" 2>/dev/null || true
  wait "$JOINEDUP_PID" 2>/dev/null || true
  local kept=() pid
  for pid in "${PIDS[@]}"; do
    [[ "$pid" == "$JOINEDUP_PID" ]] || kept+=("$pid")
  done
  PIDS=("${kept[@]}")
}

start_hello() {
  local port
  port="$(free_port)"
  HELLO="http://$HOST:$port"
  "$TMP/hello" --addr "$HOST:$port" >"$TMP/hello.log" 2>&1 &
  PIDS+=("$!")
  wait_ready hello "$!" "$HELLO/" "$TMP/hello.log"
  log "hello world at $HELLO"
}

# run_wrk DURATION CONNECTIONS URL OUT: run wrk, its output into OUT.
# It runs in the background and is waited for, so that Ctrl-C or a TERM
# reaches the traps at once rather than after wrk is done.
run_wrk() {
  local secs rc=0
  secs="$(seconds "$1")"
  timeout --kill-after=5 $((secs + 30)) \
    wrk -t "$THREADS" -c "$2" -d "$1" --latency -H 'Accept-Encoding: gzip' "$3" >"$4" 2>&1 &
  LOAD_PID=$!
  wait "$LOAD_PID" || rc=$?
  LOAD_PID=""
  return "$rc"
}

# parse_wrk FILE: "req/s p50 p99 errors" from wrk --latency output.
parse_wrk() {
  awk '
    /Requests\/sec:/ { rps = $2 }
    $1 == "50%" { p50 = $2 }
    $1 == "99%" { p99 = $2 }
    /Socket errors:/ { gsub(",", ""); sock = $4 + $6 + $8 + $10 }
    /Non-2xx or 3xx responses:/ { non2xx = $5 }
    END {
      err = ""
      if (non2xx + 0 > 0) err = non2xx " non-2xx/3xx"
      if (sock + 0 > 0) err = err (err == "" ? "" : ", ") sock " socket"
      if (err == "") err = "0"
      if (rps == "") err = "wrk gave no result"
      printf "%s\t%s\t%s\t%s\n", (rps == "" ? "?" : rps), (p50 == "" ? "?" : p50), (p99 == "" ? "?" : p99), err
    }' "$1"
}

# bench_one LABEL URL: warm up, measure, and append a result row to $TMP/results.
bench_one() {
  local label="$1" url="$2" out="$TMP/wrk.$RANDOM.txt"
  log "  $label: warm-up $WARMUP, then $DURATION ..."
  run_wrk "$WARMUP" "$CONNECTIONS" "$url" /dev/null || true
  if ! run_wrk "$DURATION" "$CONNECTIONS" "$url" "$out"; then
    log "bench: wrk failed for $url:"
    sed 's/^/  /' "$out" >&2
  fi
  printf '%s\t%s\n' "$label" "$(parse_wrk "$out")" >>"$RESULTS"
}

# select_targets: fills ACTIVE with the TARGETS to run now, printing the
# optional ones that do not answer 200 yet.
select_targets() {
  local t label path when weigh compare code
  ACTIVE=()
  for t in "${TARGETS[@]}"; do
    IFS='|' read -r label path when weigh compare <<<"$t"
    code="$(status "$JOINEDUP$path")"
    if [[ "$code" == 200 ]]; then
      ACTIVE+=("$t")
    elif [[ "$when" == if-200 ]]; then
      printf '  %-20s %-58s skipped (not built yet)\n' "$label" "$path"
    else
      log "bench: warning: $path answers $code, not 200; benchmarking it anyway"
      ACTIVE+=("$t")
    fi
  done
}

# run_load ENGINE: loads hello world and every active target; results in
# $TMP/results.ENGINE.
run_load() {
  local engine="$1" t label path when weigh compare hello_rps
  echo "== Throughput and latency on $engine, page cache on (wrk -t $THREADS -c $CONNECTIONS -d $DURATION) =="
  select_targets
  RESULTS="$TMP/results.$engine"
  : >"$RESULTS"
  log "loading targets ..."
  bench_one "hello world /" "$HELLO/"
  for t in "${ACTIVE[@]}"; do
    IFS='|' read -r label path when weigh compare <<<"$t"
    bench_one "$label $path" "$JOINEDUP$path"
  done
  hello_rps="$(head -1 "$RESULTS" | cut -f2)"
  echo
  awk -F'\t' -v base="$hello_rps" '
    BEGIN { printf "%-72s %11s %9s %9s %8s  %s\n", "page", "req/s", "p50", "p99", "vs hello", "errors" }
    {
      ratio = (base + 0 > 0 && $2 + 0 > 0) ? sprintf("%.2f", $2 / base) : "?"
      printf "%-72s %11s %9s %9s %8s  %s\n", $1, $2, $3, $4, ratio, $5
    }' "$RESULTS"
  echo
}

# run_uncached ENGINE: loads the targets marked compare, with joinedup
# started with its page cache off; results in $TMP/uncached.ENGINE.
run_uncached() {
  local engine="$1" t label path when weigh compare
  RESULTS="$TMP/uncached.$engine"
  : >"$RESULTS"
  log "loading the compared targets on $engine, page cache off ..."
  for t in "${ACTIVE[@]}"; do
    IFS='|' read -r label path when weigh compare <<<"$t"
    [[ "$compare" == compare ]] || continue
    bench_one "$label $path" "$JOINEDUP$path"
  done
}

# compare_engines KIND TITLE: the results files KIND.ENGINE side by side.
compare_engines() {
  local kind="$1" title="$2" e files=() head1 head2
  for e in "${ENGINES[@]}"; do files+=("$TMP/$kind.$e"); done
  echo "== $title =="
  head1="$(printf '%-72s' '')"
  head2="$(printf '%-72s' page)"
  for e in "${ENGINES[@]}"; do
    head1+="$(printf ' | %-31s' "$e")"
    head2+="$(printf ' | %11s %9s %9s' req/s p50 p99)"
  done
  printf '%s\n%s\n' "$head1" "$head2"
  awk -F'\t' -v engines="${ENGINES[*]}" '
    BEGIN { split(engines, name, " ") }
    FNR == 1 { f++ }
    {
      row[$1] = row[$1] sprintf(" | %11s %9s %9s", $2, $3, $4)
      if (f == 1) order[++k] = $1
      if ($5 != "0") err[$1] = err[$1] " " name[f] " " $5 ";"
    }
    END { for (i = 1; i <= k; i++) printf "%-72s%s%s\n", order[i], row[order[i]], (order[i] in err ? "  errors:" err[order[i]] : "") }
  ' "${files[@]}"
  echo
}

# resolve REF BASE: REF (from a page or stylesheet at URL BASE) as an
# absolute URL on the joinedup server; empty for data: URIs, fragments and
# other hosts (nothing off the loopback server is fetched).
resolve() {
  local ref="$1" base="$2" dir
  ref="${ref#"${ref%%[![:space:]]*}"}"
  case "$ref" in
    "" | data:* | "#"* | about:*) return 0 ;;
    "$JOINEDUP"/*) echo "$ref" ;;
    http://* | https://* | //*) log "    not fetched (other host): $ref" ;;
    /*) echo "$JOINEDUP$ref" ;;
    *)
      dir="${base%%\?*}"
      dir="${dir%/*}"
      echo "$dir/$ref"
      ;;
  esac
}

# attr NAME: the value of attribute NAME in each tag read from stdin.
attr() {
  sed -nE "s/.*[[:space:]]$1[[:space:]]*=[[:space:]]*(\"([^\"]*)\"|'([^']*)'|([^[:space:]>]+)).*/\\2\\3\\4/p"
}

# fetch URL FILE: fetch gzip as served, body decoded into FILE; prints the
# number of bytes transferred (compressed).
fetch() {
  local n
  if n="$("${CURL[@]}" --fail --output "$2" --write-out '%{size_download}' "$1")"; then
    echo "$n"
  else
    log "    could not fetch $1"
    : >"$2"
    echo 0
  fi
}

# refs_html FILE: "kind<TAB>ref" for every stylesheet, script and image the HTML references.
refs_html() {
  local tags="$TMP/tags"
  tr '\n' ' ' <"$1" | grep -oiE '<(link|script|img)[^>]*>' >"$tags" || true
  grep -iE '^<link' "$tags" | grep -iE "rel=[\"']?stylesheet" | attr href | sed 's/^/css\t/' || true
  grep -iE '^<link' "$tags" | grep -iE "rel=[\"']?preload" | grep -iE "as=[\"']?font" | attr href | sed 's/^/font\t/' || true
  grep -iE '^<script' "$tags" | attr src | sed 's/^/js\t/' || true
  grep -iE '^<img' "$tags" | attr src | sed 's/^/img\t/' || true
}

# refs_css FILE: "kind<TAB>ref" for every url() and @import in a stylesheet.
refs_css() {
  grep -oiE "url\\([^)]*\\)|@import[[:space:]]+[\"'][^\"']+[\"']" "$1" |
    sed -E "s/^url\\([[:space:]]*[\"']?//I; s/[\"']?[[:space:]]*\\)$//; s/^@import[[:space:]]+[\"']//I; s/[\"']$//" |
    while IFS= read -r ref; do
      case "${ref%%[?#]*}" in
        *.woff2 | *.woff | *.ttf | *.otf | *.eot) printf 'font\t%s\n' "$ref" ;;
        *.css) printf 'css\t%s\n' "$ref" ;;
        *) printf 'img\t%s\n' "$ref" ;;
      esac
    done || true
}

# weigh_page LABEL PATH: one row of the page weight table.
weigh_page() {
  local label="$1" path="$2" url="$JOINEDUP$2" html css=0 js=0 font=0 img=0 total verdict
  local -A seen=()
  local queue=() kind ref base abs n file k r i=0
  html="$(fetch "$url" "$TMP/page.html")"
  while IFS=$'\t' read -r kind ref; do queue+=("$kind"$'\t'"$ref"$'\t'"$url"); done < <(refs_html "$TMP/page.html")
  while ((i < ${#queue[@]})); do
    IFS=$'\t' read -r kind ref base <<<"${queue[i]}"
    i=$((i + 1))
    abs="$(resolve "$ref" "$base")"
    [[ -n "$abs" && -z "${seen[$abs]:-}" ]] || continue
    seen[$abs]=1
    file="$TMP/asset.$i"
    n="$(fetch "$abs" "$file")"
    case "$kind" in
      css)
        css=$((css + n))
        while IFS=$'\t' read -r k r; do queue+=("$k"$'\t'"$r"$'\t'"$abs"); done < <(refs_css "$file")
        ;;
      js) js=$((js + n)) ;;
      font) font=$((font + n)) ;;
      *) img=$((img + n)) ;;
    esac
  done
  total=$((html + css + js + font + img))
  if ((total < WEIGHT_GOAL)); then verdict="yes"; else verdict="NO (+$((total - WEIGHT_GOAL)))"; fi
  printf '%-18s %-58s %7d %7d %7d %7d %7d %8d  %s\n' "$label" "$path" "$html" "$css" "$js" "$font" "$img" "$total" "$verdict"
}

run_weights() {
  local t label path when weigh compare
  echo "== Page weight, bytes transferred gzip as served (first visit, empty cache; goal < $WEIGHT_GOAL) =="
  printf '%-18s %-58s %7s %7s %7s %7s %7s %8s  %s\n' page path HTML CSS JS fonts images TOTAL "< 16 KB"
  for t in "${ACTIVE[@]}"; do
    IFS='|' read -r label path when weigh compare <<<"$t"
    [[ "$weigh" == yes ]] || continue
    weigh_page "$label" "$path"
  done
  echo
}

report_memory() {
  local hwm rss
  echo "== joinedup memory on $1 (pid $JOINEDUP_PID, after the load) =="
  [[ -r "/proc/$JOINEDUP_PID/status" ]] || die "joinedup (pid $JOINEDUP_PID) is no longer running"
  hwm="$(awk '/^VmHWM:/ { print $2 }' "/proc/$JOINEDUP_PID/status")"
  rss="$(awk '/^VmRSS:/ { print $2 }' "/proc/$JOINEDUP_PID/status")"
  awk -v hwm="$hwm" -v rss="$rss" 'BEGIN {
    printf "peak resident (VmHWM): %.1f MB\n", hwm / 1024
    printf "resident now  (VmRSS): %.1f MB\n", rss / 1024
  }'
  echo
}

main() {
  local here="${BASH_SOURCE[0]%/*}"
  [[ "$here" != "${BASH_SOURCE[0]}" ]] || here=.
  cd "$here/.."
  command -v wrk >/dev/null 2>&1 || {
    echo "install wrk: apt-get install wrk" >&2
    exit 1
  }
  command -v go >/dev/null 2>&1 || die "go is not installed (https://go.dev/dl/)"
  command -v curl >/dev/null 2>&1 || die "curl is not installed: apt-get install curl"
  seconds "$DURATION" >/dev/null || die "BENCH_DURATION=$DURATION: want a duration such as 10s or 1m"
  seconds "$WARMUP" >/dev/null || die "BENCH_WARMUP=$WARMUP: want a duration such as 2s"
  local engine
  ((${#ENGINES[@]})) || die "BENCH_ENGINES is empty: want sqlite, postgres or \"sqlite postgres\""
  for engine in "${ENGINES[@]}"; do
    [[ "$engine" == sqlite || "$engine" == postgres ]] || die "BENCH_ENGINES: unknown engine $engine (want sqlite or postgres)"
  done
  [[ -z "$DATABASE_URL_PG" || "$DATABASE_URL_PG" == postgres://* || "$DATABASE_URL_PG" == postgresql://* ]] ||
    die "BENCH_DATABASE_URL must be a postgres:// URL"

  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  TMP="$(mktemp -d "${TMPDIR:-/tmp}/joinedup-bench.XXXXXX")"

  print_header
  build
  start_hello
  for engine in "${ENGINES[@]}"; do
    start_joinedup "$engine"
    run_load "$engine"
    [[ "$engine" != "${ENGINES[0]}" ]] || run_weights
    report_memory "$engine"
    stop_joinedup
    if ((${#ENGINES[@]} > 1)); then
      start_joinedup "$engine" --no-page-cache
      run_uncached "$engine"
      stop_joinedup
    fi
  done
  if ((${#ENGINES[@]} > 1)); then
    compare_engines results "Engines side by side, page cache on (every page)"
    compare_engines uncached "Engines side by side, page cache off (each request renders and queries the database)"
  fi
}

# Run unless sourced (sourcing lets the helpers be tried one by one).
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
