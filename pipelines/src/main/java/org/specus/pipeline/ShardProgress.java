package org.specus.pipeline;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.specus.io.sink.WrittenTiles;

/**
 * Reports progress by counting the tiles that exist in the output ({@link WrittenTiles}, any format): it works for any runner that
 * writes to a file system the command line can see, and a shard is only renamed into place once
 * it is complete.
 */
public final class ShardProgress implements AutoCloseable {
  private final Path output;
  private final long total;
  private final double recordingSeconds;
  private final PrintStream out;
  private final boolean terminal;
  private final long startNanos = System.nanoTime();
  private final Supplier<String> status;
  private final Thread thread;
  private volatile boolean running = true;

  public ShardProgress(Path output, long total, double recordingSeconds, PrintStream out) {
    this(output, total, recordingSeconds, out, () -> "");
  }

  /** {@code status} adds the runner's view to each line (e.g. a Flink job's state); "" for none. */
  public ShardProgress(Path output, long total, double recordingSeconds, PrintStream out, Supplier<String> status) {
    this.status = status;
    this.output = output;
    this.total = total;
    this.recordingSeconds = recordingSeconds;
    this.out = out;
    this.terminal = System.console() != null;
    this.thread = new Thread(this::loop, "specus-progress");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    long interval = terminal ? 500 : 10_000;
    while (running) {
      try {
        Thread.sleep(interval);
      } catch (InterruptedException e) {
        return;
      }
      if (running) {
        print(false);
      }
    }
  }

  private void print(boolean last) {
    long done = countShards();
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    double processed = recordingSeconds * done / Math.max(1, total);
    String line = String.format("  tiles %d/%d (%.0f%%), %.1f s elapsed, %.1fx real time",
        done, total, 100.0 * done / Math.max(1, total), elapsed, processed / Math.max(elapsed, 1e-9))
        + (last ? "" : status.get());
    if (terminal) {
      out.print("\r" + line + "\033[K" + (last ? "\n" : "")); // ESC[K: clear what a longer line left
    } else {
      out.println(line);
    }
    out.flush();
  }

  private long countShards() {
    return WrittenTiles.count(output);
  }


  @Override
  public void close() {
    running = false;
    thread.interrupt();
    if (terminal) {
      print(true);
    }
  }
}
