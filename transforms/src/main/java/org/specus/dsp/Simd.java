package org.specus.dsp;

/**
 * Whether the kernels use their {@code jdk.incubator.vector} implementations, decided once at
 * start-up.
 *
 * <p>The vector module is an incubator module: a JVM only has it when started with
 * {@code --add-modules jdk.incubator.vector} ({@code ./specus}, the test JVMs and the Flink
 * TaskManager options add it). Without it the kernels run their plain-Java loops. Both
 * implementations of a kernel perform the same floating-point operations in the same order per
 * output value (the same fused multiply-adds, the same summation order), so they give
 * bit-identical results: an output does not depend on which JVM flags a worker had. Setting the
 * system property {@code specus.simd=false} forces the plain-Java loops (for comparisons and
 * benchmarks).
 *
 * <p>A vector class is only loaded when {@link #ENABLED} is true, so the plain path never touches
 * {@code jdk.incubator.vector}.
 */
public final class Simd {
  private Simd() {}

  /** True when the vector kernels are in use. */
  public static final boolean ENABLED = detect();

  private static boolean detect() {
    if ("false".equalsIgnoreCase(System.getProperty("specus.simd", "true"))) {
      return false;
    }
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }

  /** One line for logs and benchmark reports, e.g. {@code "jdk.incubator.vector (512-bit)"}. */
  public static String describe() {
    return ENABLED ? "jdk.incubator.vector (" + VectorShapes.preferredBits() + "-bit)" : "plain Java";
  }
}
