package org.specus.io.beam;

import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Spreads tiles over the workers in bundles of consecutive tiles: {@code tiles.apply(
 * SpreadTiles.inBundlesOf(4))}.
 *
 * <p>Why: without it, a list of tiles made by {@code Create} reaches the next step as one bundle
 * (Beam reads it as a single split), so one worker processed every statistics chunk while the
 * other core idled. Why bundles rather than single tiles: the DirectRunner sets up a step afresh
 * for every bundle (it re-translates the ParDo and serialises its DoFn, ~30 ms of CPU), which with
 * one tile per bundle was ~8 % of the main pass.
 *
 * <p>{@link #waitingFor} holds the tiles back until the side inputs of the step they go to are
 * ready, gathered into one element (one group of a single key). Why: the DirectRunner re-runs a
 * step whose side inputs are not ready every time anything else in the pipeline produces output,
 * setting the step up afresh each time (it translates the step to its proto form twice). Spread
 * before the whitening matrix existed, the main pass's 15 bundles were set up some 500 times
 * during a 1-minute run's statistics pass, on the cores that pass needed. Held back tile by tile,
 * the holding step itself was still set up ~1.4 times per tile (85 times at 1 minute, 417 at 5
 * minutes); as one element, 37-44 times at either length.
 */
public final class SpreadTiles extends PTransform<PCollection<Tile>, PCollection<Tile>> {
  private final int tilesPerBundle;
  private final List<PCollectionView<?>> awaited;

  private SpreadTiles(int tilesPerBundle, List<PCollectionView<?>> awaited) {
    this.tilesPerBundle = tilesPerBundle;
    this.awaited = awaited;
  }

  public static SpreadTiles inBundlesOf(int tilesPerBundle) {
    if (tilesPerBundle < 1) {
      throw new IllegalArgumentException("a bundle holds at least one tile, got " + tilesPerBundle);
    }
    return new SpreadTiles(tilesPerBundle, List.of());
  }

  /** Spreads the tiles only once {@code views} (the next step's side inputs) are ready. */
  public SpreadTiles waitingFor(List<PCollectionView<?>> views) {
    if (views == null) {
      throw new IllegalArgumentException("SpreadTiles.waitingFor: the side inputs are missing (pass an empty list)");
    }
    return new SpreadTiles(tilesPerBundle, List.copyOf(views));
  }

  @Override
  public PCollection<Tile> expand(PCollection<Tile> tiles) {
    final long n = tilesPerBundle;
    if (!awaited.isEmpty()) {
      tiles = tiles
          .apply("Gather", WithKeys.<Integer, Tile>of(0).withKeyType(TypeDescriptors.integers()))
          .apply("Group", GroupByKey.create())
          .apply("Wait for side inputs", ParDo.of(new PassFn()).withSideInputs(awaited));
    }
    return tiles
        .apply("Key by bundle", WithKeys.of((Tile t) -> t.index() / n).withKeyType(TypeDescriptors.longs()))
        .apply("Reshuffle", Reshuffle.of())
        .apply("Drop keys", Values.create());
  }

  /** Passes the gathered tiles on; its side inputs only make the runner hold them until they are ready. */
  private static final class PassFn extends DoFn<KV<Integer, Iterable<Tile>>, Tile> {
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<Tile>> all, OutputReceiver<Tile> out) {
      for (Tile tile : all.getValue()) {
        out.output(tile);
      }
    }
  }
}
