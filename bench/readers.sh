#!/usr/bin/env bash
# Reader figures: one synthetic 384-channel recording in every input format, each read in full by
# `specus preprocess` with no operations (int16 copy into Zarr v3 shards, zstd level 1: the cheapest
# run there is), under /usr/bin/time -v. Prints a markdown table, writes readers.csv and readers.md.
# Usage: bench/readers.sh [WORKDIR]                       (default: bench/work/readers)
#   env: MINUTES (default 2), FORMATS (default "spikeglx zarr3 raw openephys nwb zarr2 mef3"), KEEP=1 keeps
#        the big files (otherwise each converted input and each output is deleted once measured).
# Disk: about 3 x the recording (1.4 GB a minute) at a time. Conversions stream (bench/convert_recording.py).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mkdir -p "${1:-$here/bench/work/readers}" && cd "${1:-$here/bench/work/readers}" && pwd)"
minutes="${MINUTES:-2}"
formats=(${FORMATS:-spikeglx zarr3 raw openephys nwb zarr2 mef3})
py=/usr/bin/python3   # Debian's, with python3-h5py and python3-zarr (v2)
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
"$py" -c 'import numpy, h5py, zarr' 2>/dev/null \
  || { apt-get update -qq && apt-get install -y -qq python3-numpy python3-h5py python3-zarr >/dev/null; }
"$here/specus" --version >/dev/null   # builds if needed

cd "$work"
src="$work/readers${minutes}m_g0_t0.imec0.ap.bin"
if [ ! -f "$src" ]; then
  echo "readers: synthesizing $minutes min x 384 channels..." >&2
  "$here/specus" synth -o "$src" --duration "${minutes}m" --seed 1 > synth.txt
fi
printf 'pipeline: []      # no operations: the run is a read, a copy and a write\ndtype: int16\nzstd_level: 1\n' > copy.yaml
samples=$(( $(stat -c %s "$src") / (2 * 385) ))
signal_bytes=$(( samples * 384 * 2 ))   # the int16 signal every format holds, whatever its encoding
csv="$work/readers.csv"
echo "format,input,on_disk_mb,convert_s,wall_s,x_real_time,signal_mb_s,disk_mb_s,read_cpu_s,read_mb_per_cpu_s,cpu_s,peak_rss_mb,load_before,load_after" > "$csv"

size_of() { du -sb "$1" | cut -f1; }
load() { cut -d' ' -f1 /proc/loadavg; }
cleanup() { [ -n "${KEEP:-}" ] || rm -rf "$@"; }

# measure NAME INPUT CONVERT_S [input options...]
measure() {
  local name="$1" input="$2" convert_s="$3"; shift 3
  local out="$work/out-$name.zarr" stages="$work/stages-$name.csv"
  rm -rf "$out" "$stages"
  local l0; l0=$(load)
  echo "readers: $name <- $(basename "$input")" >&2
  SPECUS_EXTRA_OPTS="-Dspecus.stageTimes=$stages" /usr/bin/time -v -o "time-$name.txt" \
    "$here/specus" preprocess "$input" -o "$out" --config copy.yaml "$@" > "run-$name.txt" 2>&1 \
    || { echo "readers: $name failed:" >&2; tail -5 "run-$name.txt" >&2; exit 1; }
  local l1; l1=$(load)
  local wall rss cpu read_cpu disk
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "time-$name.txt")
  rss=$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "time-$name.txt")
  cpu=$(awk -F': ' '/User time|System time/{s+=$2} END{printf "%.1f", s}' "time-$name.txt")
  read_cpu=$(awk -F, '$1=="main.read"{printf "%.2f", $3}' "$stages")
  disk=$(size_of "$input")
  awk -v f="$name" -v inp="$(basename "$input")" -v d="$disk" -v c="$convert_s" -v w="$wall" -v sig="$signal_bytes" \
      -v n="$samples" -v rc="$read_cpu" -v cpu="$cpu" -v rss="$rss" -v l0="$l0" -v l1="$l1" 'BEGIN{
    printf "%s,%s,%.0f,%s,%.1f,%.2f,%.0f,%.0f,%s,%.0f,%s,%s,%s,%s\n", f, inp, d/1e6, c, w, n/30000/w, sig/w/1e6, d/w/1e6,
      rc, (rc > 0 ? sig/rc/1e6 : 0), cpu, rss, l0, l1}' >> "$csv"
  rm -rf "$out"
}

# convert NAME OUT: prints the conversion's wall seconds
convert() {
  local t0 t1; t0=$(date +%s.%N)
  "$py" "$here/bench/convert_recording.py" "$1" "$src" "$2"
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.0f", b-a}'
}

for f in "${formats[@]}"; do
  case "$f" in
    spikeglx)  measure spikeglx "$src" 0 ;;
    zarr3)     # Specus's own output: the int16 copy of the SpikeGLX recording
               v3="$work/input-v3.zarr"; rm -rf "$v3"
               t0=$(date +%s.%N)
               "$here/specus" preprocess "$src" -o "$v3" --config copy.yaml > /dev/null
               c=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.0f", b-a}')
               measure zarr3 "$v3" "$c"; cleanup "$v3" "$(dirname "$v3")/.$(basename "$v3").lock" ;;
    raw)       c=$(convert raw "$work/input.i16")
               measure raw "$work/input.i16" "$c" --format-in raw --raw-dtype int16 --raw-channels 384 \
                 --raw-rate 30000 --raw-offset 4096 --raw-gain 2.34375
               cleanup "$work/input.i16" ;;
    openephys) c=$(convert openephys "$work/input-oe")
               measure openephys "$work/input-oe" "$c"; cleanup "$work/input-oe" ;;
    nwb)       c=$(convert nwb "$work/input.nwb")
               measure nwb "$work/input.nwb" "$c"; cleanup "$work/input.nwb" ;;
    mef3)      # no Python MEF 3.0 writer here: the test suite's own (RED blocks of 1 s, one segment per channel)
               [ -d "$here/io-connectors/target/test-classes/org/specus/io/mef3" ] \
                 || "$here/mvnw" -q -o -pl io-connectors test-compile
               rm -rf "$work/input.mefd"; t0=$(date +%s.%N)
               java -cp "$here/io-connectors/target/test-classes:$here/io-connectors/target/classes" \
                 org.specus.io.mef3.Mef3Writer "$src" "$work" input 385 384 30000 2.34375 30000
               c=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.0f", b-a}')
               measure mef3 "$work/input.mefd" "$c"; cleanup "$work/input.mefd" ;;
    zarr2)     c=$(convert zarr2 "$work/input-v2.zarr")
               measure zarr2 "$work/input-v2.zarr" "$c"; cleanup "$work/input-v2.zarr" ;;
    *) echo "readers: unknown format $f" >&2; exit 2 ;;
  esac
done
cleanup "$src" "${src%.ap.bin}.ap.meta" "${src%.imec0.ap.bin}.groundtruth.csv"
rm -f "$work"/.out-*.zarr.lock

{
  echo "Reading a $minutes-minute, 384-channel recording ($(awk -v b="$signal_bytes" 'BEGIN{printf "%.2f", b/1e9}') GB of int16 signal), $(date -u +%Y-%m-%d), $(nproc) cores:"
  echo "\`specus preprocess IN -o OUT --config copy.yaml\` (no operations, int16 Zarr v3 output, zstd 1), DirectRunner."
  echo
  echo "| format | on disk MB | convert s | wall s | × real time | signal MB/s | on-disk MB/s | read CPU s | read MB/s per CPU-s | CPU s | peak RSS MB | load before/after |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  tail -n +2 "$csv" | awk -F, '{printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s/%s |\n", $1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14}'
} | tee "$work/readers.md"
