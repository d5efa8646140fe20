package org.specus.dsp;

/**
 * Applies a whitening matrix to a sample-major float32 block: for every sample (a row vector
 * x_t of {@code cols} channels) {@code y_t = W x_t}, i.e. {@code out = in · Wᵀ}, with W
 * row-major {@code cols × cols} (row i = the weights that make output channel i).
 *
 * <p>Arithmetic contract, shared by both implementations so that they give the same bits: each
 * output value is a float32 fused multiply-add chain over the input channels in increasing order,
 * {@code y = fma(x[j], W[i][j], y)} for j = 0, 1, … from y = +0. The result does not depend on
 * how rows are blocked, so it does not depend on the tile length either.
 *
 * <p>With the vector module ({@link Simd}) the product runs in {@link WhiteningVector}, a
 * register- and cache-blocked kernel (about 70 ms of CPU for 30000×384 · 384×384 on one core with
 * 512-bit vectors, ~130 ms with 256-bit ones on Zen 3). The plain-Java path works in "saxpy" form:
 * y_t += x_t[j] · (column j of W), with W transposed so that each column is a contiguous array,
 * samples in blocks of {@value #BLOCK} whose output rows stay in L1. Columns and output rows are
 * separate arrays indexed from 0 because JDK 17's C2 does not vectorise a loop over two float
 * arrays at different offsets.
 *
 * <p>The transposed matrix is cached for the last W seen (by identity), so applying the same
 * side-input matrix to tile after tile transposes it once.
 *
 * <p>Subnormal entries of W (|w| &lt; {@link Float#MIN_NORMAL}, e.g. the cross terms of a dead or
 * constant channel) are applied as zero. They change no output by more than ~1e-37 in absolute
 * value, but a subnormal operand makes an x86 FMA take a microcode assist of ~100 cycles: with 1 %
 * of W subnormal the product ran 20× slower (1.7 s instead of 85 ms per tile), which is what the
 * synthetic recordings' W looked like.
 */
public final class Whitening {
  private Whitening() {}

  private static final int BLOCK = 8;

  /**
   * W and its transpose: flat and regrouped into blocks (for the vector kernel, {@code null} until
   * it is first needed: building it needs the vector module) and as columns (for the plain loops).
   */
  private record Transposed(float[] w, float[] flat, float[] packed, float[][] columns) {}

  private static volatile Transposed last;

  /** {@code out = in · Wᵀ}; {@code out} must not be {@code in}. */
  public static void apply(float[] in, int rows, int cols, float[] w, float[] out) {
    apply(in, 0, rows, cols, w, out, 0);
  }

  /**
   * Rows {@code inRow..inRow+rows} of {@code in} times Wᵀ into rows {@code outRow..} of
   * {@code out}, e.g. a few rows at a time as a filter finishes them; {@code out} must not be
   * {@code in}.
   */
  public static void apply(float[] in, int inRow, int rows, int cols, float[] w, float[] out, int outRow) {
    check(in, inRow, rows, cols, w, out, outRow);
    if (Simd.ENABLED) {
      vectorProduct(in, inRow, rows, cols, w, out, outRow);
    } else {
      applyPlain(in, inRow, rows, cols, transposed(w, cols).columns(), out, outRow);
    }
  }

  /** The plain-Java path whatever {@link Simd} says: for tests and benchmarks. */
  static void applyPlain(float[] in, int rows, int cols, float[] w, float[] out) {
    check(in, 0, rows, cols, w, out, 0);
    applyPlain(in, 0, rows, cols, transposed(w, cols).columns(), out, 0);
  }

  /** The vector path (needs the vector module): for tests and benchmarks. */
  static void applyVector(float[] in, int rows, int cols, float[] w, float[] out) {
    check(in, 0, rows, cols, w, out, 0);
    vectorProduct(in, 0, rows, cols, w, out, 0);
  }

  /** The vector path with a given register block, whatever this machine prefers: for tests. */
  static void applyVector(float[] in, int rows, int cols, float[] w, float[] out,
      WhiteningVector.Block block) {
    check(in, 0, rows, cols, w, out, 0);
    float[] flat = transposed(w, cols).flat();
    float[] packed = WhiteningVector.packBlocks(flat, cols, block);
    WhiteningVector.apply(in, 0, rows, cols, flat, packed, block, out, 0);
  }

  private static void vectorProduct(float[] in, int inRow, int rows, int cols, float[] w, float[] out,
      int outRow) {
    Transposed t = transposed(w, cols);
    if (t.packed() == null) {
      float[] packed = WhiteningVector.packBlocks(t.flat(), cols, WhiteningVector.PREFERRED);
      t = new Transposed(t.w(), t.flat(), packed, t.columns());
      last = t;
    }
    WhiteningVector.apply(in, inRow, rows, cols, t.flat(), t.packed(), WhiteningVector.PREFERRED, out,
        outRow);
  }

  private static void check(float[] in, int inRow, int rows, int cols, float[] w, float[] out, int outRow) {
    if (inRow < 0 || outRow < 0 || rows < 0) {
      throw new IllegalArgumentException(rows + " rows from row " + inRow + " (in) to row " + outRow
          + " (out): all must be >= 0");
    }
    SosFilter.checkBlock(in, inRow + rows, cols, in);
    SosFilter.checkBlock(out, outRow + rows, cols, out);
    if (w.length != cols * cols) {
      throw new IllegalArgumentException("whitening matrix must be " + cols + "×" + cols
          + " for a " + cols + "-channel block, got " + w.length + " values");
    }
    if (in == out) {
      throw new IllegalArgumentException("whitening cannot run in place: out must not be in");
    }
  }

  private static Transposed transposed(float[] w, int cols) {
    Transposed t = last;
    if (t != null && t.w() == w) {
      return t;
    }
    // wt[j] = column j of W; flat[j * cols + i] = W[i][j]
    float[][] columns = new float[cols][cols];
    float[] flat = new float[cols * cols];
    for (int i = 0; i < cols; i++) {
      for (int j = 0; j < cols; j++) {
        float v = w[i * cols + j];
        v = Math.abs(v) < Float.MIN_NORMAL ? 0f : v;
        columns[j][i] = v;
        flat[j * cols + i] = v;
      }
    }
    t = new Transposed(w, flat, null, columns);
    last = t;
    return t;
  }

  private static void applyPlain(float[] in, int inRow, int rows, int cols, float[][] wt, float[] out,
      int outRow) {
    final float[][] acc = new float[BLOCK][cols];
    for (int t0 = 0; t0 < rows; t0 += BLOCK) {
      final int nb = Math.min(BLOCK, rows - t0);
      for (int b = 0; b < nb; b++) {
        java.util.Arrays.fill(acc[b], 0f);
      }
      int j = 0;
      for (; j + 4 <= cols; j += 4) {
        final float[] w0 = wt[j];
        final float[] w1 = wt[j + 1];
        final float[] w2 = wt[j + 2];
        final float[] w3 = wt[j + 3];
        for (int b = 0; b < nb; b++) {
          final int row = (inRow + t0 + b) * cols + j;
          final float a0 = in[row];
          final float a1 = in[row + 1];
          final float a2 = in[row + 2];
          final float a3 = in[row + 3];
          final float[] y = acc[b];
          for (int i = 0; i < cols; i++) {
            // columns j..j+3 one after another: the contract's order
            y[i] = Math.fma(a3, w3[i], Math.fma(a2, w2[i], Math.fma(a1, w1[i], Math.fma(a0, w0[i], y[i]))));
          }
        }
      }
      for (; j < cols; j++) {
        final float[] wj = wt[j];
        for (int b = 0; b < nb; b++) {
          final float a = in[(inRow + t0 + b) * cols + j];
          final float[] y = acc[b];
          for (int i = 0; i < cols; i++) {
            y[i] = Math.fma(a, wj[i], y[i]);
          }
        }
      }
      for (int b = 0; b < nb; b++) {
        System.arraycopy(acc[b], 0, out, (outRow + t0 + b) * cols, cols);
      }
    }
  }
}
