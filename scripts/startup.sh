#!/usr/bin/env bash
# Start-up time: how long `joinedup serve` takes from launch until /healthz
# answers, on a new data dir (migrate and load all the default data) and
# again on the same data dir (nothing to load). Runs RUNS times (default 5)
# and prints each run and the worst of each kind. Needs go and curl.
#
#   scripts/startup.sh            # SQLite in a temporary data dir
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-5}"
ADDR="${ADDR:-127.0.0.1:18089}"
work="$(mktemp -d)"
trap 'if [[ -s $work/pid ]]; then kill "$(cat "$work/pid")" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
go build -o "$work/joinedup" ./cmd/joinedup

now_ms() { date +%s%3N; }

# start DIR: launches the server on DIR and waits for /healthz; prints ms.
start() {
  local t0 t1
  t0=$(now_ms)
  "$work/joinedup" serve --data-dir "$1" --addr "$ADDR" >"$work/log" 2>&1 &
  local pid=$!
  echo "$pid" >"$work/pid"
  until curl -sf -o /dev/null "http://$ADDR/healthz"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "startup: the server exited:" >&2
      cat "$work/log" >&2
      exit 1
    fi
    sleep 0.002
  done
  t1=$(now_ms)
  echo $((t1 - t0))
}

stop() {
  local pid
  pid=$(cat "$work/pid")
  kill "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.01; done
  : >"$work/pid"
}

worst_first=0 worst_later=0
for i in $(seq "$RUNS"); do
  dir="$work/data-$i"
  first=$(start "$dir")
  stop
  later=$(start "$dir")
  stop
  echo "run $i: first start ${first} ms, later start ${later} ms"
  ((first > worst_first)) && worst_first=$first
  ((later > worst_later)) && worst_later=$later
done
echo "worst of $RUNS: first start ${worst_first} ms, later start ${worst_later} ms"
