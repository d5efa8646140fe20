package org.specus.batch;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Progress of a batch. On a terminal, one line rewritten in place twice a second; otherwise (a log,
 * a systemd journal) a plain line at a fixed interval. Either way, one line per finished recording.
 *
 * <p>Tiles are counted as shard files in the output, as {@code ShardProgress} does: it works with any
 * runner that writes where this process can see, and a shard only appears once complete. The speed
 * counts only tiles this run computed (not shards kept from an interrupted run), in megabytes of
 * input per second. The ETA adds up the current recording's rest at its own pace and what
 * {@link RecordingTimes}, fitted on the recordings finished so far, predicts for the others.
 */
final class BatchProgress implements AutoCloseable {
  private final PrintStream out;
  private final boolean terminal;
  private final long intervalMillis;
  private final int recordingsTotal;
  private final long bytesTotal;
  private final Thread thread;
  private volatile boolean running = true;

  // The current recording; written by the batch thread, read by the progress thread.
  private volatile Current current;
  private volatile int recordingsDone;
  private volatile long bytesAccounted; // input bytes of recordings finished (or skipped) so far
  private final RecordingTimes times = new RecordingTimes(); // of the recordings this run computed

  private record Current(String name, Path output, long tilesTotal, long tilesAtStart, long inputBytes,
      long startNanos, Pace pace) {}

  /**
   * @param bytesTotal input bytes of every recording that will run
   * @param interval between plain lines when {@code terminal} is false
   */
  BatchProgress(PrintStream out, boolean terminal, Duration interval, int recordingsTotal, long bytesTotal) {
    this.out = out;
    this.terminal = terminal;
    this.intervalMillis = terminal ? 500 : Math.max(50, interval.toMillis());
    this.recordingsTotal = recordingsTotal;
    this.bytesTotal = bytesTotal;
    this.thread = new Thread(this::loop, "specus-batch-progress");
    thread.setDaemon(true);
    thread.start();
  }

  /** A recording starts; {@code tilesAtStart} shards are already there (a resumed run). */
  void begin(String name, Path output, long tilesTotal, long tilesAtStart, long inputBytes) {
    current = new Current(name, output, tilesTotal, tilesAtStart, inputBytes, System.nanoTime(), new Pace());
  }

  /** A recording is over, whatever happened; {@code inputBytes} counts towards the ETA. */
  void end(RecordingResult r, long inputBytes) {
    Current c = current;
    current = null;
    if (c != null && r.status() == RecordingResult.Status.DONE && r.tilesTotal() > 0) {
      times.add(inputBytes * r.tilesComputed() / r.tilesTotal(), (System.nanoTime() - c.startNanos()) / 1e9);
    }
    bytesAccounted += inputBytes;
    recordingsDone++;
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "[%d/%d] %s %s", recordingsDone,
        recordingsTotal, r.status().word(), r.input()));
    if (r.status() == RecordingResult.Status.DONE) {
      s.append(String.format(Locale.ROOT, ": %d tiles (%d computed, %d reused) in %.1f s", r.tilesTotal(),
          r.tilesComputed(), r.tilesReused(), r.wallSeconds()));
      if (r.timesRealTime() != null) {
        s.append(String.format(Locale.ROOT, ", %.2fx real time", r.timesRealTime()));
      }
    } else if (r.error() != null) {
      s.append(": ").append(r.error());
    }
    emit(s.toString(), true);
  }

  private void loop() {
    while (running) {
      try {
        Thread.sleep(intervalMillis);
      } catch (InterruptedException e) {
        return;
      }
      Current c = current;
      if (running && c != null) {
        emit(line(c), false);
      }
    }
  }

  private String line(Current c) {
    long tiles = BatchPlanner.shardsPresent(c.output());
    double elapsed = (System.nanoTime() - c.startNanos()) / 1e9;
    long computedTiles = Math.max(0, tiles - c.tilesAtStart());
    long currentComputed = c.tilesTotal() == 0 ? 0 : c.inputBytes() * computedTiles / c.tilesTotal();
    double rate = times.bytesPerSecond(currentComputed, elapsed);
    long currentLeft = c.tilesTotal() == 0 ? 0 : c.inputBytes() * (c.tilesTotal() - Math.min(tiles, c.tilesTotal()))
        / c.tilesTotal();
    long pendingBytes = Math.max(0, bytesTotal - bytesAccounted - c.inputBytes());
    int pending = Math.max(0, recordingsTotal - recordingsDone - 1);
    Pace pace = c.pace();
    pace.observe(currentComputed, elapsed);
    double eta = etaSeconds(times.fit(), pending, pendingBytes, c.inputBytes(), pace.bytes, currentLeft, pace.seconds);
    return format(recordingsDone, recordingsTotal, c.name(), tiles, c.tilesTotal(), rate, eta);
  }

  /**
   * The current recording's pace: {@link #bytes} computed in {@link #seconds}. Until its first tile,
   * nothing computed in the seconds since it started; then, from its first tile on, which is when
   * start-up and the statistics pass are over, so that the ETA does not spread them over every tile
   * left (counted from the start, early in a 30 s recording it said 42 s where about 20 were left).
   * Until a second observation has more tiles, the first tile's figures, start-up included. One per
   * recording, kept by the progress thread.
   */
  static final class Pace {
    private long firstBytes;
    private double firstSeconds;
    long bytes;
    double seconds;

    /** {@code computed} bytes are computed {@code elapsed} seconds after the recording began. */
    void observe(long computed, double elapsed) {
      if (firstBytes == 0 && computed > 0) {
        firstBytes = computed;
        firstSeconds = elapsed;
      }
      boolean sinceFirst = firstBytes > 0 && computed > firstBytes;
      bytes = sinceFirst ? computed - firstBytes : computed;
      seconds = sinceFirst ? elapsed - firstSeconds : elapsed;
    }
  }

  /**
   * Seconds left, or NaN when nothing says yet. The current recording (of {@code currentBytes},
   * {@code left} still to compute) goes on at its own {@link Pace}, {@code computed} bytes in
   * {@code elapsed} seconds; before its first tile ({@code computed} 0, {@code elapsed} since it
   * began), it takes what {@code fit} predicts. The {@code pending} recordings not yet started, of
   * {@code pendingBytes} in all, take what {@code fit} predicts when it has seen recordings of
   * their size, else the current recording's pace per byte.
   */
  static double etaSeconds(RecordingTimes.Fit fit, int pending, long pendingBytes, long currentBytes, long computed,
      long left, double elapsed) {
    double ownPerByte = computed > 0 ? elapsed / computed : Double.NaN;
    double current = computed > 0 ? ownPerByte * left
        : fit != null && fit.covers(currentBytes) ? Math.max(0, fit.seconds(currentBytes) - elapsed) : Double.NaN;
    boolean fitted = fit != null && pending > 0 && fit.covers(pendingBytes / pending);
    double rest = pending == 0 ? 0
        : fitted ? pending * fit.perRecording() + fit.perByte() * pendingBytes : ownPerByte * pendingBytes;
    return current + rest;
  }

  /** The progress line, e.g. {@code recordings 2/5 | a/b.ap.bin tiles 7/20 | 45.1 MB/s | ETA 1m05s}. */
  static String format(int recordingsDone, int recordingsTotal, String name, long tiles, long tilesTotal,
      double bytesPerSecond, double etaSeconds) {
    String eta = Double.isFinite(etaSeconds) ? duration(etaSeconds) : "unknown";
    return String.format(Locale.ROOT, "recordings %d/%d | %s tiles %d/%d | %.1f MB/s | ETA %s",
        recordingsDone, recordingsTotal, name, tiles, tilesTotal, bytesPerSecond / 1e6, eta);
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s >= 3600) {
      return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
    return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
  }

  private synchronized void emit(String line, boolean permanent) {
    if (terminal) {
      // \r + clear to end of line: the live line is replaced, a permanent line stays.
      out.print("\r\033[K" + line + (permanent ? "\n" : ""));
    } else {
      out.println(line);
    }
    out.flush();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
