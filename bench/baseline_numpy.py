#!/usr/bin/env python3
"""The default chain in plain numpy/scipy, as the reference point for `specus preprocess`.

bandpass (Butterworth order 5, 300-6000 Hz, second-order sections, sosfiltfilt) -> median
reference (np.median over channels) -> global whitening (W from 20 chunks of 0.5 s, ZCA with
SpikeInterface's eps rule, y = x @ W.T) on 1 s chunks read with the same margins as Specus
(1149 samples each side), by 2 worker processes, written as one flat float32 file
(samples x channels, C order). This is what a careful scientist would write in an afternoon: it
is the comparison for speed, not a numerical reference (PipelineNumericsTest is that).

Usage: baseline_numpy.py REC.imec0.ap.bin OUT.f32 [--workers 2]
"""
import argparse
import os
import sys
import time
from multiprocessing import get_context

# One BLAS thread per worker process, as SpikeInterface's job runner does by default
# (max_threads_per_worker=1). OpenBLAS otherwise starts a thread per core in each of the two
# workers, four threads on two cores: the baseline took 36-37 s instead of 30-31 s on a 1-minute
# recording here. Set before numpy loads its BLAS; an explicit setting in the environment wins.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402  (after the thread limits above)
from scipy import signal  # noqa: E402

MARGIN = 1149          # Specus's bandpass margin for this filter (settling to 1e-9)
CHUNK_S = 1.0
STAT_CHUNKS = 20
STAT_CHUNK_S = 0.5


def read_meta(bin_path):
    meta = {}
    with open(bin_path[:-4] + ".meta") as f:
        for line in f:
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                meta[k.lstrip("~")] = v
    return meta


_G = {}


def _init(bin_path, n_saved, n_ap, fs, out_path, w):
    raw = np.memmap(bin_path, dtype=np.int16, mode="r")
    _G.update(raw=raw.reshape(-1, n_saved), n_ap=n_ap, fs=fs, out=out_path, w=w,
              sos=signal.butter(5, [300, 6000], btype="bandpass", fs=fs, output="sos"))


def _filtered(start, end):
    raw, n_ap = _G["raw"], _G["n_ap"]
    n = raw.shape[0]
    lo, hi = max(0, start - MARGIN), min(n, end + MARGIN)
    x = raw[lo:hi, :n_ap].astype(np.float32)
    y = signal.sosfiltfilt(_G["sos"], x, axis=0).astype(np.float32)
    y = y[start - lo:start - lo + (end - start)]
    y -= np.median(y, axis=1, keepdims=True)
    return y


def _gram(args):
    start, end = args
    y = _filtered(start, end).astype(np.float64)
    return y.T @ y, y.shape[0], np.median(y ** 2)


def _process(args):
    start, end = args
    y = _filtered(start, end) @ _G["w"].T
    y = np.ascontiguousarray(y, dtype=np.float32)
    fd = os.open(_G["out"], os.O_WRONLY)
    try:
        os.pwrite(fd, y.tobytes(), start * _G["n_ap"] * 4)
    finally:
        os.close(fd)
    return end - start


def main():
    p = argparse.ArgumentParser()
    p.add_argument("bin")
    p.add_argument("out")
    p.add_argument("--workers", type=int, default=2)
    a = p.parse_args()
    meta = read_meta(a.bin)
    n_saved = int(meta["nSavedChans"])
    n_ap = int(meta["snsApLfSy"].split(",")[0])
    fs = float(meta["imSampRate"])
    n = os.path.getsize(a.bin) // (2 * n_saved)
    t0 = time.time()
    with open(a.out, "wb") as f:
        f.truncate(n * n_ap * 4)
    ctx = get_context("fork")
    stat_len = int(STAT_CHUNK_S * fs)
    rng = np.random.default_rng(0)
    seg = n / STAT_CHUNKS
    starts = [int(k * seg) + int(rng.integers(0, max(1, int(seg) - stat_len))) for k in range(STAT_CHUNKS)]
    with ctx.Pool(a.workers, _init, (a.bin, n_saved, n_ap, fs, a.out, None)) as pool:
        parts = pool.map(_gram, [(s, min(n, s + stat_len)) for s in starts])
    gram = sum(g for g, _, _ in parts)
    count = sum(c for _, c, _ in parts)
    med_sq = float(np.median([m for _, _, m in parts]))
    eps = max(1e-16, 1e-3 * med_sq) if 0 < med_sq < 1 else 1e-16
    evals, evecs = np.linalg.eigh(gram / count)
    w = (evecs @ np.diag(1 / np.sqrt(np.clip(evals, 0, None) + eps)) @ evecs.T).astype(np.float32)
    chunk = int(CHUNK_S * fs)
    spans = [(s, min(n, s + chunk)) for s in range(0, n, chunk)]
    with ctx.Pool(a.workers, _init, (a.bin, n_saved, n_ap, fs, a.out, w)) as pool:
        done = sum(pool.imap_unordered(_process, spans, chunksize=1))
    wall = time.time() - t0
    print(f"baseline: {done} samples x {n_ap} channels in {wall:.1f} s "
          f"({n / fs / wall:.2f}x real time; {a.workers} workers, "
          f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']})", file=sys.stderr)


if __name__ == "__main__":
    main()
