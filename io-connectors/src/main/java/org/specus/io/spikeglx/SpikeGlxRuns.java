package org.specus.io.spikeglx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.specus.io.RecordingException;

/**
 * The runs under a SpikeGLX folder, for {@code specus info}: one line per run, gate and stream, with
 * its trigger files, whatever the organisation (single folder or folder per probe).
 */
public final class SpikeGlxRuns {
  private SpikeGlxRuns() {}

  /** True when {@code dir} holds (up to three levels down) SpikeGLX trigger files. */
  public static boolean holdsRuns(Path dir) {
    return Files.isDirectory(dir) && !binFiles(dir).isEmpty();
  }

  public static List<String> catalog(Path dir) {
    Map<String, List<Path>> groups = new TreeMap<>();
    for (Path bin : binFiles(dir)) {
      Matcher m = SpikeGlxTriggers.TRIGGER_FILE.matcher(bin.getFileName().toString());
      m.matches();
      String key = dir.relativize(bin.getParent()) + "|" + m.group(1) + "_g" + m.group(2) + " " + m.group(4);
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(bin);
    }
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, List<Path>> g : groups.entrySet()) {
      List<Path> bins = new ArrayList<>(g.getValue());
      bins.sort(Comparator.comparingInt(SpikeGlxTriggers::triggerOf));
      String name = g.getKey().substring(g.getKey().indexOf('|') + 1);
      StringBuilder s = new StringBuilder(name).append(": ").append(bins.size()).append(" trigger file")
          .append(bins.size() == 1 ? "" : "s");
      long total = 0;
      double rate = Double.NaN;
      List<String> triggers = new ArrayList<>();
      for (Path bin : bins) {
        try (SpikeGlxRecording r = SpikeGlxRecording.open(bin)) {
          total += r.numSamples();
          rate = r.samplingRate();
          triggers.add("t" + SpikeGlxTriggers.triggerOf(bin) + " " + r.numSamples());
        } catch (RecordingException | IOException e) {
          triggers.add("t" + SpikeGlxTriggers.triggerOf(bin) + " unreadable (" + e.getMessage() + ")");
        }
      }
      s.append(" (").append(String.join(", ", triggers)).append(" samples), ").append(total).append(" samples");
      if (!Double.isNaN(rate)) {
        s.append(String.format(java.util.Locale.ROOT, " = %.4f s", total / rate));
      }
      s.append(" in ").append(dir.relativize(bins.get(0).getParent()).toString().isEmpty() ? "."
          : dir.relativize(bins.get(0).getParent()));
      lines.add(s.toString());
    }
    return lines;
  }

  private static List<Path> binFiles(Path dir) {
    try (Stream<Path> files = Files.walk(dir, 3)) {
      return files.filter(p -> SpikeGlxTriggers.TRIGGER_FILE.matcher(p.getFileName().toString()).matches()
          && p.getFileName().toString().endsWith(".bin")).sorted().toList();
    } catch (IOException e) {
      throw RecordingException.in(dir, "cannot list (" + e.getMessage() + ")");
    }
  }
}
