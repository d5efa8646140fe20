package org.specus.pipeline;

import java.util.Map;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;
import org.apache.beam.sdk.options.PipelineOptions;
import org.specus.io.beam.SideInputs;
import org.specus.io.beam.SignalBlock;
import org.specus.io.beam.TileOp;
import org.specus.io.beam.Tiles;

/**
 * TEST ONLY. Hooks that let the test suite provoke what it must survive; never set them in
 * production. There is one today: the system property {@value #TILE_DELAY_PROPERTY} (milliseconds)
 * makes every tile wait that long inside the sink's DoFn, after it was processed and before its
 * shard is written, so that a test can kill a Flink TaskManager while it is busy writing shards.
 *
 * <p>The property is read here and nowhere else, on the machine that builds the pipeline; it goes
 * into the hidden pipeline option {@code specusTestTileDelayMillis} (which workers receive with the
 * rest of the options) and into the serialized op that workers run. The op is added after the
 * provenance was taken, so the output is the same, byte for byte, with or without the delay.
 */
public final class TestHooks {
  public static final String TILE_DELAY_PROPERTY = "specus.test.tileDelayMillis";

  private TestHooks() {}

  /** The hidden pipeline option that carries the delay. */
  @Hidden
  public interface Options extends PipelineOptions {
    @Description("TEST ONLY: milliseconds every tile waits before its shard is written.")
    @Default.Long(0)
    long getSpecusTestTileDelayMillis();

    void setSpecusTestTileDelayMillis(long millis);
  }

  static long tileDelayMillis() {
    String value = System.getProperty(TILE_DELAY_PROPERTY);
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + TILE_DELAY_PROPERTY + " must be a number of milliseconds, got '" + value + "'");
    }
  }

  /**
   * {@code tiles} with a waiting step at the end of the chain when the pipeline's options ask for
   * it; otherwise {@code tiles} itself, so a normal run has no trace of this hook.
   */
  static Tiles slowDownIfAsked(Tiles tiles) {
    long delay = tiles.getPipeline().getOptions().as(Options.class).getSpecusTestTileDelayMillis();
    return delay > 0 ? tiles.then(new DelayOp(delay)) : tiles;
  }

  /** Sleeps, leaving the signal alone. */
  private record DelayOp(long millis) implements TileOp {
    @Override
    public String name() {
      return "test-delay";
    }

    @Override
    public int marginSamples() {
      return 0;
    }

    @Override
    public void apply(SignalBlock block, SideInputs sideInputs) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while delaying a tile (test hook)", e);
      }
    }

    @Override
    public Map<String, Object> describe() {
      return Map.of("test_delay_ms", millis);
    }
  }
}
