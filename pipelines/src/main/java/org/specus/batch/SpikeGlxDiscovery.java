package org.specus.batch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.specus.io.ReaderOptions;

/**
 * SpikeGLX action-potential streams: {@code <run>_g<gate>_t<trigger>.imec<probe>.ap.bin} with its
 * {@code .ap.meta}. LF and NI-DAQ streams are not preprocessed with this chain and are left out. A
 * {@code .ap.bin} without its {@code .meta} (or the reverse) is still listed, so that the batch
 * reports it as a failure instead of silently passing it over. The output is named after the
 * file: {@code run_g0_t0.imec0.ap.bin} becomes {@code run_g0_t0.imec0.ap.zarr}.
 *
 * <p>With {@code concatTriggers}, the trigger files of one gate and probe ({@code _t0, _t1, ...})
 * are one recording, read in trigger order as {@code --concat-triggers} reads them, and its output
 * takes CatGT's name for the joined file: {@code run_g0_tcat.imec0.ap.zarr}.
 */
public final class SpikeGlxDiscovery implements RecordingDiscovery {
  private static final String BIN = ".ap.bin";
  private static final String META = ".ap.meta";
  /** {@code <run>_g<gate>} and {@code imec<probe>} of a trigger file's name. */
  private static final Pattern TRIGGER = Pattern.compile("(.+_g\\d+)_t(\\d+)\\.(imec\\d*)\\.ap\\.(bin|meta)");

  private final boolean concatTriggers;

  public SpikeGlxDiscovery() {
    this(false);
  }

  /** @param concatTriggers one recording per gate and probe, its trigger files joined in order */
  public SpikeGlxDiscovery(boolean concatTriggers) {
    this.concatTriggers = concatTriggers;
  }

  @Override
  public String format() {
    return "spikeglx";
  }

  @Override
  public List<Found> recordingsIn(Path dir, List<Path> files) {
    Set<String> names = new HashSet<>();
    files.forEach(f -> names.add(f.getFileName().toString()));
    List<Found> found = new ArrayList<>();
    // Per gate and probe, the file with the lowest trigger number names the joined recording.
    Map<String, Path> firstTrigger = new TreeMap<>();
    Map<String, Integer> firstNumber = new TreeMap<>();
    for (Path f : files) {
      String name = f.getFileName().toString();
      boolean bin = name.endsWith(BIN);
      if (!bin && !(name.endsWith(META) && !names.contains(stem(name, META) + BIN))) {
        continue; // not an AP stream, or a .meta whose .bin is listed instead
      }
      Matcher m = TRIGGER.matcher(name);
      if (concatTriggers && m.matches()) {
        String key = m.group(1) + "_tcat." + m.group(3) + ".ap.zarr";
        int trigger = Integer.parseInt(m.group(2));
        if (!firstNumber.containsKey(key) || trigger < firstNumber.get(key)) {
          firstNumber.put(key, trigger);
          firstTrigger.put(key, f);
        }
      } else {
        // A .meta listed alone has lost its data file: the batch reports it as failed.
        found.add(new Found(f, stem(name, bin ? BIN : META) + ".ap.zarr"));
      }
    }
    ReaderOptions joined = ReaderOptions.auto().withConcatTriggers(true);
    firstTrigger.forEach((output, f) -> found.add(new Found(f, joined, output)));
    return found;
  }

  private static String stem(String name, String suffix) {
    return name.substring(0, name.length() - suffix.length());
  }
}
