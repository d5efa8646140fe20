package org.specus.batch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * SpikeGLX action-potential streams: {@code <run>_g<gate>_t<trigger>.imec<probe>.ap.bin} with its
 * {@code .ap.meta}. LF and NI-DAQ streams are not preprocessed with this chain and are left out. A
 * {@code .ap.bin} without its {@code .meta} (or the reverse) is still listed, so that the batch
 * reports it as a failure instead of silently passing it over. The output is named after the
 * file: {@code run_g0_t0.imec0.ap.bin} becomes {@code run_g0_t0.imec0.ap.zarr}.
 */
public final class SpikeGlxDiscovery implements RecordingDiscovery {
  private static final String BIN = ".ap.bin";
  private static final String META = ".ap.meta";

  @Override
  public String format() {
    return "spikeglx";
  }

  @Override
  public List<Found> recordingsIn(Path dir, List<Path> files) {
    Set<String> names = new HashSet<>();
    files.forEach(f -> names.add(f.getFileName().toString()));
    List<Found> found = new ArrayList<>();
    for (Path f : files) {
      String name = f.getFileName().toString();
      if (name.endsWith(BIN)) {
        found.add(new Found(f, stem(name, BIN) + ".ap.zarr"));
      } else if (name.endsWith(META) && !names.contains(stem(name, META) + BIN)) {
        found.add(new Found(f, stem(name, META) + ".ap.zarr")); // data file missing: reported as failed
      }
    }
    return found;
  }

  private static String stem(String name, String suffix) {
    return name.substring(0, name.length() - suffix.length());
  }
}
