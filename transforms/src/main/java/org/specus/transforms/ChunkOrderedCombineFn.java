package org.specus.transforms;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.values.KV;

/**
 * Combines per-chunk statistics (keyed by statistics-chunk index) by keeping every partial and
 * finishing them in chunk order. Floating-point sums depend on their order, and a runner merges
 * accumulators in whatever order it likes: finishing in chunk order is what makes the statistics,
 * and so the output, identical on every runner and at every parallelism. Each chunk must arrive
 * exactly once.
 *
 * @param <V> one chunk's partial statistics
 * @param <O> the combined result
 */
abstract class ChunkOrderedCombineFn<V extends Serializable, O extends Serializable>
    extends Combine.CombineFn<KV<Long, V>, ChunkOrderedCombineFn.Partials<V>, O> {
  private final String what;
  private final Class<O> outputClass;

  /** @param what what the statistics are for, in messages: "the whitening covariance" */
  ChunkOrderedCombineFn(String what, Class<O> outputClass) {
    this.what = what;
    this.outputClass = outputClass;
  }

  /** The combined result of every chunk's partial, in chunk order; never empty. */
  abstract O finish(SortedMap<Long, V> byChunk);

  static final class Partials<V> implements Serializable {
    final TreeMap<Long, V> byChunk = new TreeMap<>();

    // Value equality (partials are often arrays): runners compare encoded accumulators.
    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Partials<?> other) || !byChunk.keySet().equals(other.byChunk.keySet())) {
        return false;
      }
      return byChunk.entrySet().stream().allMatch(e -> Objects.deepEquals(e.getValue(), other.byChunk.get(e.getKey())));
    }

    @Override
    public int hashCode() {
      return byChunk.keySet().hashCode();
    }
  }

  @Override
  public Partials<V> createAccumulator() {
    return new Partials<>();
  }

  @Override
  public Partials<V> addInput(Partials<V> acc, KV<Long, V> input) {
    put(acc, input.getKey(), input.getValue());
    return acc;
  }

  @Override
  public Partials<V> mergeAccumulators(Iterable<Partials<V>> accumulators) {
    Partials<V> merged = new Partials<>();
    for (Partials<V> p : accumulators) {
      for (Map.Entry<Long, V> e : p.byChunk.entrySet()) {
        put(merged, e.getKey(), e.getValue());
      }
    }
    return merged;
  }

  @Override
  public O extractOutput(Partials<V> acc) {
    if (acc.byChunk.isEmpty()) {
      throw new IllegalStateException("no data reached " + what);
    }
    return finish(acc.byChunk);
  }

  private void put(Partials<V> acc, long chunk, V value) {
    if (acc.byChunk.put(chunk, value) != null) {
      throw new IllegalStateException("statistics chunk " + chunk + " reached " + what + " twice");
    }
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Coder<Partials<V>> getAccumulatorCoder(CoderRegistry registry, Coder<KV<Long, V>> in) {
    return (Coder) SerializableCoder.of(Partials.class);
  }

  @Override
  public Coder<O> getDefaultOutputCoder(CoderRegistry registry, Coder<KV<Long, V>> in) {
    return SerializableCoder.of(outputClass);
  }
}
