package org.specus.dsp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RowMedians}' three passes over a row with {@code jdk.incubator.vector}; each is exact
 * (integer counts and whole values), so their results do not depend on the vector width.
 *
 * <p>Written for JDK 17's Vector API, where a few patterns decide between machine code and
 * boxed vectors (~40× slower, allocating):
 * <ul>
 *   <li>One shape per element type (the preferred one), as everywhere in Specus (see
 *       {@link SosFilterVector}). The int vectors here have the float vectors' shape.
 *   <li>A loop-carried vector starts from a vector made in the method ({@code zero},
 *       {@code broadcast}), never from a {@code static final} vector: with a constant box as the
 *       loop phi's input C2 keeps every iteration's vector boxed (measured: 4.6 KB allocated per
 *       384-channel row).
 *   <li>Counting uses no masks: {@code VectorMask.trueCount} per vector costs ~3× the arithmetic
 *       below, and a masked add is a blend in JDK 17. The count of {@code v < p} is the sum of the
 *       sign bits of {@code v - p} (see {@link #countBelow4}).
 *   <li>{@code VectorMask.toLong} is not an intrinsic in JDK 17 (about 1 µs per row), so nothing
 *       here turns masks into bits.
 *   <li>The order of compilation matters as well: with C2's call-count thresholds raised 30×,
 *       {@link #extremes} was compiled with its four loop vectors boxed (the stores after the loop
 *       failed as intrinsics; ~11 MB of {@code int[]} per tile), with 10× ({@code ./specus}) or
 *       the JVM's defaults it allocates nothing. A JFR allocation profile of a run shows it.
 * </ul>
 */
final class RowMediansVector {
  private RowMediansVector() {}

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;

  /** Length of {@link #extremes}'s {@code out}: four results and four int vectors of scratch. */
  static final int EXTREMES_SIZE = 4 + 4 * I.length();
  private static final int L = F.length();

  /** Σ clamp(x[i], lo, hi) over {@code x[off..off+n)} in float; NaN if a value is NaN. */
  static float clampedSum(float[] x, int off, int n, float lo, float hi) {
    final FloatVector vl = FloatVector.broadcast(F, lo);
    final FloatVector vh = FloatVector.broadcast(F, hi);
    FloatVector s = FloatVector.zero(F);
    int i = 0;
    for (; i + L <= n; i += L) {
      FloatVector v = FloatVector.fromArray(F, x, off + i);
      // blends, not min/max: Java's min/max semantics (NaN, -0) cost extra instructions, and a
      // NaN must survive into the sum anyway (it is how the caller detects NaN rows)
      v = v.blend(vl, v.compare(VectorOperators.LT, vl));
      v = v.blend(vh, v.compare(VectorOperators.GT, vh));
      s = s.add(v);
    }
    float r = s.reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      final float v = x[off + i];
      r += v < lo ? lo : (v > hi ? hi : v);
    }
    return r;
  }

  /**
   * Counts the values below each of four pivots into {@code out[0..4)}. The pivots must be finite
   * and not {@code +0}, the values not NaN (the caller sees to both): then {@code v - p} is never
   * NaN and never zero for {@code v != p} (gradual underflow), so its sign bit is set exactly when
   * {@code v < p} (for {@code v = -0, p = +0} it would be set too: hence no {@code +0} pivots;
   * {@code -0} counts the same). An infinite pivot would not do: x86 makes {@code inf - inf} a NaN
   * with its sign bit set. At most 65535 values.
   */
  static void countBelow4(float[] x, int off, int n, float q0, float q1, float q2, float q3,
      int[] out) {
    final FloatVector p0 = FloatVector.broadcast(F, q0);
    final FloatVector p1 = FloatVector.broadcast(F, q1);
    final FloatVector p2 = FloatVector.broadcast(F, q2);
    final FloatVector p3 = FloatVector.broadcast(F, q3);
    IntVector c0 = IntVector.zero(I);
    IntVector c1 = IntVector.zero(I);
    IntVector c2 = IntVector.zero(I);
    IntVector c3 = IntVector.zero(I);
    int i = 0;
    for (; i + L <= n; i += L) {
      final FloatVector v = FloatVector.fromArray(F, x, off + i);
      c0 = c0.add(v.sub(p0).reinterpretAsInts().lanewise(VectorOperators.LSHR, 31));
      c1 = c1.add(v.sub(p1).reinterpretAsInts().lanewise(VectorOperators.LSHR, 31));
      c2 = c2.add(v.sub(p2).reinterpretAsInts().lanewise(VectorOperators.LSHR, 31));
      c3 = c3.add(v.sub(p3).reinterpretAsInts().lanewise(VectorOperators.LSHR, 31));
    }
    // two counts per reduction, in 16-bit halves (each count is at most n < 2^16, see the caller)
    final int ab = c0.add(c1.lanewise(VectorOperators.LSHL, 16)).reduceLanes(VectorOperators.ADD);
    final int cd = c2.add(c3.lanewise(VectorOperators.LSHL, 16)).reduceLanes(VectorOperators.ADD);
    int a = ab & 0xffff;
    int b = ab >>> 16;
    int c = cd & 0xffff;
    int d = cd >>> 16;
    for (; i < n; i++) {
      final float v = x[off + i];
      a += v < q0 ? 1 : 0;
      b += v < q1 ? 1 : 0;
      c += v < q2 ? 1 : 0;
      d += v < q3 ? 1 : 0;
    }
    out[0] = a;
    out[1] = b;
    out[2] = c;
    out[3] = d;
  }

  /**
   * The two smallest keys at or above {@code klo} and the two largest at or below {@code khi}, as
   * distances ({@code out = {k1 - klo, k2 - klo, khi - k1', khi - k2'}}, {@link Integer#MAX_VALUE}
   * when absent); see {@link RowMedians#extract} for why int distances are exact here. Elements
   * from 4 on are scratch: {@code out} must hold {@link #EXTREMES_SIZE} ints.
   */
  static void extremes(float[] x, int off, int n, int klo, int khi, int[] out) {
    final IntVector vlo = IntVector.broadcast(I, klo);
    final IntVector vhi = IntVector.broadcast(I, khi);
    final IntVector max = IntVector.broadcast(I, Integer.MAX_VALUE);
    IntVector b1 = IntVector.broadcast(I, Integer.MAX_VALUE);
    IntVector b2 = IntVector.broadcast(I, Integer.MAX_VALUE);
    IntVector t1 = IntVector.broadcast(I, Integer.MAX_VALUE);
    IntVector t2 = IntVector.broadcast(I, Integer.MAX_VALUE);
    int i = 0;
    for (; i + L <= n; i += L) {
      final IntVector bits = FloatVector.fromArray(F, x, off + i).reinterpretAsInts();
      final IntVector k = bits.lanewise(VectorOperators.XOR,
          bits.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.LSHR, 1));
      IntVector d = k.sub(vlo);
      d = d.lanewise(VectorOperators.OR, d.lanewise(VectorOperators.ASHR, 31)).and(max);
      b2 = b2.min(b1.max(d));
      b1 = b1.min(d);
      IntVector e = vhi.sub(k);
      e = e.lanewise(VectorOperators.OR, e.lanewise(VectorOperators.ASHR, 31)).and(max);
      t2 = t2.min(t1.max(e));
      t1 = t1.min(e);
    }
    // Across lanes, in scalar code: the two smallest of all b1 and b2 lanes (each lane's b2 is at
    // least its b1, so b1 goes first). Plain loops on purpose: the mask operations used here
    // before, with a branch on a rarely true lane count, made C2 deoptimise and recompile the
    // kernel in the middle of a run (seen in JFR), and each recompilation of a Vector API kernel is
    // another chance of JDK 17's C2 leaving it slow.
    b1.intoArray(out, 4);
    b2.intoArray(out, 4 + L);
    t1.intoArray(out, 4 + 2 * L);
    t2.intoArray(out, 4 + 3 * L);
    int s1 = Integer.MAX_VALUE;
    int s2 = Integer.MAX_VALUE;
    int u1 = Integer.MAX_VALUE;
    int u2 = Integer.MAX_VALUE;
    for (int l = 4; l < 4 + L; l++) {
      final int d = out[l];
      s2 = Math.min(s2, Math.max(s1, d));
      s1 = Math.min(s1, d);
      s2 = Math.min(s2, out[l + L]);
      final int e = out[l + 2 * L];
      u2 = Math.min(u2, Math.max(u1, e));
      u1 = Math.min(u1, e);
      u2 = Math.min(u2, out[l + 3 * L]);
    }
    for (; i < n; i++) {
      final int k = RowMedians.key(x[off + i]);
      final int d = RowMedians.distance(k - klo);
      if (d < s1) {
        s2 = s1;
        s1 = d;
      } else if (d < s2) {
        s2 = d;
      }
      final int e = RowMedians.distance(khi - k);
      if (e < u1) {
        u2 = u1;
        u1 = e;
      } else if (e < u2) {
        u2 = e;
      }
    }
    out[0] = s1;
    out[1] = s2;
    out[2] = u1;
    out[3] = u2;
  }
}
