package org.specus.dsp;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Local ZCA whitening: each output channel is whitened from its own neighbourhood only. For
 * channel {@code c} with neighbourhood {@code N(c)} (which contains {@code c}), the ZCA matrix of
 * the covariance sub-block {@code C[N(c), N(c)]} is computed and its row for {@code c} becomes row
 * {@code c} of W (zeros outside {@code N(c)}), so {@code y_c = Σ_{j∈N(c)} W_cj x_j}.
 *
 * <p>Neighbourhoods as the peers define them: SpikeInterface's {@code mode='local'} takes the
 * channels within {@code radius_um} (distance {@code <=} radius, default 100 µm); Kilosort takes
 * the {@code k} nearest channels (32), itself included. Ties in distance are broken by channel
 * index (Kilosort's unstable argsort leaves them unspecified), so W does not depend on sort
 * details.
 */
public final class LocalWhitening {
  private LocalWhitening() {}

  /** Channels within {@code radiusUm} of each channel (itself included), in increasing index order. */
  public static int[][] withinRadius(double[][] xy, double radiusUm) {
    int n = xy.length;
    int[][] hoods = new int[n][];
    for (int c = 0; c < n; c++) {
      final int cc = c;
      hoods[c] = IntStream.range(0, n).filter(o -> distance(xy, cc, o) <= radiusUm).toArray();
    }
    return hoods;
  }

  /** The {@code k} nearest channels of each channel (itself included), nearest first, ties by index. */
  public static int[][] nearest(double[][] xy, int k) {
    int n = xy.length;
    int m = Math.min(k, n);
    int[][] hoods = new int[n][];
    for (int c = 0; c < n; c++) {
      final int cc = c;
      Integer[] order = new Integer[n];
      for (int o = 0; o < n; o++) {
        order[o] = o;
      }
      Arrays.sort(order, Comparator.<Integer>comparingDouble(o -> distance(xy, cc, o)).thenComparingInt(o -> o));
      hoods[c] = new int[m];
      for (int i = 0; i < m; i++) {
        hoods[c][i] = order[i];
      }
    }
    return hoods;
  }

  /** Row-major n×n local W from the full n×n covariance; each neighbourhood's ZCA uses {@code eps}. */
  public static double[] matrix(double[] cov, int n, int[][] neighbourhoods, double eps) {
    if (neighbourhoods.length != n || cov.length != n * n) {
      throw new IllegalArgumentException("need an n×n covariance and one neighbourhood per channel (n = " + n + ")");
    }
    double[] w = new double[n * n];
    for (int c = 0; c < n; c++) {
      int[] hood = neighbourhoods[c];
      int self = -1;
      for (int i = 0; i < hood.length; i++) {
        if (hood[i] == c) {
          self = i;
        }
      }
      if (self < 0) {
        throw new IllegalArgumentException("the neighbourhood of channel " + c + " does not contain it");
      }
      int m = hood.length;
      double[] sub = new double[m * m];
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < m; j++) {
          sub[i * m + j] = cov[hood[i] * n + hood[j]];
        }
      }
      double[] local = Zca.whiteningMatrix(sub, m, eps);
      for (int j = 0; j < m; j++) {
        w[c * n + hood[j]] = local[self * m + j];
      }
    }
    return w;
  }

  private static double distance(double[][] xy, int a, int b) {
    double dx = xy[a][0] - xy[b][0];
    double dy = xy[a][1] - xy[b][1];
    return Math.sqrt(dx * dx + dy * dy);
  }
}
