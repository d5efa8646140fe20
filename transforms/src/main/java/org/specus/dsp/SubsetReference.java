package org.specus.dsp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Common reference over chosen channels, on a sample-major float32 block, in place: every channel
 * {@code c} has a reference set (a list of channels), and at each sample the median (or mean) of
 * that set is subtracted from it. One kernel covers the referencing schemes labs use:
 *
 * <ul>
 *   <li>per group (shank): one set per group, shared by its members ({@link #groupSets});
 *   <li>local annulus: each channel's own set, the channels at a distance in {@code (inner, outer]}
 *       µm ({@link #annulusSets}), as SpikeInterface's {@code reference='local'};
 *   <li>explicit reference channels: one set shared by every channel.
 * </ul>
 *
 * <p>All references of a sample are computed from the sample's values before any is subtracted,
 * so the order of channels does not matter. The median is numpy's (mean of the two middle values
 * in float32 for an even count, NaN if any value is NaN; a zero's sign as in
 * {@link CommonReference}): each set has its own {@link RowMedians}, which follows that set's
 * median from sample to sample (sets of {@value RowMedians#MIN_TRACKED} channels or more, e.g.
 * shanks; smaller ones, such as local annuli, use quickselect). The mean is accumulated in double
 * and rounded once.
 */
public final class SubsetReference {
  private SubsetReference() {}

  /**
   * @param sets the distinct reference sets (channel indices)
   * @param setOf index into {@code sets} for each channel, or -1 to leave the channel unchanged
   */
  public static void subtract(float[] block, int rows, int cols, int[][] sets, int[] setOf, boolean median) {
    subtract(block, rows, cols, sets, setOf, median, Simd.ENABLED);
  }

  /** {@link #subtract(float[], int, int, int[][], int[], boolean)} on the median path chosen by the caller (tests, benchmarks). */
  static void subtract(float[] block, int rows, int cols, int[][] sets, int[] setOf, boolean median,
      boolean vector) {
    SosFilter.checkBlock(block, rows, cols, block);
    if (setOf.length != cols) {
      throw new IllegalArgumentException("reference sets given for " + setOf.length + " channels, block has " + cols);
    }
    int largest = 0;
    for (int[] s : sets) {
      if (s.length == 0) {
        throw new IllegalArgumentException("a reference set is empty");
      }
      for (int c : s) {
        if (c < 0 || c >= cols) {
          throw new IllegalArgumentException("reference channel " + c + " is outside 0.." + (cols - 1));
        }
      }
      largest = Math.max(largest, s.length);
    }
    final float[] scratch = new float[largest];
    final float[] ref = new float[sets.length];
    final RowMedians[] medians = new RowMedians[median ? sets.length : 0];
    final int[] first = new int[sets.length]; // a set's first channel if its channels are consecutive, else -1
    for (int s = 0; s < medians.length; s++) {
      medians[s] = new RowMedians(sets[s].length, vector);
      first[s] = sets[s][0];
      for (int i = 1; i < sets[s].length; i++) {
        if (sets[s][i] != sets[s][0] + i) {
          first[s] = -1;
          break;
        }
      }
    }
    for (int t = 0; t < rows; t++) {
      final int off = t * cols;
      for (int s = 0; s < sets.length; s++) {
        final int[] set = sets[s];
        if (median) {
          if (first[s] >= 0) { // consecutive channels (e.g. a shank): read them in place
            ref[s] = medians[s].median(block, off + first[s], set.length);
          } else {
            for (int i = 0; i < set.length; i++) {
              scratch[i] = block[off + set[i]];
            }
            ref[s] = medians[s].median(scratch, 0, set.length);
          }
        } else {
          double sum = 0;
          for (int c : set) {
            sum += block[off + c];
          }
          ref[s] = (float) (sum / set.length);
        }
      }
      for (int c = 0; c < cols; c++) {
        final int s = setOf[c];
        if (s >= 0) {
          block[off + c] -= ref[s];
        }
      }
    }
  }

  /** One set per distinct group value, in increasing group order; {@code setOf} is filled in. */
  public static int[][] groupSets(int[] group, int[] setOf) {
    TreeMap<Integer, List<Integer>> members = new TreeMap<>();
    for (int c = 0; c < group.length; c++) {
      members.computeIfAbsent(group[c], g -> new ArrayList<>()).add(c);
    }
    int[][] sets = new int[members.size()][];
    int s = 0;
    for (List<Integer> m : members.values()) {
      sets[s] = m.stream().mapToInt(Integer::intValue).toArray();
      for (int c : sets[s]) {
        setOf[c] = s;
      }
      s++;
    }
    return sets;
  }

  /**
   * Each channel's neighbours at a Euclidean distance {@code d} with {@code inner < d <= outer}
   * (µm), in increasing channel order: SpikeInterface's local annulus. A channel may get an empty
   * set; the caller decides whether that is acceptable.
   */
  public static int[][] annulusSets(double[][] xy, double innerUm, double outerUm) {
    int n = xy.length;
    int[][] sets = new int[n][];
    int[] buf = new int[n];
    for (int c = 0; c < n; c++) {
      int k = 0;
      for (int o = 0; o < n; o++) {
        double dx = xy[o][0] - xy[c][0];
        double dy = xy[o][1] - xy[c][1];
        double d = Math.sqrt(dx * dx + dy * dy);
        if (d > innerUm && d <= outerUm) {
          buf[k++] = o;
        }
      }
      sets[c] = Arrays.copyOf(buf, k);
    }
    return sets;
  }
}
