package org.specus.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.PCollectionView;
import org.junit.jupiter.api.Test;
import org.specus.io.beam.SpreadTiles;
import org.specus.io.beam.Tile;

/**
 * Tiles spread while the next step's side input is still being computed must not make the
 * DirectRunner set that step up over and over: with {@code waitingFor}, each bundle starts once.
 */
class SpreadTilesWaitTest {
  private static final int TILES = 8;
  // Static: the DirectRunner runs deserialised copies of the DoFns.
  private static final AtomicInteger BUNDLES_STARTED = new AtomicInteger();
  private static final AtomicInteger TILES_SEEN = new AtomicInteger();

  /** A side input that takes a while and produces output along the way (each makes the runner retry blocked work). */
  private static final class SlowFn extends DoFn<Tile, Long> {
    @ProcessElement
    public void process(@Element Tile t, OutputReceiver<Long> out) throws InterruptedException {
      Thread.sleep(20);
      out.output(t.index());
    }
  }

  private static final class CountingFn extends DoFn<Tile, Void> {
    private final PCollectionView<Long> total;

    CountingFn(PCollectionView<Long> total) {
      this.total = total;
    }

    @StartBundle
    public void start() {
      BUNDLES_STARTED.incrementAndGet();
    }

    @ProcessElement
    public void process(ProcessContext c) {
      assertEquals(40L * 39 / 2, c.sideInput(total));
      TILES_SEEN.incrementAndGet();
    }
  }

  private static List<Tile> tiles(int n) {
    List<Tile> tiles = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tiles.add(new Tile(i, i * 100L, (i + 1) * 100L));
    }
    return tiles;
  }

  @Test
  void theStepAfterTheWaitStartsEachBundleOnce() {
    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setTargetParallelism(2);
    Pipeline p = Pipeline.create(options);
    PCollectionView<Long> total = p
        .apply("Side chunks", Create.of(tiles(40)).withCoder(SerializableCoder.of(Tile.class)))
        .apply("Spread side chunks", SpreadTiles.inBundlesOf(1))
        .apply("Slow", ParDo.of(new SlowFn()))
        .apply("Total", Sum.longsGlobally().asSingletonView());
    p.apply("Tiles", Create.of(tiles(TILES)).withCoder(SerializableCoder.of(Tile.class)))
        .apply("Spread tiles", SpreadTiles.inBundlesOf(1).waitingFor(List.of(total)))
        .apply("Count", ParDo.of(new CountingFn(total)).withSideInputs(total));
    BUNDLES_STARTED.set(0);
    TILES_SEEN.set(0);
    p.run().waitUntilFinish();
    assertEquals(TILES, TILES_SEEN.get());
    // Without the wait this was ~100 on this machine: the blocked bundles re-run after every output.
    assertTrue(BUNDLES_STARTED.get() <= TILES, BUNDLES_STARTED.get() + " bundles started for " + TILES + " tiles");
  }
}
