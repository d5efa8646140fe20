#!/usr/bin/env bash
# The benchmark harness: JMH kernel figures, then `specus preprocess` and the numpy/scipy baseline
# alternately on synthetic 384-channel recordings; prints the report and writes CSV + PNG plots.
# Usage: bench/run.sh [WORKDIR] [MINUTES...]      (default: bench/work, 1 5 10)
#   env: ROUNDS=N (default 1), SETTLE=SECONDS idle before each run (default 60), NO_JMH=1, NO_BASELINE=1
# Disk: about 50 GB free for 1 5 10 from scratch (the recordings, 22 GB, are kept for later runs; the
# largest output, 27.7 GB, is deleted after its run); checked before anything runs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$here/bench/work}"; shift || true
minutes=("$@"); [ ${#minutes[@]} -gt 0 ] || minutes=(1 5 10)
mkdir -p "$work"
/usr/bin/python3 -c 'import matplotlib' 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-matplotlib >/dev/null; }
python3 -c 'import numpy, scipy' || { echo "bench: python3 with numpy and scipy is needed for the baseline" >&2; exit 1; }
"$here/specus" --version >/dev/null   # builds if needed
python3 "$here/bench/harness.py" "$work" "${minutes[@]}" --check-disk   # before the minutes JMH takes, not after them
args=("$work" "${minutes[@]}" --rounds "${ROUNDS:-1}" --settle "${SETTLE:-60}")
if [ -z "${NO_JMH:-}" ]; then
  "$here/bench/jmh.sh" "$work/kernels.csv" -wi 2 -i 3 -w 2 -r 2 >/dev/null
  args+=(--kernels "$work/kernels.csv")
fi
[ -n "${NO_BASELINE:-}" ] && args+=(--no-baseline)
python3 "$here/bench/harness.py" "${args[@]}"
