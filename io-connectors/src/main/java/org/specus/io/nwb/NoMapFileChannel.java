package org.specus.io.nwb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A read-only {@link FileChannel} that refuses {@link #map}, for jhdf.
 *
 * <p>jhdf 0.13.0 reads every chunk (and every contiguous slab) with {@code FileChannel.map}: one
 * mapping per chunk, unmapped only when the garbage collector finds the buffer unreachable. Mapped
 * file pages count as the process's resident memory, and a reader that allocates little (as
 * {@link Hdf5Rows} does) lets the collector run rarely, so hundreds of MB of mappings could pile
 * up; {@code map} also takes the channel's position lock and the kernel's mm lock, which concurrent
 * readers then share. When {@code map} throws {@link UnsupportedOperationException}, jhdf falls back
 * (for good, per file) to positional reads into heap buffers, which are thread-safe and leave
 * nothing behind.
 *
 * <p>Everything else is delegated to a plain read-only channel on the file; writes throw
 * {@link NonWritableChannelException}. The one thing jhdf cannot do on a channel is resolve
 * <em>external</em> links (to other files), which needs the file's path: the NWB reader never
 * followed them (a linked {@code data} is not a dataset to it).
 */
final class NoMapFileChannel extends FileChannel {
  private final FileChannel in;

  private NoMapFileChannel(FileChannel in) {
    this.in = in;
  }

  static NoMapFileChannel open(Path file) throws IOException {
    return new NoMapFileChannel(FileChannel.open(file, StandardOpenOption.READ));
  }

  /** The channel reads go to (thread-safe positional reads). */
  FileChannel delegate() {
    return in;
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) {
    throw new UnsupportedOperationException("not mapped: read with positional reads instead");
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return in.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return in.read(dsts, offset, length);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return in.read(dst, position);
  }

  @Override
  public long position() throws IOException {
    return in.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    in.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return in.size();
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    return in.transferTo(position, count, target);
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) {
    throw new NonWritableChannelException();
  }

  @Override
  public int write(ByteBuffer src, long position) {
    throw new NonWritableChannelException();
  }

  @Override
  public FileChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) {
    throw new NonWritableChannelException();
  }

  @Override
  public void force(boolean metaData) throws IOException {
    in.force(metaData);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return in.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return in.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    in.close();
  }
}
