# Regenerate with: python3 transforms/src/test/python/make_golden_ops.py   (from the repository root; numpy + scipy only)
"""Golden references for the preprocessing toolbox ops (filters in each direction, common
reference variants, whitening variants, phase shift, bad-channel detection), written as .npy
files to transforms/src/test/resources/golden/ops/. Each algorithm is written here from its
published definition (SpikeInterface / IBL / Kilosort, see ../shared/notes/domain.md) in plain
numpy/scipy, independently of the Java code. Deterministic (seeded numpy Generator).

Conventions shared with the Java code: blocks are sample-major (samples, channels); whitening
uses row vectors per sample, y_t = W x_t, i.e. Y = X @ W.T.
"""
import os

import numpy as np
import scipy.signal as ss

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "golden", "ops")
FS = 30000.0


def save(name, arr):
    np.save(os.path.join(OUT, name + ".npy"), np.ascontiguousarray(arr))


def save32(name, arr):
    """Large references are stored as float32: rounding 6e-8 relative, far below the tolerances."""
    save(name, np.asarray(arr, dtype=np.float32))


def butter(order, wn, btype, fs=FS):
    return ss.iirfilter(order, wn, btype=btype, ftype="butter", output="sos", fs=fs)


def np1_positions(n):
    """NP1.0 staggered layout: 20 um rows, even rows x = 27/59, odd rows x = 11/43 (SpikeGLX)."""
    xy = np.zeros((n, 2))
    for c in range(n):
        row = c // 2
        xs = (27.0, 59.0) if row % 2 == 0 else (11.0, 43.0)
        xy[c] = (xs[c % 2], 20.0 * row)
    return xy


def signal_block(rng, rows, cols):
    t = np.arange(rows)[:, None] / FS
    common = rng.standard_normal((rows, 1)) * 15  # shared "stripe" artifact
    x = (rng.standard_normal((rows, cols)) * np.linspace(5, 30, cols) + common
         + 40 * np.sin(2 * np.pi * 60 * t) + np.arange(cols) * 50.0)
    return x.astype(np.float32)


# --- reference definitions ---------------------------------------------------------------

def annulus(xy, inner, outer):
    d = np.linalg.norm(xy[:, None, :] - xy[None, :, :], axis=2)
    return [np.flatnonzero((d[c] > inner) & (d[c] <= outer)) for c in range(len(xy))]


def subset_reference(x, sets_of_channel, op):
    """x[:, c] - op(x[:, set(c)]) with numpy's float32 median / mean."""
    y = np.empty_like(x)
    for c, nb in enumerate(sets_of_channel):
        ref = np.median(x[:, nb], axis=1) if op == "median" else np.mean(x[:, nb].astype(np.float64), axis=1)
        y[:, c] = x[:, c] - ref.astype(np.float32)
    return y


def si_eps(data):
    m = float(np.median(data.astype(np.float64) ** 2))
    return max(1e-16, 1e-3 * m) if 0 < m < 1 else 1e-16


def zca(cov, eps):
    s, u = np.linalg.eigh(cov)
    s = np.clip(s, 0, None)
    return (u * (1.0 / np.sqrt(s + eps))) @ u.T


def local_w(cov, hoods, eps):
    """Row c of W is channel c's row of the ZCA of cov[hood, hood] (SpikeInterface mode='local')."""
    n = cov.shape[0]
    w = np.zeros((n, n))
    for c, hood in enumerate(hoods):
        wl = zca(cov[np.ix_(hood, hood)], eps)
        k = int(np.flatnonzero(hood == c)[0])
        w[c, hood] = wl[k]
    return w


def phase_shift(x, shifts, margin, n_total=None):
    """SpikeInterface's phase_shift on frames anchored at the recording: frame k reads
    [kB - M, (k+1)B + M) (zeros outside), tapers M samples at each end with (1 - cos(pi i / M)) / 2,
    rfft, multiplies by exp(-1j * 2 pi rfftfreq(L) * shift), irfft(n=L), keeps [kB, (k+1)B).
    L is the power of two >= 4M (Specus's choice of chunk; SpikeInterface's chunk_size = B)."""
    n = x.shape[0]
    length = 1 << int(np.ceil(np.log2(max(4 * margin, 8))))
    core = length - 2 * margin
    taper = (1 - np.cos(np.arange(margin) / margin * np.pi)) / 2
    rot = np.exp(-1j * 2 * np.pi * np.fft.rfftfreq(length)[:, None] * np.asarray(shifts)[None, :])
    y = np.empty(x.shape, dtype=np.float64)
    for k in range((n + core - 1) // core):
        lo, hi = k * core - margin, (k + 1) * core + margin
        frame = np.zeros((length, x.shape[1]))
        a, b = max(lo, 0), min(hi, n)
        frame[a - lo:b - lo] = x[a:b]
        frame[:margin] *= taper[:, None]
        frame[-margin:] *= taper[::-1, None]
        out = np.fft.irfft(np.fft.rfft(frame, axis=0) * rot, n=length, axis=0)
        c0, c1 = k * core, min((k + 1) * core, n)
        y[c0:c1] = out[c0 - lo:c1 - lo]
    return y


def ibl_detrend(v, k):
    tap = int(np.ceil(k / 2))
    padded = np.r_[np.zeros(tap) + v[0], v, np.zeros(tap) + v[-1]]
    return v - ss.medfilt(padded, k)[tap:-tap]


def ibl_bad_channels(raw, fs, psd_hf_threshold=0.02, dead=-0.5, noisy=1.0, outside=-0.75, n_neighbors=11,
                     nyquist=0.8, welch_ms=10.0):
    """IBL's coherence + PSD labels of one chunk (samples x channels, uV, depth order), as
    SpikeInterface's detect_bad_channels(method='coherence+psd') defines them; the top block of
    low far-coherence channels is marked as in IBL's original (even when it is the only block)."""
    raw = raw - raw.mean(axis=0)
    f, psd = ss.welch(raw, fs=fs, axis=0, window="hann", nperseg=int(welch_ms * fs / 1000))
    ref = np.median(raw, axis=1)
    xcorr = np.sum(raw * ref[:, None], axis=0) / np.sum(ref ** 2)
    near = ibl_detrend(xcorr, n_neighbors)
    far = xcorr - near - 1
    psd_hf = np.mean(psd[f > fs / 2 * nyquist, :], axis=0)
    labels = np.zeros(raw.shape[1], dtype=int)
    labels[near < dead] = 1
    labels[(psd_hf > psd_hf_threshold) | (near > noisy)] = 2
    out = np.flatnonzero(far < outside)
    if out.size and out[-1] == raw.shape[1] - 1:
        a = np.cumsum(np.r_[0, np.diff(out) - 1])
        labels[out[a == a.max()]] = 3
    return labels, xcorr, near, psd_hf


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20250101)

    # --- filters in each direction, whole array --------------------------------------------
    x = signal_block(rng, 3000, 12)
    save("x", x)
    x64 = x.astype(np.float64)
    save32("hp3_forward", ss.sosfilt(butter(3, 300, "highpass"), x64, axis=0))
    save32("bp5_backward", ss.sosfilt(butter(5, [300, 6000], "bandpass"), x64[::-1], axis=0)[::-1])
    save32("hp5_filtfilt", ss.sosfiltfilt(butter(5, 300, "highpass"), x64, axis=0))
    save32("bp3_forward", ss.sosfilt(butter(3, [300, 6000], "bandpass"), x64, axis=0))

    # --- common reference variants -----------------------------------------------------------
    xy = np1_positions(12)
    groups = np.array([0] * 5 + [1] * 7)
    save("xy", xy)
    save("groups", groups.astype(np.float64))
    r = x[:1000]
    save("cmr_group_median", subset_reference(r, [np.flatnonzero(groups == g) for g in groups], "median"))
    save("cmr_group_average", subset_reference(r, [np.flatnonzero(groups == g) for g in groups], "average"))
    save("cmr_local_median", subset_reference(r, annulus(xy, 30, 55), "median"))
    save("cmr_local_average", subset_reference(r, annulus(xy, 30, 55), "average"))
    save("cmr_channels_median", subset_reference(r, [np.array([0, 3, 5])] * 12, "median"))

    # --- whitening variants: from the highpassed block, no mean / with mean -------------------
    z = ss.sosfiltfilt(butter(3, 300, "highpass"), x64, axis=0).astype(np.float32) * 0.01
    save("wz", z)
    z64 = z.astype(np.float64)
    cov = z64.T @ z64 / z.shape[0]
    eps = si_eps(z)
    save("w_eps", np.array([eps]))
    d = np.linalg.norm(xy[:, None, :] - xy[None, :, :], axis=2)
    radius_hoods = [np.flatnonzero(d[c] <= 50.0) for c in range(12)]
    save("w_local_r50", local_w(cov, radius_hoods, eps))
    nearest_hoods = [np.lexsort((np.arange(12), d[c]))[:4] for c in range(12)]  # ties by index
    save("w_local_k4", local_w(cov, nearest_hoods, eps))
    zoff = (z64 + np.linspace(-0.5, 0.5, 12)).astype(np.float32)  # offsets that mean removal takes out
    save("wz_offset", zoff)
    mu = np.mean(zoff.astype(np.float64), axis=0).astype(np.float32)
    zc = (zoff - mu).astype(np.float64)
    save("w_mean_mu", mu)
    save("w_mean_eps", np.array([si_eps(zoff - mu)]))
    save("w_mean_w", zca(zc.T @ zc / zc.shape[0], si_eps(zoff - mu)))

    # --- phase shift: NP1.0 AP delays (slot / 13), 2.5 kHz so that 40 ms margins give many frames
    shifts = np.array([(c % 24) // 2 / 13.0 for c in range(12)])
    save("ps_shifts", shifts)
    margin = int(40 * 2500.0 / 1000)  # SpikeInterface: int(margin_ms * fs / 1000)
    save32("ps_y", phase_shift(x64, shifts, margin))

    # --- bad channels: a 0.1 s chunk, 32 channels in uV with a dead, a noisy and 4 outside ----
    n, nc = 3000, 32
    common = ss.sosfiltfilt(butter(3, [300, 3000], "bandpass"), rng.standard_normal(n)) * 60
    chunk = common[:, None] + rng.standard_normal((n, nc)) * 5
    chunk[:, 5] = rng.standard_normal(n) * 0.5              # dead: no shared signal, tiny noise
    chunk[:, 12] += rng.standard_normal(n) * 100            # noisy: broadband power above 12 kHz
    chunk[:, 28:] = rng.standard_normal((n, 4)) * 20        # outside the brain: the top 4 share nothing
    chunk = chunk.astype(np.float32)
    labels, xcorr, near, psd_hf = ibl_bad_channels(chunk.astype(np.float64), FS)
    save("bc_x", chunk)
    save("bc_labels", labels.astype(np.float64))
    save("bc_xcorr", xcorr)
    save("bc_near", near)
    save("bc_psd_hf", psd_hf)
    print("bad-channel golden labels:", labels.tolist())

    # --- acting on bad channels 3 (dead) and 7 (noise) of the 12-channel block ------------------
    bad = np.zeros(12, dtype=bool)
    bad[[3, 7]] = True
    d = np.linalg.norm(xy[:, None, :] - xy[None, :, :], axis=2)
    w = np.exp(-((d[np.ix_(~bad, bad)] / 20.0) ** 1.3))  # kriging from the good channels
    w[w < 0.005] = 0
    w /= w.sum(axis=0)[None, :]
    interp = r.astype(np.float64).copy()
    interp[:, bad] = r[:, ~bad].astype(np.float64) @ w
    save32("bc_interpolated", interp)
    excl = r.copy()
    excl[:, bad] = 0
    excl[:, ~bad] -= np.median(r[:, ~bad], axis=1, keepdims=True)
    save("bc_excluded_cmr", excl)


if __name__ == "__main__":
    main()
