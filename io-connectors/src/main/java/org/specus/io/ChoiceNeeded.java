package org.specus.io;

import java.nio.file.Path;
import java.util.List;

/**
 * The input holds several recordings in one file or folder (Open Ephys streams, NWB
 * ElectricalSeries, MEF 3.0 channels at several rates) and the options chose none. It carries
 * the choices, so that {@code specus info} can list each instead of stopping at the error.
 */
public final class ChoiceNeeded extends RecordingException {
  private static final long serialVersionUID = 1L;

  private final String option;
  private final List<String> choices;

  /**
   * @param option {@code --stream} or {@code --series}
   * @param problem the message after the file name, saying what the choices are and how to give one
   */
  public ChoiceNeeded(Path file, String problem, String option, List<String> choices) {
    super(file.getFileName() + ": " + problem);
    if (!option.equals("--stream") && !option.equals("--series")) {
      throw new IllegalArgumentException("no reader option " + option);
    }
    this.option = option;
    this.choices = List.copyOf(choices);
  }

  public String option() {
    return option;
  }

  public List<String> choices() {
    return choices;
  }

  /** {@code options} with {@code choice} given as this option. */
  public ReaderOptions choose(ReaderOptions options, String choice) {
    return option.equals("--series") ? options.withSeries(choice) : options.withStream(choice);
  }
}
