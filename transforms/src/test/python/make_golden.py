# Regenerate with: python3 transforms/src/test/python/make_golden.py   (from the repository root; numpy + scipy only)
"""Golden reference files for the Java DSP kernels (org.specus.dsp), written as .npy files to
transforms/src/test/resources/golden/. numpy/scipy are the independent reference; the Java tests
read these with a tiny .npy reader. Everything is deterministic (seeded numpy Generator).

Conventions shared with the Java code:
  * blocks are sample-major: shape (samples, channels)
  * whitening uses row vectors per sample: y_t = W x_t, i.e. Y = X @ W.T
"""
import os

import numpy as np
import scipy.signal as ss

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "golden")


def save(name, arr):
    np.save(os.path.join(OUT, name + ".npy"), np.ascontiguousarray(arr))


def butter(order, wn, btype, fs):
    return ss.iirfilter(order, wn, btype=btype, ftype="butter", output="sos", fs=fs)


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20240611)

    # --- Butterworth SOS designs -----------------------------------------------------------
    save("sos_bp5_300_6000_fs30000", butter(5, [300, 6000], "bandpass", 30000.0))
    save("sos_bp5_300_6000_fs29999.757983", butter(5, [300, 6000], "bandpass", 29999.757983))
    save("sos_hp3_300_fs30000", butter(3, 300, "highpass", 30000.0))
    save("sos_hp5_300_fs30000", butter(5, 300, "highpass", 30000.0))
    save("sos_lp5_6000_fs30000", butter(5, 6000, "lowpass", 30000.0))
    save("sos_lp4_1000_fs2500", butter(4, 1000, "lowpass", 2500.0))
    save("sos_bp2_1_1200_fs2500", butter(2, [1, 1200], "bandpass", 2500.0))

    # --- sosfiltfilt on a 2000 x 8 float32 block ---------------------------------------------
    # Channels get different offsets and scales so the edge handling (odd padding, zi * edge
    # value) is exercised; scipy computes in float64 from the float32 input.
    x = (rng.standard_normal((2000, 8)) * np.linspace(5, 50, 8) + np.arange(8) * 100.0)
    x = x.astype(np.float32)
    save("filt_x", x)
    bp = butter(5, [300, 6000], "bandpass", 30000.0)
    hp = butter(3, 300, "highpass", 30000.0)
    save("filt_bp5_y", ss.sosfiltfilt(bp, x, axis=0))
    save("filt_hp3_y", ss.sosfiltfilt(hp, x, axis=0))
    save("filt_bp5_forward_y", ss.sosfilt(bp, x, axis=0)[:400])  # first 400 rows keep the file small

    # --- common median reference -------------------------------------------------------------
    for cols in (7, 8):
        m = rng.standard_normal((500, cols)).astype(np.float32) * 20
        m[::7, :] = np.round(m[::7, :])  # some rows with ties
        save(f"cmr_x_{cols}", m)
        save(f"cmr_y_{cols}", m - np.median(m, axis=1, keepdims=True))

    # --- ZCA whitening -----------------------------------------------------------------------
    n, c = 3000, 16
    mix = rng.standard_normal((c, c)) * 0.3 + np.eye(c)
    z = (rng.standard_normal((n, c)) @ mix.T) * 0.05  # correlated, median(x^2) < 1
    z = z.astype(np.float32)
    z64 = z.astype(np.float64)
    cov = z64.T @ z64 / n
    med_sq = float(np.median(z64 ** 2))
    eps = max(1e-16, 1e-3 * med_sq) if 0 < med_sq < 1 else 1e-16
    s, u = np.linalg.eigh(cov)
    s = np.clip(s, 0, None)
    w = (u * (1.0 / np.sqrt(s + eps))) @ u.T
    save("zca_x", z)
    save("zca_cov", cov)
    save("zca_median_sq", np.array([med_sq]))
    save("zca_eps", np.array([eps]))
    save("zca_w", w)
    # Whitened output for the first 500 samples, from the float32 W the Java kernel uses,
    # evaluated in float64: Y = X @ W.T (row vectors, y_t = W x_t).
    w32 = w.astype(np.float32)
    save("zca_y", z64[:500] @ w32.astype(np.float64).T)

    tracked_median_cases()


def tracked_median_cases():
    """Rows for the median tracker (org.specus.dsp.RowMedians): bandpassed noise with a common
    signal, so each median is near the previous one, interrupted by every kind of row that must
    leave the fast path or stress it. Own generator, so the files above do not change."""
    rng = np.random.default_rng(20250214)
    rows = 250
    bp = butter(5, [300, 6000], "bandpass", 30000.0)
    for cols in (384, 385):
        common = rng.standard_normal((rows + 400, 1)) * 20
        x = ss.sosfiltfilt(bp, rng.standard_normal((rows + 400, cols)) * 30 + common, axis=0)
        x = x[200:200 + rows].astype(np.float32)
        sd = float(np.std(x))
        x[120:150] += np.float32(10 * sd)  # a step in the common signal: the brackets miss
        x[150:160] -= np.float32(25 * sd)
        x[160, 7] = np.nan  # NaN rows: one channel, then all
        x[161, :] = np.nan
        x[162, ::3] = np.nan
        x[165:170, :] = 3.0  # constant rows
        x[170:175, :] = 0.0  # zero rows (all +0)
        x[175:200] = np.round(x[175:200] / 4)  # integer values: ties at the middle
        x[200:205, :cols // 2 + 3] = 1.5  # ties spanning both middle ranks
        x[205:210, 0] = np.inf  # infinities away from the middle
        x[205:210, 1] = -np.inf
        x[210, :cols // 2 + 2] = np.inf  # the median itself infinite
        x[211, :] = np.where(np.arange(cols) % 2 == 0, np.float32(1e-30), np.float32(3e30))  # ~60 orders of magnitude
        x[212, : cols // 2] = -np.float32(1e30)
        x = x.astype(np.float32)
        save(f"cmr_track_x_{cols}", x)
        save(f"cmr_track_median_{cols}", np.median(x, axis=1).astype(np.float32))
        # groups of 128 / 128 / 128(+1) interleaved channels, each its own median
        groups = np.arange(cols) % 3
        med = np.stack([np.median(x[:, groups == g], axis=1) for g in range(3)], axis=1)
        save(f"cmr_track_group_median_{cols}", med.astype(np.float32))
        # shanks: three runs of consecutive channels (read in place, not gathered)
        shank = np.minimum(np.arange(cols) // 128, 2)
        med = np.stack([np.median(x[:, shank == g], axis=1) for g in range(3)], axis=1)
        save(f"cmr_track_shank_median_{cols}", med.astype(np.float32))


if __name__ == "__main__":
    main()
