package org.specus.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.specus.io.Recording;
import org.specus.io.Recordings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "info", mixinStandardHelpOptions = true,
    description = "Print what the reader understood of a recording, and anything odd about it.")
final class InfoCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "IN", description = "Recording (SpikeGLX .bin/.meta, Open Ephys structure.oebin"
      + " or folder, .nwb, .zarr, headerless binary with --raw-*), or a folder of several (Open Ephys"
      + " experiments/recordings, SpikeGLX runs): they are listed.")
  Path input;

  @Mixin
  InputOptions inputOptions = new InputOptions();

  @Override
  public Integer call() throws Exception {
    List<String> catalog = Recordings.catalog(input);
    if (!catalog.isEmpty()) {
      System.out.println(input + " holds " + catalog.size() + " recordings (give one of them, with --stream or"
          + " --concat-triggers where needed):");
      catalog.forEach(line -> System.out.println("  " + line));
      return 0;
    }
    try (Recording r = Recordings.open(input, inputOptions.toReaderOptions())) {
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
