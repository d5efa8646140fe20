package org.specus.io.mef3;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A MEF 3.0 writer for tests and benchmarks, written from the format's description: lossless RED
 * blocks (difference stream, 8-bit symbol table, range coder), one segment per channel, times
 * stored negated with a recording time offset of 0, as meflib writes them. The reader is checked
 * against meflib's own files ({@link Mef3GoldenTest}); this writer lets tests make sessions of any
 * size and shape without them, and {@link #main} converts a SpikeGLX recording for
 * {@code bench/readers.sh}.
 *
 * <p>Streaming: blocks are appended channel by channel and the headers are written on close, so a
 * recording of any length is converted in bounded memory.
 */
public final class Mef3Writer implements Closeable {
  private static final int UH = 1024;
  private final List<Channel> channels = new ArrayList<>();
  private final String session;
  private byte[] level1Key;

  /** Starts {@code dir/<session>.mefd} with one channel per name, each with its µV per count. */
  public Mef3Writer(Path dir, String session, double rate, List<String> names, double[] unitsPerCount) throws IOException {
    this(dir, session, filled(names.size(), rate), names, unitsPerCount);
  }

  /** As above, each channel at its own sampling rate. */
  public Mef3Writer(Path dir, String session, double[] rates, List<String> names, double[] unitsPerCount)
      throws IOException {
    this.session = session;
    Path mefd = Files.createDirectories(dir.resolve(session + ".mefd"));
    for (int c = 0; c < names.size(); c++) {
      channels.add(new Channel(mefd, names.get(c), rates[c], unitsPerCount[c]));
    }
  }

  /**
   * Encrypts every channel's technical metadata (section 2: rate, scale) at level 1 with
   * {@code password}, as meflib does for a level-1 password; the samples stay in the clear.
   */
  public Mef3Writer encryptedWith(String password) {
    level1Key = MefKeys.passwordBytes(password);
    return this;
  }

  private static double[] filled(int n, double v) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, v);
    return a;
  }

  public Path path(Path dir) {
    return dir.resolve(session + ".mefd");
  }

  /**
   * Appends one block of {@code n} counts to channel {@code c}, starting at {@code startUs} µs since
   * the epoch; {@code discontinuity} marks a block that does not follow the previous one.
   */
  public void append(int c, int[] samples, int n, long startUs, boolean discontinuity) throws IOException {
    channels.get(c).append(samples, n, startUs, discontinuity);
  }

  @Override
  public void close() throws IOException {
    for (Channel ch : channels) {
      ch.close();
    }
  }

  private final class Channel {
    final String name;
    final double rate;
    final double ufact;
    final Path base;
    final FileChannel tdat;
    final FileChannel tidx;
    long blocks;
    long samples;
    long firstUs = Long.MIN_VALUE;
    long endUs;
    long maxBlockBytes;

    Channel(Path mefd, String name, double rate, double ufact) throws IOException {
      this.name = name;
      this.rate = rate;
      this.ufact = ufact;
      Path segd = Files.createDirectories(mefd.resolve(name + ".timd").resolve(name + "-000000.segd"));
      this.base = segd.resolve(name + "-000000");
      tdat = FileChannel.open(Path.of(base + ".tdat"), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE);
      tidx = FileChannel.open(Path.of(base + ".tidx"), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE);
      tdat.position(UH);
      tidx.position(UH);
    }

    void append(int[] s, int n, long startUs, boolean discontinuity) throws IOException {
      byte[] block = encode(s, n, -startUs, discontinuity || blocks == 0);
      long offset = tdat.position();
      write(tdat, ByteBuffer.wrap(block));
      int min = Integer.MAX_VALUE;
      int max = Integer.MIN_VALUE;
      for (int i = 0; i < n; i++) {
        min = Math.min(min, s[i]);
        max = Math.max(max, s[i]);
      }
      ByteBuffer e = le(MefSegment.INDEX_ENTRY_BYTES);
      e.putLong(0, offset).putLong(8, -startUs).putLong(16, samples).putInt(24, n).putInt(28, block.length)
          .putInt(32, max).putInt(36, min);
      e.put(44, (byte) (discontinuity || blocks == 0 ? 1 : 0));
      write(tidx, e);
      if (firstUs == Long.MIN_VALUE) {
        firstUs = startUs;
      }
      endUs = startUs + Math.round(n * 1e6 / rate);
      blocks++;
      samples += n;
      maxBlockBytes = Math.max(maxBlockBytes, block.length);
    }

    void close() throws IOException {
      write(tdat, header("tdat", blocks, maxBlockBytes), 0);
      write(tidx, header("tidx", blocks, MefSegment.INDEX_ENTRY_BYTES), 0);
      tdat.close();
      tidx.close();
      ByteBuffer m = le(SegmentMetadata.FILE_BYTES);
      m.put(header("tmet", 1, SegmentMetadata.FILE_BYTES));
      m.put(1024, (byte) -1).put(1025, (byte) -2); // sections 2 and 3 stored decrypted
      int s2 = 2560;
      m.putDouble(s2 + 6160, rate).putDouble(s2 + 6200, ufact).putLong(s2 + 6360, samples).putLong(s2 + 6368, blocks);
      m.put(s2 + 6208, "uV".getBytes(StandardCharsets.US_ASCII));
      m.putLong(13312, 0L); // recording time offset
      if (level1Key != null) {
        m.put(1024, (byte) 1);
        aes(m.array(), 2560, 10752, level1Key);
      }
      try (FileChannel tmet = FileChannel.open(Path.of(base + ".tmet"), StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        write(tmet, m.rewind(), 0);
      }
    }

    ByteBuffer header(String type, long entries, long maxEntry) {
      ByteBuffer h = le(UH);
      h.put(8, type.getBytes(StandardCharsets.US_ASCII));
      h.put(13, (byte) 3).put(14, (byte) 0).put(15, (byte) 1);
      h.putLong(16, -(firstUs == Long.MIN_VALUE ? 0 : firstUs)).putLong(24, -endUs);
      h.putLong(32, entries).putLong(40, maxEntry);
      h.put(52, name.getBytes(StandardCharsets.UTF_8)).put(308, session.getBytes(StandardCharsets.UTF_8));
      if (level1Key != null) {
        h.put(868, sha256Prefix(level1Key)); // how a reader recognises the level-1 password
      }
      h.putInt(0, MefCrc.of(h.array(), 4, UH));
      return h;
    }
  }

  /** One lossless RED block: header, range-coded differences, padding to 8 bytes, checksum. */
  static byte[] encode(int[] s, int n, long storedStart, boolean discontinuity) {
    byte[] diffs = new byte[5 * n];
    int d = 0;
    for (int i = 0; i < n; i++) {
      long step = i == 0 ? Long.MAX_VALUE : (long) s[i] - s[i - 1];
      if (step >= -127 && step <= 127) {
        diffs[d++] = (byte) step;
      } else {
        if (i > 0) {
          diffs[d++] = -128; // the first sample's escape is implied
        }
        for (int k = 0; k < 4; k++) {
          diffs[d++] = (byte) (s[i] >>> (8 * k));
        }
      }
    }
    int[] counts = new int[256];
    for (int i = 0; i < d; i++) {
      counts[diffs[i] & 0xFF]++;
    }
    int most = 0;
    for (int v : counts) {
      most = Math.max(most, v);
    }
    byte[] table = new byte[256];
    for (int i = 0; i < 256; i++) {
      table[i] = (byte) (most > 255 && counts[i] > 0 ? Math.ceil(counts[i] * (254.999999999 / most)) : counts[i]);
    }
    byte[] coded = RangeEncoder.encode(diffs, d, table);
    int bytes = (RedBlock.HEADER_BYTES + coded.length + 7) / 8 * 8;
    ByteBuffer b = le(bytes);
    for (int i = RedBlock.HEADER_BYTES + coded.length; i < bytes; i++) {
      b.put(i, (byte) 0x7e);
    }
    b.put(4, (byte) (discontinuity ? RedBlock.DISCONTINUITY : 0));
    b.putFloat(24, 1f).putInt(28, d + 1).putInt(32, n).putInt(36, bytes).putLong(40, storedStart);
    b.put(48, table).put(RedBlock.HEADER_BYTES, coded);
    b.putInt(0, MefCrc.of(b.array(), 4, bytes));
    return b.array();
  }

  /** A carry-less range coder (Subbotin/Schindler style, 32-bit, byte output) over a fixed symbol table. */
  static final class RangeEncoder {
    private static final long TOP = 1L << 31;
    private static final long BOTTOM = 1L << 23;
    private static final int SHIFT = 23;
    private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    private long low;
    private long range = TOP;
    private int pending; // the byte not yet sure of its carry
    private int underflow;
    private boolean first = true;

    static byte[] encode(byte[] symbols, int n, byte[] table) {
      int[] cum = new int[257];
      for (int i = 0; i < 256; i++) {
        cum[i + 1] = cum[i] + (table[i] & 0xFF);
      }
      RangeEncoder e = new RangeEncoder();
      for (int i = 0; i < n; i++) {
        int sym = symbols[i] & 0xFF;
        e.normalize();
        long r = e.range / cum[256];
        long t = r * cum[sym];
        e.low += t;
        e.range = sym < 255 ? r * (table[sym] & 0xFF) : e.range - t;
      }
      e.normalize();
      long last = (e.low >>> SHIFT) + 1;
      if (last > 0xFF) {
        e.emit(e.pending + 1, 0);
      } else {
        e.emit(e.pending, 0xFF);
      }
      e.out.write((int) (last & 0xFF));
      e.out.write(0);
      return e.out.toByteArray();
    }

    private void normalize() {
      while (range <= BOTTOM) {
        if (low < (0xFFL << SHIFT)) {
          emit(pending, 0xFF);
          pending = (int) (low >>> SHIFT);
        } else if ((low & TOP) != 0) {
          emit(pending + 1, 0);
          pending = (int) ((low >>> SHIFT) & 0xFF);
        } else {
          underflow++;
        }
        range <<= 8;
        low = (low << 8) & (TOP - 1);
      }
    }

    /** Writes the pending byte (the coder's very first one is a placeholder, not output) and the held underflow bytes. */
    private void emit(int value, int fill) {
      if (!first) {
        out.write(value & 0xFF);
      }
      first = false;
      for (; underflow > 0; underflow--) {
        out.write(fill);
      }
    }
  }

  private static byte[] sha256Prefix(byte[] key) {
    try {
      return java.util.Arrays.copyOf(java.security.MessageDigest.getInstance("SHA-256").digest(key), 16);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** AES-128 in ECB mode over {@code length} bytes (a multiple of 16), in place. */
  private static void aes(byte[] data, int offset, int length, byte[] key) {
    try {
      javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/ECB/NoPadding");
      c.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"));
      c.doFinal(data, offset, length, data, offset);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ByteBuffer le(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void write(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  private static void write(FileChannel ch, ByteBuffer b, long at) throws IOException {
    long p = at;
    while (b.hasRemaining()) {
      p += ch.write(b, p);
    }
  }

  /**
   * Converts an interleaved int16 recording (SpikeGLX's {@code .bin}) into a MEF 3.0 session, for
   * the reader benchmark: {@code Mef3Writer IN.bin OUT_DIR NAME STORED_CHANNELS CHANNELS RATE UV_PER_COUNT BLOCK_SAMPLES}.
   */
  public static void main(String[] args) throws IOException {
    Path in = Path.of(args[0]);
    int stored = Integer.parseInt(args[3]);
    int nCh = Integer.parseInt(args[4]);
    double rate = Double.parseDouble(args[5]);
    double gain = Double.parseDouble(args[6]);
    int block = Integer.parseInt(args[7]);
    List<String> names = new ArrayList<>();
    for (int c = 0; c < nCh; c++) {
      names.add("ch" + c);
    }
    double[] gains = new double[nCh];
    java.util.Arrays.fill(gains, gain);
    long t0 = 1_577_836_800_000_000L;
    byte[] rows = new byte[block * stored * 2];
    int[][] columns = new int[nCh][block];
    try (InputStream src = Files.newInputStream(in);
        Mef3Writer w = new Mef3Writer(Path.of(args[1]), args[2], rate, names, gains)) {
      long done = 0;
      int got;
      while ((got = src.readNBytes(rows, 0, rows.length)) > 0) {
        int n = got / (2 * stored);
        ByteBuffer b = ByteBuffer.wrap(rows).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
          for (int c = 0; c < nCh; c++) {
            columns[c][i] = b.getShort(2 * (i * stored + c));
          }
        }
        long startUs = t0 + Math.round(done * 1e6 / rate);
        for (int c = 0; c < nCh; c++) {
          w.append(c, columns[c], n, startUs, false);
        }
        done += n;
      }
    }
  }
}
