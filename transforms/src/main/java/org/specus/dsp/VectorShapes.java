package org.specus.dsp;

import jdk.incubator.vector.FloatVector;

/** Vector facts for reports; only loaded when {@link Simd#ENABLED}. */
final class VectorShapes {
  private VectorShapes() {}

  static int preferredBits() {
    return FloatVector.SPECIES_PREFERRED.vectorBitSize();
  }
}
