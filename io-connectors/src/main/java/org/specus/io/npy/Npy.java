package org.specus.io.npy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.specus.io.RecordingException;

/**
 * The small part of NumPy's {@code .npy} format that recordings and Kilosort use: little-endian
 * numeric arrays in C order (read: {@code i1..i8, u1..u8, f4, f8}; write: {@code int32}, {@code float64}).
 * Files are small (channel maps, positions), so they are read whole.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  /** A numeric array as doubles, with its shape. */
  public record Array(long[] shape, double[] values) {
    public int rows() {
      return shape.length == 0 ? 1 : Math.toIntExact(shape[0]);
    }

    public int cols() {
      return shape.length < 2 ? 1 : Math.toIntExact(shape[1]);
    }
  }

  private Npy() {}

  /** Reads a numeric {@code .npy}; problems are reported naming the file. */
  public static Array read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw RecordingException.in(file, "cannot read (" + e.getMessage() + ")");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
      throw RecordingException.in(file, "not a .npy file (no NUMPY magic)");
    }
    b.position(6);
    int major = b.get();
    b.get();
    int headerLen = major == 1 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
    if (b.remaining() < headerLen) {
      throw RecordingException.in(file, "truncated .npy header");
    }
    byte[] h = new byte[headerLen];
    b.get(h);
    String header = new String(h, StandardCharsets.ISO_8859_1);
    if (header.contains("'fortran_order': True")) {
      throw RecordingException.in(file, "fortran_order arrays are not supported");
    }
    Matcher d = Pattern.compile("'descr':\\s*'([<>|=]?)([iuf])(\\d)'").matcher(header);
    Matcher sh = Pattern.compile("'shape':\\s*\\(([^)]*)\\)").matcher(header);
    if (!d.find() || !sh.find()) {
      throw RecordingException.in(file, "unsupported .npy header (need a numeric descr and a shape): " + header.trim());
    }
    if (d.group(1).equals(">")) {
      throw RecordingException.in(file, "big-endian .npy arrays are not supported");
    }
    char kind = d.group(2).charAt(0);
    int size = Integer.parseInt(d.group(3));
    long[] shape = Arrays.stream(sh.group(1).split(",")).map(String::trim).filter(t -> !t.isEmpty())
        .mapToLong(Long::parseLong).toArray();
    long n = Arrays.stream(shape).reduce(1, Math::multiplyExact);
    if (b.remaining() < n * size) {
      throw RecordingException.in(file, "holds " + b.remaining() + " data bytes, shape " + Arrays.toString(shape)
          + " needs " + n * size);
    }
    double[] v = new double[Math.toIntExact(n)];
    for (int i = 0; i < v.length; i++) {
      v[i] = switch (kind + "" + size) {
        case "i1" -> b.get();
        case "u1" -> Byte.toUnsignedInt(b.get());
        case "i2" -> b.getShort();
        case "u2" -> Short.toUnsignedInt(b.getShort());
        case "i4" -> b.getInt();
        case "u4" -> Integer.toUnsignedLong(b.getInt());
        case "i8", "u8" -> b.getLong();
        case "f4" -> b.getFloat();
        case "f8" -> b.getDouble();
        default -> throw RecordingException.in(file, "unsupported .npy type " + kind + size);
      };
    }
    return new Array(shape, v);
  }

  public static void writeInt32(Path file, int[] values, long... shape) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      b.putInt(v);
    }
    write(file, "<i4", shape, b.array());
  }

  public static void writeFloat64(Path file, double[] values, long... shape) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      b.putDouble(v);
    }
    write(file, "<f8", shape, b.array());
  }

  private static void write(Path file, String descr, long[] shape, byte[] data) throws IOException {
    StringBuilder s = new StringBuilder("(");
    for (long d : shape) {
      s.append(d).append(", ");
    }
    if (shape.length > 1) {
      s.setLength(s.length() - 2);
    } else if (shape.length == 1) {
      s.setLength(s.length() - 1);
    }
    s.append(")");
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + s + ", }";
    // Header (magic + version + length + dict + padding + newline) is a multiple of 64 bytes.
    int unpadded = 10 + dict.length() + 1;
    int pad = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(MAGIC);
      out.write(new byte[] {1, 0, (byte) (header.length() & 0xff), (byte) (header.length() >> 8)});
      out.write(header.getBytes(StandardCharsets.ISO_8859_1));
      out.write(data);
    }
  }
}
