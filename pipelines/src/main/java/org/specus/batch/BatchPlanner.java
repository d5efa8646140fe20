package org.specus.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.specus.io.Recording;
import org.specus.io.RecordingException;
import org.specus.io.Recordings;
import org.specus.io.output.OutputException;
import org.specus.io.output.OutputLock;
import org.specus.io.output.OutputStore;
import org.specus.io.sink.WrittenTiles;
import org.specus.pipeline.PreprocessConfig;
import org.specus.pipeline.PreprocessJob;

/**
 * Decides, for each recording, whether its output is missing, incomplete, outdated or current. It
 * opens each recording only to read its metadata and fingerprint (no samples), and reads only the
 * output's markers, so planning a root whose outputs are all current takes seconds.
 */
public final class BatchPlanner {
  private final PreprocessConfig config;
  /** Options of the pipelines built only to be checked; made on first use, as they take a classpath scan. */
  private PipelineOptions checkOnly;

  public BatchPlanner(PreprocessConfig config) {
    this.config = config;
  }

  /** Plans every candidate; two recordings that would share one output both fail. */
  public List<PlannedRecording> plan(List<RecordingFinder.Candidate> candidates) {
    Map<Path, RecordingFinder.Candidate> byOutput = new HashMap<>();
    Map<RecordingFinder.Candidate, String> collisions = new HashMap<>();
    for (RecordingFinder.Candidate c : candidates) {
      RecordingFinder.Candidate other = byOutput.putIfAbsent(c.output(), c);
      if (other != null) {
        collisions.put(c, other.name());
        collisions.put(other, c.name());
      }
    }
    List<PlannedRecording> plan = new ArrayList<>();
    for (RecordingFinder.Candidate c : candidates) {
      plan.add(collisions.containsKey(c)
          ? new PlannedRecording(c, PlannedRecording.Action.FAIL,
              "its output " + c.output() + " would also be written by " + collisions.get(c), null, null)
          : plan(c));
    }
    return plan;
  }

  /** Plans one recording, as it stands now. */
  public PlannedRecording plan(RecordingFinder.Candidate c) {
    PlannedRecording.Facts facts;
    OutputStore.ResultKey key;
    try (Recording r = Recordings.open(c.input(), c.options())) {
      if (r.numSamples() == 0) {
        return fail(c, r.path().getFileName() + ": holds no samples; there is nothing to process", null);
      }
      long tileSamples = Math.max(1, Math.round(config.tileSeconds() * r.samplingRate())); // as RecordingSource
      facts = new PlannedRecording.Facts(r.durationSeconds(), r.numChannels(), r.samplingRate(),
          inputBytes(r.path()), (r.numSamples() + tileSamples - 1) / tileSamples);
      key = PreprocessJob.resultKey(config, r.fingerprint());
    } catch (RecordingException | IllegalArgumentException | UncheckedIOException | IOException e) {
      return fail(c, e.getMessage(), null);
    }
    OutputStore.Existing existing;
    try {
      existing = OutputStore.inspect(c.output());
    } catch (OutputException e) {
      return fail(c, e.getMessage(), facts);
    }
    if (existing.state() == OutputStore.State.COMPLETE && existing.key().equals(key)) {
      return new PlannedRecording(c, PlannedRecording.Action.SKIP, "up to date", facts, key);
    }
    // The lock comes before the look at the contents: a live run may be half-way through clearing
    // or claiming the directory, and what it holds at that moment says nothing about what it is.
    OutputLock.Holder holder = OutputLock.readHolder(OutputLock.lockFile(c.output()));
    if (holder != null && holder.pid() == ProcessHandle.current().pid()) {
      holder = null; // this process holds it: the batch plans again once it has taken the lock
    }
    if (holder != null && holder.isAliveHere()) {
      return new PlannedRecording(c, PlannedRecording.Action.BUSY,
          "being written by another run (" + holder.describe() + ")", facts, key);
    }
    if (existing.state() == OutputStore.State.FOREIGN) {
      return fail(c, c.output() + ": exists and is not a Specus output; not touched", facts);
    }
    String refused = refusal(c);
    if (refused != null) {
      return fail(c, refused, facts);
    }
    String stale = holder == null ? "" : "; the stale lock of " + holder.describe() + " will be taken over";
    return switch (existing.state()) {
      case ABSENT -> new PlannedRecording(c, PlannedRecording.Action.PROCESS, "no output yet" + stale, facts, key);
      case IN_PROGRESS -> existing.key().equals(key)
          ? new PlannedRecording(c, PlannedRecording.Action.RESUME, "interrupted run of the same result, "
              + shardsPresent(c.output()) + " of " + facts.tiles() + " shards written" + stale, facts, key)
          : new PlannedRecording(c, PlannedRecording.Action.REPLACE,
              "outdated incomplete output: " + existing.key().changesTo(key) + stale, facts, key);
      case COMPLETE -> new PlannedRecording(c, PlannedRecording.Action.REPLACE,
          "outdated: " + existing.key().changesTo(key) + stale, facts, key);
      case FOREIGN -> throw new IllegalStateException("handled above");
    };
  }

  /**
   * What the chain refuses for this recording at construction (a cutoff at or above its Nyquist
   * frequency, too few samples, missing probe geometry), or {@code null}: the pipeline is built and
   * never run, so a run that would fail this way fails in the plan, with the same message. Only
   * for recordings about to run: an up-to-date output shows the chain once took it, and its check
   * would cost an up-to-date root Beam's start-up (about a second).
   */
  private String refusal(RecordingFinder.Candidate c) {
    if (checkOnly == null) {
      checkOnly = PipelineOptionsFactory.create();
    }
    try {
      PreprocessJob.readAndProcess(Pipeline.create(checkOnly), c.input(), c.options(), config);
      return null;
    } catch (RuntimeException e) {
      // Whatever a transform throws fails this recording, as it would in its run, not the batch.
      return BatchRunner.oneLine(e);
    }
  }

  private static PlannedRecording fail(RecordingFinder.Candidate c, String why, PlannedRecording.Facts facts) {
    return new PlannedRecording(c, PlannedRecording.Action.FAIL, why, facts, null);
  }

  /** What progress counts as the recording's size: its file, or every file of a folder read whole (MEF 3.0). */
  static long inputBytes(Path input) throws IOException {
    if (!Files.isDirectory(input)) {
      return Files.size(input);
    }
    try (Stream<Path> files = Files.walk(input)) {
      long bytes = 0;
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        bytes += Files.size(f);
      }
      return bytes;
    }
  }

  /** Tiles under their final names in any format: a count for people; validity is checked when they are reused. */
  static long shardsPresent(Path output) {
    return WrittenTiles.count(output);
  }

}
