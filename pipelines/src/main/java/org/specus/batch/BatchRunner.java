package org.specus.batch;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.beam.sdk.PipelineResult;
import org.specus.io.beam.OpenRecordings;
import org.specus.io.output.OutputLock;
import org.specus.io.output.OutputLockedException;
import org.specus.io.output.OutputStore;
import org.specus.pipeline.PeakMemory;
import org.specus.pipeline.PreprocessConfig;
import org.specus.pipeline.PreprocessJob;
import org.specus.pipeline.SoftwareVersion;

/**
 * Reprocesses every recording under a root whose output is missing, incomplete or outdated, one
 * recording at a time, and reports what it did.
 *
 * <p>Per recording: take the output's lock (skip it if another live run holds it), plan it again
 * now that nobody else can write it (another run may have finished it meanwhile), claim the output
 * (clearing an outdated result first), run the pipeline (which keeps intact shards of an
 * interrupted run), release the lock. A recording that fails is reported and the batch moves on;
 * the exit code says whether anything failed.
 */
public final class BatchRunner {
  /** Exit code when the batch ran but at least one recording failed or a directory was unreadable. */
  public static final int EXIT_SOME_FAILED = 3;
  /** Where reports go under the output root. */
  public static final String REPORTS = ".specus-batch";

  /**
   * What to run.
   *
   * @param reportFile where the JSON report goes, or {@code null} for
   *     {@code OUT/.specus-batch/report-<time>-<pid>.json}
   * @param runner the runner's name, for the report
   * @param progressInterval between progress lines when the progress stream is not a terminal
   */
  public record Settings(Path root, Path out, PreprocessConfig config, List<String> includes, boolean dryRun,
      Path reportFile, String runner, Duration progressInterval, boolean terminal) {}

  /** How the batch ended. */
  public record Outcome(int exitCode, List<RecordingResult> recordings, Path reportFile) {}

  private final Settings settings;
  private final JobFactory jobs;
  private final List<RecordingDiscovery> formats;

  public BatchRunner(Settings settings, JobFactory jobs) {
    this(settings, jobs, RecordingFinder.DEFAULT_FORMATS);
  }

  public BatchRunner(Settings settings, JobFactory jobs, List<RecordingDiscovery> formats) {
    this.settings = settings;
    this.jobs = jobs;
    this.formats = List.copyOf(formats);
  }

  /** Plans, prints the plan, and (unless a dry run) runs it. Plan and table go to {@code out}. */
  public Outcome run(PrintStream out, PrintStream progressOut) {
    Instant started = Instant.now();
    RecordingFinder.Found found = new RecordingFinder(formats, settings.includes())
        .find(settings.root(), settings.out());
    BatchPlanner planner = new BatchPlanner(settings.config());
    List<PlannedRecording> plan = planner.plan(found.recordings());
    printPlan(out, plan, found.problems());
    if (settings.dryRun()) {
      out.println("dry run: nothing was changed");
      return new Outcome(0, List.of(), null);
    }

    // Busy ones are tried too: the other run may have finished by the time their turn comes.
    List<PlannedRecording> toRun = plan.stream().filter(BatchRunner::attempted).toList();
    long bytesToRun = toRun.stream().mapToLong(p -> p.facts() == null ? 0 : p.facts().inputBytes()).sum();
    List<RecordingResult> results = new ArrayList<>();
    try (BatchProgress progress = new BatchProgress(progressOut, settings.terminal(), settings.progressInterval(),
        toRun.size(), bytesToRun)) {
      for (PlannedRecording p : plan) {
        if (!attempted(p)) {
          results.add(withoutRunning(p));
          continue;
        }
        RecordingResult r = process(planner, p, progress);
        results.add(r);
        progress.end(r, p.facts() == null ? 0 : p.facts().inputBytes());
      }
    }

    Map<String, Object> run = runDescription();
    long peakMib = PeakMemory.residentMib();
    run.put("peak_resident_mib", peakMib < 0 ? null : peakMib);
    run.put("threads_at_end", Thread.activeCount());
    BatchReport.Contents report = new BatchReport.Contents(run, started, Instant.now(), results, found.problems());
    Path reportFile = settings.reportFile() != null ? settings.reportFile() : defaultReportFile(started);
    try {
      BatchReport.writeJson(reportFile, report);
      Files.writeString(tableFile(reportFile), BatchReport.table(report));
    } catch (IOException e) {
      throw new UncheckedIOException(reportFile + ": cannot write the batch report", e);
    }
    out.println();
    out.print(BatchReport.table(report));
    out.println("report: " + reportFile);
    return new Outcome(report.failed() ? EXIT_SOME_FAILED : 0, results, reportFile);
  }

  private static boolean attempted(PlannedRecording p) {
    return p.action().runs() || p.action() == PlannedRecording.Action.BUSY;
  }

  private RecordingResult process(BatchPlanner planner, PlannedRecording planned, BatchProgress progress) {
    RecordingFinder.Candidate c = planned.candidate();
    long t0 = System.nanoTime();
    PreprocessJob.Plan jobPlan = null;
    PlannedRecording now = planned;
    try (OutputLock lock = OutputLock.acquire(c.output())) {
      // Holding the lock, nobody else writes this output: decide again on what it holds now.
      now = planner.plan(c);
      if (now.action() == PlannedRecording.Action.SKIP) {
        String why = planned.action() == PlannedRecording.Action.SKIP ? now.reason() : "completed by another run meanwhile";
        return result(now, RecordingResult.Status.SKIPPED_UP_TO_DATE, why, t0, 0, 0, 0, null, null);
      }
      if (now.action() == PlannedRecording.Action.FAIL) {
        return result(now, RecordingResult.Status.FAILED, now.reason(), t0, 0, 0, 0, now.reason(), null);
      }
      PreprocessJob job = jobs.create(c.input(), c.options(), c.output(), settings.config());
      jobPlan = job.build();
      String replaced = OutputStore.prepareReplacing(c.output(), jobPlan.key());
      long present = BatchPlanner.shardsPresent(c.output());
      progress.begin(c.name(), c.output(), jobPlan.numTiles(), present,
          now.facts() == null ? 0 : now.facts().inputBytes());
      PreprocessJob.Outcome outcome = job.executeCounting(jobPlan);
      if (outcome.state() != PipelineResult.State.DONE) {
        String error = "the pipeline ended in state " + outcome.state();
        return result(now, RecordingResult.Status.FAILED, now.reason(), t0, jobPlan.numTiles(), 0, 0, error, null);
      }
      List<String> notes = new ArrayList<>();
      if (replaced != null) {
        notes.add("replaced a result whose " + replaced);
      }
      lock.takenOverFrom().ifPresent(h -> notes.add("took over the stale lock of " + h.describe()));
      return result(now, RecordingResult.Status.DONE, now.reason(), t0, jobPlan.numTiles(), outcome.tilesComputed(),
          outcome.tilesReused(), null, notes.isEmpty() ? null : String.join("; ", notes));
    } catch (OutputLockedException e) {
      return result(now, RecordingResult.Status.SKIPPED_BUSY, e.getMessage(), t0, 0, 0, 0, null, null);
    } catch (RuntimeException e) {
      long tiles = jobPlan == null ? 0 : jobPlan.numTiles();
      return result(now, RecordingResult.Status.FAILED, now.reason(), t0, tiles, 0, 0, oneLine(e), null);
    } finally {
      if (jobPlan != null) {
        OpenRecordings.close(jobPlan.recording().path()); // bounded open files over many recordings
      }
    }
  }

  private RecordingResult withoutRunning(PlannedRecording p) {
    return switch (p.action()) {
      case SKIP -> result(p, RecordingResult.Status.SKIPPED_UP_TO_DATE, p.reason(), System.nanoTime(), 0, 0, 0, null, null);
      case FAIL -> result(p, RecordingResult.Status.FAILED, p.reason(), System.nanoTime(), 0, 0, 0, p.reason(), null);
      default -> throw new IllegalStateException("not run: " + p.action());
    };
  }

  private RecordingResult result(PlannedRecording p, RecordingResult.Status status, String reason, long t0,
      long tiles, long computed, long reused, String error, String note) {
    RecordingFinder.Candidate c = p.candidate();
    PlannedRecording.Facts f = p.facts();
    long total = tiles > 0 ? tiles : (f == null ? 0 : f.tiles());
    return new RecordingResult(c.name(), c.output().toString(), c.format(), p.action().word(),
        reason, status, f == null ? null : f.seconds(), f == null ? null : f.channels(),
        (System.nanoTime() - t0) / 1e9, total, computed, reused, error, note);
  }

  /** The message a person needs: what a DoFn or reader said, without Beam's wrapping. */
  static String oneLine(Throwable e) {
    Throwable t = e;
    while ((t instanceof PipelineExecutionException || t.getClass() == RuntimeException.class)
        && t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    if (t instanceof UncheckedIOException && t.getCause() != null && t.getCause().getMessage() != null
        && !m.contains(t.getCause().getMessage())) {
      m = m + " (" + t.getCause().getMessage() + ")";
    }
    return m.replace('\n', ' ');
  }

  private void printPlan(PrintStream out, List<PlannedRecording> plan, List<String> problems) {
    out.printf("specus batch: %s -> %s%n", settings.root(), settings.out());
    out.printf("  %s; configuration %s; Specus %s; runner %s%n", settings.config().chainSummary(),
        PreprocessJob.resultKey(settings.config(), "").configHash(), SoftwareVersion.get(), settings.runner());
    long running = plan.stream().filter(p -> p.action().runs()).count();
    out.printf("  %d recordings found, %d to process%n", plan.size(), running);
    for (PlannedRecording p : plan) {
      PlannedRecording.Facts f = p.facts();
      String size = f == null ? "" : String.format(Locale.ROOT, " (%.1f s, %d ch)", f.seconds(), f.channels());
      out.printf("  %-8s %s%s: %s%n", p.action().word(), p.candidate().name(), size, p.reason());
    }
    for (String problem : problems) {
      out.printf("  problem  %s%n", problem);
    }
    out.flush();
  }

  private Map<String, Object> runDescription() {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("root", settings.root().toAbsolutePath().normalize().toString());
    run.put("out", settings.out().toAbsolutePath().normalize().toString());
    run.put("includes", settings.includes());
    run.put("configuration", settings.config().toMap());
    run.put("config_hash", PreprocessJob.resultKey(settings.config(), "").configHash());
    run.put("software_version", SoftwareVersion.get());
    run.put("runner", settings.runner());
    run.put("host", hostName());
    run.put("pid", ProcessHandle.current().pid());
    return run;
  }

  /** The human table, beside the JSON report: {@code report-....txt}. */
  static Path tableFile(Path reportFile) {
    String name = reportFile.getFileName().toString();
    String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    return reportFile.resolveSibling(stem + ".txt");
  }

  private Path defaultReportFile(Instant started) {
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(started);
    return settings.out().resolve(REPORTS).resolve("report-" + stamp + "-" + ProcessHandle.current().pid() + ".json");
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }
}
