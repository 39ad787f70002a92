#!/usr/bin/env bash
# End-to-end load benchmark: wsflux's echo server against Reactor Netty's built-in WebSocket echo server,
# driven by the neutral C load generator ../shared/bench/wsload.c (see ../shared/bench/README.md).
#
#   benchmarks/run-e2e.sh                 # full run: 3 rounds, 5 s warm-up + 10 s per scenario and server
#   benchmarks/run-e2e.sh --quick         # smoke run: 1 round, 1 s warm-up + 2 s
#   benchmarks/run-e2e.sh --rounds 5 --warmup 5 --duration 10 --scenarios "c100d16 c1d64"
#   benchmarks/run-e2e.sh --jfr --scenarios c100d16 --rounds 1   # also record JFR profiles of both servers
#   benchmarks/run-e2e.sh --table         # print the table of the last run's results.tsv again
#
# The servers run pinned to core 1 (taskset -c 1) with one event loop and a fixed heap; wsload runs pinned
# to core 0. Scenarios run interleaved, A B then B A in the next round, so that drift hits both servers
# alike; the table shows medians over the rounds and the wsflux / Reactor Netty ratio. Idle memory is the
# live heap (class histogram after a full GC) and the RSS growth with 10 k connections open. Each load run
# also records the server's CPU time over the measured window, the CPU per operation (server_cpu_us/op) and
# the kernel's share of it (server_sys_%: system time, which both servers pay alike for the same syscalls).
#
# Every wait is bounded (a watchdog around each wsload run, deadlines for start-up and for opening the idle
# connections). Results go to benchmarks/target/e2e/ (results.tsv, table.txt, server logs, JFR files).
# Needs: a JDK 17+, gcc and zlib headers (Debian: zlib1g-dev), taskset, jcmd. Runs from any directory.
set -euo pipefail

ROUNDS=3
WARMUP=5
DURATION=10
IDLE_CONNECTIONS=10000
SCENARIOS="c100d16 c1d64 c100d1 c1000d1 bin1m z4k z16k handshake ping idle"
BUILD=1
JFR=0
TABLE_ONLY=0
HEAP=512m

usage() {
  sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) ROUNDS=1; WARMUP=1; DURATION=2; shift ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --scenarios) SCENARIOS="$2"; shift 2 ;;
    --idle-connections) IDLE_CONNECTIONS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --jfr) JFR=1; shift ;;
    --table) TABLE_ONLY=1; shift ;;
    -h|--help) usage ;;
    *) echo "unknown option: $1" >&2; usage ;;
  esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WSLOAD_SRC="${WSLOAD_SRC:-$ROOT/../shared/bench/wsload.c}"
OUT="$ROOT/benchmarks/target/e2e"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
WSLOAD="$ROOT/benchmarks/target/wsload"
HOST=127.0.0.1
declare -A PORT=([wsflux]=9101 [reactor-netty]=9102)
declare -A MAIN=([wsflux]=dev.wsflux.benchmarks.WsfluxEchoServer [reactor-netty]=dev.wsflux.benchmarks.ReactorNettyEchoServer)
declare -A PID=()
SERVERS=(wsflux reactor-netty)

# Same flags for both servers: one CPU as seen by the JVM, one Reactor Netty event loop, a fixed and
# pre-touched heap (so that RSS compares native memory, not how much heap each happened to touch).
JVM_FLAGS=(-XX:ActiveProcessorCount=1 -Dreactor.netty.ioWorkerCount=1 "-Xms$HEAP" "-Xmx$HEAP" -XX:+AlwaysPreTouch
  -XX:+UseSerialGC -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints)

mkdir -p "$OUT"
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# --- build -----------------------------------------------------------------------------------------------
if [[ $TABLE_ONLY -eq 0 ]]; then
  if [[ $BUILD -eq 1 ]]; then
    log "building benchmarks.jar"
    (cd "$ROOT" && ./mvnw -B -q -pl benchmarks -am package -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true)
  fi
  [[ -f "$JAR" ]] || { echo "missing $JAR (run without --no-build)" >&2; exit 1; }
  [[ -f "$WSLOAD_SRC" ]] || { echo "missing $WSLOAD_SRC (set WSLOAD_SRC)" >&2; exit 1; }
  if [[ ! -x "$WSLOAD" || "$WSLOAD_SRC" -nt "$WSLOAD" ]]; then
    log "building wsload"
    gcc -O2 -o "$WSLOAD" "$WSLOAD_SRC" -lz
  fi
fi

# --- servers ---------------------------------------------------------------------------------------------
start_server() {
  local name="$1" jfr=()
  if [[ $JFR -eq 1 ]]; then
    jfr=("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=$OUT/$name.jfr")
  fi
  taskset -c 1 java "${JVM_FLAGS[@]}" "${jfr[@]}" -cp "$JAR" "${MAIN[$name]}" "$HOST" "${PORT[$name]}" \
    >"$OUT/$name.log" 2>&1 &
  PID[$name]=$!
  local deadline=$((SECONDS + 60))
  until grep -q "listening on" "$OUT/$name.log" 2>/dev/null; do
    if ! kill -0 "${PID[$name]}" 2>/dev/null || ((SECONDS > deadline)); then
      echo "$name did not start; see $OUT/$name.log" >&2
      cat "$OUT/$name.log" >&2
      exit 1
    fi
    sleep 0.2
  done
  log "$name started (pid ${PID[$name]}, port ${PORT[$name]})"
}

stop_server() {
  local name="$1" pid="${PID[$name]:-}"
  [[ -n "$pid" ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 15))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  PID[$name]=""
}

cleanup() {
  for name in "${SERVERS[@]}"; do stop_server "$name"; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_running() {
  local name="$1"
  if [[ -z "${PID[$name]:-}" ]] || ! kill -0 "${PID[$name]}" 2>/dev/null; then
    log "$name is not running: starting it again"
    start_server "$name"
  fi
}

# --- scenarios -------------------------------------------------------------------------------------------
# name -> wsload arguments (see ../shared/bench/README.md) and the metrics to record.
declare -A ARGS=(
  [c100d16]="-c 100 -d 16 -s 32"
  [c1d64]="-c 1 -d 64 -s 32"
  [c100d1]="-c 100 -d 1 -s 32"
  [c1000d1]="-c 1000 -d 1 -s 32"
  [bin1m]="-b -c 1 -d 2 -s 1048576"
  [z4k]="-z 1 -c 10 -d 4 -s 4096"
  [z16k]="-z 1 -c 10 -d 4 -s 16384"
  [handshake]="-m handshake -c 50"
  [ping]="-q -c 1 -d 1 -s 16"
)
declare -A METRICS=(
  [c100d16]="msgs/s" [c1d64]="msgs/s" [c100d1]="msgs/s" [c1000d1]="msgs/s"
  [bin1m]="rx_payload_MB/s" [z4k]="msgs/s" [z16k]="msgs/s" [handshake]="handshakes/s"
  [ping]="p50_us p99_us"
)

RESULTS="$OUT/results.tsv"
# --- the table of medians and ratios -------------------------------------------------------------------
print_table() {
  local rounds
  rounds="$(awk -F'\t' 'NR > 1 && $1 > max { max = $1 } END { print max + 0 }' "$RESULTS")"
  awk -F'\t' -v rounds="$rounds" '
  function median(list,    n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
    if (n == 0) return "NA"
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  NR == 1 { next }
  {
    key = $2 SUBSEP $4
    if (!(key in seen)) { seen[key] = 1; order[++count] = key }
    if ($5 != "NA") values[key, $3] = values[key, $3] " " $5
  }
  END {
    printf "%-10s %-16s %14s %14s %8s  %s\n", "scenario", "metric", "wsflux", "reactor-netty", "ratio", "(medians of " rounds " rounds)"
    for (i = 1; i <= count; i++) {
      split(order[i], k, SUBSEP)
      a = median(values[order[i], "wsflux"]); b = median(values[order[i], "reactor-netty"])
      ratio = (a != "NA" && b != "NA" && b + 0 != 0) ? sprintf("%.2f", a / b) : "NA"
      lower = (k[2] ~ /_us$|B\/conn|MiB|\/op/) ? "  lower is better" : ""
      printf "%-10s %-16s %14s %14s %8s%s\n", k[1], k[2], a, b, ratio, lower
    }
  }' "$RESULTS" | tee "$OUT/table.txt"
  echo "raw results: $RESULTS"
}

if [[ $TABLE_ONLY -eq 1 ]]; then
  print_table
  exit 0
fi
printf 'round\tscenario\tserver\tmetric\tvalue\n' >"$RESULTS"

record() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"; }

cpu_ticks() { # user and system time of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat)
  awk '{ sub(/^.*\) /, ""); print $12, $13 }' "/proc/$1/stat" 2>/dev/null || echo 0 0
}
CLK_TCK="$(getconf CLK_TCK)"

run_load() {
  local round="$1" scenario="$2" name="$3"
  ensure_running "$name"
  local pid="${PID[$name]}" logfile="$OUT/wsload-$scenario-$name-r$round.log"
  # shellcheck disable=SC2086 # ARGS holds several words on purpose
  taskset -c 0 "$WSLOAD" -h "$HOST" -p "${PORT[$name]}" ${ARGS[$scenario]} -w "$WARMUP" -t "$DURATION" \
    >"$logfile" 2>&1 &
  local load=$!
  (sleep $((WARMUP + DURATION + 150)); kill -TERM "$load" 2>/dev/null) &
  local watchdog=$!
  # The server's CPU time over the measured window (after the connections are open and the warm-up is
  # over): CPU per message does not depend on how much of the shared machine each run happened to get.
  if [[ $scenario != handshake ]]; then
    local deadline=$((SECONDS + 60))
    while kill -0 "$load" 2>/dev/null && ! grep -q "connections open after" "$logfile"; do
      if grep -q "failed/closed" "$logfile" || ((SECONDS > deadline)); then
        # A connection that fails before the run starts would leave wsload waiting for 120 s: retry once.
        kill -TERM "$load" 2>/dev/null || true
        wait "$load" 2>/dev/null || true
        kill "$watchdog" 2>/dev/null || true
        wait "$watchdog" 2>/dev/null || true
        if [[ ${RETRIED:-0} -eq 0 ]]; then
          log "$scenario on $name: a connection failed while opening; retrying once"
          RETRIED=1 run_load "$@"
        else
          log "$scenario on $name: connections failed while opening again; see $logfile"
          for metric in ${METRICS[$scenario]}; do record "$round" "$scenario" "$name" "$metric" NA; done
        fi
        return 0
      fi
      sleep 0.1
    done
  fi
  sleep "$WARMUP"
  local cpu0 cpu1 user0 sys0 user1 sys1
  read -r user0 sys0 <<<"$(cpu_ticks "$pid")"
  wait "$load" || log "wsload failed for $scenario on $name; see $logfile"
  read -r user1 sys1 <<<"$(cpu_ticks "$pid")"
  cpu0=$((user0 + sys0))
  cpu1=$((user1 + sys1))
  kill "$watchdog" 2>/dev/null || true
  wait "$watchdog" 2>/dev/null || true
  local line
  line="$(grep '^RESULT' "$logfile" | tail -1 || true)"
  local ops=""
  for metric in ${METRICS[$scenario]}; do
    local value
    value="$(tr ' ' '\n' <<<"$line" | awk -F= -v m="$metric" '$1 == m { print $2 }')"
    record "$round" "$scenario" "$name" "$metric" "${value:-NA}"
    [[ -z $ops && $metric != *_us ]] && ops="${value:-}"
  done
  [[ $scenario == ping ]] && ops="$(tr ' ' '\n' <<<"$line" | awk -F= '$1 == "msgs/s" { print $2 }')"
  local cpu_s
  cpu_s="$(awk -v t="$((cpu1 - cpu0))" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz }')"
  record "$round" "$scenario" "$name" server_cpu_s "$cpu_s"
  # The kernel's share (system time: syscalls, TCP) is work both servers pay alike; the user share is ours.
  record "$round" "$scenario" "$name" server_sys_% \
    "$(awk -v s="$((sys1 - sys0))" -v t="$((cpu1 - cpu0))" 'BEGIN { if (t > 0) printf "%.0f", 100 * s / t; else print "NA" }')"
  if [[ -n $ops ]]; then
    record "$round" "$scenario" "$name" server_cpu_us/op \
      "$(awk -v c="$cpu_s" -v r="$ops" -v d="$DURATION" 'BEGIN { if (r > 0) printf "%.2f", c * 1e6 / (r * d); else print "NA" }')"
  fi
  log "round $round $scenario $name: ${line#RESULT } server_cpu_s=$cpu_s"
}

live_heap_bytes() { # live objects after the full GC that GC.class_histogram performs
  jcmd "$1" GC.class_histogram 2>/dev/null | awk '$1 == "Total" { print $3 }'
}
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

run_idle() {
  local round="$1" name="$2"
  ensure_running "$name"
  local pid="${PID[$name]}" logfile="$OUT/wsload-idle-$name-r$round.log"
  local heap0 rss0 heap1 rss1
  heap0="$(live_heap_bytes "$pid")"
  rss0="$(rss_kib "$pid")"
  taskset -c 0 "$WSLOAD" -m idle -h "$HOST" -p "${PORT[$name]}" -c "$IDLE_CONNECTIONS" -w 0 -t 60 >"$logfile" 2>&1 &
  local load=$!
  local deadline=$((SECONDS + 90))
  until grep -q "connections open after" "$logfile" 2>/dev/null; do
    if ! kill -0 "$load" 2>/dev/null || ((SECONDS > deadline)); then break; fi
    sleep 0.5
  done
  if grep -q "connections open after" "$logfile"; then
    sleep 2 # let the last handshakes settle
    heap1="$(live_heap_bytes "$pid")"
    rss1="$(rss_kib "$pid")"
    record "$round" idle "$name" heap_B/conn "$(((heap1 - heap0) / IDLE_CONNECTIONS))"
    record "$round" idle "$name" rss_B/conn "$(((rss1 - rss0) * 1024 / IDLE_CONNECTIONS))"
    record "$round" idle "$name" rss_MiB "$((rss1 / 1024))"
    log "round $round idle $name: live heap $heap0 -> $heap1 B, rss $rss0 -> $rss1 KiB"
  else
    log "idle: $IDLE_CONNECTIONS connections did not open on $name; see $logfile"
    record "$round" idle "$name" heap_B/conn NA
  fi
  kill -TERM "$load" 2>/dev/null || true
  wait "$load" 2>/dev/null || true
  sleep 2 # let the server see the connections close before the next run
}

# --- the batch -------------------------------------------------------------------------------------------
log "rounds=$ROUNDS warmup=${WARMUP}s duration=${DURATION}s scenarios: $SCENARIOS"
for name in "${SERVERS[@]}"; do start_server "$name"; done

for ((round = 1; round <= ROUNDS; round++)); do
  if ((round % 2 == 1)); then order=(wsflux reactor-netty); else order=(reactor-netty wsflux); fi
  for scenario in $SCENARIOS; do
    for name in "${order[@]}"; do
      if [[ $scenario == idle ]]; then run_idle "$round" "$name"; else run_load "$round" "$scenario" "$name"; fi
    done
  done
done

cleanup

print_table
