package org.specus.io.sink;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * How processed float samples are stored: float32 as they are, or int16 rounded half to even (as
 * numpy's {@code round}) and saturated to the int16 range. Scaling to a useful int16 range is the
 * chain's business, not the writer's: unwhitened data are still input counts, and whitened data
 * are scaled by {@code whiten.int_scale} (SpikeInterface's {@code int_scale}), so one scale lives
 * in one place.
 */
public record SampleEncoding(String dtype) implements Serializable {

  public SampleEncoding {
    if (!dtype.equals("float32") && !dtype.equals("int16")) {
      throw new IllegalArgumentException("--dtype must be float32 or int16, got '" + dtype + "'");
    }
  }

  public static SampleEncoding float32() {
    return new SampleEncoding("float32");
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

  /** One sample as int16: rounded half to even, saturated. */
  public static short toInt16(float value) {
    double v = Math.rint(value);
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
  }

  /**
   * {@code values} first {@code count} samples, little-endian, in a buffer of {@code capacity}
   * samples (the rest zero: the padding of a partial last chunk).
   */
  public ByteBuffer encode(float[] values, int count, int capacity) {
    ByteBuffer b = ByteBuffer.allocate(capacity * bytesPerSample()).order(ByteOrder.LITTLE_ENDIAN);
    if (isInt16()) {
      for (int i = 0; i < count; i++) {
        b.putShort(toInt16(values[i]));
      }
    } else {
      b.asFloatBuffer().put(values, 0, count);
    }
    b.position(0).limit(capacity * bytesPerSample());
    return b;
  }
}
