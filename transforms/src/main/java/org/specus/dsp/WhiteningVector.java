package org.specus.dsp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Whitening}'s product with {@code jdk.incubator.vector}: {@code out = in · Wᵀ} from the
 * transposed matrix {@code wt} ({@code wt[j * cols + i] = W[i][j]}).
 *
 * <p>Register blocking: {@value #ROWS} samples × 4 vectors of output channels are accumulated in
 * 16 vector registers while j runs over every input channel, each step loading 4 vectors of row j
 * of Wᵀ and broadcasting one input value per sample. Each accumulator lane is exactly the
 * contract's chain {@code y = fma(x[j], W[i][j], y)}, j ascending from +0, so the result is
 * bit-identical to the plain loops. Channels that do not fill a vector are done one by one with
 * the same chain.
 */
final class WhiteningVector {
  private WhiteningVector() {}

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int ROWS = 4;

  static void apply(float[] in, int rows, int cols, float[] wt, float[] out) {
    final int vecEnd = cols - cols % L;
    int t = 0;
    for (; t + ROWS <= rows; t += ROWS) {
      int i = 0;
      for (; i + 4 * L <= vecEnd; i += 4 * L) {
        block4x4(in, t, cols, wt, out, i);
      }
      for (; i < vecEnd; i += L) {
        for (int r = 0; r < ROWS; r++) {
          block1x1(in, t + r, cols, wt, out, i);
        }
      }
      for (int r = 0; r < ROWS; r++) {
        tail(in, t + r, cols, wt, out, vecEnd);
      }
    }
    for (; t < rows; t++) {
      for (int i = 0; i < vecEnd; i += L) {
        block1x1(in, t, cols, wt, out, i);
      }
      tail(in, t, cols, wt, out, vecEnd);
    }
  }

  /** Rows t..t+3, output channels i..i+4L. */
  private static void block4x4(float[] in, int t, int cols, float[] wt, float[] out, int i) {
    FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
    FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
    FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
    FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
    final int r0 = t * cols;
    final int r1 = r0 + cols;
    final int r2 = r1 + cols;
    final int r3 = r2 + cols;
    for (int j = 0; j < cols; j++) {
      final int wo = j * cols + i;
      final FloatVector w0 = FloatVector.fromArray(S, wt, wo);
      final FloatVector w1 = FloatVector.fromArray(S, wt, wo + L);
      final FloatVector w2 = FloatVector.fromArray(S, wt, wo + 2 * L);
      final FloatVector w3 = FloatVector.fromArray(S, wt, wo + 3 * L);
      FloatVector x = FloatVector.broadcast(S, in[r0 + j]);
      c00 = x.fma(w0, c00);
      c01 = x.fma(w1, c01);
      c02 = x.fma(w2, c02);
      c03 = x.fma(w3, c03);
      x = FloatVector.broadcast(S, in[r1 + j]);
      c10 = x.fma(w0, c10);
      c11 = x.fma(w1, c11);
      c12 = x.fma(w2, c12);
      c13 = x.fma(w3, c13);
      x = FloatVector.broadcast(S, in[r2 + j]);
      c20 = x.fma(w0, c20);
      c21 = x.fma(w1, c21);
      c22 = x.fma(w2, c22);
      c23 = x.fma(w3, c23);
      x = FloatVector.broadcast(S, in[r3 + j]);
      c30 = x.fma(w0, c30);
      c31 = x.fma(w1, c31);
      c32 = x.fma(w2, c32);
      c33 = x.fma(w3, c33);
    }
    c00.intoArray(out, r0 + i);
    c01.intoArray(out, r0 + i + L);
    c02.intoArray(out, r0 + i + 2 * L);
    c03.intoArray(out, r0 + i + 3 * L);
    c10.intoArray(out, r1 + i);
    c11.intoArray(out, r1 + i + L);
    c12.intoArray(out, r1 + i + 2 * L);
    c13.intoArray(out, r1 + i + 3 * L);
    c20.intoArray(out, r2 + i);
    c21.intoArray(out, r2 + i + L);
    c22.intoArray(out, r2 + i + 2 * L);
    c23.intoArray(out, r2 + i + 3 * L);
    c30.intoArray(out, r3 + i);
    c31.intoArray(out, r3 + i + L);
    c32.intoArray(out, r3 + i + 2 * L);
    c33.intoArray(out, r3 + i + 3 * L);
  }

  /** Row t, output channels i..i+L. */
  private static void block1x1(float[] in, int t, int cols, float[] wt, float[] out, int i) {
    FloatVector c = FloatVector.zero(S);
    final int r = t * cols;
    for (int j = 0; j < cols; j++) {
      c = FloatVector.broadcast(S, in[r + j]).fma(FloatVector.fromArray(S, wt, j * cols + i), c);
    }
    c.intoArray(out, r + i);
  }

  /** Row t, output channels from..cols one at a time. */
  private static void tail(float[] in, int t, int cols, float[] wt, float[] out, int from) {
    final int r = t * cols;
    for (int i = from; i < cols; i++) {
      float y = 0f;
      for (int j = 0; j < cols; j++) {
        y = Math.fma(in[r + j], wt[j * cols + i], y);
      }
      out[r + i] = y;
    }
  }
}
