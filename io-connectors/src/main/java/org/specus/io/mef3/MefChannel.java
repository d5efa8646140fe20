package org.specus.io.mef3;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.specus.io.RecordingException;

/**
 * One time-series channel of a MEF 3.0 session ({@code <name>.timd}): its segments in order, and
 * reads of its samples placed on the session's sample grid. Each block lands at the grid index
 * nearest its start time, as MEF readers place them; grid samples no block covers (the gaps a
 * writer records as discontinuities) are left as the caller filled them.
 */
final class MefChannel {
  private static final int ENTRIES_PER_READ = 32;
  static final int NAN_SAMPLE = Integer.MIN_VALUE;

  final String name;
  final List<MefSegment> segments;

  private MefChannel(String name, List<MefSegment> segments) {
    this.name = name;
    this.segments = segments;
  }

  static MefChannel open(Path timd, String password) {
    String name = timd.getFileName().toString().replaceFirst("\\.timd$", "");
    List<Path> segds;
    try (Stream<Path> s = Files.list(timd)) {
      segds = s.filter(p -> p.getFileName().toString().endsWith(".segd") && Files.isDirectory(p)).sorted().toList();
    } catch (IOException e) {
      throw RecordingException.in(timd, "cannot list (" + e.getMessage() + ")");
    }
    if (segds.isEmpty()) {
      throw RecordingException.in(timd, "channel has no segments (.segd folders)");
    }
    List<MefSegment> segments = segds.stream().map(p -> MefSegment.open(p, password)).toList();
    MefSegment first = segments.get(0);
    for (MefSegment s : segments) {
      if (s.meta.samplingRate() != first.meta.samplingRate() || s.meta.unitsPerCount() != first.meta.unitsPerCount()) {
        throw RecordingException.in(timd, "segments disagree: " + first.tidx.getParent().getFileName() + " has "
            + first.meta.samplingRate() + " Hz and " + first.meta.unitsPerCount() + " units per count, "
            + s.tidx.getParent().getFileName() + " " + s.meta.samplingRate() + " Hz and " + s.meta.unitsPerCount());
      }
    }
    return new MefChannel(name, segments);
  }

  double samplingRate() {
    return segments.get(0).meta.samplingRate();
  }

  double unitsPerCount() {
    return segments.get(0).meta.unitsPerCount();
  }

  String units() {
    return segments.get(0).meta.units();
  }

  long storedStartTime() {
    return segments.get(0).meta.storedStartTime();
  }

  long storedEndTime() {
    return segments.get(segments.size() - 1).meta.storedEndTime();
  }

  long storedSamples() {
    return segments.stream().mapToLong(s -> s.meta.numSamples()).sum();
  }

  /** Reusable buffers of one reading thread. */
  static final class Scratch {
    int[][] columns = new int[0][];
    final PendingBlocks pending = new PendingBlocks();
    private BlockTail[] tails = new BlockTail[0];

    BlockTail tail(int channel) {
      if (channel >= tails.length) {
        tails = java.util.Arrays.copyOf(tails, channel + 1);
      }
      if (tails[channel] == null) {
        tails[channel] = new BlockTail();
      }
      return tails[channel];
    }
  }

  /**
   * The end of the last whole block a thread decoded for one channel. A tile's left margin lies at
   * the end of the block before it, which the same thread usually decoded for the tile before; keeping
   * its last samples saves decoding that block again (tiles of a 1 s block recording decoded ~3
   * blocks per channel without it).
   */
  static final class BlockTail {
    static final int SAMPLES = 8192;
    long key = -1;
    int from;
    final int[] samples = new int[SAMPLES];
  }

  /**
   * Makes ready this channel's counts for grid samples {@code [from, to)}: what {@code tail} holds
   * is written into {@code column[i - from]} now, the other blocks are fetched into {@code pending},
   * whose {@link PendingBlocks#decodeAll} writes them, and keeps the end of the last whole one in
   * {@code tail}. Samples in gaps are not written. {@link #NAN_SAMPLE} (MEF's "no value") is
   * written as 0.
   */
  void read(long from, long to, SampleGrid grid, int[] column, PendingBlocks pending, BlockTail tail)
      throws IOException {
    int lastWhole = -1;
    segments:
    for (int si = 0; si < segments.size(); si++) {
      MefSegment seg = segments.get(si);
      // The header's times bound the segment: a long channel of many segments opens only those a read needs.
      if (seg.numBlocks == 0 || grid.index(seg.meta.storedEndTime()) < from
          || grid.index(seg.meta.storedStartTime()) >= to) {
        continue;
      }
      try (FileChannel index = FileChannel.open(seg.tidx, StandardOpenOption.READ);
          FileChannel data = FileChannel.open(seg.tdat, StandardOpenOption.READ)) {
        long k = lastBlockStartingBy(seg, index, grid, from);
        while (k < seg.numBlocks) {
          int count = (int) Math.min(ENTRIES_PER_READ, seg.numBlocks - k);
          MefSegment.Block[] blocks = seg.blocks(index, k, count);
          for (int i = 0; i < count; i++, k++) {
            long start = grid.index(blocks[i].storedStartTime());
            if (start >= to) {
              break segments;
            }
            if (start + blocks[i].numSamples() > from) {
              int added = fetch(seg, (long) si << 40 | k, data, k, blocks[i], start, from, to, column, pending, tail);
              lastWhole = added >= 0 && start + blocks[i].numSamples() <= to ? added : lastWhole;
            }
          }
        }
      }
    }
    if (lastWhole >= 0) {
      pending.keepTail(lastWhole, tail);
    }
  }

  private long lastBlockStartingBy(MefSegment seg, FileChannel index, SampleGrid grid, long from) throws IOException {
    long lo = 0;
    long hi = seg.numBlocks - 1;
    while (lo < hi) {
      long mid = (lo + hi + 1) >>> 1;
      if (grid.index(seg.storedStartTime(index, mid)) <= from) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** Returns the block's place in {@code pending}, or -1 when {@code tail} held what was needed. */
  private int fetch(MefSegment seg, long key, FileChannel data, long k, MefSegment.Block b, long start, long from,
      long to, int[] column, PendingBlocks pending, BlockTail tail) throws IOException {
    int i0 = (int) Math.max(0, from - start);
    int i1 = (int) Math.min(b.numSamples(), to - start);
    int at = (int) (start + i0 - from);
    if (tail.key == key && i0 >= tail.from) {
      System.arraycopy(tail.samples, i0 - tail.from, column, at, i1 - i0);
      return -1;
    }
    if (b.bytes() < RedBlock.HEADER_BYTES || b.numSamples() < 0) {
      throw RecordingException.in(seg.tidx, "block " + k + " is listed with " + Integer.toUnsignedString(b.bytes())
          + " bytes and " + Integer.toUnsignedString(b.numSamples()) + " samples");
    }
    return pending.add(seg, data, k, b, i0, i1, column, at, key);
  }
}
