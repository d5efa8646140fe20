package org.specus.batch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.specus.io.ReaderOptions;
import org.specus.io.RecordingException;
import org.specus.io.nwb.NwbRecording;

/**
 * NWB files ({@code .nwb}): one output per ElectricalSeries under {@code /acquisition} sampled at
 * {@link #MIN_SPIKE_BAND_RATE_HZ} or more. A file with one such series gives {@code <name>.zarr};
 * one with several gives {@code <name>.<series>.zarr} for each (several probes in one file). A file
 * that cannot be read, or whose series cannot be, is listed so that the batch reports why.
 */
public final class NwbDiscovery implements RecordingDiscovery {
  private static final String NWB = ".nwb";

  @Override
  public String format() {
    return "nwb";
  }

  @Override
  public List<Found> recordingsIn(Path dir, List<Path> entries) {
    List<Found> found = new ArrayList<>();
    for (Path f : entries) {
      String name = f.getFileName().toString();
      if (name.endsWith(NWB)) {
        found.addAll(recordingsOf(f, name.substring(0, name.length() - NWB.length())));
      }
    }
    return found;
  }

  private static List<Found> recordingsOf(Path file, String stem) {
    List<String> series;
    try {
      series = NwbRecording.electricalSeries(file);
    } catch (RecordingException e) {
      series = List.of();
    }
    if (series.isEmpty()) {
      return List.of(new Found(file, stem + ".zarr")); // planning opens it and reports why it cannot be read
    }
    List<String> spikeBand = series.stream().filter(s -> spikeBand(file, s)).toList();
    return Found.parts(file, stem, ReaderOptions.auto(), series, spikeBand, ReaderOptions::withSeries);
  }

  /** True unless it opens and is sampled below the spike band; one that does not open is listed. */
  private static boolean spikeBand(Path file, String series) {
    try (NwbRecording r = NwbRecording.open(file, series)) {
      return r.samplingRate() >= MIN_SPIKE_BAND_RATE_HZ;
    } catch (RecordingException e) {
      return true;
    }
  }
}
