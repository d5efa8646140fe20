#!/usr/bin/env python3
"""End-to-end speed and memory of `specus preprocess` (default chain, float32 Zarr) against the
numpy/scipy baseline (bench/baseline_numpy.py), alternately on the same synthetic recordings.

Usage (bench/run.sh calls this): harness.py WORKDIR MINUTES... [--rounds N] [--no-baseline]
                                 [--settle SECONDS] [--kernels KERNELS.csv] [--check-disk | --synth-only]
                                 harness.py WORKDIR --report-only [--kernels KERNELS.csv]
Writes WORKDIR/results.csv (one row per run), WORKDIR/stages.csv (Specus per-stage CPU and wall
time per tile), WORKDIR/phases.csv, WORKDIR/machine.txt (the CPU and JVM), WORKDIR/report.md (the
targets' verdict and the tables, printed at the end) and, through plot.py, WORKDIR/throughput.png
and WORKDIR/memory.png. --report-only makes report.md and the plots again from an earlier run's
files, running nothing.
"""
import argparse
import csv
import os
import shutil
import subprocess
import sys
import threading
import time

import diskstats
import targets

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SPECUS = os.path.join(ROOT, "specus")


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


class TreeRss:
    """Peak of the summed resident memory of a process and its descendants, sampled every 50 ms:
    all of it (VmRSS) and its anonymous part (RssAnon: heap, stacks, buffers, without pages of
    mapped files). The second is the fair figure for the baseline, whose workers map the whole
    input file: its cached pages count in their VmRSS, once per worker, though the kernel can drop
    them at any time. The tree is looked up again every 0.5 s (walking all of /proc 20 times a
    second cost the machine more than reading a few status files does)."""

    def __init__(self, pid):
        self.pid, self.peak, self.peak_anon, self._stop = pid, 0, 0, False
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _tree(self):
        children = {}
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    with open(f"/proc/{d}/stat") as f:
                        ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                    children.setdefault(ppid, []).append(int(d))
                except (OSError, ValueError, IndexError):
                    pass
        out, todo = [], [self.pid]
        while todo:
            p = todo.pop()
            out.append(p)
            todo.extend(children.get(p, []))
        return out

    def _rss_kb(self, pid):
        """(VmRSS, RssAnon) of one process in kB; zeros once it has gone."""
        rss = anon = 0
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss = int(line.split()[1])
                    elif line.startswith("RssAnon:"):
                        anon = int(line.split()[1])
        except OSError:
            pass
        return rss, anon

    def _run(self):
        tree, tick = [self.pid], 0
        while not self._stop:
            if tick % 10 == 0:
                tree = self._tree()
            sizes = [self._rss_kb(p) for p in tree]
            self.peak = max(self.peak, sum(r for r, _ in sizes))
            self.peak_anon = max(self.peak_anon, sum(a for _, a in sizes))
            tick += 1
            time.sleep(0.05)

    def stop(self):
        self._stop = True
        self._t.join()
        return self.peak / 1024, self.peak_anon / 1024


def cpu_jiffies():
    """Machine-wide CPU time from /proc/stat, in jiffies: (all, idle, iowait, steal)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    v += [0] * (8 - len(v))
    # user nice system idle iowait irq softirq steal (guest time is already in user)
    return sum(v[:8]), v[3], v[4], v[7]


def run(cmd, env=None, log=None, disk=None):
    """Runs cmd; returns wall s, CPU s (user + system of the process tree), peak RSS and anonymous
    MiB, the load average before and after, the machine's idle, iowait and steal shares (%) over
    the run: idle or iowait left on the cores says the run did not keep them busy (the disk, or too
    few runnable threads), steal that the host gave them to another guest; and what the block device
    `disk` did meanwhile (diskstats.over_run)."""
    load0 = loadavg()
    j0 = cpu_jiffies()
    d0 = diskstats.sample(disk)
    t0 = time.time()
    with open(log, "w") if log else open(os.devnull, "w") as out:
        p = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
        rss = TreeRss(p.pid)
        # wait4's usage covers the child and every descendant it waited for: the JVM under the
        # launch script, the baseline's worker processes.
        _, status, usage = os.wait4(p.pid, 0)
        rc = p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.time() - t0
    j1 = cpu_jiffies()
    d1 = diskstats.sample(disk)
    peak, peak_anon = rss.stop()
    if rc != 0:
        sys.exit(f"harness: {' '.join(cmd)} failed (exit {rc}); see {log}")
    total = max(1, j1[0] - j0[0])
    shares = [round(100 * (b - a) / total, 1) for a, b in zip(j0[1:], j1[1:])]
    return (wall, usage.ru_utime + usage.ru_stime, peak, peak_anon, load0, loadavg(), shares,
            diskstats.over_run(d0, d1, wall))


def build_if_needed(specus=None):
    """Runs `specus --version`, untimed, and says whether it rebuilt. `./specus` rebuilds when the
    sources changed since its last build: after an edit made while the harness runs, the next timed
    run would otherwise include a Maven build (seen once: a 5-minute run 31 s slower, all of it
    "after the last tile", which counts the launch before the JVM)."""
    p = subprocess.run([specus or SPECUS, "--version"], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"harness: {specus or SPECUS} --version failed (exit {p.returncode}): {p.stderr.strip()}")
    return "specus: building" in p.stderr


def recording_path(work, minutes):
    return os.path.join(work, f"bench{minutes:g}m_g0_t0.imec0.ap.bin")


# Bytes per minute of the synthetic recordings (384 channels and the sync channel, int16, 30 kHz)
# and of either tool's float32 output (384 channels).
INPUT_BYTES_PER_MINUTE = 385 * 2 * 30000 * 60
OUTPUT_BYTES_PER_MINUTE = 384 * 4 * 30000 * 60


def check_disk(work, minutes):
    """Exits with a message before any run if WORKDIR cannot hold the recordings still to be made
    (they are kept for later runs) and the largest output (each is deleted after its run): a full
    disk would otherwise show only at the 10-minute case, some 30 minutes in."""
    to_make = sum(INPUT_BYTES_PER_MINUTE * m for m in set(minutes)
                  if not os.path.exists(recording_path(work, m)))
    largest_output = OUTPUT_BYTES_PER_MINUTE * max(minutes)
    need = (to_make + largest_output) * 1.02  # chunk index, metadata and file system slack
    free = shutil.disk_usage(work).free
    if free < need:
        sys.exit(f"harness: {work} has {free / 1e9:.1f} GB free, but the runs need about "
                 f"{need / 1e9:.1f} GB ({to_make / 1e9:.1f} GB of recordings still to synthesise, "
                 f"{largest_output / 1e9:.1f} GB for the {max(minutes):g}-minute output); free some "
                 "space, choose another WORKDIR, or pass shorter lengths")


def synth(work, minutes):
    path = recording_path(work, minutes)
    if not os.path.exists(path):
        print(f"synthesising {minutes:g} min -> {path}", file=sys.stderr)
        subprocess.run([SPECUS, "synth", "-o", path, "--duration", f"{minutes * 60:g}s", "--seed", "1"],
                       check=True, stdout=subprocess.DEVNULL)
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("work")
    ap.add_argument("minutes", nargs="*", type=float)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--settle", type=float, default=60,
                    help="seconds to wait, untimed, before each run (default 60; see bench/README.md)")
    ap.add_argument("--kernels", help="JMH CSV (bench/jmh.sh) to include in the report")
    ap.add_argument("--check-disk", action="store_true",
                    help="only check that WORKDIR has room for these lengths, then exit")
    ap.add_argument("--synth-only", action="store_true",
                    help="only make the recordings still missing and print their paths (bench/batch.sh), then exit")
    ap.add_argument("--report-only", action="store_true",
                    help="only make report.md and the plots again from WORKDIR's CSV files")
    a = ap.parse_args()
    if a.report_only:
        kernels = a.kernels or os.path.join(a.work, "kernels.csv")
        results, stages, phases = (read_csv(os.path.join(a.work, f), numbers=f == "results.csv")
                                   for f in ("results.csv", "stages.csv", "phases.csv"))
        phases = phases_again(a.work, results) or phases
        finish(a.work, results, stages, phases, kernels, machine_line=recorded_machine(a.work))
        return
    if not a.minutes:
        sys.exit("harness: give the recording lengths in minutes (e.g. 1 5 10), or --report-only")
    if any(m <= 0 for m in a.minutes):
        sys.exit(f"harness: recording lengths must be positive minutes, got {' '.join(f'{m:g}' for m in a.minutes)}")
    if a.settle < 0:
        sys.exit(f"harness: --settle is the idle time before each run, in seconds (0 or more), got {a.settle:g}")
    os.makedirs(a.work, exist_ok=True)
    check_disk(a.work, a.minutes)
    if a.check_disk:
        return
    if a.synth_only:
        for m in a.minutes:
            print(synth(a.work, m))
        return
    results, stages, phases = [], [], []
    line = f"Machine: {machine()}; each run started after {a.settle:g} s idle (--settle)"
    with open(os.path.join(a.work, MACHINE_FILE), "w") as f:
        f.write(line + "\n")
    if a.settle > 0:
        print(f"harness: each run starts after {a.settle:g} s idle (--settle)", file=sys.stderr)
    for m in a.minutes:
        rec = synth(a.work, m)
        in_mb = os.path.getsize(rec) / 1e6
        seconds = m * 60.0
        for r in range(a.rounds):
            # Alternate, Specus first in even rounds and second in odd ones.
            order = ["specus", "baseline"] if r % 2 == 0 else ["baseline", "specus"]
            for tool in order:
                if tool == "baseline" and a.no_baseline:
                    continue
                if tool == "specus":
                    out = os.path.join(a.work, f"out{m:g}m.zarr")
                    stage_file = stage_path(a.work, m, r)
                    env = dict(os.environ)
                    env["SPECUS_EXTRA_OPTS"] = (env.get("SPECUS_EXTRA_OPTS", "") + f" -Dspecus.stageTimes={stage_file}").strip()
                    cmd = [SPECUS, "preprocess", rec, "-o", out]
                    if build_if_needed():
                        print("harness: the sources changed while the harness ran; specus was rebuilt (untimed),"
                              " and this run and the later ones measure the new build", file=sys.stderr)
                else:
                    out = os.path.join(a.work, f"out{m:g}m.f32")
                    env, stage_file = None, None
                    cmd = [sys.executable, os.path.join(HERE, "baseline_numpy.py"), rec, out, "--workers", "2"]
                shutil.rmtree(out, ignore_errors=True) if out.endswith(".zarr") else None
                log = os.path.join(a.work, f"{tool}-{m:g}m-r{r}.log")
                # The previous run's output, deleted or not, may still be going to disk (the baseline
                # writes 2.8 GB a minute through the page cache); flushing it here, untimed, keeps each
                # run from paying for the one before.
                os.sync()
                # A shared VM's host can slow its cores for a while after minutes of full load: right
                # after a 2-minute baseline run, this VM had 10 % steal and FMA windows at a tenth of
                # their speed for ~30 s (none after a 35 s Specus run). Without a pause, the run after
                # the longest one pays for it (bench/README.md, "Each run starts after a pause").
                time.sleep(a.settle)
                wall, cpu, peak, peak_anon, l0, l1, (idle, iowait, steal), disk = run(
                    cmd, env=env, log=log, disk=diskstats.device_of(a.work))
                out_bytes = (sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(out) for f in fs)
                             if os.path.isdir(out) else os.path.getsize(out))
                row = dict(tool=tool, minutes=m, round=r, wall_s=round(wall, 2),
                           x_real_time=round(seconds / wall, 2), input_mb_s=round(in_mb / wall, 1),
                           cpu_s=round(cpu, 1), cores=round(cpu / wall, 2),
                           idle_pct=idle, iowait_pct=iowait, steal_pct=steal,
                           peak_rss_mb=round(peak), peak_anon_mb=round(peak_anon), output_gb=round(out_bytes / 1e9, 2),
                           load_before=l0, load_after=l1, **disk)
                results.append(row)
                print(f"  {tool:8s} {m:4g} min round {r}: {wall:7.1f} s  {seconds / wall:5.2f}x  "
                      f"CPU {cpu:6.1f} s  "
                      f"{peak:6.0f} MiB ({peak_anon:.0f} anonymous)  (load {l0:.1f} -> {l1:.1f})", file=sys.stderr)
                timers = stage_timers(stage_file) if stage_file else None
                if timers is not None:
                    tiles = round(m * 60)
                    phase = run_phases(timers, m, r, wall)
                    if phase:
                        phases.append(phase)
                    for s in timers:
                        per = tiles if s["stage"].startswith("main.") else 1
                        stages.append(dict(minutes=m, round=r, stage=s["stage"], calls=s["calls"],
                                           cpu_s=s["cpu_s"], wall_s=s["wall_s"],
                                           cpu_ms_per_tile=round(float(s["cpu_s"]) * 1000 / per, 1)
                                           if per > 1 else "",
                                           wall_ms_per_tile=round(float(s["wall_s"]) * 1000 / per, 1)
                                           if per > 1 else ""))
                if out.endswith(".zarr"):
                    shutil.rmtree(out, ignore_errors=True)
                else:
                    os.remove(out)
                # After every run, so that a harness stopped half-way (a slow disk can make it take
                # hours) keeps the runs it finished: --report-only reports them.
                save(a.work, results, stages, phases)
    finish(a.work, results, stages, phases, a.kernels, line)


def save(work, results, stages, phases):
    write_csv(os.path.join(work, "results.csv"), results)
    write_csv(os.path.join(work, "stages.csv"), stages)
    write_csv(os.path.join(work, "phases.csv"), phases)


MACHINE_FILE = "machine.txt"  # the report's first line, kept for --report-only


def recorded_machine(work):
    path = os.path.join(work, MACHINE_FILE)
    if os.path.exists(path):
        with open(path) as f:
            return f.read().strip()
    return f"Machine making this report (the run did not record its own): {machine()}"


def finish(work, results, stages, phases, kernels, machine_line):
    """Writes and prints the report, then draws the plots."""
    if not results:
        sys.exit(f"harness: no runs to report in {work} (results.csv is missing or empty)")
    report = make_report(results, stages, phases, kernels, machine_line)
    with open(os.path.join(work, "report.md"), "w") as f:
        f.write(report)
    print(report)
    plot = shutil.which("python3", path="/usr/bin")
    subprocess.run([plot or sys.executable, os.path.join(HERE, "plot.py"), work], check=False)


def stage_path(work, minutes, rnd):
    return os.path.join(work, f"stages-{minutes:g}m-r{rnd}.csv")


def stage_timers(path):
    """The rows of a run's stage file (-Dspecus.stageTimes), or None if the run left none."""
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return list(csv.DictReader(f))


def phases_again(work, results):
    """The phases of every Specus run in `results`, split anew from its stage file (so that a report
    made again shows what this version of the split gives); empty if any stage file is missing."""
    phases = []
    for r in results:
        if r["tool"] != "specus":
            continue
        timers = stage_timers(stage_path(work, r["minutes"], r["round"]))
        if timers is None:
            return []
        phase = run_phases(timers, r["minutes"], r["round"], r["wall_s"])
        if phase:
            phases.append(phase)
    return phases


def read_csv(path, numbers):
    """Rows of a CSV this harness wrote; with `numbers`, numeric fields as the run had them (the
    report computes with results.csv's, and prints the other files' as they are)."""
    def value(v):
        try:
            return float(v) if any(c in v for c in ".eE") else int(v)
        except ValueError:
            return v
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return [{k: value(v) if numbers else v for k, v in row.items()} for row in csv.DictReader(f)]


def write_csv(path, rows):
    if not rows:
        return
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)


def run_phases(timers, minutes, rnd, wall):
    """A Specus run's timeline from its stage timers (rows of the stage file; seconds since JVM
    start): what comes before the first tile is the same at every length, the main pass grows with it."""
    t = {s["stage"]: s for s in timers}
    if "statistics.whitening_matrix" not in t or not any(k.startswith("main.") for k in t):
        return None  # not the default chain's two passes
    stats_start = min(float(s["first_s"]) for k, s in t.items() if k.startswith("statistics."))
    matrix = float(t["statistics.whitening_matrix"]["last_s"])
    main_start = min(float(s["first_s"]) for k, s in t.items() if k.startswith("main."))
    main_end = max(float(s["last_s"]) for k, s in t.items() if k.startswith("main."))
    # The whitening product only multiplies and adds on data in the caches, so its CPU per tile
    # tracks how fast the cores ran during the run, which steal does not show (bench/README.md).
    whiten = t.get("main.whiten")
    whiten_ms = round(float(whiten["cpu_s"]) * 1000 / float(whiten["calls"]), 1) if whiten else ""
    return dict(minutes=minutes, round=rnd, wall_s=round(wall, 2), start_up_s=stats_start,
                statistics_s=round(matrix - stats_start, 2), hand_over_s=round(main_start - matrix, 2),
                main_pass_s=round(main_end - main_start, 2),
                main_pass_x_real_time=round(minutes * 60 / (main_end - main_start), 2),
                after_last_tile_s=round(wall - main_end, 2), whitening_cpu_ms_per_tile=whiten_ms)


def machine():
    """The CPU and JVM the figures came from: machines of one kind differ, and the whitening product,
    bound by fused multiply-adds, runs at the rate of the CPU's FMA units (bench/README.md)."""
    info = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                info.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    flags = info.get("flags", "").split()
    vector = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "no AVX2"
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    return (f"{info.get('model name', 'unknown CPU')} (family {info.get('cpu family', '?')}, model "
            f"{info.get('model', '?')}), {os.cpu_count()} cores, {vector}; {java[0] if java else 'java not found'}")


def make_report(results, stages, phases, kernels, machine_line):
    lines = [machine_line, ""] + targets.check(results) + ["",
             "## End to end (default chain, 384 channels, float32 output, 2 cores)", "",
             "| minutes | tool | wall s | x real time | input MB/s | CPU s (cores) | idle / iowait / steal % "
             "| peak RSS MiB | peak anonymous MiB | output GB | load before/after | Specus / fastest baseline "
             "| disk read / written GB, busy %, ms/MiB |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    best = {}
    for r in results:
        k = (r["minutes"], r["tool"])
        best[k] = min(best.get(k, 1e18), r["wall_s"])
    for r in results:
        ratio = ""
        if r["tool"] == "specus" and (r["minutes"], "baseline") in best:
            ratio = f"{best[(r['minutes'], 'baseline')] / r['wall_s']:.2f}x"
        lines.append(f"| {r['minutes']} | {r['tool']} | {r['wall_s']} | {r['x_real_time']} | {r['input_mb_s']} | "
                     f"{r['cpu_s']} ({r['cores']}) | {r['idle_pct']} / {r['iowait_pct']} / {r['steal_pct']} | "
                     f"{r['peak_rss_mb']} | {r['peak_anon_mb']} | {r['output_gb']} | {r['load_before']:.1f}/{r['load_after']:.1f} | {ratio} | "
                     f"{diskstats.cell(r)} |")
    if stages:
        lines += ["", "## Specus per stage (CPU ms and wall ms per 1 s tile, summed over worker threads; "
                  "statistics.* are totals in s)", "",
                  "| minutes | round | stage | calls | CPU ms/tile | wall ms/tile | CPU s | wall s |", "|---|---|---|---|---|---|---|---|"]
        for s in stages:
            lines.append(f"| {s['minutes']} | {s['round']} | {s['stage']} | {s['calls']} | {s['cpu_ms_per_tile']} | "
                         f"{s['wall_ms_per_tile']} | {s['cpu_s']} | {s['wall_s']} |")
    if phases:
        lines += ["", "## Where a Specus run's time goes (s; start-up = JVM start to the first statistics read, "
                  "after the last tile includes the process launch before the JVM started)", "",
                  "| minutes | round | wall s | start-up | statistics | hand-over | main pass | "
                  "main pass x real time | after the last tile | whitening CPU ms/tile (cores' speed) |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for p in phases:
            lines.append(f"| {p['minutes']} | {p['round']} | {p['wall_s']} | {p['start_up_s']} | {p['statistics_s']} | "
                         f"{p['hand_over_s']} | {p['main_pass_s']} | {p['main_pass_x_real_time']} | "
                         f"{p['after_last_tile_s']} | {p.get('whitening_cpu_ms_per_tile', '')} |")
    if kernels and os.path.exists(kernels):
        lines += ["", "## Kernels (JMH, single thread, ms per call; bench/jmh.sh)", "",
                  "| benchmark | simd | ms/op | ± error |", "|---|---|---|---|"]
        with open(kernels) as f:
            for k in csv.DictReader(f):
                lines.append(f"| {k['Benchmark'].rsplit('.', 1)[1]} | {k.get('Param: simd', '')} | "
                             f"{float(k['Score']):.2f} | {float(k['Score Error (99.9%)'] or 0):.2f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
