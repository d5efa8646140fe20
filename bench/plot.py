#!/usr/bin/env python3
"""Plots WORKDIR/results.csv: throughput (x real time) and peak RSS against recording length.
Needs matplotlib (Debian: apt-get install python3-matplotlib, then run with /usr/bin/python3)."""
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

work = sys.argv[1]
rows = list(csv.DictReader(open(os.path.join(work, "results.csv"))))
for key, label, name, target in (("x_real_time", "x real time (higher is faster)", "throughput.png", 8),
                                 ("peak_rss_mb", "peak resident memory, MB", "memory.png", 1024)):
    fig, ax = plt.subplots(figsize=(6, 4))
    for tool, style in (("specus", "o-"), ("baseline", "s--")):
        pts = {}
        for r in rows:
            if r["tool"] == tool:
                m = float(r["minutes"])
                v = float(r[key])
                pts[m] = max(pts.get(m, v), v) if key == "x_real_time" else min(pts.get(m, v), v)
        if pts:
            xs = sorted(pts)
            ax.plot(xs, [pts[x] for x in xs], style, label="Specus" if tool == "specus" else "numpy/scipy baseline")
    ax.axhline(target, color="grey", lw=0.8, ls=":", label=f"target {'>=' if key == 'x_real_time' else '<='} {target}")
    ax.set_xlabel("recording length, minutes (384 channels, 30 kHz)")
    ax.set_ylabel(label)
    ax.set_ylim(bottom=0)
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(os.path.join(work, name), dpi=110)
    print(os.path.join(work, name))
