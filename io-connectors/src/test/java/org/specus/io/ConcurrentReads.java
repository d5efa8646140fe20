package org.specus.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Random windows of rows read from four threads at once, each window checked by the caller. */
public final class ConcurrentReads {
  private ConcurrentReads() {}

  /** Reads and checks one window; failures are thrown (and rethrown by {@link #check}). */
  @FunctionalInterface
  public interface Window {
    void check(int start, int count) throws Exception;
  }

  /**
   * Runs {@code tasks} tasks on four threads; task t (seeded with t) checks {@code reads} windows,
   * each starting in {@code [0, rows)} and up to {@code maxCount} rows long (never past the end).
   */
  public static void check(int tasks, int reads, int rows, int maxCount, Window window) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < tasks; t++) {
        long seed = t;
        done.add(pool.submit(() -> {
          Random rnd = new Random(seed);
          for (int i = 0; i < reads; i++) {
            int start = rnd.nextInt(rows);
            window.check(start, rnd.nextInt(Math.min(maxCount, rows - start) + 1));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }
}
