#!/usr/bin/env bash
# Peak resident memory and speed of `specus preprocess` (default chain) against recording length.
# Usage: bench/memory.sh [WORKDIR] [MINUTES...]     (default: bench/work, lengths 1 and 10 minutes)
# Needs about 15 GB of free disk per 10 minutes of 384-channel recording (input + output).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$here/bench/work}"; shift || true
minutes=("$@"); [ ${#minutes[@]} -gt 0 ] || minutes=(1 10)
mkdir -p "$work"
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
csv="$work/memory.csv"
echo "minutes,input_gb,wall_s,x_real_time,peak_rss_mb" > "$csv"
for m in "${minutes[@]}"; do
  bin="$work/bench${m}m_g0_t0.imec0.ap.bin"
  [ -f "$bin" ] || "$here/specus" synth -o "$bin" --duration "${m}m" --seed 1
  out="$work/bench${m}m.zarr"; rm -rf "$out"
  /usr/bin/time -v -o "$work/time-${m}m.txt" "$here/specus" preprocess "$bin" -o "$out" > "$work/run-${m}m.txt"
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/time-${m}m.txt")
  rss=$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$work/time-${m}m.txt")
  gb=$(awk -v b="$(stat -c %s "$bin")" 'BEGIN{printf "%.2f", b/1e9}')
  xrt=$(awk -v m="$m" -v w="$wall" 'BEGIN{printf "%.2f", m*60/w}')
  echo "$m,$gb,$wall,$xrt,$rss" >> "$csv"
  rm -rf "$out"
done
column -s, -t "$csv"
