package org.specus.io.beam;

import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
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
 */
public final class SpreadTiles extends PTransform<PCollection<Tile>, PCollection<Tile>> {
  private final int tilesPerBundle;

  private SpreadTiles(int tilesPerBundle) {
    this.tilesPerBundle = tilesPerBundle;
  }

  public static SpreadTiles inBundlesOf(int tilesPerBundle) {
    if (tilesPerBundle < 1) {
      throw new IllegalArgumentException("a bundle holds at least one tile, got " + tilesPerBundle);
    }
    return new SpreadTiles(tilesPerBundle);
  }

  @Override
  public PCollection<Tile> expand(PCollection<Tile> tiles) {
    final long n = tilesPerBundle;
    return tiles
        .apply("Key by bundle", WithKeys.of((Tile t) -> t.index() / n).withKeyType(TypeDescriptors.longs()))
        .apply("Reshuffle", Reshuffle.of())
        .apply("Drop keys", Values.create());
  }
}
