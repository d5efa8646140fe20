package org.specus.io.sink;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.specus.io.beam.FormatSink;
import org.specus.io.beam.SinkSummary;
import org.specus.io.beam.Tiles;
import org.specus.io.beam.ZarrSink;
import org.specus.io.output.OutputStore;
import org.specus.io.zarr.ZarrDataType;

/**
 * The output formats ({@code --format}) and the sink each one uses:
 *
 * <ul>
 *   <li>{@code zarr}: Zarr v3, one shard per tile ({@link ZarrSink});
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

  /** Everything a sink needs from the configuration. */
  public record Spec(Path out, int innerChunkSamples, int zstdLevel, SampleEncoding encoding,
      Map<String, Object> provenance, OutputStore.ResultKey key) {}

  /** The sink that writes this format. */
  public PTransform<Tiles, PCollection<SinkSummary>> sink(Spec spec) {
    return switch (this) {
      case ZARR -> ZarrSink.to(spec.out())
          .withDataType(ZarrDataType.fromZarrName(spec.encoding().dtype()))
          .withInnerChunkSamples(spec.innerChunkSamples())
          .withZstdLevel(spec.zstdLevel())
          .withProvenance(spec.provenance())
          .withResultKey(spec.key());
      case ZARR_V2 -> FormatSink.of(label, tiles -> new ZarrV2Writer(spec.out(), tiles.recording().numSamples(),
              tiles.recording().numChannels(), Math.toIntExact(tiles.tileSamples()), spec.zstdLevel(), spec.encoding()))
          .withProvenance(spec.provenance()).withResultKey(spec.key());
      case BINARY -> FormatSink.of(label, tiles -> new BinaryWriter(spec.out(), tiles.recording().numSamples(),
              tiles.recording().numChannels(), spec.encoding()))
          .withProvenance(spec.provenance()).withResultKey(spec.key());
    };
  }
}
