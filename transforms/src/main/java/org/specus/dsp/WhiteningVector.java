package org.specus.dsp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Whitening}'s product with {@code jdk.incubator.vector}: {@code out = in · Wᵀ} from the
 * transposed matrix {@code wt} ({@code wt[j * cols + i] = W[i][j]}).
 *
 * <p>Register blocking: a {@link Block} of samples × vectors of output channels is accumulated in
 * registers while j runs over the input channels, each step loading the block's vectors of row j
 * of Wᵀ (from a copy of Wᵀ regrouped so that a block's weights are contiguous, see
 * {@link #packBlocks}) and broadcasting one input value per sample. Cache blocking: the samples go
 * in panels of {@value #PANEL_BLOCKS} blocks (in and out of a panel stay in L2) and j in steps of
 * {@value #DEPTH}, so the slice of weights being read (24 KB for 6 × 4 blocks of 512-bit vectors)
 * stays in L1; between steps the partial sums wait in {@code out} (the first step starts every
 * chain from +0). With 4 × 4 blocks and no j steps the slice came from L2 on every step and the
 * product ran at about half the FMA units' peak; this layout measured ~25 % faster, and the
 * regrouped copy ~10 % more.
 *
 * <p>Each accumulator lane is exactly the contract's chain {@code y = fma(x[j], W[i][j], y)}, j
 * ascending from +0 (a partial sum stored and reloaded is the same float), so the result is
 * bit-identical to the plain loops. Channels and samples that do not fill a block are done one
 * vector or one channel at a time with the same chain.
 */
final class WhiteningVector {
  private WhiteningVector() {}

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int PANEL_BLOCKS = 28;
  private static final int DEPTH = 96;

  /** A register block: samples × vectors of output channels, one accumulator each. */
  enum Block {
    /** 24 accumulators, 4 weights and a broadcast: for 32 vector registers (AVX-512, ARM). */
    SIX_BY_FOUR(6, 4),
    /**
     * 12 accumulators, 3 weights and a broadcast: for x86's 16 registers below AVX-512. 6 × 4 there
     * spilled and ran at about half the FMA units' peak (266 against 126–164 ms a tile on Zen 3).
     */
    FOUR_BY_THREE(4, 3);

    final int rows;
    final int vecs;

    Block(int rows, int vecs) {
      this.rows = rows;
      this.vecs = vecs;
    }

    int width() {
      return vecs * L;
    }
  }

  /** The block for this machine's vector registers. */
  static final Block PREFERRED = VectorShapes.sixteenRegisters() ? Block.FOUR_BY_THREE : Block.SIX_BY_FOUR;

  /**
   * Wᵀ's first {@code blockEnd} output channels regrouped for {@code block}: for each block b of
   * w = {@code block.width()} output channels, the w weights of input channel j at
   * {@code (b · cols + j) · w}, so the slice a block reads is one contiguous run instead of rows
   * {@code cols} floats apart (rows of 1536 bytes land in a third of L1's sets, and the slice no
   * longer fit). ~12 % faster.
   */
  static float[] packBlocks(float[] wt, int cols, Block block) {
    final int width = block.width();
    final int blocks = (cols - cols % L) / width;
    float[] packed = new float[blocks * cols * width];
    for (int b = 0; b < blocks; b++) {
      for (int j = 0; j < cols; j++) {
        System.arraycopy(wt, j * cols + b * width, packed, (b * cols + j) * width, width);
      }
    }
    return packed;
  }

  /**
   * Rows {@code inRow..inRow+rows} of {@code in} into rows {@code outRow..} of {@code out};
   * {@code packed} is {@link #packBlocks}{@code (wt, cols, block)}.
   */
  static void apply(float[] in, int inRow, int rows, int cols, float[] wt, float[] packed, Block block,
      float[] out, int outRow) {
    final int inBase = inRow * cols;
    final int outBase = outRow * cols;
    final int vecEnd = cols - cols % L;
    final int width = block.width();
    final int blockEnd = vecEnd - vecEnd % width;
    final int panel = PANEL_BLOCKS * block.rows;
    for (int p0 = 0; p0 < rows; p0 += panel) {
      final int p1 = Math.min(rows, p0 + panel);
      final int fullEnd = p1 - (p1 - p0) % block.rows;
      for (int i = 0; i < blockEnd; i += width) {
        for (int j0 = 0; j0 < cols; j0 += DEPTH) {
          final int j1 = Math.min(cols, j0 + DEPTH);
          for (int t = p0; t < fullEnd; t += block.rows) {
            final int r = inBase + t * cols;
            final int wo = i * cols + j0 * width;
            final int o = outBase + t * cols + i;
            if (block == Block.SIX_BY_FOUR) {
              block6x4(in, r, cols, packed, wo, out, o, j0, j1);
            } else {
              block4x3(in, r, cols, packed, wo, out, o, j0, j1);
            }
          }
        }
      }
      for (int t = p0; t < p1; t++) {
        for (int i = t < fullEnd ? blockEnd : 0; i < vecEnd; i += L) {
          block1x1(in, inBase + t * cols, cols, wt, out, outBase + t * cols, i);
        }
        tail(in, inBase + t * cols, cols, wt, out, outBase + t * cols, vecEnd);
      }
    }
  }

  /**
   * Adds input channels j0..j1 of the 6 rows from {@code in[r0]} to the partial sums in
   * {@code out} of 6 rows × 4L channels from {@code out[o0]}; their weights start at
   * {@code packed[wo]}.
   */
  private static void block6x4(float[] in, int r0, int cols, float[] packed, int wo, float[] out, int o0,
      int j0, int j1) {
    final int r1 = r0 + cols;
    final int r2 = r1 + cols;
    final int r3 = r2 + cols;
    final int r4 = r3 + cols;
    final int r5 = r4 + cols;
    final int o1 = o0 + cols;
    final int o2 = o1 + cols;
    final int o3 = o2 + cols;
    final int o4 = o3 + cols;
    final int o5 = o4 + cols;
    final boolean fresh = j0 == 0;
    FloatVector c00 = start(out, o0, fresh);
    FloatVector c01 = start(out, o0 + L, fresh);
    FloatVector c02 = start(out, o0 + 2 * L, fresh);
    FloatVector c03 = start(out, o0 + 3 * L, fresh);
    FloatVector c10 = start(out, o1, fresh);
    FloatVector c11 = start(out, o1 + L, fresh);
    FloatVector c12 = start(out, o1 + 2 * L, fresh);
    FloatVector c13 = start(out, o1 + 3 * L, fresh);
    FloatVector c20 = start(out, o2, fresh);
    FloatVector c21 = start(out, o2 + L, fresh);
    FloatVector c22 = start(out, o2 + 2 * L, fresh);
    FloatVector c23 = start(out, o2 + 3 * L, fresh);
    FloatVector c30 = start(out, o3, fresh);
    FloatVector c31 = start(out, o3 + L, fresh);
    FloatVector c32 = start(out, o3 + 2 * L, fresh);
    FloatVector c33 = start(out, o3 + 3 * L, fresh);
    FloatVector c40 = start(out, o4, fresh);
    FloatVector c41 = start(out, o4 + L, fresh);
    FloatVector c42 = start(out, o4 + 2 * L, fresh);
    FloatVector c43 = start(out, o4 + 3 * L, fresh);
    FloatVector c50 = start(out, o5, fresh);
    FloatVector c51 = start(out, o5 + L, fresh);
    FloatVector c52 = start(out, o5 + 2 * L, fresh);
    FloatVector c53 = start(out, o5 + 3 * L, fresh);
    for (int j = j0, w = wo; j < j1; j++, w += 4 * L) {
      final FloatVector w0 = FloatVector.fromArray(S, packed, w);
      final FloatVector w1 = FloatVector.fromArray(S, packed, w + L);
      final FloatVector w2 = FloatVector.fromArray(S, packed, w + 2 * L);
      final FloatVector w3 = FloatVector.fromArray(S, packed, w + 3 * L);
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
      x = FloatVector.broadcast(S, in[r4 + j]);
      c40 = x.fma(w0, c40);
      c41 = x.fma(w1, c41);
      c42 = x.fma(w2, c42);
      c43 = x.fma(w3, c43);
      x = FloatVector.broadcast(S, in[r5 + j]);
      c50 = x.fma(w0, c50);
      c51 = x.fma(w1, c51);
      c52 = x.fma(w2, c52);
      c53 = x.fma(w3, c53);
    }
    c00.intoArray(out, o0);
    c01.intoArray(out, o0 + L);
    c02.intoArray(out, o0 + 2 * L);
    c03.intoArray(out, o0 + 3 * L);
    c10.intoArray(out, o1);
    c11.intoArray(out, o1 + L);
    c12.intoArray(out, o1 + 2 * L);
    c13.intoArray(out, o1 + 3 * L);
    c20.intoArray(out, o2);
    c21.intoArray(out, o2 + L);
    c22.intoArray(out, o2 + 2 * L);
    c23.intoArray(out, o2 + 3 * L);
    c30.intoArray(out, o3);
    c31.intoArray(out, o3 + L);
    c32.intoArray(out, o3 + 2 * L);
    c33.intoArray(out, o3 + 3 * L);
    c40.intoArray(out, o4);
    c41.intoArray(out, o4 + L);
    c42.intoArray(out, o4 + 2 * L);
    c43.intoArray(out, o4 + 3 * L);
    c50.intoArray(out, o5);
    c51.intoArray(out, o5 + L);
    c52.intoArray(out, o5 + 2 * L);
    c53.intoArray(out, o5 + 3 * L);
  }

  /** {@link #block6x4} for 16 vector registers: 4 samples × 3 vectors, 12 accumulators. */
  private static void block4x3(float[] in, int r0, int cols, float[] packed, int wo, float[] out, int o0,
      int j0, int j1) {
    final int r1 = r0 + cols;
    final int r2 = r1 + cols;
    final int r3 = r2 + cols;
    final int o1 = o0 + cols;
    final int o2 = o1 + cols;
    final int o3 = o2 + cols;
    final boolean fresh = j0 == 0;
    FloatVector c00 = start(out, o0, fresh);
    FloatVector c01 = start(out, o0 + L, fresh);
    FloatVector c02 = start(out, o0 + 2 * L, fresh);
    FloatVector c10 = start(out, o1, fresh);
    FloatVector c11 = start(out, o1 + L, fresh);
    FloatVector c12 = start(out, o1 + 2 * L, fresh);
    FloatVector c20 = start(out, o2, fresh);
    FloatVector c21 = start(out, o2 + L, fresh);
    FloatVector c22 = start(out, o2 + 2 * L, fresh);
    FloatVector c30 = start(out, o3, fresh);
    FloatVector c31 = start(out, o3 + L, fresh);
    FloatVector c32 = start(out, o3 + 2 * L, fresh);
    for (int j = j0, w = wo; j < j1; j++, w += 3 * L) {
      final FloatVector w0 = FloatVector.fromArray(S, packed, w);
      final FloatVector w1 = FloatVector.fromArray(S, packed, w + L);
      final FloatVector w2 = FloatVector.fromArray(S, packed, w + 2 * L);
      FloatVector x = FloatVector.broadcast(S, in[r0 + j]);
      c00 = x.fma(w0, c00);
      c01 = x.fma(w1, c01);
      c02 = x.fma(w2, c02);
      x = FloatVector.broadcast(S, in[r1 + j]);
      c10 = x.fma(w0, c10);
      c11 = x.fma(w1, c11);
      c12 = x.fma(w2, c12);
      x = FloatVector.broadcast(S, in[r2 + j]);
      c20 = x.fma(w0, c20);
      c21 = x.fma(w1, c21);
      c22 = x.fma(w2, c22);
      x = FloatVector.broadcast(S, in[r3 + j]);
      c30 = x.fma(w0, c30);
      c31 = x.fma(w1, c31);
      c32 = x.fma(w2, c32);
    }
    c00.intoArray(out, o0);
    c01.intoArray(out, o0 + L);
    c02.intoArray(out, o0 + 2 * L);
    c10.intoArray(out, o1);
    c11.intoArray(out, o1 + L);
    c12.intoArray(out, o1 + 2 * L);
    c20.intoArray(out, o2);
    c21.intoArray(out, o2 + L);
    c22.intoArray(out, o2 + 2 * L);
    c30.intoArray(out, o3);
    c31.intoArray(out, o3 + L);
    c32.intoArray(out, o3 + 2 * L);
  }

  /** A partial sum: +0 before the first step over j, else what the previous step left in {@code out}. */
  private static FloatVector start(float[] out, int at, boolean fresh) {
    return fresh ? FloatVector.zero(S) : FloatVector.fromArray(S, out, at);
  }

  /** The row at {@code in[r]}, output channels i..i+L into the row at {@code out[o]}. */
  private static void block1x1(float[] in, int r, int cols, float[] wt, float[] out, int o, int i) {
    FloatVector c = FloatVector.zero(S);
    for (int j = 0; j < cols; j++) {
      c = FloatVector.broadcast(S, in[r + j]).fma(FloatVector.fromArray(S, wt, j * cols + i), c);
    }
    c.intoArray(out, o + i);
  }

  /** The row at {@code in[r]}, output channels from..cols one at a time into the row at {@code out[o]}. */
  private static void tail(float[] in, int r, int cols, float[] wt, float[] out, int o, int from) {
    for (int i = from; i < cols; i++) {
      float y = 0f;
      for (int j = 0; j < cols; j++) {
        y = Math.fma(in[r + j], wt[j * cols + i], y);
      }
      out[o + i] = y;
    }
  }
}
