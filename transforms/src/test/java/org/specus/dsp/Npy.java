package org.specus.dsp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Minimal reader for the golden .npy files: little-endian f4/f8, C order, version 1.0. */
final class Npy {
  final int[] shape;
  final double[] data;
  final float[] floats; // non-null only for '<f4'

  private Npy(int[] shape, double[] data, float[] floats) {
    this.shape = shape;
    this.data = data;
    this.floats = floats;
  }

  static Npy read(String name) {
    try (InputStream s = Npy.class.getResourceAsStream("/golden/" + name + ".npy")) {
      if (s == null) {
        throw new IllegalArgumentException("missing golden file " + name
            + ".npy: run transforms/src/test/python/make_golden.py");
      }
      ByteBuffer b = ByteBuffer.wrap(s.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
      byte[] magic = new byte[6];
      b.get(magic);
      if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.US_ASCII)
          .equals("NUMPY")) {
        throw new IllegalArgumentException(name + " is not an npy file");
      }
      int major = b.get();
      b.get();
      int headerLen = major == 1 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
      byte[] h = new byte[headerLen];
      b.get(h);
      String header = new String(h, StandardCharsets.US_ASCII);
      if (header.contains("'fortran_order': True")) {
        throw new IllegalArgumentException(name + ": Fortran order not supported");
      }
      Matcher d = Pattern.compile("'descr':\\s*'([<>|]\\w+)'").matcher(header);
      Matcher sh = Pattern.compile("'shape':\\s*\\(([^)]*)\\)").matcher(header);
      if (!d.find() || !sh.find()) {
        throw new IllegalArgumentException(name + ": bad header " + header);
      }
      int[] shape = Arrays.stream(sh.group(1).split(",")).map(String::trim)
          .filter(t -> !t.isEmpty()).mapToInt(Integer::parseInt).toArray();
      int count = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
      double[] data = new double[count];
      float[] floats = null;
      switch (d.group(1)) {
        case "<f8":
          for (int i = 0; i < count; i++) {
            data[i] = b.getDouble();
          }
          break;
        case "<f4":
          floats = new float[count];
          for (int i = 0; i < count; i++) {
            floats[i] = b.getFloat();
            data[i] = floats[i];
          }
          break;
        default:
          throw new IllegalArgumentException(name + ": unsupported dtype " + d.group(1));
      }
      return new Npy(shape, data, floats);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  double[][] rows2d() {
    double[][] m = new double[shape[0]][shape[1]];
    for (int i = 0; i < shape[0]; i++) {
      System.arraycopy(data, i * shape[1], m[i], 0, shape[1]);
    }
    return m;
  }
}
