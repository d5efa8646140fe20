package org.specus.io.mef3;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.Comparator;
import org.specus.io.RecordingException;

/**
 * The blocks one read of a few channels needs decoded, fetched first and then decoded two at a
 * time ({@link RedBlock.Decoder#decodePair}): a block's range decoding is one chain of dependent
 * divisions, and two chains side by side keep the CPU busier than one. Blocks are paired by the
 * number of samples wanted from them, so that a block's whole pairs with another whole one and a
 * margin's few samples with another margin's.
 *
 * <p>One per reading thread; its buffers are kept from read to read.
 */
final class PendingBlocks {
  private final RedBlock.Decoder first = new RedBlock.Decoder();
  private final RedBlock.Decoder second = new RedBlock.Decoder();
  private int[] samplesFirst = new int[0];
  private int[] samplesSecond = new int[0];
  private Pending[] pending = new Pending[0];
  private int size;

  /** A block fetched, and where its samples go. */
  private static final class Pending {
    byte[] bytes = new byte[0];
    MefSegment segment;
    long index;
    MefSegment.Block block;
    int from; // first sample wanted
    int to; // end of the samples wanted: the decoding stops there
    int[] column;
    int at; // where sample from goes in column
    MefChannel.BlockTail tail; // null unless the block's end is kept for the next read
    long key;
  }

  /**
   * Fetches block {@code index} of {@code segment}, whose samples {@code [from, to)} go to
   * {@code column} from {@code at}, and returns its place for {@link #keepTail}.
   */
  int add(MefSegment segment, FileChannel data, long index, MefSegment.Block block, int from, int to, int[] column,
      int at, long key) throws IOException {
    if (size == pending.length) {
      pending = Arrays.copyOf(pending, Math.max(16, 2 * size));
    }
    if (pending[size] == null) {
      pending[size] = new Pending();
    }
    Pending p = pending[size];
    if (p.bytes.length < block.bytes()) {
      p.bytes = new byte[block.bytes()];
    }
    MefSegment.readFully(data, ByteBuffer.wrap(p.bytes, 0, block.bytes()), block.fileOffset(), segment.tdat);
    p.segment = segment;
    p.index = index;
    p.block = block;
    p.from = from;
    p.to = to;
    p.column = column;
    p.at = at;
    p.tail = null;
    p.key = key;
    return size++;
  }

  /** Block {@code added}, read whole, leaves its end in {@code tail} under its key when decoded. */
  void keepTail(int added, MefChannel.BlockTail tail) {
    pending[added].tail = tail;
  }

  /** Decodes every block added since the last {@link #clear} into its column, two at a time. */
  void decodeAll() {
    Arrays.sort(pending, 0, size, Comparator.comparingInt(p -> p.to));
    int i = 0;
    for (; i + 1 < size; i += 2) {
      Pending a = pending[i];
      Pending b = pending[i + 1];
      samplesFirst = room(samplesFirst, a.block.numSamples());
      samplesSecond = room(samplesSecond, b.block.numSamples());
      start(first, a, samplesFirst);
      start(second, b, samplesSecond);
      RedBlock.Decoder.decodePair(first, second);
      finish(first, a, samplesFirst);
      finish(second, b, samplesSecond);
    }
    if (i < size) {
      samplesFirst = room(samplesFirst, pending[i].block.numSamples());
      start(first, pending[i], samplesFirst);
      finish(first, pending[i], samplesFirst);
    }
  }

  /** Forgets the blocks added, decoded or not (a read that failed leaves some behind). */
  void clear() {
    for (int j = 0; j < size; j++) {
      pending[j].column = null; // the caller's array is not held past its read
    }
    size = 0;
  }

  private static int[] room(int[] samples, int n) {
    return samples.length < n ? new int[n] : samples;
  }

  private static void start(RedBlock.Decoder d, Pending p, int[] samples) {
    int n;
    try {
      n = d.start(p.bytes, p.block.bytes(), p.segment.meta.keys(), samples, p.to);
    } catch (IllegalArgumentException e) {
      throw damaged(p, e.getMessage());
    }
    if (n != p.block.numSamples()) {
      throw damaged(p, "holds " + n + " samples, the index says " + p.block.numSamples());
    }
  }

  private static void finish(RedBlock.Decoder d, Pending p, int[] s) {
    try {
      d.finish();
    } catch (IllegalArgumentException e) {
      throw damaged(p, e.getMessage());
    }
    int n = p.block.numSamples();
    int keptFrom = Math.max(0, n - MefChannel.BlockTail.SAMPLES);
    for (int i = p.tail != null ? Math.min(p.from, keptFrom) : p.from; i < p.to; i++) {
      s[i] = s[i] == MefChannel.NAN_SAMPLE ? 0 : s[i];
    }
    System.arraycopy(s, p.from, p.column, p.at, p.to - p.from);
    if (p.tail != null) {
      p.tail.key = p.key;
      p.tail.from = keptFrom;
      System.arraycopy(s, keptFrom, p.tail.samples, 0, n - keptFrom);
    }
  }

  private static RecordingException damaged(Pending p, String problem) {
    return RecordingException.in(p.segment.tdat, "block " + p.index + " at byte " + p.block.fileOffset() + ": "
        + problem);
  }
}
