package org.specus.bench;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.specus.io.zarr.blosc.BloscDecoder;
import org.specus.io.zarr.blosc.BloscEncoder;
import org.specus.io.zarr.blosc.ShuffleMode;

/**
 * Output codec candidates on one whitened tile (30000 samples x 384 channels): plain zstd on the
 * raw bytes and Blosc+zstd with byte shuffle or bitshuffle, for float32 and int16. Prints, per
 * codec, the compression ratio and the best single-thread encode and decode time of {@code ROUNDS}
 * runs, as wall time and as the thread's CPU time (the figure to trust on a shared machine, where
 * wall time includes waiting for a core). Direct buffers in and out for encoding, as a pooled writer
 * would use them; Blosc decoding is {@link BloscDecoder}'s (arrays).
 *
 * <p>Usage: {@code java -cp bench/target/classes:$(cat bench/target/runtime-classpath.txt)
 * org.specus.bench.BloscCodecBench [F32_FILE I16_FILE] [ROUNDS] [BLOCKSIZES...]}; without files
 * the tile is Gaussian noise from {@link Random} (the numbers in the report came from numpy's
 * {@code default_rng(0).standard_normal((30000, 384), dtype=float32)} and {@code round(200 x)} as
 * int16, written with {@code tofile}). BLOCKSIZES in bytes, 0 = c-blosc's automatic choice
 * (default: {@link BloscEncoder#DEFAULT_BLOCK_SIZE} and 0).
 */
public final class BloscCodecBench {
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private BloscCodecBench() {}

  /** Best wall and CPU nanoseconds of {@code rounds} runs of {@code run}; returns what the last run returned. */
  private interface Run {
    int run() throws IOException;
  }

  private static int time(int rounds, long[] best, Run run) throws IOException {
    best[0] = Long.MAX_VALUE;
    best[1] = Long.MAX_VALUE;
    int result = 0;
    for (int r = 0; r < rounds; r++) {
      long c0 = CPU.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      result = run.run();
      best[0] = Math.min(best[0], System.nanoTime() - t0);
      best[1] = Math.min(best[1], CPU.getCurrentThreadCpuTime() - c0);
    }
    return result;
  }

  public static void main(String[] args) throws IOException {
    ByteBuffer f32;
    ByteBuffer i16;
    int argi = 0;
    if (args.length >= 2 && !args[0].matches("\\d+")) {
      f32 = load(Path.of(args[0]));
      i16 = load(Path.of(args[1]));
      argi = 2;
    } else {
      f32 = ByteBuffer.allocateDirect(30000 * 384 * 4).order(ByteOrder.LITTLE_ENDIAN);
      i16 = ByteBuffer.allocateDirect(30000 * 384 * 2).order(ByteOrder.LITTLE_ENDIAN);
      Random rnd = new Random(0);
      while (f32.hasRemaining()) {
        float v = (float) rnd.nextGaussian();
        f32.putFloat(v);
        i16.putShort((short) Math.round(200.0 * v));
      }
      f32.flip();
      i16.flip();
    }
    int rounds = args.length > argi ? Integer.parseInt(args[argi++]) : 5;
    List<Integer> blockSizes = new ArrayList<>();
    for (int i = argi; i < args.length; i++) {
      blockSizes.add(Integer.parseInt(args[i]));
    }
    if (blockSizes.isEmpty()) {
      blockSizes.add(BloscEncoder.DEFAULT_BLOCK_SIZE);
      blockSizes.add(0);
    }
    System.out.println("dtype,codec,blocksize,ratio,encode_ms,encode_cpu_ms,decode_ms,decode_cpu_ms,encoded_bytes");
    long[] enc = new long[2];
    long[] dec = new long[2];
    for (ByteBuffer tile : List.of(f32, i16)) {
      String dtype = tile == f32 ? "float32" : "int16";
      int typeSize = tile == f32 ? 4 : 2;
      int size = tile.remaining();
      ByteBuffer out = ByteBuffer.allocateDirect(Math.toIntExact(Zstd.compressBound(size)));
      ByteBuffer back = ByteBuffer.allocateDirect(size);
      for (int level : new int[] {-1, 1, 3}) {
        try (ZstdCompressCtx z = new ZstdCompressCtx()) {
          z.setLevel(level).setChecksum(false).setContentSize(true);
          int n = time(rounds, enc, () -> z.compressDirectByteBuffer(out, 0, out.capacity(), tile, 0, size));
          time(rounds, dec, () -> (int) Zstd.decompressDirectByteBuffer(back, 0, size, out, 0, n));
          print(dtype, "zstd " + level, 0, size, n, enc, dec);
        }
      }
      for (int clevel : new int[] {1, 3}) {
        for (ShuffleMode shuffle : List.of(ShuffleMode.SHUFFLE, ShuffleMode.BITSHUFFLE)) {
          for (int bs : blockSizes) {
            BloscEncoder.Options o = new BloscEncoder.Options(clevel, shuffle, typeSize, bs);
            try (BloscEncoder e = new BloscEncoder(o)) {
              int n = time(rounds, enc, () -> {
                out.clear();
                return e.encode(tile.duplicate(), out);
              });
              byte[] chunk = new byte[n];
              out.get(0, chunk);
              time(rounds, dec, () -> BloscDecoder.decode(chunk, size).length);
              print(dtype, "blosc zstd clevel " + clevel + " " + shuffle.zarrName(), o.blockSizeFor(size), size, n,
                  enc, dec);
            }
          }
        }
      }
    }
  }

  private static void print(String dtype, String codec, int blockSize, int raw, int encoded, long[] enc, long[] dec) {
    System.out.printf(Locale.ROOT, "%s,%s,%d,%.4f,%.1f,%.1f,%.1f,%.1f,%d%n", dtype, codec, blockSize,
        (double) raw / encoded, enc[0] / 1e6, enc[1] / 1e6, dec[0] / 1e6, dec[1] / 1e6, encoded);
  }

  private static ByteBuffer load(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file)) {
      ByteBuffer b = ByteBuffer.allocateDirect(Math.toIntExact(ch.size()));
      while (b.hasRemaining() && ch.read(b) >= 0) {
        // read it all
      }
      return b.flip();
    }
  }
}
