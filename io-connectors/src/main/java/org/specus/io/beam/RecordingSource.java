package org.specus.io.beam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.specus.io.ReaderOptions;
import org.specus.io.Recording;
import org.specus.io.RecordingException;
import org.specus.io.Recordings;

/**
 * Reads a recording as tiles: {@code RecordingSource.read(path).withTileSeconds(1)}.
 *
 * <p>The recording is opened once while the pipeline is built, so a malformed file is reported
 * before anything runs. Tiles are produced by a splittable DoFn over tile indices, which lets a
 * runner split the work without the plan ever holding signal.
 */
public final class RecordingSource extends PTransform<PBegin, Tiles> {
  public static final double DEFAULT_TILE_SECONDS = 1.0;

  private final Path path;
  private final double tileSeconds;
  private final ReaderOptions readerOptions;

  private RecordingSource(Path path, double tileSeconds, ReaderOptions readerOptions) {
    this.path = path;
    this.tileSeconds = tileSeconds;
    this.readerOptions = readerOptions;
  }

  public static RecordingSource read(Path path) {
    if (path == null) {
      throw new IllegalArgumentException("RecordingSource.read: the input path is missing");
    }
    // Provenance and workers need a path that means the same thing from any working directory.
    return new RecordingSource(path.toAbsolutePath().normalize(), DEFAULT_TILE_SECONDS, ReaderOptions.auto());
  }

  /** Tile length; each tile becomes one shard of the output. */
  public RecordingSource withTileSeconds(double seconds) {
    if (!(seconds > 0) || Double.isInfinite(seconds)) {
      throw new IllegalArgumentException("tile length must be a positive number of seconds, got " + seconds);
    }
    return new RecordingSource(path, seconds, readerOptions);
  }

  /** How to open the recording when the path alone does not say (reader, stream, raw layout...). */
  public RecordingSource withReaderOptions(ReaderOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("RecordingSource.withReaderOptions: options are missing");
    }
    return new RecordingSource(path, tileSeconds, options);
  }

  @Override
  public Tiles expand(PBegin input) {
    RecordingInfo info;
    try (Recording recording = Recordings.open(path, readerOptions)) {
      info = RecordingInfo.of(recording, readerOptions);
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": " + e.getMessage(), e);
    }
    if (info.numSamples() == 0) {
      throw new RecordingException(info.fileName() + ": holds no samples; there is nothing to process");
    }
    long tileSamples = Math.round(tileSeconds * info.samplingRate());
    if (tileSamples < 1) {
      throw new IllegalArgumentException(
          "tile length " + tileSeconds + " s is shorter than one sample at " + info.samplingRate() + " Hz");
    }
    long numTiles = (info.numSamples() + tileSamples - 1) / tileSamples;
    PCollection<Tile> tiles =
        input
            .apply("Impulse", Impulse.create())
            .apply("Plan tiles", ParDo.of(new PlanTilesFn(numTiles, tileSamples, info.numSamples())));
    return new Tiles(tiles, info, tileSamples, OpChain.empty());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("path", path.toString())).add(DisplayData.item("tileSeconds", tileSeconds));
  }

  /** Emits one {@link Tile} per claimed index; the restriction is the range of tile indices. */
  static final class PlanTilesFn extends DoFn<byte[], Tile> {
    private final long numTiles;
    private final long tileSamples;
    private final long numSamples;

    PlanTilesFn(long numTiles, long tileSamples, long numSamples) {
      this.numTiles = numTiles;
      this.tileSamples = tileSamples;
      this.numSamples = numSamples;
    }

    @GetInitialRestriction
    public OffsetRange initialRestriction(@Element byte[] impulse) {
      return new OffsetRange(0, numTiles);
    }

    @SplitRestriction
    public void split(@Restriction OffsetRange range, OutputReceiver<OffsetRange> out) {
      // Small splits so that a runner can spread tiles over workers from the start.
      for (OffsetRange part : range.split(16, 1)) {
        out.output(part);
      }
    }

    @ProcessElement
    public void process(RestrictionTracker<OffsetRange, Long> tracker, OutputReceiver<Tile> out) {
      for (long i = tracker.currentRestriction().getFrom(); tracker.tryClaim(i); i++) {
        long start = i * tileSamples;
        out.output(new Tile(i, start, Math.min(numSamples, start + tileSamples)));
      }
    }
  }
}
