package org.specus.io;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a new file front to back, past the page cache ({@code O_DIRECT}) where the file system
 * allows it: the caller puts bytes into a staging buffer ({@link #reserve}), whole blocks go to
 * the disk as the buffer fills, and {@link #finish} writes the last partial block padded and cuts
 * the file back to its real length.
 *
 * <p>Why: output is written once and never read back by this process. Through the page cache each
 * 46 MB shard is copied into cache pages, and once memory is full of cached output every new page
 * first costs the reclaim of an old one, charged to the writing thread: measured 20–110 ms of
 * kernel CPU per 1 s float32 tile of 384 channels, against ~2 ms direct, on this project's 2-core
 * machine, where the whole chain has ~250 ms of CPU per tile to reach 8× real time.
 *
 * <p>Where {@code O_DIRECT} is refused (tmpfs, some network file systems) or with
 * {@code -Dspecus.directIo=false}, the same bytes are written through the page cache. Not
 * thread-safe; one instance per file.
 */
public final class UncachedFileWriter implements AutoCloseable {
  /** Block alignment of direct writes (buffer address, file offset and length). */
  public static final int ALIGN = 4096;
  private static final boolean DIRECT_ALLOWED = !"false".equals(System.getProperty("specus.directIo"));

  private final FileChannel channel;
  private final boolean direct;
  private ByteBuffer staging;
  private long flushed; // bytes already in the file (a multiple of ALIGN when direct)

  private UncachedFileWriter(FileChannel channel, boolean direct, ByteBuffer staging) {
    this.channel = channel;
    this.direct = direct;
    this.staging = staging;
  }

  /**
   * Creates {@code file}, which must not exist. {@code staging} (from {@link #stagingBuffer}) is
   * used as the write buffer and may be reused for the next file once this one is finished.
   */
  public static UncachedFileWriter create(Path file, ByteBuffer staging) throws IOException {
    return create(file, staging, DIRECT_ALLOWED);
  }

  static UncachedFileWriter create(Path file, ByteBuffer staging, boolean tryDirect) throws IOException {
    if (!staging.isDirect() || staging.alignmentOffset(0, ALIGN) != 0 || staging.capacity() % ALIGN != 0) {
      throw new IllegalArgumentException("the staging buffer must come from UncachedFileWriter.stagingBuffer");
    }
    if (tryDirect) {
      try {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            ExtendedOpenOption.DIRECT);
        return new UncachedFileWriter(ch, true, staging.clear());
      } catch (UnsupportedOperationException e) {
        // no O_DIRECT on this platform: the page cache it is
      } catch (java.nio.file.FileAlreadyExistsException e) {
        throw e;
      } catch (IOException e) {
        // EINVAL from a file system without O_DIRECT: it may have created the file
        java.nio.file.Files.deleteIfExists(file);
      }
    }
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    return new UncachedFileWriter(ch, false, staging.clear());
  }

  /** An aligned direct little-endian buffer of at least {@code bytes} for {@link #create}. */
  public static ByteBuffer stagingBuffer(int bytes) {
    int capacity = Math.toIntExact(roundUp(bytes));
    return ByteBuffer.allocateDirect(capacity + ALIGN).alignedSlice(ALIGN).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Whether the bytes bypass the page cache. */
  public boolean direct() {
    return direct;
  }

  /**
   * The staging buffer with at least {@code bytes} free after its position: put the next bytes of
   * the file there and advance the position. Earlier bytes may be written out first, and the
   * buffer may be replaced by a larger one: always use the buffer this returns.
   */
  public ByteBuffer reserve(int bytes) throws IOException {
    if (staging.capacity() - staging.position() >= bytes) {
      return staging.limit(staging.capacity());
    }
    flushWholeBlocks();
    if (staging.capacity() - staging.position() < bytes) {
      ByteBuffer larger = stagingBuffer(staging.position() + bytes);
      staging.flip();
      larger.put(staging);
      staging = larger;
    }
    return staging.limit(staging.capacity());
  }

  /** The staging buffer in use (a larger one than was passed to {@link #create} if it had to grow). */
  public ByteBuffer staging() {
    return staging;
  }

  /** Bytes of the file so far, written or staged. */
  public long size() {
    return flushed + staging.position();
  }

  /** Writes out everything staged except the last partial block, which moves to the buffer's front. */
  private void flushWholeBlocks() throws IOException {
    int end = staging.position();
    int whole = direct ? end & -ALIGN : end;
    if (whole == 0) {
      return;
    }
    ByteBuffer out = staging.duplicate().position(0).limit(whole);
    while (out.hasRemaining()) {
      channel.write(out, flushed + out.position());
    }
    flushed += whole;
    // the tail (< ALIGN bytes) to the front
    ByteBuffer tail = staging.duplicate().position(whole).limit(end);
    staging.clear().put(tail);
  }

  /**
   * Writes the rest, cuts the file to {@link #size} and, if {@code fsync}, forces it to the disk.
   * The file is closed afterwards either way.
   */
  public void finish(boolean fsync) throws IOException {
    try {
      long size = size();
      if (direct) {
        int end = staging.position();
        int padded = (int) roundUp(end);
        // the padding is cut off below; zeroes rather than stale buffer bytes, in case of a crash in between
        for (int i = end; i < padded; i++) {
          staging.put(i, (byte) 0);
        }
        staging.position(padded);
      }
      flushWholeBlocks();
      if (direct) {
        channel.truncate(size);
      }
      if (fsync) {
        channel.force(true);
      }
    } finally {
      channel.close();
    }
  }

  private static long roundUp(long bytes) {
    return (bytes + ALIGN - 1) & -(long) ALIGN;
  }

  /** Closes without finishing (after a failure): the file is left incomplete for the caller to delete. */
  @Override
  public void close() throws IOException {
    if (channel.isOpen()) {
      channel.close();
    }
  }
}
