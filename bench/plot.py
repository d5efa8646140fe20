#!/usr/bin/env python3
"""Plots WORKDIR/results.csv: throughput (x real time) and peak memory against recording length.
Every run is a dot; the lines join each length's worst run (the slowest, the highest peak), which is
what a target has to hold for. The memory plot also shows the
baseline's anonymous memory (without the input file it maps, whose cached pages count in its
resident figure once per worker) where results.csv has it.
Needs matplotlib (Debian: apt-get install python3-matplotlib, then run with /usr/bin/python3)."""
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import targets  # noqa: E402  (issue 6's targets, which the report's verdict checks too)

work = sys.argv[1]
rows = list(csv.DictReader(open(os.path.join(work, "results.csv"))))
PLOTS = (  # file, y label, target (higher or lower is better), log scale, series (tool, column, style, legend)
    ("throughput.png", "x real time (higher is faster; line: slowest run)", ">=", targets.X_REAL_TIME, False,
     [("specus", "x_real_time", "o-", "Specus"),
      ("baseline", "x_real_time", "s--", "numpy/scipy baseline")]),
    # log: the baseline's mapped input reaches ~16 GB at 10 minutes, the rest stays near 1 GB
    ("memory.png", "peak memory, MiB (line: highest run)", "<=", targets.PEAK_RSS_MB, True,
     [("specus", "peak_rss_mb", "o-", "Specus"),
      ("baseline", "peak_rss_mb", "s--", "numpy/scipy baseline"),
      ("baseline", "peak_anon_mb", "s:", "baseline without its mapped input")]),
)
for name, label, sense, target, log, series in PLOTS:
    fig, ax = plt.subplots(figsize=(6, 4))
    worst = min if sense == ">=" else max
    for tool, key, style, legend in series:
        runs = [(float(r["minutes"]), float(r[key])) for r in rows if r["tool"] == tool and r.get(key)]
        pts = {}
        for m, v in runs:
            pts[m] = worst(pts.get(m, v), v)
        if pts:
            xs = sorted(pts)
            line, = ax.plot(xs, [pts[x] for x in xs], style, label=legend)
            ax.plot([m for m, _ in runs], [v for _, v in runs], style[0], color=line.get_color(),
                    alpha=0.5, markersize=4)
    ax.axhline(target, color="grey", lw=0.8, ls=":", label=f"target {sense} {target:g}")
    ax.set_xlabel("recording length, minutes (384 channels, 30 kHz)")
    ax.set_ylabel(label)
    if log:
        ax.set_yscale("log")
    else:
        ax.set_ylim(bottom=0)
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(os.path.join(work, name), dpi=110)
    print(os.path.join(work, name))
