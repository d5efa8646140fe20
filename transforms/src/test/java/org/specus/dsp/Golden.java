package org.specus.dsp;

/** Public access to the golden .npy files for tests outside this package. */
public final class Golden {
  private Golden() {}

  public static int[] shape(String name) {
    return Npy.read(name).shape.clone();
  }

  public static double[] doubles(String name) {
    return Npy.read(name).data;
  }

  /** The values as float32 (exact for '<f4' files, rounded for '<f8'). */
  public static float[] floats(String name) {
    Npy n = Npy.read(name);
    if (n.floats != null) {
      return n.floats;
    }
    float[] f = new float[n.data.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) n.data[i];
    }
    return f;
  }

  /** A rows × 2 golden as {@code [row][x, y]}. */
  public static double[][] rows2d(String name) {
    return Npy.read(name).rows2d();
  }
}
