package org.specus.io.raw;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Positional reads of whole frames (one frame = one sample of every stored channel) from a
 * recording file, bypassing the page cache ({@code O_DIRECT}) where the file system allows it.
 * Safe from several threads at once: each thread reads through its own buffer.
 *
 * <p>Why uncached: a preprocessing run reads each input byte once, and the page cache buys nothing
 * but costs a copy per byte and, once memory is full of cached input and output (tens of GB on a
 * long recording), the reclaim of an old page for every new one, charged to the reading thread.
 * Measured on a 384-channel file not in the cache: 20–50 ms of kernel CPU per 1 s tile buffered,
 * under 1 ms direct. A file already in the cache is read from the disk again (about 15 ms per tile
 * here), which other threads' compute hides.
 *
 * <p>Direct reads must start at, and cover, whole blocks of {@link #ALIGN} bytes into an aligned
 * buffer, so a read covers the blocks around the requested frames and hands over only the frames.
 * Where the file system refuses {@code O_DIRECT} (tmpfs, some network file systems), or with
 * {@code -Dspecus.directIo=false}, the same reads go through the page cache.
 */
public final class FrameReader implements AutoCloseable {
  /** Block alignment of direct reads; 4096 also satisfies devices with 512-byte sectors. */
  static final int ALIGN = 4096;
  private static final int BLOCK_BYTES = 4 << 20;
  private static final ThreadLocal<ByteBuffer> BLOCK = ThreadLocal.withInitial(() -> alignedBuffer(BLOCK_BYTES));
  private static final boolean DIRECT_ALLOWED = !"false".equals(System.getProperty("specus.directIo"));

  /** What to do with {@code count} whole frames (little-endian, position 0), the {@code done} frames before them already handed over. */
  public interface FrameSink {
    void accept(ByteBuffer frames, int count, int done);
  }

  private final Path file;
  private final FileChannel buffered;
  private final FileChannel direct; // null when the file system refuses O_DIRECT

  private FrameReader(Path file, FileChannel buffered, FileChannel direct) {
    this.file = file;
    this.buffered = buffered;
    this.direct = direct;
  }

  public static FrameReader open(Path file) throws IOException {
    return open(file, DIRECT_ALLOWED);
  }

  static FrameReader open(Path file, boolean tryDirect) throws IOException {
    FileChannel buffered = FileChannel.open(file, StandardOpenOption.READ);
    FileChannel direct = null;
    if (tryDirect) {
      try {
        direct = FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT);
      } catch (IOException | UnsupportedOperationException e) {
        direct = null; // the page cache it is
      }
    }
    return new FrameReader(file, buffered, direct);
  }

  /** Whether reads bypass the page cache. */
  public boolean direct() {
    return direct != null;
  }

  /**
   * Reads {@code frames} frames of {@code frameBytes} bytes starting at byte {@code firstByte},
   * handing them to {@code sink} in order, in pieces of at most ~4 MB. The buffer passed to the sink
   * is only valid during the call.
   */
  public void read(long firstByte, int frameBytes, long frames, FrameSink sink) throws IOException {
    ByteBuffer buf = frameBytes + 2 * ALIGN <= BLOCK_BYTES ? BLOCK.get() : alignedBuffer(frameBytes + 2 * ALIGN);
    long pos = firstByte;
    long left = frames;
    int done = 0;
    while (left > 0) {
      long start = direct != null ? pos & -ALIGN : pos;
      int skip = (int) (pos - start);
      int k = (int) Math.min(left, (buf.capacity() - skip) / frameBytes);
      int want = skip + k * frameBytes;
      fill(buf, start, want);
      ByteBuffer piece = buf.duplicate().limit(want).position(skip).slice().order(ByteOrder.LITTLE_ENDIAN);
      sink.accept(piece, k, done);
      done += k;
      left -= k;
      pos += (long) k * frameBytes;
    }
  }

  /** Fills {@code buf[0, want)} from byte {@code start} of the file. */
  private void fill(ByteBuffer buf, long start, int want) throws IOException {
    buf.clear();
    while (buf.position() < want) {
      int n;
      if (direct != null && buf.position() % ALIGN == 0) {
        // whole blocks, past want up to the next block boundary (the file may end before it)
        buf.limit(Math.min(buf.capacity(), roundUp(want)));
        n = direct.read(buf, start + buf.position());
      } else {
        // an unaligned continuation after a short direct read, or no direct reads at all
        buf.limit(want);
        n = buffered.read(buf, start + buf.position());
      }
      if (n <= 0) { // a positional read of a regular file returns 0 only at its end, as -1 does
        throw new EOFException(file.getFileName() + ": ended at byte " + (start + buf.position())
            + " while reading (file shrank since it was opened?)");
      }
    }
  }

  private static int roundUp(int bytes) {
    return (bytes + ALIGN - 1) & -ALIGN;
  }

  private static ByteBuffer alignedBuffer(int bytes) {
    return ByteBuffer.allocateDirect(roundUp(bytes) + ALIGN).alignedSlice(ALIGN).order(ByteOrder.LITTLE_ENDIAN);
  }

  @Override
  public void close() throws IOException {
    try {
      buffered.close();
    } finally {
      if (direct != null) {
        direct.close();
      }
    }
  }
}
