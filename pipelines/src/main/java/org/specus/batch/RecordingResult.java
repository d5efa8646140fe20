package org.specus.batch;

/**
 * How one recording of a batch ended: a row of the report.
 *
 * @param input the input relative to the root
 * @param output the output path
 * @param action what the plan decided ({@link PlannedRecording.Action#word()})
 * @param reason why
 * @param seconds recording length, or {@code null} when unknown
 * @param wallSeconds time spent on this recording by this run
 * @param tilesTotal shards of the output, or 0 when unknown
 * @param tilesComputed tiles read, processed and written by this run
 * @param tilesReused intact tiles (shards, chunks, byte ranges) kept from an interrupted run
 * @param error why it failed, one line, or {@code null}
 * @param note anything else worth knowing (a replaced result, a stale lock taken over), or {@code null}
 */
public record RecordingResult(
    String input,
    String output,
    String format,
    String action,
    String reason,
    Status status,
    Double seconds,
    Integer channels,
    double wallSeconds,
    long tilesTotal,
    long tilesComputed,
    long tilesReused,
    String error,
    String note) {

  /** The outcome of one recording, as reports spell it. */
  public enum Status {
    DONE("done"),
    SKIPPED_UP_TO_DATE("skipped-up-to-date"),
    /** Another live run was writing this output: it is that run's to finish. */
    SKIPPED_BUSY("skipped-busy"),
    FAILED("failed");

    private final String word;

    Status(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }
  }

  /** Recording seconds per wall second, for recordings this run computed; {@code null} otherwise. */
  public Double timesRealTime() {
    return status == Status.DONE && seconds != null && wallSeconds > 0 ? seconds / wallSeconds : null;
  }
}
