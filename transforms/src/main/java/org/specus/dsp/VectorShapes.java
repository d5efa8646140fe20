package org.specus.dsp;

import jdk.incubator.vector.FloatVector;

/** Vector facts for reports and kernel shapes; only loaded when {@link Simd#ENABLED}. */
final class VectorShapes {
  private VectorShapes() {}

  static int preferredBits() {
    return FloatVector.SPECIES_PREFERRED.vectorBitSize();
  }

  /**
   * Whether the vector register file has 16 registers, not 32: x86 below AVX-512 (AVX2's ymm0-15).
   * The whitening product picks a smaller register block there: the one sized for 32 spilled and
   * ran at about half the FMA units' peak.
   */
  static boolean sixteenRegisters() {
    String arch = System.getProperty("os.arch", "");
    boolean x86 = arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86");
    return x86 && preferredBits() < 512;
  }
}
