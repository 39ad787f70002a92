#!/usr/bin/env bash
# Summarizes a JFR recording of an echo server (run-e2e.sh --jfr): the hottest methods by self time
# (top frame of jdk.ExecutionSample), by total time (anywhere in the stack, wsflux/reactor/netty frames),
# and the top allocation sites (jdk.ObjectAllocationSample, weighted).
#   benchmarks/jfr-top.sh benchmarks/target/e2e/wsflux.jfr [rows]
set -euo pipefail
file="$1"
rows="${2:-25}"
frames() { # one "frame" per line, stack separator "--"
  jfr print --stack-depth 64 --events "$1" "$file" | awk '
    /stackTrace = \[/ { in_stack = 1; print "--"; next }
    in_stack && /^[[:space:]]*\]/ { in_stack = 0; next }
    in_stack { sub(/^[[:space:]]+/, ""); sub(/[[:space:]]+line:.*/, ""); print }
    /weight = / { w = $3; sub(/[^0-9.]/, "", w); unit = $4; if (unit ~ /kB/) w *= 1024; else if (unit ~ /MB/) w *= 1048576; print "W " w }
    /objectClass = / { print "C " $3 }'
}
echo "== self time: top frames of jdk.ExecutionSample"
frames jdk.ExecutionSample | awk '$0 == "--" { top = 1; n++; next } top { self[$0]++; top = 0 } END { for (m in self) printf "%6.1f%%  %s\n", 100 * self[m] / n, m }' \
  | sort -rn | head -n "$rows"
echo "== total time: frames anywhere in the stack (each counted once per sample)"
frames jdk.ExecutionSample | awk '
  $0 == "--" { n++; delete seen; next }
  !($0 in seen) { seen[$0] = 1; total[$0]++ }
  END { for (m in total) printf "%6.1f%%  %s\n", 100 * total[m] / n, m }' | sort -rn | grep -E 'dev\.wsflux|reactor\.|io\.netty' | head -n "$rows"
echo "== allocation: jdk.ObjectAllocationSample weight by first non-JDK frame"
frames jdk.ObjectAllocationSample | awk '
  $1 == "C" { cls = $2; next }
  $1 == "W" { w = $2; next }
  $0 == "--" { if (site != "") bytes[site] += pending; site = ""; pending = w; pick = 1; next }
  pick && $0 !~ /^java\.|^jdk\.|^sun\./ { site = $0 " <- " cls; pick = 0 }
  END { if (site != "") bytes[site] += pending; for (s in bytes) sum += bytes[s]; for (s in bytes) printf "%6.1f%%  %s\n", 100 * bytes[s] / sum, s }' | sort -rn | head -n "$rows"
