#!/usr/bin/env python3
"""Plots WORKDIR/results.csv: throughput (x real time) and peak memory against recording length.
Each length shows the largest value over its runs: the fastest run, the highest peak. The memory plot also shows the
baseline's anonymous memory (without the input file it maps, whose cached pages count in its
resident figure once per worker) where results.csv has it.
Needs matplotlib (Debian: apt-get install python3-matplotlib, then run with /usr/bin/python3)."""
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

work = sys.argv[1]
rows = list(csv.DictReader(open(os.path.join(work, "results.csv"))))
PLOTS = (  # file, y label, target (higher or lower is better), log scale, series (tool, column, style, legend)
    ("throughput.png", "x real time (higher is faster)", ">=", 8, False,
     [("specus", "x_real_time", "o-", "Specus"),
      ("baseline", "x_real_time", "s--", "numpy/scipy baseline")]),
    # log: the baseline's mapped input reaches ~16 GB at 10 minutes, the rest stays near 1 GB
    ("memory.png", "peak memory, MB", "<=", 1024, True,
     [("specus", "peak_rss_mb", "o-", "Specus"),
      ("baseline", "peak_rss_mb", "s--", "numpy/scipy baseline"),
      ("baseline", "peak_anon_mb", "s:", "baseline without its mapped input")]),
)
for name, label, sense, target, log, series in PLOTS:
    fig, ax = plt.subplots(figsize=(6, 4))
    for tool, key, style, legend in series:
        pts = {}
        for r in rows:
            if r["tool"] == tool and r.get(key):
                m, v = float(r["minutes"]), float(r[key])
                pts[m] = max(pts.get(m, v), v)
        if pts:
            xs = sorted(pts)
            ax.plot(xs, [pts[x] for x in xs], style, label=legend)
    ax.axhline(target, color="grey", lw=0.8, ls=":", label=f"target {sense} {target}")
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
