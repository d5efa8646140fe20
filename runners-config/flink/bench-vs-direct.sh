#!/usr/bin/env bash
# Wall time and peak memory of `specus preprocess` on the DirectRunner and on a local Flink session
# cluster (started and stopped here), for the same synthetic recording, and whether the two outputs
# hold the same bytes.
# Usage: runners-config/flink/bench-vs-direct.sh [WORKDIR] [MINUTES] [TASKMANAGERS]
#        (default: /tmp/specus-flink-bench, 5 minutes of 384 channels, 2 TaskManagers)
# Needs ~7 GB of disk per 5 minutes of input plus ~10 GB for one output (outputs are compared by
# checksum, one at a time).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${1:-/tmp/specus-flink-bench}"
minutes="${2:-5}"
taskmanagers="${3:-2}"
mkdir -p "$work"
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

bin="$work/bench${minutes}m_g0_t0.imec0.ap.bin"
[ -f "$bin" ] || "$root/specus" synth -o "$bin" --duration "${minutes}m" --seed 1 >/dev/null

wall_of() { awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$1"; }
rss_of() { awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$1"; }
checksums() { (cd "$1" && find . -type f ! -name .specus-complete.json -print0 | sort -z | xargs -0 sha256sum); }

echo "== DirectRunner" >&2
out="$work/direct.zarr"; rm -rf "$out"
/usr/bin/time -v -o "$work/time-direct.txt" "$root/specus" preprocess "$bin" -o "$out" > "$work/run-direct.txt" 2>&1
checksums "$out" > "$work/direct.sha256"
rm -rf "$out"

echo "== Flink cluster ($taskmanagers TaskManagers)" >&2
cluster="$work/cluster"
rest=$("$here/start-cluster.sh" --taskmanagers "$taskmanagers" --workdir "$cluster" --ports auto)
trap '"$here/stop-cluster.sh" --workdir "$cluster"' EXIT
out="$work/flink.zarr"; rm -rf "$out"
/usr/bin/time -v -o "$work/time-flink.txt" "$root/specus" preprocess "$bin" -o "$out" --runner flink --flink-master "$rest" > "$work/run-flink.txt" 2>&1
# Peak resident memory of each cluster JVM, as the kernel counts it, before they stop.
declare -A peak
while read -r role pid; do
  peak[$role]=$(awk '/^VmHWM:/{printf "%.0f", $2/1024}' "/proc/$pid/status" 2>/dev/null || echo "?")
done < "$cluster/pids"
checksums "$out" > "$work/flink.sha256"
rm -rf "$out"

same=no; cmp -s "$work/direct.sha256" "$work/flink.sha256" && same=yes
{
  echo "recording: $(basename "$bin"), ${minutes} min, $(awk -v b="$(stat -L -c %s "$bin")" 'BEGIN{printf "%.2f GB", b/1e9}')"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
  printf "%-28s %10s %14s\n" "run" "wall s" "peak RSS MB"
  printf "%-28s %10s %14s\n" "DirectRunner (specus JVM)" "$(wall_of "$work/time-direct.txt")" "$(rss_of "$work/time-direct.txt")"
  printf "%-28s %10s %14s\n" "Flink: specus client JVM" "$(wall_of "$work/time-flink.txt")" "$(rss_of "$work/time-flink.txt")"
  for role in $(awk '{print $1}' "$cluster/pids"); do
    printf "%-28s %10s %14s\n" "Flink: $role" "" "${peak[$role]}"
  done
  echo "outputs identical (every file but the completion marker, by sha256): $same"
} | tee "$work/summary.txt"
