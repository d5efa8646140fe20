package org.specus.batch;

import org.specus.io.output.OutputStore;

/**
 * What the batch will do with one recording, and why.
 *
 * @param facts what the reader understood, or {@code null} when the recording cannot be opened
 * @param key the result this recording's output should hold, or {@code null} when unknown
 */
public record PlannedRecording(
    RecordingFinder.Candidate candidate, Action action, String reason, Facts facts, OutputStore.ResultKey key) {

  /** The possible decisions, with the word plans and reports use for each. */
  public enum Action {
    /** No output yet. */
    PROCESS("process"),
    /** An interrupted run of the same result: its intact shards are kept. */
    RESUME("resume"),
    /** The output holds an outdated result (configuration, input or software changed). */
    REPLACE("replace"),
    /** The output holds this very result, complete. */
    SKIP("skip"),
    /** Another live run holds the output's lock. */
    BUSY("busy"),
    /** The recording cannot be read, or its output path cannot be used. */
    FAIL("fail");

    private final String word;

    Action(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }

    /** True for the actions that run the pipeline. */
    public boolean runs() {
      return this == PROCESS || this == RESUME || this == REPLACE;
    }
  }

  /** A recording's size, for plans, progress and reports. */
  public record Facts(double seconds, int channels, double samplingRate, long inputBytes, long tiles) {}
}
