"""Issue 6's targets, checked against a harness run's rows (results.csv): the verdict the report
starts with, so that nobody has to work it out from the tables.

A target holds for a length only if every Specus run of that length meets it: a lab gets whichever
run the machine gives it. A run that misses is named with the machine's steal share during it (the
VM's host running another guest on our cores). Steal does not tell the whole story on a shared
host: the cores themselves run slower at times, which the report's phase table shows as the
whitening's CPU per tile (bench/README.md, "The cores' speed moves"), and so does the disk, which
a miss is named with too where the harness recorded it (diskstats.py: its busy share, and its
service time per MiB, which rises when the disk is slow).
"""
import diskstats

X_REAL_TIME = 8.0        # wall time at least 8x shorter than the recording
VS_BASELINE = 3.0        # at least 3x faster than the fastest baseline run of the same length
PEAK_RSS_MB = 1024       # 1 GB, in MiB as /proc reports memory (the CSV's *_mb columns are MiB); plot.py draws these too
FLATNESS = 0.10          # highest peak at most 10 % above the lowest, over all lengths


def _num(row, key):
    return float(row[key])


def _verdict(ok_count, total):
    if ok_count == total:
        return "met"
    if ok_count == 0:
        return "missed"
    return f"met in {ok_count} of {total} runs"


def _range(values, fmt):
    lo, hi = min(values), max(values)
    return fmt.format(lo) if lo == hi else f"{fmt.format(lo)}–{fmt.format(hi)}"


def check(results):
    """Markdown lines: one row per length with each target's verdict, the flatness of memory across
    lengths, and the Specus runs that missed a target. `results` are the harness's rows (dicts with
    tool, minutes, round, wall_s, x_real_time, peak_rss_mb, steal_pct; strings or numbers)."""
    specus = [r for r in results if r["tool"] == "specus"]
    if not specus:
        return []
    fastest_baseline = {}
    for r in results:
        if r["tool"] == "baseline":
            m = _num(r, "minutes")
            fastest_baseline[m] = min(fastest_baseline.get(m, float("inf")), _num(r, "wall_s"))
    lines = ["## Targets (issue 6; a target holds for a length when every Specus run of it meets it)", "",
             f"| minutes | x real time ≥ {X_REAL_TIME:g} | Specus / fastest baseline ≥ {VS_BASELINE:g} "
             f"| peak RSS MiB ≤ {PEAK_RSS_MB} |", "|---|---|---|---|"]
    misses = []
    for m in sorted({_num(r, "minutes") for r in specus}):
        runs = [r for r in specus if _num(r, "minutes") == m]
        speed = [_num(r, "x_real_time") for r in runs]
        rss = [_num(r, "peak_rss_mb") for r in runs]
        speed_cell = f"{_range(speed, '{:.2f}')}: {_verdict(sum(s >= X_REAL_TIME for s in speed), len(runs))}"
        rss_cell = f"{_range(rss, '{:.0f}')}: {_verdict(sum(x <= PEAK_RSS_MB for x in rss), len(runs))}"
        ratio_cell = "no baseline run"
        ratios = []
        if m in fastest_baseline:
            ratios = [fastest_baseline[m] / _num(r, "wall_s") for r in runs]
            ratio_cell = f"{_range(ratios, '{:.2f}')}: {_verdict(sum(q >= VS_BASELINE for q in ratios), len(runs))}"
        lines.append(f"| {m:g} | {speed_cell} | {ratio_cell} | {rss_cell} |")
        for i, r in enumerate(runs):
            missed = []
            if speed[i] < X_REAL_TIME:
                missed.append(f"{speed[i]:.2f}x real time")
            if ratios and ratios[i] < VS_BASELINE:
                missed.append(f"{ratios[i]:.2f}x the baseline")
            if rss[i] > PEAK_RSS_MB:
                missed.append(f"{rss[i]:.0f} MiB")
            if missed:
                steal = r.get("steal_pct", "")
                context = [f"steal {float(steal):.1f} %"] if steal != "" else []
                disk = diskstats.describe(r)
                context += [disk] if disk else []
                misses.append(f"- {m:g} min, round {r['round']}: {', '.join(missed)}"
                              + (f" ({'; '.join(context)})" if context else ""))
    peaks = {}
    for r in specus:
        m = _num(r, "minutes")
        peaks[m] = max(peaks.get(m, 0.0), _num(r, "peak_rss_mb"))
    lines.append("")
    if len(peaks) > 1:
        low, high = min(peaks.values()), max(peaks.values())
        growth = high / low - 1
        lines.append(f"Memory flat across lengths (highest peak per length, {min(peaks):g} to {max(peaks):g} min): "
                     f"{low:.0f} to {high:.0f} MiB, +{100 * growth:.1f} % (≤ {100 * FLATNESS:.0f} %): "
                     + ("met" if growth <= FLATNESS else "missed"))
    else:
        lines.append("Memory flat across lengths: needs runs of more than one length")
    if misses:
        lines += ["", "Runs that missed a target:"] + misses
    return lines
