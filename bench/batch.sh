#!/usr/bin/env bash
# One JVM, several recordings: `specus batch` over COUNT copies (symlinks) of the harness's synthetic
# 1-minute recording. The first recording pays for the JIT, the later ones find the code compiled:
# what a lab's scheduled reprocessing of many short recordings gets per recording.
# Usage: bench/batch.sh [WORKDIR] [COUNT]      (default: bench/work, 3)
#   WORKDIR is the harness's: its 1-minute recording is used, or made by the harness if missing.
# Writes WORKDIR/batch-report.json and .txt (the batch's report and table).
# Disk: the recording (1.4 GB) and COUNT outputs (2.8 GB each), deleted at the end.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count="${2:-3}"
[[ "$count" =~ ^[1-9][0-9]*$ ]] || { echo "batch.sh: COUNT must be a whole number >= 1, got '$count'" >&2; exit 2; }
work="$(mkdir -p "${1:-$here/bench/work}" && cd "${1:-$here/bench/work}" && pwd)"
"$here/specus" --version >/dev/null   # builds if needed
rec="$(python3 "$here/bench/harness.py" "$work" 1 --synth-only)"
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
