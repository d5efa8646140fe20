#!/usr/bin/env python3
"""Whole-recording numpy/scipy reference for Specus's default chain.

Used by PipelineNumericsTest: it reads the SpikeGLX .bin directly (no Specus code), filters the
whole recording at once with scipy (butter order 5, second-order sections, sosfiltfilt), subtracts
the per-sample median over channels, and compares with what Specus wrote:

  * the whitening matrix Specus stored against the ZCA matrix numpy computes from the same
    sampled ranges of the reference data (C = X^T X / N, W = U diag(1/sqrt(S + eps)) U^T);
  * the traces Specus wrote against reference @ W^T (with the W Specus stored), away from the
    recording's edges.

Usage: reference_chain.py BIN N_SAVED N_PROC FS LOW HIGH TRACES.f32 W.f32 RANGES.json EDGE_SAMPLES
Prints one JSON object with the errors.
"""
import json
import sys

import numpy as np
from scipy import signal


def main():
    (bin_path, n_saved, n_proc, fs, low, high, traces_path, w_path, ranges_path, edge) = sys.argv[1:11]
    n_saved, n_proc, edge = int(n_saved), int(n_proc), int(edge)
    fs, low, high = float(fs), float(low), float(high)

    raw = np.fromfile(bin_path, dtype="<i2").reshape(-1, n_saved)[:, :n_proc].astype(np.float64)
    sos = signal.iirfilter(5, [low, high], btype="bandpass", ftype="butter", output="sos", fs=fs)
    x = signal.sosfiltfilt(sos, raw, axis=0)
    x -= np.median(x, axis=1, keepdims=True)

    w_specus = np.fromfile(w_path, dtype="<f4").reshape(n_proc, n_proc).astype(np.float64)
    with open(ranges_path) as f:
        meta = json.load(f)
    sample = np.concatenate([x[a:b] for a, b in meta["sample_ranges"]], axis=0)
    cov = sample.T @ sample / sample.shape[0]
    s, u = np.linalg.eigh(cov)
    s = np.clip(s, 0, None)
    w_ref = (u / np.sqrt(s + meta["eps"])) @ u.T
    w_err = np.linalg.norm(w_specus - w_ref) / np.linalg.norm(w_ref)

    out = np.fromfile(traces_path, dtype="<f4").reshape(-1, n_proc).astype(np.float64)
    ref = x @ w_specus.T
    inner = slice(edge, ref.shape[0] - edge)
    diff = out[inner] - ref[inner]
    rms_err = np.sqrt(np.mean(diff**2)) / np.sqrt(np.mean(ref[inner] ** 2))
    edge_err = np.sqrt(np.mean((out - ref) ** 2)) / np.sqrt(np.mean(ref**2))
    print(json.dumps({"w_rel_err": float(w_err), "traces_rms_rel_err": float(rms_err),
                      "traces_rms_rel_err_with_edges": float(edge_err), "samples": int(out.shape[0])}))


if __name__ == "__main__":
    main()
