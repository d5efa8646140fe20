package org.specus.io.beam;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.specus.io.output.OutputStore;
import org.specus.io.sink.TileWriter;

/**
 * Runs a {@link Tiles} chain into an output format other than the primary Zarr v3 store (see
 * {@link org.specus.io.sink.OutputFormat}): the same shape as {@link ZarrSink} (each tile read,
 * processed and written inside one DoFn call; one commit after every tile has reported; the
 * completion marker last), with the format's {@link TileWriter} doing the writing.
 */
public final class FormatSink extends PTransform<Tiles, PCollection<SinkSummary>> {
  private final String formatName;
  private final transient Function<Tiles, TileWriter> writerFor;
  private final Map<String, Object> provenance;
  private final OutputStore.ResultKey resultKey;

  private FormatSink(String formatName, Function<Tiles, TileWriter> writerFor, Map<String, Object> provenance,
      OutputStore.ResultKey resultKey) {
    this.formatName = formatName;
    this.writerFor = writerFor;
    this.provenance = provenance;
    this.resultKey = resultKey;
  }

  /** {@code writerFor} builds the writer once the tiles (length, recording) are known. */
  public static FormatSink of(String formatName, Function<Tiles, TileWriter> writerFor) {
    return new FormatSink(formatName, writerFor, Map.of(), null);
  }

  public FormatSink withProvenance(Map<String, Object> p) {
    return new FormatSink(formatName, writerFor, new LinkedHashMap<>(p), resultKey);
  }

  public FormatSink withResultKey(OutputStore.ResultKey key) {
    return new FormatSink(formatName, writerFor, provenance, key);
  }

  @Override
  public PCollection<SinkSummary> expand(Tiles input) {
    if (resultKey == null) {
      throw new IllegalStateException("FormatSink needs withResultKey(...) so the completion marker says what it holds");
    }
    TileWriter writer = writerFor.apply(input);
    OpChain chain = input.chain();
    var views = chain.sideInputs();
    PCollection<TileReport> reports = input.tiles()
        .apply("Spread tiles", Reshuffle.viaRandomKey())
        .apply("Process and write tiles",
            ParDo.of(new WriteTileFn(input.recording(), chain, writer)).withSideInputs(views));
    return reports
        .apply("Collect reports", Combine.globally(new CollectReportsFn()))
        .apply("Commit", ParDo.of(new CommitTilesFn(input.recording(), chain, writer, input.numTiles(),
            new LinkedHashMap<>(provenance), resultKey)).withSideInputs(views));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("format", formatName));
  }
}
