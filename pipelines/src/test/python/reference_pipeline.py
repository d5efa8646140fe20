#!/usr/bin/env python3
"""Whole-recording numpy/scipy reference for any Specus pipeline of filters, common references
and whitening, written from the operations' definitions (SpikeInterface / Kilosort, see
../shared/notes/domain.md), independently of the Java code.

It reads the SpikeGLX .bin directly, applies the effective pipeline Specus stored in its
provenance (a JSON list of operations) to the whole recording at once, and compares with what
Specus wrote:
  * the whitening matrix against the (global or local) ZCA numpy computes from the same sampled
    ranges of the reference data, with Specus's eps (mean removed first when apply_mean);
  * the traces against int_scale * (x - mean) @ W.T with the W Specus stored, away from the edges.

Usage: reference_pipeline.py ARGS.json    (keys: bin, n_saved, n_proc, fs, pipeline, locations,
        groups, channel_ids, traces, w, mean, sample_ranges, eps, edge)
Prints one JSON object with the errors.
"""
import json
import sys

import numpy as np
from scipy import signal


def filt(x, op, fs):
    if op["op"] == "bandpass":
        sos = signal.iirfilter(op["order"], [op["low_hz"], op["high_hz"]], btype="bandpass", ftype="butter",
                               output="sos", fs=fs)
    else:
        sos = signal.iirfilter(op["order"], op["cutoff_hz"], btype="highpass", ftype="butter", output="sos", fs=fs)
    if op["direction"] == "forward-backward":
        return signal.sosfiltfilt(sos, x, axis=0)
    if op["direction"] == "forward":
        return signal.sosfilt(sos, x, axis=0)
    return signal.sosfilt(sos, x[::-1], axis=0)[::-1]


def sample_shifts(ids, per_adc, cycles):
    """Neuropixels ADC delays: channel k is sampled in slot (k mod 2P) // 2, i.e. slot / cycles late."""
    k = np.array([int(c[2:]) for c in ids])
    return ((k % (2 * per_adc)) // 2) / cycles


def phase_shift(x, shifts, margin):
    """SpikeInterface's phase_shift on frames anchored at the recording (see make_golden_ops.py)."""
    n = x.shape[0]
    length = 1 << int(np.ceil(np.log2(max(4 * margin, 8))))
    core = length - 2 * margin
    taper = (1 - np.cos(np.arange(margin) / margin * np.pi)) / 2
    rot = np.exp(-1j * 2 * np.pi * np.fft.rfftfreq(length)[:, None] * shifts[None, :])
    y = np.empty(x.shape)
    for k in range((n + core - 1) // core):
        lo, hi = k * core - margin, (k + 1) * core + margin
        frame = np.zeros((length, x.shape[1]))
        a, b = max(lo, 0), min(hi, n)
        frame[a - lo:b - lo] = x[a:b]
        frame[:margin] *= taper[:, None]
        frame[-margin:] *= taper[::-1, None]
        out = np.fft.irfft(np.fft.rfft(frame, axis=0) * rot, n=length, axis=0)
        y[k * core:min((k + 1) * core, n)] = out[k * core - lo:min((k + 1) * core, n) - lo]
    return y


def ibl_detrend(v, k):
    tap = int(np.ceil(k / 2))
    padded = np.r_[np.zeros(tap) + v[0], v, np.zeros(tap) + v[-1]]
    return v - signal.medfilt(padded, k)[tap:-tap]


def ibl_labels(raw, fs, op):
    """IBL's coherence + PSD labels of one chunk (uV, depth order), SpikeInterface's definition;
    the top run of low far-coherence channels is marked as in IBL's original."""
    raw = raw - raw.mean(axis=0)
    f, psd = signal.welch(raw, fs=fs, axis=0, window="hann", nperseg=int(op["welch_ms"] * fs / 1000))
    ref = np.median(raw, axis=1)
    xcorr = np.sum(raw * ref[:, None], axis=0) / np.sum(ref ** 2)
    near = ibl_detrend(xcorr, op["neighbours"])
    far = xcorr - near - 1
    psd_hf = np.mean(psd[f > fs / 2 * op["nyquist_fraction"], :], axis=0)
    labels = np.zeros(raw.shape[1], dtype=int)
    labels[near < op["dead_threshold"]] = 1
    labels[(psd_hf > op["psd_hf_threshold"]) | (near > op["noisy_threshold"])] = 2
    out = np.flatnonzero(far < op["outside_threshold"])
    if out.size and out[-1] == raw.shape[1] - 1:
        a = np.cumsum(np.r_[0, np.diff(out) - 1])
        labels[out[a == a.max()]] = 3
    return labels


def bad_channels(x, op, xy, gains, ranges, fs):
    """Labels per chunk (mode over chunks, ties to the smaller label), then the op's action."""
    order = np.lexsort((xy[:, 0], xy[:, 1]))
    per_chunk = []
    for s, e in ranges:
        chunk = (x[s:e] * gains[None, :])[:, order].astype(np.float32).astype(np.float64)
        lab = np.zeros(x.shape[1], dtype=int)
        lab[order] = ibl_labels(chunk, fs, op)
        per_chunk.append(lab)
    counts = np.stack([np.bincount(col, minlength=4) for col in np.array(per_chunk).T])
    labels = np.argmax(counts, axis=1)  # argmax takes the first maximum: ties go to the smaller label
    bad = labels != 0
    y = x.copy()
    if op["action"] == "interpolate" and bad.any():
        d = np.linalg.norm(xy[:, None, :] - xy[None, :, :], axis=2)
        w = np.exp(-((d[np.ix_(~bad, bad)] / 20.0) ** 1.3))
        w[w < 0.005] = 0
        with np.errstate(invalid="ignore", divide="ignore"):
            w = np.nan_to_num(w / w.sum(axis=0)[None, :])
        y[:, bad] = x[:, ~bad] @ w
    elif op["action"] == "exclude":
        y[:, bad] = 0
    return y, labels


def reference(x, op, xy, groups, ids, bad=None):
    n = x.shape[1]
    red = np.median if op["operator"] == "median" else np.mean
    if op["reference"] == "global":
        chans = [ids.index(c) for c in op.get("channels", [])] or list(range(n))
        if bad is not None:  # excluded channels stay zero and are left out of the reference
            chans = [c for c in chans if not bad[c]]
            y = x - red(x[:, chans], axis=1, keepdims=True)
            y[:, bad] = 0
            return y
        return x - red(x[:, chans], axis=1, keepdims=True)
    y = np.empty_like(x)
    if op["reference"] == "group":
        for c in range(n):
            y[:, c] = x[:, c] - red(x[:, groups == groups[c]], axis=1)
        return y
    d = np.linalg.norm(xy[:, None, :] - xy[None, :, :], axis=2)
    for c in range(n):
        nb = np.flatnonzero((d[c] > op["inner_um"]) & (d[c] <= op["outer_um"]))
        y[:, c] = x[:, c] - red(x[:, nb], axis=1)
    return y


def zca(cov, eps):
    s, u = np.linalg.eigh(cov)
    return (u / np.sqrt(np.clip(s, 0, None) + eps)) @ u.T


def whitening_matrix(sample, op, xy, eps):
    cov = sample.T @ sample / sample.shape[0]
    if op["mode"] == "global":
        return zca(cov, eps)
    n = cov.shape[0]
    d = np.linalg.norm(xy[:, None, :] - xy[None, :, :], axis=2)
    w = np.zeros((n, n))
    for c in range(n):
        if "nearest" in op:
            hood = np.lexsort((np.arange(n), d[c]))[: op["nearest"]]
        else:
            hood = np.flatnonzero(d[c] <= op["radius_um"])
        wl = zca(cov[np.ix_(hood, hood)], eps)
        w[c, hood] = wl[int(np.flatnonzero(hood == c)[0])]
    return w


def main():
    a = json.load(open(sys.argv[1]))
    n_proc, fs, edge = a["n_proc"], float(a["fs"]), int(a["edge"])
    raw = np.fromfile(a["bin"], dtype="<i2").reshape(-1, a["n_saved"])[:, :n_proc].astype(np.float64)
    xy = np.asarray(a["locations"], dtype=np.float64) if a.get("locations") else None
    groups = np.asarray(a["groups"])
    result = {"samples": int(raw.shape[0])}
    x = raw
    whiten = None
    excluded = None
    for op in a["pipeline"]:
        if op["op"] in ("bandpass", "highpass"):
            x = filt(x, op, fs)
        elif op["op"] == "phase_shift":
            per_adc, cycles = {"np1": (12, 13), "np2": (16, 16)}[a["probe"]]
            x = phase_shift(x, sample_shifts(a["channel_ids"], per_adc, cycles), int(op["margin_ms"] * fs / 1000))
        elif op["op"] == "bad_channels":
            x, labels = bad_channels(x, op, xy, np.asarray(a["gains"]), a["label_ranges"], fs)
            result["labels_differ"] = int(np.sum(labels != np.asarray(a["labels"])))
            result["bad"] = int(np.sum(labels != 0))
            excluded = labels != 0 if op["action"] == "exclude" else None
        elif op["op"] == "common_reference":
            x = reference(x, op, xy, groups, a["channel_ids"], excluded)
        elif op["op"] == "whiten":
            whiten = op
    ref = x
    if whiten is not None and a.get("w"):
        w_specus = np.fromfile(a["w"], dtype="<f4").reshape(n_proc, n_proc).astype(np.float64)
        sample = np.concatenate([x[s:e] for s, e in a["sample_ranges"]], axis=0)
        mean = np.zeros(n_proc)
        if whiten["apply_mean"]:
            mean = sample.mean(axis=0)
            result["mean_rel_err"] = float(np.linalg.norm(np.fromfile(a["mean"], dtype="<f4") - mean)
                                           / np.linalg.norm(mean))
            mean = np.fromfile(a["mean"], dtype="<f4").astype(np.float64)
            sample = sample - mean
        w_ref = whitening_matrix(sample, whiten, xy, a["eps"])
        result["w_rel_err"] = float(np.linalg.norm(w_specus - w_ref) / np.linalg.norm(w_ref))
        ref = (x - mean) @ w_specus.T * whiten.get("int_scale", 1.0)
    out = np.fromfile(a["traces"], dtype="<f4").reshape(-1, n_proc).astype(np.float64)
    inner = slice(edge, ref.shape[0] - edge)
    diff = out[inner] - ref[inner]
    result["traces_rms_rel_err"] = float(np.sqrt(np.mean(diff ** 2)) / np.sqrt(np.mean(ref[inner] ** 2)))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
