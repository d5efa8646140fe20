package org.specus.io.mef3;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.specus.io.RecordingException;

/**
 * One segment of a MEF 3.0 channel ({@code <ch>-NNNNNN.segd}): its metadata, and the block index
 * ({@code .tidx}: a 56-byte entry per RED block, in time order) and data ({@code .tdat}) files,
 * which are read in place. Only the metadata is held in memory; a read looks the blocks it needs up
 * in the index on disk, so memory does not grow with the segment's length.
 */
final class MefSegment {
  static final int INDEX_ENTRY_BYTES = 56;
  private static final int HEADER = SegmentMetadata.UNIVERSAL_HEADER_BYTES;

  final Path tidx;
  final Path tdat;
  final SegmentMetadata meta;
  final long numBlocks;

  private MefSegment(Path tidx, Path tdat, SegmentMetadata meta, long numBlocks) {
    this.tidx = tidx;
    this.tdat = tdat;
    this.meta = meta;
    this.numBlocks = numBlocks;
  }

  static MefSegment open(Path segd, String password) {
    String base = segd.getFileName().toString().replaceFirst("\\.segd$", "");
    Path tmet = segd.resolve(base + ".tmet");
    Path tidx = segd.resolve(base + ".tidx");
    Path tdat = segd.resolve(base + ".tdat");
    for (Path p : new Path[] {tmet, tidx, tdat}) {
      if (!Files.isRegularFile(p)) {
        throw RecordingException.in(segd, "segment has no " + p.getFileName());
      }
    }
    SegmentMetadata meta = SegmentMetadata.read(tmet, password);
    long blocks;
    try (FileChannel ch = FileChannel.open(tidx, StandardOpenOption.READ)) {
      byte[] header = new byte[HEADER];
      readFully(ch, ByteBuffer.wrap(header), 0, tidx);
      SegmentMetadata.checkHeader(tidx, header, "tidx");
      blocks = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getLong(32);
      long need = HEADER + blocks * INDEX_ENTRY_BYTES;
      if (blocks < 0 || ch.size() < need) {
        throw RecordingException.in(tidx, "its header lists " + blocks + " blocks (" + need + " bytes), the file has "
            + ch.size() + " bytes: truncated?");
      }
    } catch (IOException e) {
      throw RecordingException.in(tidx, "cannot read (" + e.getMessage() + ")");
    }
    try {
      if (Files.size(tdat) < HEADER) {
        throw RecordingException.in(tdat, "shorter than a MEF 3.0 header (" + Files.size(tdat) + " bytes)");
      }
    } catch (IOException e) {
      throw RecordingException.in(tdat, "cannot read (" + e.getMessage() + ")");
    }
    return new MefSegment(tidx, tdat, meta, blocks);
  }

  /** A block as the index describes it. */
  record Block(long fileOffset, long storedStartTime, int numSamples, int bytes) {}

  /** The index entries {@code [first, first + count)}, read from disk in one call. */
  Block[] blocks(FileChannel index, long first, int count) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(count * INDEX_ENTRY_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    readFully(index, b, HEADER + first * INDEX_ENTRY_BYTES, tidx);
    Block[] out = new Block[count];
    for (int i = 0; i < count; i++) {
      int e = i * INDEX_ENTRY_BYTES;
      out[i] = new Block(b.getLong(e), b.getLong(e + 8), b.getInt(e + 24), b.getInt(e + 28));
    }
    return out;
  }

  /** Stored (negated) start time of block {@code k}. */
  long storedStartTime(FileChannel index, long k) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(index, b, HEADER + k * INDEX_ENTRY_BYTES + 8, tidx);
    return b.getLong(0);
  }

  static void readFully(FileChannel ch, ByteBuffer dst, long position, Path file) throws IOException {
    long p = position;
    while (dst.hasRemaining()) {
      int n = ch.read(dst, p);
      if (n < 0) {
        throw RecordingException.in(file, "ends at byte " + p + ", before the " + dst.remaining()
            + " bytes the index points to: truncated?");
      }
      p += n;
    }
  }
}
