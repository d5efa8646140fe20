package org.specus.dsp;

/**
 * numpy's median of one row after another (the rows of a sample-major block, or the values of one
 * reference set at successive samples), using how little the median moves from sample to sample.
 * One instance follows one stream of rows; it is not thread-safe.
 *
 * <p><b>Result.</b> Exactly {@link CommonReference#median}: the middle value (odd count) or
 * {@code (a + b) / 2} in float32 of the two middle values (even count), NaN if a value is NaN,
 * {@code +0} if zero. Order statistics are unique values whatever algorithm finds them, except for
 * the sign of a zero ({@code -0 == +0}), which numpy's rule ({@code +0}) settles: so the result
 * depends on the row alone, not on the rows before it, the path taken, or the JVM's flags.
 *
 * <p><b>Plain path.</b> Without the vector module ({@link Simd}), or for fewer than
 * {@value #MIN_TRACKED} values (or more than {@value #MAX_TRACKED}), every row goes through
 * quickselect on a copy.
 *
 * <p><b>Vector path</b> ({@link RowMediansVector}), per row of n values, needing the ranks
 * r0 = ⌈n/2⌉−1 and r1 = ⌊n/2⌋ (equal for odd n):
 * <ol>
 *   <li><i>Predict.</i> The mean of the row clamped to the previous median ± {@code clip}
 *       (a winsorised mean: a few wild channels move it by at most clip/n each) plus a running
 *       offset (median − that mean). After the bandpass, this lands within a few ranks of the
 *       median, where the previous median alone is typically 50 ranks off on a tile with common
 *       noise.
 *   <li><i>Bracket.</i> A pass counts the values below four pivots at once (p ± 0.7s, p ± 2s,
 *       s = running mean |median − p|). Pivots with count ≤ r0 raise {@code lo}, those with count
 *       &gt; r1 lower {@code hi}; then both middle values lie in [lo, hi), and the pivot counts say
 *       how many values lie below lo (cl) and below hi (ch). For even n, a pivot with exactly r1
 *       values below it splits the two middle values and ends the search. Up to {@value
 *       #MAX_PASSES} passes; later pivots are interpolated inside [lo, hi) around the wanted ranks
 *       (or stepped out by 1, 2, 4, 8 s when one end is still open). Usually 2 passes.
 *   <li><i>Extract.</i> One pass finds the two smallest values ≥ lo and the two largest &lt; hi;
 *       with ch − cl ≤ 4 (or all values in the bracket equal: ties) those hold x(r0) and x(r1).
 *   <li><i>Otherwise</i> (prediction far off, many ties, NaN row): quickselect, as the plain path.
 * </ol>
 * Passes are exact integer counts and whole values, so the outcome never depends on rounding; the
 * running estimates only decide how fast it is. On the benchmark tile (bandpassed noise with a
 * common signal, 30000 × 384) about 2 counting passes per row and fewer than 1 row in 250 falling
 * back: 15 ms instead of quickselect's 53 ms of thread CPU, measured side by side on one core of
 * the (shared, busy) 2-core benchmark machine, of which ~3.5 ms is streaming the tile through
 * memory (bench/ KernelTimes and KernelBenchmarks). Four shanks of 96 channels: 28 ms instead of
 * 90 ms. Start-up: until C2 has compiled the kernels (the first ~15000 rows a JVM sees), the
 * Vector API runs boxed and a row costs ~25 µs: about 0.4 s of CPU once per JVM and thread that
 * gets there first, paid in the whitening statistics pass (where it cancels this kernel's gain;
 * quickselect has no such cost). Warming the kernels up on small synthetic rows was tried: it
 * costs as much as it saves.
 *
 * <p><b>Keys.</b> Extraction works on the usual order-preserving int image of a float
 * ({@link #key}: flip the magnitude bits of negatives), whose signed order is
 * {@link Float#compare}'s. Distances {@code key − key(lo)} are computed in 32-bit arithmetic: a
 * value within 2³¹ keys of the bracket's end gets its exact distance; one further away gets a
 * wrapped distance that either looks negative (excluded) or larger than any true one, so it can
 * never pass for one of the values wanted; at worst the search reports nothing and the row falls
 * back (only with values spanning ~40 orders of magnitude).
 */
final class RowMedians {
  /** Fewer values than this go straight to quickselect: the passes cost more than they save. */
  static final int MIN_TRACKED = 32;
  /** The counting pass packs two counts in an int: rows longer than this use quickselect. */
  static final int MAX_TRACKED = 65535;

  private static final int MAX_PASSES = 3;
  /** First-pass pivots at p ± {NEAR, FAR} · spread. */
  private static final float FIRST_NEAR = 0.7f;
  private static final float FIRST_FAR = 2f;
  /** Later pivots at the interpolated positions of ranks tau ± {NEAR, FAR}. */
  private static final float NEXT_NEAR = 1f;
  private static final float NEXT_FAR = 2f;

  private final boolean vector;
  private final float[] scratch;
  private final int[] counts = new int[4];
  private final int[] ends;

  private float centre = Float.NaN; // previous median; NaN until the first finite one
  private float offset;             // running median − clamped mean
  private float spread;             // running |median − prediction|
  private float clip;               // ~3 standard deviations of a row

  /** Rows seen by the vector path, counting passes made, and rows that went to quickselect. */
  long rows;
  long passes;
  long exact;

  /**
   * @param maxValues the most values a row will have
   * @param vector the vector path (needs the vector module); false for the plain path
   */
  RowMedians(int maxValues, boolean vector) {
    this.vector = vector;
    this.scratch = new float[Math.max(maxValues, 1)];
    // RowMediansVector is only touched when the vector path is on (the module may be absent)
    this.ends = vector ? new int[RowMediansVector.EXTREMES_SIZE] : null;
  }

  /** For the kernels' choice: the vector path when the JVM has the module. */
  RowMedians(int maxValues) {
    this(maxValues, Simd.ENABLED);
  }

  /** numpy's median of {@code x[off..off+n)}; {@code x} is not modified. */
  float median(float[] x, int off, int n) {
    if (!vector || n < MIN_TRACKED || n > MAX_TRACKED) {
      return exact(x, off, n);
    }
    final float c = centre;
    if (!(c - c == 0f)) {
      return start(x, off, n);
    }
    rows++;
    final int r1 = n >>> 1;
    final int r0 = (n & 1) == 1 ? r1 : r1 - 1;
    final float wm = RowMediansVector.clampedSum(x, off, n, c - clip, c + clip) / n;
    if (wm != wm) { // a NaN in the row (or +inf and -inf with an infinite clip): quickselect decides
      exact++;
      return exact(x, off, n);
    }
    final float p = wm + offset;
    final float s = spread;
    float lo = Float.NEGATIVE_INFINITY;
    float hi = Float.POSITIVE_INFINITY;
    int cl = 0;
    int ch = n;
    float q0 = p - FIRST_FAR * s;
    float q1 = p - FIRST_NEAR * s;
    float q2 = p + FIRST_NEAR * s;
    float q3 = p + FIRST_FAR * s;
    final float tau = 0.5f * (r0 + r1 + 1); // rank position of the gap(s) next to the middle
    for (int pass = 1; ; pass++) {
      passes++;
      q0 = pivot(q0);
      q1 = pivot(q1);
      q2 = pivot(q2);
      q3 = pivot(q3);
      RowMediansVector.countBelow4(x, off, n, q0, q1, q2, q3, counts);
      final int clBefore = cl;
      final int chBefore = ch;
      boolean split = false;
      for (int k = 0; k < 4; k++) {
        final float q = k == 0 ? q0 : k == 1 ? q1 : k == 2 ? q2 : q3;
        final int below = counts[k];
        if (below <= r0) {
          if (q > lo) {
            lo = q;
            cl = below;
          }
        } else if (below > r1) {
          if (q < hi) {
            hi = q;
            ch = below;
          }
        } else if (r0 != r1) { // exactly r1 values below q: x(r0) < q <= x(r1)
          lo = q;
          hi = q;
          cl = below;
          ch = below;
          split = true;
          break;
        }
      }
      if (split || ch - cl <= 4 || pass == MAX_PASSES) {
        break;
      }
      if (cl == clBefore && ch == chBefore && lo > Float.NEGATIVE_INFINITY
          && hi < Float.POSITIVE_INFINITY) {
        break; // the pivots fell among equal values (ties): extraction may still settle it
      }
      if (lo == Float.NEGATIVE_INFINITY) {
        q0 = hi - 8 * s;
        q1 = hi - 4 * s;
        q2 = hi - 2 * s;
        q3 = hi - s;
      } else if (hi == Float.POSITIVE_INFINITY) {
        q0 = lo + s;
        q1 = lo + 2 * s;
        q2 = lo + 4 * s;
        q3 = lo + 8 * s;
      } else {
        // values in [lo, hi) taken as evenly spaced: rank cl + u sits near lo + (u + 1/2)·step
        final float step = (hi - lo) / (ch - cl);
        final float u = tau - cl;
        q0 = lo + (u - NEXT_FAR) * step;
        q1 = lo + (u - NEXT_NEAR) * step;
        q2 = lo + (u + NEXT_NEAR) * step;
        q3 = lo + (u + NEXT_FAR) * step;
      }
    }
    float med = extract(x, off, n, r0, r1, lo, hi, cl, ch);
    if (med != med) {
      exact++;
      med = exact(x, off, n); // not NaN: the row has none
    }
    // Running estimates (only speed depends on them), from finite medians only. The bracket's
    // density gives the clip: for a normal row, 3 standard deviations ≈ 1.2 · n / (values per
    // unit at the median).
    if (med - med == 0f) {
      final float o = 0.7f * offset + 0.3f * (med - wm);
      final float sp = Math.max(0.8f * spread + 0.2f * Math.abs(med - p), 4 * Math.ulp(med));
      final float width = hi - lo;
      final float cp = ch > cl && width - width == 0f
          ? 0.9f * clip + 0.1f * (1.2f * n * width / (ch - cl)) : clip;
      if (o - o == 0f && sp - sp == 0f && cp - cp == 0f) {
        offset = o;
        spread = sp;
        clip = cp;
        centre = med;
      } else {
        centre = Float.NaN; // overflowed: start afresh on the next row
      }
    }
    return med;
  }

  /** A pivot the counting pass can take: finite and not +0 (see RowMediansVector). */
  private static float pivot(float q) {
    if (q - q == 0f) {
      return q == 0f ? -0f : q;
    }
    return q > 0f ? Float.MAX_VALUE : -Float.MAX_VALUE; // NaN too: any finite pivot counts truly
  }

  /**
   * The median from the bracket [lo, hi) with cl values below lo and ch below hi, or NaN if the
   * values found do not settle it. For the split (lo == hi, cl == ch == r1) the two searches give
   * the largest value below the pivot and the smallest at or above it.
   *
   * <p>The searches order values by key, which puts {@code -0} before {@code +0}; they agree with
   * the counts' float comparisons because no pivot is {@code +0} (a {@code -0} bound puts both
   * zeros on the same side under either order).
   */
  private float extract(float[] x, int off, int n, int r0, int r1, float lo, float hi, int cl,
      int ch) {
    final int klo = key(lo); // lo = -inf: every value qualifies
    final int khi = hi == Float.POSITIVE_INFINITY ? key(hi) : key(hi) - 1; // below hi
    RowMediansVector.extremes(x, off, n, klo, khi, ends);
    final float lower = orderStatistic(r0, cl, ch, klo, khi);
    final float upper = r0 == r1 ? lower : orderStatistic(r1, cl, ch, klo, khi);
    return (r0 == r1 ? lower : (lower + upper) / 2f) + 0f; // NaN if either is unknown; +0, not -0
  }

  /** x(k) for cl <= k < ch from the values found by {@link RowMediansVector#extremes}, or NaN. */
  private float orderStatistic(int k, int cl, int ch, int klo, int khi) {
    final int none = Integer.MAX_VALUE;
    final int b1 = ends[0];
    final int b2 = ends[1];
    final int t1 = ends[2];
    final int t2 = ends[3];
    if (k == cl) {
      return b1 == none ? Float.NaN : fromKey(klo + b1);
    }
    if (k == cl + 1) {
      return b2 == none ? Float.NaN : fromKey(klo + b2);
    }
    if (k == ch - 1) {
      return t1 == none ? Float.NaN : fromKey(khi - t1);
    }
    if (k == ch - 2) {
      return t2 == none ? Float.NaN : fromKey(khi - t2);
    }
    if (b1 != none && t1 != none && klo + b1 == khi - t1) {
      return fromKey(klo + b1); // smallest and largest in the bracket are equal: so is x(k)
    }
    return Float.NaN;
  }

  private float exact(float[] x, int off, int n) {
    System.arraycopy(x, off, scratch, 0, n);
    return CommonReference.median(scratch, n);
  }

  /** The first row (or the first after non-finite medians): quickselect, then the estimates. */
  private float start(float[] x, int off, int n) {
    exact++;
    final float med = exact(x, off, n);
    if (!(med - med == 0f)) {
      return med;
    }
    // scratch is partitioned around the middle: quartiles by selecting in each half
    final int k = n >>> 1;
    final float q1 = CommonReference.select(scratch, k, k >>> 1);
    final float q3 = CommonReference.select(java.util.Arrays.copyOfRange(scratch, k, n), n - k,
        (n - k) >>> 1);
    final float sigma = (q3 - q1) / 1.349f;
    centre = med;
    offset = 0f;
    clip = sigma - sigma == 0f ? 3f * sigma : 0f;
    spread = Math.max(sigma - sigma == 0f ? 0.1f * sigma : 0f, 4 * Math.ulp(med));
    return med;
  }

  /** Order-preserving int image of a float: signed order = {@link Float#compare}'s. */
  static int key(float v) {
    final int b = Float.floatToRawIntBits(v);
    return b ^ ((b >> 31) >>> 1);
  }

  static float fromKey(int k) {
    return Float.intBitsToFloat(k ^ ((k >> 31) >>> 1));
  }

  /** A 32-bit key difference as a distance: negative (not on the searched side) becomes MAX. */
  static int distance(int d) {
    return (d | (d >> 31)) & Integer.MAX_VALUE;
  }
}
