package org.specus.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A multi-channel recording opened for reading: what a reader understood of it, and random access
 * to its samples.
 *
 * <p>Samples are exposed as the integer counts the acquisition system stored, sample-major (all
 * channels of sample 0, then all channels of sample 1, ...), for the channels that are processed:
 * auxiliary channels such as SpikeGLX's sync word are not part of {@link #numChannels()}. Readers
 * must be safe for concurrent {@link #readInt16} calls from several threads, and must touch only the
 * bytes of the requested range, so that memory never depends on the recording's length.
 */
public interface Recording extends Closeable {

  /** The file that holds the samples. */
  Path path();

  /** Short name of the format, e.g. {@code "spikeglx"}. */
  String format();

  /** Sampling rate in Hz; may be non-integer (SpikeGLX calibrates it per probe). */
  double samplingRate();

  long numSamples();

  /** Channels that are processed (auxiliary channels such as sync excluded). */
  int numChannels();

  /** One id per processed channel, e.g. {@code "AP0"}. */
  List<String> channelIds();

  /** Factor from a value of {@link #readFloat} (a stored count for integer formats) to µV, per processed channel. */
  double[] gainToUv();

  /** Contact positions {@code [channel][x, y]} in µm, or {@code null} when the file does not say. */
  double[][] locations();

  /** What the reader understood, in the order a person reads it (label to value), for {@code specus info}. */
  Map<String, String> summary();

  /** Things that are odd about the input but do not stop it from being read. */
  List<String> warnings();

  /**
   * A short, stable fingerprint of the input (e.g. a checksum of its metadata and its size), stored
   * in the output's provenance so a rerun can tell whether the input changed.
   */
  String fingerprint();

  /**
   * Reads samples {@code [start, end)} of the processed channels into {@code dst}, sample-major,
   * {@code (end - start) * numChannels()} values.
   *
   * @throws IllegalArgumentException if the range is outside {@code [0, numSamples())}
   */
  void readInt16(long start, long end, short[] dst) throws IOException;

  /**
   * Reads samples {@code [start, end)} of the processed channels into {@code dst} as float32,
   * sample-major, {@code (end - start) * numChannels()} values, on the scale of {@link #gainToUv()}.
   * The default converts {@link #readInt16} exactly; readers of float data override it (and may
   * refuse {@link #readInt16}).
   *
   * @throws IllegalArgumentException if the range is outside {@code [0, numSamples())}
   */
  default void readFloat(long start, long end, float[] dst) throws IOException {
    int n = Math.toIntExact((end - start) * numChannels());
    short[] raw = new short[n];
    readInt16(start, end, raw);
    for (int i = 0; i < n; i++) {
      dst[i] = raw[i];
    }
  }

  /** The element type stored in the file (e.g. {@code int16}, {@code float64}), for summaries and provenance. */
  default String storedType() {
    return "int16";
  }

  default double durationSeconds() {
    return numSamples() / samplingRate();
  }

  /**
   * Group (shank) of each processed channel, for per-group referencing; all 0 when the format does
   * not say.
   */
  default int[] channelGroups() {
    return new int[numChannels()];
  }

  /**
   * Delay of each processed channel's sampling behind the sample clock, as a fraction of a sample
   * (SpikeInterface's {@code inter_sample_shift}: Neuropixels ADCs sample channels one slot after
   * another), or {@code null} when the format does not say.
   */
  default double[] sampleShifts() {
    return null;
  }

  /**
   * Refuses a read of samples {@code [start, end)} that is not within {@code [0, numSamples)}, naming
   * what was read ({@code what}, e.g. the file).
   */
  static void checkRange(long start, long end, long numSamples, String what) {
    if (start < 0 || end < start || end > numSamples) {
      throw new IllegalArgumentException("samples [" + start + ", " + end + ") are outside [0, " + numSamples
          + ") of " + what);
    }
  }
}
