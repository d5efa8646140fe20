package org.specus.io.beam;

import java.io.Serializable;
import java.util.List;
import org.specus.io.ReaderOptions;
import org.specus.io.Recording;

/**
 * What the pipeline needs to know about a recording at construction time, captured once when the
 * pipeline is built so that transforms can validate their parameters (e.g. a cutoff against
 * Nyquist) before anything runs.
 *
 * @param channelGroups group (shank) of each channel, all 0 when the format does not say
 * @param sampleShifts ADC sampling delay of each channel in samples, or {@code null} when unknown
 * @param readerOptions how the recording was opened, so that workers open it the same way
 */
public record RecordingInfo(
    String path,
    String format,
    double samplingRate,
    long numSamples,
    int numChannels,
    List<String> channelIds,
    double[] gainToUv,
    double[][] locations,
    String fingerprint,
    int[] channelGroups,
    double[] sampleShifts,
    ReaderOptions readerOptions)
    implements Serializable {

  /** A recording opened with its path alone (reader detected from the path), without probe wiring. */
  public RecordingInfo(String path, String format, double samplingRate, long numSamples, int numChannels,
      List<String> channelIds, double[] gainToUv, double[][] locations, String fingerprint) {
    this(path, format, samplingRate, numSamples, numChannels, channelIds, gainToUv, locations, fingerprint,
        new int[numChannels], null, ReaderOptions.auto());
  }

  public static RecordingInfo of(Recording r) {
    return of(r, ReaderOptions.auto());
  }

  /** {@code options} are how {@code r} was opened, so that workers open it the same way. */
  public static RecordingInfo of(Recording r, ReaderOptions options) {
    return new RecordingInfo(
        r.path().toString(),
        r.format(),
        r.samplingRate(),
        r.numSamples(),
        r.numChannels(),
        List.copyOf(r.channelIds()),
        r.gainToUv().clone(),
        r.locations(),
        r.fingerprint(),
        r.channelGroups().clone(),
        r.sampleShifts() == null ? null : r.sampleShifts().clone(),
        options);
  }

  public double nyquist() {
    return samplingRate / 2;
  }

  public double durationSeconds() {
    return numSamples / samplingRate;
  }

  public String fileName() {
    return java.nio.file.Path.of(path).getFileName().toString();
  }
}
