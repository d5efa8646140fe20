package org.specus.io.beam;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.specus.io.Recording;
import org.specus.io.StageTimes;

/**
 * One span of a recording read by a background thread while the worker computes the tile before
 * it: {@link #start} the next tile's span, then {@link #take} it when its turn comes.
 *
 * <p>Why: reads bypass the page cache ({@code FrameReader}), so a worker that reads its next tile
 * itself waits for the disk (~25 ms of a ~36 ms read per 1 s tile on the 2-core machine, with the
 * disk also taking the writes). With three workers on two cores a third one mostly fills that
 * wait, but not always: ~6 % of the CPU time was iowait in a 5-minute main pass.
 *
 * <p>The span is held as int16 counts (half the size of the float block it becomes: ~25 MB for a
 * 1 s tile of 384 channels with margins), and only for recordings that store int16; others are
 * read when needed, as before. The counts live in a direct buffer, outside the Java heap: as one
 * more heap array per worker, next to the two float blocks that G1 cannot move (humongous
 * objects), they left too little contiguous room, and 2 of ~20 five-minute runs ended in
 * {@code OutOfMemoryError} at the default 640 MB heap. {@link Recording#readInt16} is exact, so a tile read ahead holds
 * the same floats as one read by {@link Recording#readFloat}. A span that is not the one asked
 * for (the runner delivered tiles in another order) is dropped, and the tile read as usual.
 *
 * <p>Not thread-safe: one instance belongs to one DoFn instance, which processes one tile at a time.
 */
final class ReadAhead implements AutoCloseable {
  /** {@code -Dspecus.readAhead=false} reads every tile when its turn comes (~75 MB less at 3 workers). */
  static final boolean ENABLED = !"false".equals(System.getProperty("specus.readAhead"));
  private final String stage;
  private ThreadPoolExecutor thread;
  private ShortBuffer counts; // direct: outside the heap (see the class comment)
  private final short[] piece = new short[8192];
  private Future<?> pending;
  private long from;
  private long to;
  private int values;
  private boolean refused; // the recording does not store int16
  private long taken;

  /** {@code stage} names the background reads in {@link StageTimes}, e.g. {@code "main.read_ahead"}. */
  ReadAhead(String stage) {
    this.stage = stage;
  }

  /** Starts reading {@code [from, to)} of {@code recording}, unless a read is already pending. */
  void start(Recording recording, long from, long to) {
    if (refused || pending != null) {
      return;
    }
    int n = Math.toIntExact((to - from) * recording.numChannels());
    if (counts == null || counts.capacity() < n) {
      counts = null; // let the old buffer go before the new one is taken
      counts = ByteBuffer.allocateDirect(2 * n).order(ByteOrder.nativeOrder()).asShortBuffer();
    }
    if (thread == null) {
      thread = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
        Thread t = new Thread(r, "specus-read-ahead");
        t.setDaemon(true);
        return t;
      });
      thread.allowCoreThreadTimeOut(true); // an idle instance keeps no thread
    }
    ShortBuffer dst = counts;
    this.from = from;
    this.to = to;
    this.values = n;
    pending = thread.submit(() -> {
      StageTimes.Mark m = StageTimes.mark();
      recording.readInt16(from, to, dst);
      StageTimes.lap(stage, m);
      return null;
    });
  }

  /**
   * Puts {@code [from, to)} into {@code dst} as floats if that is the span read ahead, waiting for
   * the read to finish; returns false otherwise (nothing read ahead, another span, or the read
   * failed: the caller then reads the span itself, and reports any error with its own context).
   */
  boolean take(long from, long to, float[] dst) {
    if (pending == null) {
      return false;
    }
    if (!await() || from != this.from || to != this.to) {
      return false;
    }
    for (int done = 0; done < values; done += piece.length) {
      int n = Math.min(piece.length, values - done);
      counts.get(done, piece, 0, n);
      for (int i = 0; i < n; i++) {
        dst[done + i] = piece[i];
      }
    }
    taken++;
    return true;
  }

  /** How many spans {@link #take} has served. */
  long taken() {
    return taken;
  }

  /** Waits for the pending read; true if it succeeded. Clears it either way. */
  private boolean await() {
    Future<?> f = pending;
    pending = null;
    boolean interrupted = false;
    try {
      while (true) {
        try {
          f.get();
          return true;
        } catch (InterruptedException e) {
          interrupted = true; // the buffer must not be reused while the read may still write to it
        }
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnsupportedOperationException) {
        refused = true;
      }
      return false;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits for a pending read and lets the thread and the buffer go. */
  @Override
  public void close() {
    if (pending != null) {
      await();
    }
    if (thread != null) {
      thread.shutdown();
      thread = null;
    }
    counts = null;
  }
}
