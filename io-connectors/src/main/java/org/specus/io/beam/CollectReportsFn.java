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
}
