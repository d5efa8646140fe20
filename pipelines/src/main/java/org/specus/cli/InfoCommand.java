package org.specus.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.specus.io.ChoiceNeeded;
import org.specus.io.Recording;
import org.specus.io.RecordingException;
import org.specus.io.Recordings;
import org.specus.io.Summaries;
import org.specus.io.beam.RecordingInfo;
import org.specus.transforms.ChannelLabels;
import org.specus.transforms.DetectBadChannels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "info", mixinStandardHelpOptions = true,
    description = "Print what the reader understood of a recording, and anything odd about it.")
final class InfoCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "IN", description = "Recording (SpikeGLX .bin/.meta, Open Ephys structure.oebin"
      + " or folder, .nwb, .zarr, a MEF 3.0 .mefd folder, headerless binary with --raw-*), or a folder of several (Open Ephys"
      + " experiments/recordings, SpikeGLX runs): they are listed.")
  Path input;

  @Mixin
  InputOptions inputOptions = new InputOptions();

  @Option(names = "--bad-channels",
      description = "Also run bad-channel detection (IBL's coherence + PSD method, 100 x 0.3 s chunks, seed 0)"
          + " and print each bad channel's label.")
  boolean badChannels;

  @Override
  public Integer call() throws Exception {
    List<String> catalog = Recordings.catalog(input);
    if (!catalog.isEmpty()) {
      System.out.println(input + " holds " + catalog.size() + " recordings (give one of them, with --stream or"
          + " --concat-triggers where needed):");
      catalog.forEach(line -> System.out.println("  " + line));
      return 0;
    }
    Recording opened;
    try {
      opened = Recordings.open(input, inputOptions.toReaderOptions());
    } catch (ChoiceNeeded several) {
      printChoices(several);
      return 0;
    }
    try (Recording r = opened) {
      int width = Math.max(r.summary().keySet().stream().mapToInt(String::length).max().orElse(10), 13);
      for (Map.Entry<String, String> e : r.summary().entrySet()) {
        System.out.printf("%-" + width + "s  %s%n", e.getKey(), e.getValue());
      }
      printSampleShifts(r, width);
      if (badChannels) {
        ChannelLabels labels = DetectBadChannels.ibl().withAction(DetectBadChannels.Action.DETECT)
            .detectNow(RecordingInfo.of(r, inputOptions.toReaderOptions()));
        System.out.printf("%-" + width + "s  %d of %d channels over %d chunks: %s%n", "bad channels",
            labels.badCount(), r.numChannels(), labels.sampleRanges().size(), labels.describeBad(r.channelIds()));
        if (labels.warning() != null) {
          System.out.printf("%-" + width + "s  %s%n", "warning", labels.warning());
        }
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

  /** One line for each stream, series or rate the input holds: what each would give, and how to choose it. */
  private void printChoices(ChoiceNeeded several) {
    System.out.println(input + " holds " + several.choices().size() + " recordings; choose one with "
        + several.option() + ":");
    for (String choice : several.choices()) {
      String what;
      try (Recording r = Recordings.open(input, several.choose(inputOptions.toReaderOptions(), choice))) {
        what = String.format(Locale.ROOT, "%d channel%s at %s Hz, %d samples (%.3f s)", r.numChannels(),
            r.numChannels() == 1 ? "" : "s", Summaries.number(r.samplingRate()), r.numSamples(), r.durationSeconds());
      } catch (RecordingException | IllegalArgumentException | IOException | UncheckedIOException e) {
        what = "unreadable: " + e.getMessage();
      }
      System.out.println("  " + several.option() + " " + choice + "  " + what);
    }
  }

  /**
   * Each channel's ADC sampling delay, grouped by value (one line per ADC slot): what
   * {@code phase_shift} will undo.
   */
  static void printSampleShifts(Recording r, int width) {
    double[] shifts = r.sampleShifts();
    if (shifts == null) {
      System.out.printf("%-" + width + "s  %s%n", "sample shifts", "unknown (phase shift not available)");
      return;
    }
    TreeMap<Double, List<String>> bySlot = new TreeMap<>();
    for (int c = 0; c < shifts.length; c++) {
      bySlot.computeIfAbsent(shifts[c], s -> new ArrayList<>()).add(r.channelIds().get(c));
    }
    System.out.printf("%-" + width + "s  %d ADC slots; each channel is delayed by its slot's fraction of a sample%n",
        "sample shifts", bySlot.size());
    for (Map.Entry<Double, List<String>> e : bySlot.entrySet()) {
      List<String> ids = e.getValue();
      String shown = String.join(" ", ids.subList(0, Math.min(8, ids.size()))) + (ids.size() > 8 ? " ..." : "");
      System.out.printf(Locale.ROOT, "%-" + width + "s  %.4f samples (%5.2f µs)  %3d ch: %s%n", "",
          e.getKey(), e.getKey() / r.samplingRate() * 1e6, ids.size(), shown);
    }
  }
}
