package org.specus.io.mef3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.Recording;
import org.specus.io.RecordingException;
import org.specus.io.Recordings;

/**
 * Two blocks decoded side by side ({@link RedBlock.Decoder#decodePair}) give what each gives alone,
 * whatever their lengths, limits and kinds; and a read that decodes a channel group's blocks in
 * pairs names the damaged one.
 */
class RedBlockPairTest {
  @TempDir
  Path tmp;

  @Test
  void everyPairDecodesAsEachBlockAlone() {
    Random rnd = new Random(11);
    List<int[]> signals = new ArrayList<>();
    List<byte[]> blocks = new ArrayList<>();
    for (int n : new int[] {1, 2, 5, 300, 3001, 30000}) {
      int[] s = signal(rnd, n);
      s[0] = 1000;
      signals.add(s);
      blocks.add(Mef3Writer.encode(s, n, -1, false));
    }
    // A lossy block, as meflib writes with detrending and scaling: the pair must undo both too.
    byte[] lossy = blocks.get(4).clone();
    ByteBuffer.wrap(lossy).order(ByteOrder.LITTLE_ENDIAN).putFloat(16, 0.5f).putFloat(20, -3f).putFloat(24, 2f)
        .putInt(0, MefCrc.of(lossy, 4, lossy.length));
    blocks.add(lossy);

    List<int[]> alone = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      int[] out = new int[30000];
      int n = new RedBlock.Decoder().decode(blocks.get(i), blocks.get(i).length, MefKeys.NONE, out, Integer.MAX_VALUE);
      alone.add(Arrays.copyOf(out, n));
      if (i < signals.size()) {
        assertArrayEquals(signals.get(i), alone.get(i), "block " + i + " alone");
      }
    }
    assertEquals(1998, alone.get(6)[0], "the lossy block's 1000, scaled by 2, then detrended: 2000 + 0.5 - 3, rounded");

    RedBlock.Decoder a = new RedBlock.Decoder();
    RedBlock.Decoder b = new RedBlock.Decoder();
    for (int i = 0; i < blocks.size(); i++) {
      for (int j = 0; j < blocks.size(); j++) {
        for (int limit : new int[] {Integer.MAX_VALUE, 1, 1149}) {
          int[] outA = new int[30001];
          int[] outB = new int[30001];
          assertEquals(alone.get(i).length, a.start(blocks.get(i), blocks.get(i).length, MefKeys.NONE, outA, limit));
          assertEquals(alone.get(j).length, b.start(blocks.get(j), blocks.get(j).length, MefKeys.NONE, outB,
              Integer.MAX_VALUE));
          RedBlock.Decoder.decodePair(a, b);
          a.finish();
          b.finish();
          int wanted = Math.min(limit, alone.get(i).length);
          String pair = "blocks " + i + " (limit " + limit + ") and " + j;
          assertArrayEquals(Arrays.copyOf(alone.get(i), wanted), Arrays.copyOf(outA, wanted), pair);
          assertEquals(0, outA[wanted], pair + ": nothing decoded past the limit");
          assertArrayEquals(alone.get(j), Arrays.copyOf(outB, alone.get(j).length), pair);
        }
      }
    }
  }

  @Test
  void aDamagedBlockAmongPairsIsNamedAndTheThreadReadsOnAfterIt() throws Exception {
    int nCh = 5;
    int block = 3000;
    int blocks = 4;
    Random rnd = new Random(5);
    List<String> names = IntStream.range(0, nCh).mapToObj(c -> "ch" + (c + 1)).toList();
    int[][] counts = new int[nCh][];
    try (Mef3Writer w = new Mef3Writer(tmp, "pairs", 30000, names, new double[] {1, 1, 1, 1, 1})) {
      for (int c = 0; c < nCh; c++) {
        counts[c] = signal(rnd, blocks * block);
        for (int k = 0; k < blocks; k++) {
          w.append(c, Arrays.copyOfRange(counts[c], k * block, (k + 1) * block), block,
              Mef3RoundTripTest.T0 + Math.round(k * block * 1e6 / 30000), false);
        }
      }
    }
    Path tdat = tmp.resolve("pairs.mefd/ch4.timd/ch4-000000.segd/ch4-000000.tdat");
    long[] offsets = blockOffsets(tdat);
    try (FileChannel ch = FileChannel.open(tdat, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, offsets[2] + 400);
      one.put(0, (byte) ~one.get(0)).rewind();
      ch.write(one, offsets[2] + 400);
    }
    try (Recording r = Recordings.open(tmp.resolve("pairs.mefd"))) {
      float[] all = new float[blocks * block * nCh];
      RecordingException e = assertThrows(RecordingException.class, () -> r.readFloat(0, blocks * block, all));
      assertEquals("ch4-000000.tdat: block 2 at byte " + offsets[2] + ": checksum mismatch (the block is damaged)",
          e.getMessage());
      // The failed read's blocks are dropped, not decoded into the next read's columns.
      float[] head = new float[2 * block * nCh];
      r.readFloat(0, 2 * block, head);
      for (int i = 0; i < 2 * block; i++) {
        for (int c = 0; c < nCh; c++) {
          assertEquals(counts[c][i], head[i * nCh + c], "sample " + i + " of ch" + (c + 1));
        }
      }
    }
  }

  /** Mostly one-byte steps, some jumps that need key samples. */
  private static int[] signal(Random rnd, int n) {
    int[] s = new int[n];
    int value = rnd.nextInt(1000);
    for (int i = 0; i < n; i++) {
      value = rnd.nextInt(50) == 0 ? rnd.nextInt(1 << 20) - (1 << 19) : value + rnd.nextInt(201) - 100;
      s[i] = value;
    }
    return s;
  }

  private static long[] blockOffsets(Path tdat) throws Exception {
    byte[] file = Files.readAllBytes(tdat);
    List<Long> at = new ArrayList<>();
    for (int p = 1024; p < file.length; p += ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getInt(p + 36)) {
      at.add((long) p);
    }
    return at.stream().mapToLong(Long::longValue).toArray();
  }
}
