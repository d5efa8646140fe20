package org.specus.bench;

import java.util.ArrayList;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * How fast the cores multiply and add right now: each thread runs 12 independent chains of
 * preferred-width float FMAs (enough to keep the FMA units busy whatever their latency) and prints
 * its rate, in vector FMAs per second, every 0.25 s; at the end, the median and spread.
 *
 * <p>Why: the whitening product, half of a tile's CPU, is bound by these units, and on a shared VM
 * their speed moves with the host's other guests in ways the steal share does not show
 * (bench/README.md, "The cores' speed moves"). Running this beside or between harness runs says
 * which kind of moment the figures came from.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -cp bench/target/classes org.specus.bench.FmaProbe [SECONDS] [THREADS]}
 * (defaults 10 s, 1 thread).
 */
public final class FmaProbe {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final long WINDOW_NANOS = 250_000_000L;
  private static final int STEPS = 100_000;

  /** Where the chains' results go, so that the compiler cannot drop the work. */
  private static volatile float blackhole;

  private FmaProbe() {}

  /** {@code 12 * steps} vector FMAs; returns a value that depends on all of them. */
  static float burst(float[] seed, int steps) {
    FloatVector x = FloatVector.fromArray(S, seed, 0);
    FloatVector m = FloatVector.broadcast(S, 0.999999f);
    // Twelve named vectors, not an array: C2 keeps vectors in registers only as locals. Different
    // starting values, so that it cannot merge chains that would be identical.
    FloatVector c0 = x, c1 = x.add(1), c2 = x.add(2), c3 = x.add(3), c4 = x.add(4), c5 = x.add(5);
    FloatVector c6 = x.add(6), c7 = x.add(7), c8 = x.add(8), c9 = x.add(9), c10 = x.add(10), c11 = x.add(11);
    for (int i = 0; i < steps; i++) {
      c0 = c0.fma(m, x);
      c1 = c1.fma(m, x);
      c2 = c2.fma(m, x);
      c3 = c3.fma(m, x);
      c4 = c4.fma(m, x);
      c5 = c5.fma(m, x);
      c6 = c6.fma(m, x);
      c7 = c7.fma(m, x);
      c8 = c8.fma(m, x);
      c9 = c9.fma(m, x);
      c10 = c10.fma(m, x);
      c11 = c11.fma(m, x);
    }
    return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
        .reduceLanes(VectorOperators.ADD);
  }

  /** Rates (vector FMAs per second) of consecutive 0.25 s windows until {@code seconds} have passed. */
  static List<Double> measure(double seconds) {
    float[] seed = new float[S.length()];
    for (int i = 0; i < seed.length; i++) {
      seed[i] = 1e-3f * i;
    }
    float sink = 0;
    for (int i = 0; i < 200; i++) {
      sink += burst(seed, 10_000); // let C2 compile it before anything is timed
    }
    List<Double> rates = new ArrayList<>();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    for (long start = System.nanoTime(); start < end; start = System.nanoTime()) {
      long bursts = 0;
      long now;
      do {
        sink += burst(seed, STEPS);
        bursts++;
        now = System.nanoTime();
      } while (now - start < WINDOW_NANOS);
      rates.add(12.0 * STEPS * bursts / ((now - start) / 1e9));
    }
    blackhole = sink;
    return rates;
  }

  public static void main(String[] args) throws InterruptedException {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    if (!(seconds > 0) || threads < 1) {
      throw new IllegalArgumentException("usage: FmaProbe [SECONDS > 0] [THREADS >= 1]");
    }
    List<List<Double>> all = new ArrayList<>();
    List<Thread> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<Double> mine = new ArrayList<>();
      all.add(mine);
      Thread th = new Thread(() -> mine.addAll(measure(seconds)), "fma-probe-" + t);
      th.start();
      running.add(th);
    }
    for (Thread th : running) {
      th.join();
    }
    System.out.printf("%d-bit vectors (%d floats); vector FMAs per second per thread, 0.25 s windows:%n",
        S.vectorBitSize(), S.length());
    for (int t = 0; t < threads; t++) {
      List<Double> r = new ArrayList<>(all.get(t));
      r.sort(null);
      int n = r.size();
      System.out.printf("  thread %d: median %.3f G/s, 10th percentile %.3f, lowest %.3f, highest %.3f (%d windows)%n",
          t, r.get(n / 2) / 1e9, r.get(n / 10) / 1e9, r.get(0) / 1e9, r.get(n - 1) / 1e9, n);
    }
  }
}
