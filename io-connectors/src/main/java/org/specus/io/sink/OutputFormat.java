package org.specus.io.sink;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.specus.io.zarr.Compression;

/**
 * The output formats ({@code --format}) and the {@link TileWriter} of each; one sink,
 * {@code TileSink}, writes them all:
 *
 * <ul>
 *   <li>{@code zarr}: Zarr v3, one shard per tile ({@link ZarrV3Writer});
 *   <li>{@code zarr-v2}: the Zarr v2 layout released SpikeInterface opens ({@link ZarrV2Writer});
 *   <li>{@code binary}: a flat int16/float32 binary for Kilosort in a SpikeInterface binary folder
 *       ({@link BinaryWriter}).
 * </ul>
 */
public enum OutputFormat {
  ZARR("zarr"),
  ZARR_V2("zarr-v2"),
  BINARY("binary");

  private final String label;

  OutputFormat(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static OutputFormat parse(String text) {
    String t = text.toLowerCase(Locale.ROOT);
    for (OutputFormat f : values()) {
      if (f.label.equals(t)) {
        return f;
      }
    }
    throw new IllegalArgumentException("--format must be one of "
        + Arrays.stream(values()).map(OutputFormat::label).toList() + ", got '" + text + "'");
  }

  /**
   * The writer of this format for a recording of {@code numSamples × channels} processed in tiles
   * of {@code tileSamples}. {@code innerChunkSamples} is used by {@code zarr} only (an upper bound,
   * see {@link ZarrV3Writer}); {@code compression} ({@link Compression#AUTO} resolved by the
   * encoding) and {@code zstdLevel} by the Zarr formats; {@code binary} is never compressed.
   */
  public TileWriter writer(Path out, long numSamples, int channels, int tileSamples, int innerChunkSamples,
      Compression compression, int zstdLevel, SampleEncoding encoding) {
    return switch (this) {
      case ZARR -> new ZarrV3Writer(out, numSamples, channels, tileSamples, innerChunkSamples, compression, zstdLevel,
          encoding);
      case ZARR_V2 -> new ZarrV2Writer(out, numSamples, channels, tileSamples, compression, zstdLevel, encoding);
      case BINARY -> new BinaryWriter(out, numSamples, channels, tileSamples, encoding);
    };
  }
}
