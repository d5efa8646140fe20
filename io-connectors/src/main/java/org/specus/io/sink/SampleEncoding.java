package org.specus.io.sink;

import java.io.Serializable;
import java.nio.ByteBuffer;
import org.specus.io.WriteBuffers;
import org.specus.io.zarr.ZarrDataType;

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

  /** The Zarr data type the samples are stored as. */
  public ZarrDataType zarrDataType() {
    return isInt16() ? ZarrDataType.INT16 : ZarrDataType.FLOAT32;
  }

  /** NumPy's spelling: {@code <f4} or {@code <i2}. */
  public String numpyDtype() {
    return isInt16() ? "<i2" : "<f4";
  }

  /** One sample as int16: rounded half to even, saturated (the rule {@link WriteBuffers#toInt16} applies). */
  public static short toInt16(float value) {
    return WriteBuffers.toInt16(value);
  }

  /**
   * Puts {@code values[from, from + count)} at {@code dst}'s position in this encoding
   * (little-endian) and advances the position.
   */
  public void put(ByteBuffer dst, float[] values, int from, int count) {
    WriteBuffers.putSamples(dst, values, from, count, isInt16());
  }
}
