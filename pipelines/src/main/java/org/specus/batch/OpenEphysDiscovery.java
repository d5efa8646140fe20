package org.specus.batch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.specus.io.ReaderOptions;
import org.specus.io.RecordingException;
import org.specus.io.openephys.OpenEphysRecording;
import org.specus.io.openephys.OpenEphysRecording.ContinuousStream;

/**
 * Open Ephys binary recordings: a folder holding {@code structure.oebin}, one output per continuous
 * stream that carries spikes, named after the stream's folder ({@code Neuropix-PXI-100.ProbeA-AP.zarr}
 * beside the mirrored {@code structure.oebin}). The input is the stream's {@code continuous.dat},
 * which names its stream, so {@code --include} globs can choose streams. Left out: streams sampled
 * below {@link #MIN_SPIKE_BAND_RATE_HZ} (LFP), NI-DAQ streams, and streams of ADC or AUX channels
 * only. A {@code structure.oebin} that cannot be read is listed as it is, so that the batch reports
 * why.
 */
public final class OpenEphysDiscovery implements RecordingDiscovery {

  @Override
  public String format() {
    return "openephys";
  }

  @Override
  public List<Found> recordingsIn(Path dir, List<Path> entries) {
    Path oebin = dir.resolve(OpenEphysRecording.STRUCTURE);
    if (!entries.contains(oebin)) {
      return List.of();
    }
    List<ContinuousStream> streams;
    try {
      streams = OpenEphysRecording.continuousStreams(oebin);
    } catch (RecordingException e) {
      return List.of(new Found(oebin, "structure.zarr")); // fails again when planned, with this message
    }
    List<Found> found = new ArrayList<>();
    for (ContinuousStream s : streams) {
      if (carriesSpikes(s)) {
        Path dat = dir.resolve("continuous").resolve(s.folder()).resolve("continuous.dat");
        String output = s.folder() + ".zarr";
        // Without its data file the stream is listed through structure.oebin, whose reader says what is missing.
        found.add(Files.isRegularFile(dat) ? new Found(dat, output)
            : new Found(oebin, ReaderOptions.auto().withStream(s.folder()), output));
      }
    }
    return found;
  }

  private static boolean carriesSpikes(ContinuousStream s) {
    String name = (s.name() + " " + s.folder()).toUpperCase(Locale.ROOT);
    return s.rate() >= MIN_SPIKE_BAND_RATE_HZ && !s.auxiliaryOnly() && !name.contains("NI-DAQ");
  }
}
