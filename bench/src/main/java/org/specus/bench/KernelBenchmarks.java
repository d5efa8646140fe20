package org.specus.bench;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.specus.dsp.Butterworth;
import org.specus.dsp.CommonReference;
import org.specus.dsp.CovarianceAccumulator;
import org.specus.dsp.Simd;
import org.specus.dsp.Sos;
import org.specus.dsp.SosFilter;
import org.specus.dsp.SubsetReference;
import org.specus.dsp.Whitening;

/**
 * The default chain's kernels on one 1 s tile of 384 channels, single thread, each with the SIMD
 * kernels and with the plain-Java fallback ({@code simd} parameter; JMH forks a JVM per parameter
 * value, and {@link Simd} reads {@code specus.simd} when it is first used, in {@link #setup}).
 * Run with {@code bench/jmh.sh}; the build compiles but never runs them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class KernelBenchmarks {
  @Param({"true", "false"})
  public String simd;

  private Sos bandpass;
  private float[] raw;       // tile with margins, as read
  private float[] block;     // scratch the kernels overwrite
  private float[] filtered;  // tile after bandpass (input of the median)
  private float[] w;
  private float[] out;
  private byte[] whitenedBytes;
  private byte[] packed;
  private ZstdCompressCtx zstd1;
  private ZstdCompressCtx zstdFast;
  private int[][] shanks;
  private int[] shankOf;

  @Setup(Level.Trial)
  public void setup() {
    System.setProperty("specus.simd", simd);
    if (Simd.ENABLED != Boolean.parseBoolean(simd)) {
      throw new IllegalStateException("wanted simd=" + simd + " but the kernels use " + Simd.describe());
    }
    int cols = KernelData.CHANNELS;
    bandpass = Butterworth.bandpass(5, 300, 6000, 30000);
    raw = KernelData.signal(KernelData.TILE_WITH_MARGINS, cols, 1);
    block = new float[raw.length];
    filtered = raw.clone();
    SosFilter.filtfilt(bandpass, filtered, KernelData.TILE_WITH_MARGINS, cols);
    w = KernelData.matrix(cols, 2);
    int[] shank = new int[cols];
    for (int c = 0; c < cols; c++) {
      shank[c] = c / (cols / 4);
    }
    shankOf = new int[cols];
    shanks = SubsetReference.groupSets(shank, shankOf);
    out = new float[KernelData.TILE * cols];
    Whitening.apply(filtered, KernelData.TILE, cols, w, out);
    // One inner chunk (3000 samples) of whitened float32, as the shard writer encodes it.
    int chunk = 3000 * cols;
    whitenedBytes = new byte[chunk * 4];
    ByteBuffer.wrap(whitenedBytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(out, 0, chunk);
    packed = new byte[(int) Zstd.compressBound(whitenedBytes.length)];
    zstd1 = new ZstdCompressCtx().setLevel(1).setContentSize(true);
    zstdFast = new ZstdCompressCtx().setLevel(-1).setContentSize(true);
  }

  /** Bandpass, order 5, forward-backward, over the tile and its margins (32298 × 384). */
  @Benchmark
  public float[] bandpassFiltfilt() {
    System.arraycopy(raw, 0, block, 0, raw.length);
    SosFilter.filtfilt(bandpass, block, KernelData.TILE_WITH_MARGINS, KernelData.CHANNELS);
    return block;
  }

  /**
   * Median over 384 channels subtracted at each of 30000 samples (includes copying the 46 MB tile
   * into the scratch block, ~3 ms: {@link #copyTile} measures that alone).
   */
  @Benchmark
  public float[] medianReference() {
    System.arraycopy(filtered, 0, block, 0, KernelData.TILE * KernelData.CHANNELS);
    CommonReference.subtractMedian(block, KernelData.TILE, KernelData.CHANNELS);
    return block;
  }

  /** The same tile referenced per shank: 4 groups of 96 channels, each its own median. */
  @Benchmark
  public float[] groupMedianReference() {
    System.arraycopy(filtered, 0, block, 0, KernelData.TILE * KernelData.CHANNELS);
    SubsetReference.subtract(block, KernelData.TILE, KernelData.CHANNELS, shanks, shankOf, true);
    return block;
  }

  /** The copy that the reference benchmarks include. */
  @Benchmark
  public float[] copyTile() {
    System.arraycopy(filtered, 0, block, 0, KernelData.TILE * KernelData.CHANNELS);
    return block;
  }

  /** 30000 × 384 · 384 × 384. */
  @Benchmark
  public float[] whiteningProduct() {
    Whitening.apply(filtered, KernelData.TILE, KernelData.CHANNELS, w, out);
    return out;
  }

  /** Xᵀ X of a 0.5 s statistics chunk (15000 × 384), in double. */
  @Benchmark
  public CovarianceAccumulator covariance() {
    CovarianceAccumulator acc = new CovarianceAccumulator(KernelData.CHANNELS);
    acc.add(filtered, KernelData.TILE / 2, KernelData.CHANNELS);
    return acc;
  }

  /** zstd level 1 on one 4.6 MB inner chunk of whitened float32 (a tile has 10). */
  @Benchmark
  public int zstdLevel1Chunk() {
    return zstd1.compressByteArray(packed, 0, packed.length, whitenedBytes, 0, whitenedBytes.length);
  }

  /** zstd level -1 (fast mode) on the same chunk. */
  @Benchmark
  public int zstdLevelMinus1Chunk() {
    return zstdFast.compressByteArray(packed, 0, packed.length, whitenedBytes, 0, whitenedBytes.length);
  }
}
