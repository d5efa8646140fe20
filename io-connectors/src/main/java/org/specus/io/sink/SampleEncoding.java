package org.specus.io.sink;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * How processed float samples are stored: float32 as they are, or int16 as
 * {@code round(value × intScale)} clipped to the int16 range (an explicit scale, never guessed, as
 * SpikeInterface's {@code int_scale}). The stored gain to µV is the input's divided by the scale.
 */
public record SampleEncoding(String dtype, double intScale) implements Serializable {

  public SampleEncoding {
    if (!dtype.equals("float32") && !dtype.equals("int16")) {
      throw new IllegalArgumentException("--dtype must be float32 or int16, got '" + dtype + "'");
    }
    if (dtype.equals("int16") && !(intScale > 0 && Double.isFinite(intScale))) {
      throw new IllegalArgumentException("--dtype int16 needs an explicit positive --int-scale (stored value ="
          + " round(sample x scale)), got " + intScale);
    }
  }

  public static SampleEncoding float32() {
    return new SampleEncoding("float32", 1.0);
  }

  public boolean isInt16() {
    return dtype.equals("int16");
  }

  public int bytesPerSample() {
    return isInt16() ? 2 : 4;
  }

  /** NumPy's spelling: {@code <f4} or {@code <i2}. */
  public String numpyDtype() {
    return isInt16() ? "<i2" : "<f4";
  }

  /** Factor from a stored value to the input's values (1 for float32). */
  public double storedToInput() {
    return isInt16() ? 1.0 / intScale : 1.0;
  }

  /**
   * {@code values} first {@code count} samples, little-endian, in a buffer of {@code capacity}
   * samples (the rest zero: the padding of a partial last chunk).
   */
  public ByteBuffer encode(float[] values, int count, int capacity) {
    ByteBuffer b = ByteBuffer.allocate(capacity * bytesPerSample()).order(ByteOrder.LITTLE_ENDIAN);
    if (isInt16()) {
      for (int i = 0; i < count; i++) {
        double v = Math.rint(values[i] * intScale);
        b.putShort((short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v)));
      }
    } else {
      b.asFloatBuffer().put(values, 0, count);
    }
    b.position(0).limit(capacity * bytesPerSample());
    return b;
  }
}
