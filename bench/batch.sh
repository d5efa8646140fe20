#!/usr/bin/env bash
# One JVM, several recordings: `specus batch` over COUNT copies (symlinks) of the harness's synthetic
# 1-minute recording. The first recording pays for the JIT, the later ones find the code compiled:
# what a lab's scheduled reprocessing of many short recordings gets per recording.
# Usage: bench/batch.sh [WORKDIR] [COUNT]      (default: bench/work, 3)
#   WORKDIR is the harness's: its bench1m_g0_t0.imec0.ap.bin is used, or made as the harness makes it.
# Writes WORKDIR/batch-report.json and .txt (the batch's report and table).
# Disk: the recording (1.4 GB) and COUNT outputs (2.8 GB each), deleted at the end.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count="${2:-3}"
[[ "$count" =~ ^[1-9][0-9]*$ ]] || { echo "batch.sh: COUNT must be a whole number >= 1, got '$count'" >&2; exit 2; }
work="$(mkdir -p "${1:-$here/bench/work}" && cd "${1:-$here/bench/work}" && pwd)"
"$here/specus" --version >/dev/null   # builds if needed
rec="$work/bench1m_g0_t0.imec0.ap.bin"
if [ ! -f "$rec" ]; then
  echo "batch.sh: synthesising 1 min -> $rec" >&2
  "$here/specus" synth -o "$rec" --duration 60s --seed 1 >/dev/null
fi
root="$work/batch-root"
out="$work/batch-out"
rm -rf "$root" "$out"
trap 'rm -rf "$root" "$out"' EXIT
for i in $(seq "$count"); do
  mkdir -p "$root/r$i"
  ln -s "$rec" "$root/r$i/"
  ln -s "${rec%.bin}.meta" "$root/r$i/"
done
sync   # nothing left to write back from earlier runs
"$here/specus" batch --root="$root" --out="$out" --report="$work/batch-report.json"
