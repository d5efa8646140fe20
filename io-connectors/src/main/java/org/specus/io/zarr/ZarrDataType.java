package org.specus.io.zarr;

/**
 * The Zarr v3 numeric data types Specus writes. Only fixed-size little-endian numbers: they are what
 * the {@code bytes} codec stores, so a chunk's decoded size is always {@code elements * byteSize}.
 * Strings ({@code channel_ids}) are not an enum member because they are variable-length and only
 * ever written as small single-chunk arrays (see {@link ZarrV3#writeStringArray}).
 */
public enum ZarrDataType {
  FLOAT32("float32", 4),
  INT16("int16", 2),
  FLOAT64("float64", 8),
  INT32("int32", 4);

  private final String zarrName;
  private final int byteSize;

  ZarrDataType(String zarrName, int byteSize) {
    this.zarrName = zarrName;
    this.byteSize = byteSize;
  }

  /** The name used in {@code zarr.json}'s {@code data_type}, e.g. {@code "float32"}. */
  public String zarrName() {
    return zarrName;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  /** Whether the fill value is written as a JSON float ({@code 0.0}) rather than an integer. */
  public boolean isFloatingPoint() {
    return this == FLOAT32 || this == FLOAT64;
  }

  /**
   * The type for a {@code data_type} name.
   *
   * @throws IllegalArgumentException if the name is not one Specus supports
   */
  public static ZarrDataType fromZarrName(String name) {
    for (ZarrDataType t : values()) {
      if (t.zarrName.equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unsupported Zarr data_type \"" + name + "\" (supported: float32, int16, float64, int32)");
  }
}
