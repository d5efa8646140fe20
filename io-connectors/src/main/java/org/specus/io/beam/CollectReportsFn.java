package org.specus.io.beam;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.transforms.Combine;

/** Gathers every tile's report into one list, sorted by tile index. */
final class CollectReportsFn extends Combine.CombineFn<TileReport, ArrayList<TileReport>, List<TileReport>> {
  @Override
  public ArrayList<TileReport> createAccumulator() {
    return new ArrayList<>();
  }

  @Override
  public ArrayList<TileReport> addInput(ArrayList<TileReport> acc, TileReport report) {
    acc.add(report);
    return acc;
  }

  @Override
  public ArrayList<TileReport> mergeAccumulators(Iterable<ArrayList<TileReport>> accs) {
    ArrayList<TileReport> all = new ArrayList<>();
    accs.forEach(all::addAll);
    return all;
  }

  @Override
  public List<TileReport> extractOutput(ArrayList<TileReport> acc) {
    acc.sort(Comparator.comparingLong(TileReport::index));
    return acc;
  }

  /**
   * Before a commit vouches for an output: every tile {@code 0..numTiles-1} reported exactly once
   * (a runner that retried a tile reports it once; anything else is a bug worth stopping for).
   */
  static void checkEveryTileOnce(Object root, List<TileReport> reports, long numTiles) {
    boolean[] seen = new boolean[Math.toIntExact(numTiles)];
    for (TileReport r : reports) {
      if (r.index() < 0 || r.index() >= numTiles || seen[(int) r.index()]) {
        throw new IllegalStateException(root + ": tile " + r.index() + " was reported twice or is out of range");
      }
      seen[(int) r.index()] = true;
    }
    if (reports.size() != numTiles) {
      throw new IllegalStateException(root + ": only " + reports.size() + " of " + numTiles + " tiles were written");
    }
  }
}
