package org.specus.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.specus.io.Recording;
import org.specus.io.Recordings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "info", mixinStandardHelpOptions = true,
    description = "Print what the reader understood of a recording, and anything odd about it.")
final class InfoCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "IN", description = "Recording (SpikeGLX .bin or .meta).")
  Path input;

  @Override
  public Integer call() throws Exception {
    try (Recording r = Recordings.open(input)) {
      int width = r.summary().keySet().stream().mapToInt(String::length).max().orElse(10);
      for (Map.Entry<String, String> e : r.summary().entrySet()) {
        System.out.printf("%-" + width + "s  %s%n", e.getKey(), e.getValue());
      }
      if (r.warnings().isEmpty()) {
        System.out.printf("%-" + width + "s  %s%n", "warnings", "none");
      }
      for (String w : r.warnings()) {
        System.out.printf("%-" + width + "s  %s%n", "warning", w);
      }
    }
    return 0;
  }
}
