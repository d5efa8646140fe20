#!/usr/bin/env bash
# Stops the Flink cluster that start-cluster.sh started from a work directory: exactly the processes
# listed in DIR/pids, by PID (TERM, then KILL after 15 s), and only while their command line still
# names DIR's configuration, so a PID reused by another program is left alone.
#
# Usage: stop-cluster.sh [--workdir DIR]     (default: work/ beside this script)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
workdir="$here/work"
while [ $# -gt 0 ]; do
  case "$1" in
    --workdir) workdir="$2"; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "stop-cluster.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
pids_file="$workdir/pids"
if [ ! -s "$pids_file" ]; then
  echo "stop-cluster.sh: no cluster was started from $workdir (no $pids_file)" >&2
  exit 0
fi
conf="$(cd "$workdir" && pwd)/conf"

ours() { # the PID is alive and is one of this work directory's JVMs
  kill -0 "$1" 2>/dev/null && tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null | grep -qF -- "--configDir $conf"
}

# TaskManagers first (reverse order of start), so the JobManager does not restart jobs meanwhile.
mapfile -t entries < <(tac "$pids_file")
stopping=()
for entry in "${entries[@]}"; do
  read -r role pid <<< "$entry"
  if ours "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    stopping+=("$pid")
    echo "stop-cluster.sh: stopping $role (pid $pid)" >&2
  fi
done
deadline=$(( SECONDS + 15 ))
for pid in "${stopping[@]}"; do
  while ours "$pid" && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
  if ours "$pid"; then
    echo "stop-cluster.sh: pid $pid did not stop within 15 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
done
: > "$pids_file"
rm -f "$workdir/rest-address"
