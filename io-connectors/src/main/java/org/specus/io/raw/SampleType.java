package org.specus.io.raw;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;

/** Little-endian sample types of a headerless interleaved binary. */
public enum SampleType {
  INT16("int16", 2),
  UINT16("uint16", 2),
  INT32("int32", 4),
  FLOAT32("float32", 4),
  FLOAT64("float64", 8);

  private final String label;
  private final int bytes;

  SampleType(String label, int bytes) {
    this.label = label;
    this.bytes = bytes;
  }

  public String label() {
    return label;
  }

  public int bytes() {
    return bytes;
  }

  /** Reads the value at byte {@code index} of a little-endian buffer. */
  float get(ByteBuffer b, int index) {
    return switch (this) {
      case INT16 -> b.getShort(index);
      case UINT16 -> Short.toUnsignedInt(b.getShort(index));
      case INT32 -> b.getInt(index);
      case FLOAT32 -> b.getFloat(index);
      case FLOAT64 -> (float) b.getDouble(index);
    };
  }

  /** {@code int16}, also NumPy's spellings {@code i2}, {@code <i2}, {@code short}... */
  public static SampleType parse(String text) {
    String t = text.toLowerCase(Locale.ROOT).replace("<", "");
    return switch (t) {
      case "int16", "i2", "short", "h" -> INT16;
      case "uint16", "u2", "ushort", "H" -> UINT16;
      case "int32", "i4" -> INT32;
      case "float32", "f4", "float", "single" -> FLOAT32;
      case "float64", "f8", "double" -> FLOAT64;
      default -> throw new IllegalArgumentException("--raw-dtype must be one of "
          + Arrays.stream(values()).map(SampleType::label).toList() + ", got '" + text + "'");
    };
  }
}
