package org.specus.io.zarr;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the chunks of a Zarr output are stored: compressed with zstd, or raw ({@code none}).
 * {@code auto} picks by the stored sample type ({@link #resolve}).
 *
 * <p>Why the choice depends on the type: whitened float32 barely compresses (zstd level 1 gives
 * ~1.08x) yet costs ~45 ms of CPU per 1 s tile of 384 channels, a large share of a tile's whole
 * budget; int16 counts compress ~1.4–1.6x, which is worth that time.
 */
public enum Compression {
  AUTO,
  ZSTD,
  NONE;

  /** The name a configuration uses: {@code auto}, {@code zstd} or {@code none}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The names a configuration may use, for messages: {@code auto, zstd, none}. */
  public static String labels() {
    return Arrays.stream(values()).map(Compression::label).collect(Collectors.joining(", "));
  }

  /** The value for a name (case-insensitive); the message names the setting, the value and the choices. */
  public static Compression parse(String text) {
    String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    for (Compression c : values()) {
      if (c.label().equals(t)) {
        return c;
      }
    }
    throw new IllegalArgumentException("compression must be one of " + labels() + ", got '" + text + "'");
  }

  /** {@link #AUTO} made concrete for samples stored as {@code type}: zstd for int16, none otherwise. */
  public Compression resolve(ZarrDataType type) {
    if (this != AUTO) {
      return this;
    }
    return type == ZarrDataType.INT16 ? ZSTD : NONE;
  }
}
