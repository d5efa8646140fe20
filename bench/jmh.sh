#!/usr/bin/env bash
# JMH kernel benchmarks (single thread, one 1 s tile of 384 channels; SIMD and plain Java).
# Usage: bench/jmh.sh [OUT.csv] [JMH options...]   e.g. bench/jmh.sh /tmp/k.csv -wi 2 -i 3
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$here/bench/work/kernels.csv}"; shift || true
mkdir -p "$(dirname "$out")"
cp_file="$here/bench/target/runtime-classpath.txt"
if [ ! -f "$cp_file" ] || [ -n "$(find "$here" -path "$here/*/src/main/*" -newer "$cp_file" -print -quit)" ]; then
  # package, not install: the classpath file points at the modules' own target/ jars, so nothing
  # is written to the shared ~/.m2
  (cd "$here" && ./mvnw -q -B -o -DskipTests package -pl bench -am) >&2
fi
java -cp "$here/bench/target/classes:$(cat "$cp_file")" org.openjdk.jmh.Main \
  -rf csv -rff "$out" "$@" 'org.specus.bench.KernelBenchmarks' >&2
echo "$out"
