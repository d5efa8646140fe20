package org.specus.pipeline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.specus.io.zarr.ZarrV3Reader;

/** Reading back what a run wrote, for the tests. */
public final class Outputs {
  private Outputs() {}

  public static float[] traces(Path out) throws IOException {
    return ZarrV3Reader.open(out.resolve("traces_seg0")).readFloats();
  }

  public static long[] tracesShape(Path out) throws IOException {
    return ZarrV3Reader.open(out.resolve("traces_seg0")).shape();
  }

  public static float[] whitening(Path out) throws IOException {
    return ZarrV3Reader.open(out.resolve("whitening_matrix")).readFloats();
  }

  public static Map<String, Object> whiteningAttributes(Path out) throws IOException {
    return ZarrV3Reader.open(out.resolve("whitening_matrix")).attributes();
  }

  public static Map<String, Object> rootAttributes(Path out) throws IOException {
    return ZarrV3Reader.readAttributes(out);
  }

  public static void writeFloat32(Path file, float[] values) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    Files.write(file, b.array());
  }

  /** max |a - b| / max |a|: agreement relative to the signal's scale. */
  public static double maxRelativeDifference(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
    }
    double maxDiff = 0;
    double maxAbs = 0;
    for (int i = 0; i < a.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs((double) a[i] - b[i]));
      maxAbs = Math.max(maxAbs, Math.abs(a[i]));
    }
    return maxDiff / maxAbs;
  }
}
