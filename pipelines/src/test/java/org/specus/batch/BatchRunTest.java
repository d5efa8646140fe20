package org.specus.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.specus.batch.BatchFixtures.batch;
import static org.specus.batch.BatchFixtures.readJson;
import static org.specus.batch.BatchFixtures.rows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.output.OutputLock;
import org.specus.io.output.OutputStore;
import org.specus.pipeline.Outputs;
import org.specus.pipeline.PeakMemory;
import org.specus.pipeline.TestRecordings;

/**
 * A batch over a root of small synthetic recordings in nested folders, with broken ones among them:
 * the plan, the run, the report, a second run that does nothing, and reprocessing after a change.
 */
class BatchRunTest {
  @TempDir static Path tmp;
  static Path root;

  static final String A = "mouse1/day1/a_g0_t0.imec0.ap.bin";
  static final String B = "mouse1/day2/b_g0_t0.imec0.ap.bin";
  static final String C = "c_g0_t0.imec0.ap.bin";
  static final String NO_RATE = "mouse2/norate_g0_t0.imec0.ap.bin";
  static final String NO_META = "mouse2/nometa_g0_t0.imec0.ap.bin";

  @BeforeAll
  static void recordings() throws Exception {
    root = tmp.resolve("raw");
    TestRecordings.synth(Files.createDirectories(root.resolve("mouse1/day1")), "a", 2, 32, 1);
    TestRecordings.synth(Files.createDirectories(root.resolve("mouse1/day2")), "b", 3, 32, 2);
    TestRecordings.synth(root, "c", 1.5, 48, 3);
    // A meta without its sampling rate, and a .bin without any .meta: both are reported, not fatal.
    Path bad = TestRecordings.synth(Files.createDirectories(root.resolve("mouse2")), "norate", 1, 32, 4);
    Path badMeta = bad.resolveSibling("norate_g0_t0.imec0.ap.meta");
    Files.writeString(badMeta, Files.readString(badMeta).replaceAll("(?m)^imSampRate=.*\\R", ""));
    Files.copy(bad, root.resolve(NO_META));
  }

  private static String[] args(Path out, String... more) {
    List<String> a = new java.util.ArrayList<>(List.of("--root", root.toString(), "--out", out.toString(),
        "--parallelism", "2", "--progress-every", "1h"));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  @Test
  void dryRunPrintsWhatWouldBeDoneAndWhyAndChangesNothing() {
    Path out = tmp.resolve("dry");
    BatchFixtures.Run r = batch(args(out, "--dry-run"));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("5 recordings found, 3 to process"), r.out());
    assertTrue(r.out().contains("process  " + A + " (2.0 s, 32 ch): no output yet"), r.out());
    assertTrue(r.out().contains("process  " + C + " (1.5 s, 48 ch): no output yet"), r.out());
    assertTrue(r.out().contains("fail     " + NO_RATE + ": ") && r.out().contains("imSampRate"), r.out());
    assertTrue(r.out().contains("fail     " + NO_META + ": ") && r.out().contains("no metadata file"), r.out());
    assertTrue(r.out().contains("dry run: nothing was changed"), r.out());
    assertFalse(Files.exists(out), "a dry run creates nothing");
  }

  @Test
  void aRunProcessesEveryGoodRecordingReportsTheBadOnesAndANoOpRerunFollows() throws Exception {
    Path out = tmp.resolve("out");
    BatchFixtures.Run first = batch(args(out));
    assertEquals(BatchRunner.EXIT_SOME_FAILED, first.code(), first.out() + first.err());

    // Report: one JSON file in the default place, and the table beside it and on stdout.
    List<Path> reports = BatchFixtures.defaultReports(out);
    assertEquals(1, reports.size());
    Map<String, Object> report = readJson(reports.get(0));
    Map<String, Map<String, Object>> rows = rows(report);
    // Peak memory in MiB, as /proc and bench/'s harness count it: VmHWM only grows, so it bounds the
    // figure from above, by less than decimal megabytes would exceed it (~5 %).
    long peakMib = ((Number) ((Map<?, ?>) report.get("run")).get("peak_resident_mib")).longValue();
    long hwmMib = PeakMemory.residentBytes() >> 20;
    assertTrue(peakMib > 0 && peakMib <= hwmMib + 1, peakMib + " MiB reported, VmHWM now " + hwmMib + " MiB");
    assertEquals(List.of(C, A, B, NO_META, NO_RATE).stream().sorted().toList(), rows.keySet().stream().toList());
    for (String good : List.of(A, B, C)) {
      Map<String, Object> row = rows.get(good);
      assertEquals("done", row.get("status"), row.toString());
      assertEquals("process", row.get("action"));
      assertEquals(row.get("tiles_total"), row.get("tiles_computed"), row.toString());
      assertEquals(0, row.get("tiles_reused"));
      assertTrue(((Number) row.get("wall_seconds")).doubleValue() > 0);
      assertTrue(((Number) row.get("times_real_time")).doubleValue() > 0);
      assertNull(row.get("error"));
      Path output = out.resolve(good.replace(".ap.bin", ".ap.zarr"));
      assertEquals(output.toAbsolutePath().toString(), row.get("output"));
      assertTrue(OutputStore.isComplete(output), good);
      long[] shape = Outputs.tracesShape(output);
      assertEquals(Math.round(((Number) row.get("recording_seconds")).doubleValue() * 30000), shape[0], good);
      Outputs.traces(output); // every shard decodes, every crc matches
    }
    assertEquals(3, ((Number) rows.get(B).get("tiles_total")).intValue());
    assertEquals("failed", rows.get(NO_RATE).get("status"));
    assertTrue(((String) rows.get(NO_RATE).get("error")).contains("imSampRate"), rows.get(NO_RATE).toString());
    assertEquals("failed", rows.get(NO_META).get("status"));
    assertTrue(((String) rows.get(NO_META).get("error")).contains("nometa_g0_t0.imec0.ap.meta"));
    @SuppressWarnings("unchecked")
    Map<String, Object> totals = (Map<String, Object>) report.get("totals");
    assertEquals(3, totals.get("done"));
    assertEquals(2, totals.get("failed"));
    String table = Files.readString(BatchRunner.tableFile(reports.get(0)));
    assertTrue(first.out().contains(table), first.out());
    assertTrue(table.contains("5 recordings: 3 done, 0 up to date, 0 busy elsewhere, 2 failed"), table);
    assertTrue(table.contains("failed:\n  " + NO_META + ": "), table);
    // Progress: one line per recording the batch ran, on stderr.
    assertTrue(first.err().contains("[1/3] done " + C + ": 2 tiles (2 computed, 0 reused)"), first.err());
    assertTrue(first.err().contains("[3/3] done " + B), first.err());
    assertFalse(Files.exists(out.resolve("mouse2/norate_g0_t0.imec0.ap.zarr")), "nothing for a failed input");

    // A second run right after: nothing to do, nothing touched.
    Map<String, FileTime> before = snapshot(out);
    BatchFixtures.Run second = batch(args(out, "--report", tmp.resolve("second.json").toString()));
    assertEquals(BatchRunner.EXIT_SOME_FAILED, second.code(), "the broken recordings still fail");
    assertTrue(second.out().contains("5 recordings found, 0 to process"), second.out());
    Map<String, Map<String, Object>> again = rows(readJson(tmp.resolve("second.json")));
    for (String good : List.of(A, B, C)) {
      assertEquals("skipped-up-to-date", again.get(good).get("status"));
      assertEquals(0, again.get(good).get("tiles_computed"));
    }
    assertEquals(before, snapshot(out), "an up-to-date output is not touched");

    // Another configuration: everything is replaced, and the plan says why.
    BatchFixtures.Run average = batch(args(out, "--cmr", "average", "--report", tmp.resolve("avg.json").toString()));
    assertTrue(average.out().contains("replace  " + A + " (2.0 s, 32 ch): outdated: configuration changed"),
        average.out());
    Map<String, Map<String, Object>> avg = rows(readJson(tmp.resolve("avg.json")));
    for (String good : List.of(A, B, C)) {
      assertEquals("done", avg.get(good).get("status"));
      assertEquals("replace", avg.get(good).get("action"));
      assertTrue(((String) avg.get(good).get("note")).contains("configuration changed"), avg.get(good).toString());
      assertEquals(0, avg.get(good).get("tiles_reused"), "shards of another configuration are never reused");
      @SuppressWarnings("unchecked")
      Map<String, Object> provenance = (Map<String, Object>) Outputs.rootAttributes(out.resolve(A.replace(".bin", ".zarr")))
          .get("provenance");
      @SuppressWarnings("unchecked")
      Map<String, Object> configuration = (Map<String, Object>) provenance.get("configuration");
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> ops = (List<Map<String, Object>>) configuration.get("pipeline");
      assertEquals("average", ops.stream().filter(o -> "common_reference".equals(o.get("op"))).findFirst()
          .orElseThrow().get("operator"));
    }

    // One input changes (its metadata is edited): only that one is redone.
    Path metaOfB = root.resolve(B.replace(".bin", ".meta"));
    String original = Files.readString(metaOfB);
    try {
      Files.writeString(metaOfB, "specusTestNote=re-annotated\n", StandardOpenOption.APPEND);
      batch(args(out, "--cmr", "average", "--report", tmp.resolve("input.json").toString()));
      Map<String, Map<String, Object>> changed = rows(readJson(tmp.resolve("input.json")));
      assertEquals("done", changed.get(B).get("status"), changed.get(B).toString());
      assertEquals("outdated: input changed", changed.get(B).get("reason"));
      assertEquals("skipped-up-to-date", changed.get(A).get("status"));
      assertEquals("skipped-up-to-date", changed.get(C).get("status"));
    } finally {
      Files.writeString(metaOfB, original);
    }
  }

  @Test
  void aRecordingBeingWrittenByAnotherRunIsLeftToItAndAStaleLockIsTakenOver() throws Exception {
    Path out = tmp.resolve("locks");
    Path outputA = out.resolve(A.replace(".bin", ".zarr"));
    Path outputB = out.resolve(B.replace(".bin", ".zarr"));
    // A lock left by a process that was killed: it names a pid that no longer runs.
    Process gone = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
        .redirectErrorStream(true).start();
    gone.getInputStream().readAllBytes();
    gone.waitFor();
    Files.createDirectories(outputB.getParent());
    Files.write(OutputLock.lockFile(outputB), new ObjectMapper().writeValueAsBytes(
        new OutputLock.Holder(gone.pid(), java.net.InetAddress.getLocalHost().getHostName(), "", "2020-01-01T00:00:00Z", "x")));
    try (OutputLock held = OutputLock.acquire(outputA)) { // a live run holds A
      BatchFixtures.Run r = batch(args(out, "--include", "mouse1/**", "--report", tmp.resolve("locks.json").toString()));
      assertEquals(0, r.code(), "a busy recording is not a failure: " + r.out() + r.err());
      Map<String, Map<String, Object>> rows = rows(readJson(tmp.resolve("locks.json")));
      assertEquals("skipped-busy", rows.get(A).get("status"));
      assertTrue(((String) rows.get(A).get("reason")).contains("pid " + ProcessHandle.current().pid()), rows.get(A).toString());
      assertFalse(Files.exists(outputA), "the busy output is not touched");
      assertEquals("done", rows.get(B).get("status"));
      assertTrue(((String) rows.get(B).get("note")).contains("took over the stale lock of pid " + gone.pid()),
          rows.get(B).toString());
      assertTrue(OutputStore.isComplete(outputB));
    }
  }

  @Test
  void anOutputALiveRunHoldsIsBusyWhateverItHoldsAtThatMoment() throws Exception {
    // Another process holds C's lock while its directory holds something that is not (yet) a
    // Specus output, as when that run is half-way through clearing or claiming it.
    Path out = tmp.resolve("held");
    Path outputC = out.resolve(C.replace(".bin", ".zarr"));
    Files.writeString(Files.createDirectories(outputC).resolve("part.bin"), "theirs");
    Process other = new ProcessBuilder("sleep", "600").start();
    try {
      Files.write(OutputLock.lockFile(outputC), new ObjectMapper().writeValueAsBytes(new OutputLock.Holder(
          other.pid(), java.net.InetAddress.getLocalHost().getHostName(),
          other.info().startInstant().map(java.time.Instant::toString).orElse(""), "2026-01-01T00:00:00Z", "y")));
      BatchFixtures.Run r = batch(args(out, "--include", C, "--report", tmp.resolve("held.json").toString()));
      assertEquals(0, r.code(), r.out() + r.err());
      Map<String, Object> row = rows(readJson(tmp.resolve("held.json"))).get(C);
      assertEquals("skipped-busy", row.get("status"), row.toString());
      assertTrue(((String) row.get("reason")).contains("pid " + other.pid()), row.toString());
      assertEquals("theirs", Files.readString(outputC.resolve("part.bin")));
    } finally {
      other.destroyForcibly().waitFor();
    }
    // Once nobody holds it, the same directory is reported for what it is.
    BatchFixtures.Run again = batch(args(out, "--include", C, "--report", tmp.resolve("held2.json").toString()));
    Map<String, Object> row = rows(readJson(tmp.resolve("held2.json"))).get(C);
    assertEquals("failed", row.get("status"), again.out() + again.err());
    assertTrue(((String) row.get("reason")).contains("not a Specus output"), row.toString());
  }

  /**
   * What the chain refuses for a recording (the default bandpass's 6 kHz at a 10 kHz rate; fewer
   * samples than sosfiltfilt's padding) is known when the batch plans: the dry run says so, and the
   * run fails it with the same message without starting it, while the good recording is done.
   */
  @Test
  void aRecordingTheChainCannotTakeFailsInThePlanNotInTheRun() throws Exception {
    Path own = tmp.resolve("chain/raw");
    TestRecordings.synth(Files.createDirectories(own), "good", 1, 16, 5);
    Path slow = TestRecordings.synth(own, "slow", 1, 16, 6);
    Path slowMeta = slow.resolveSibling("slow_g0_t0.imec0.ap.meta");
    Files.writeString(slowMeta, Files.readString(slowMeta).replaceAll("(?m)^imSampRate=.*$", "imSampRate=10000"));
    TestRecordings.synth(own, "short", 0.001, 16, 7); // 30 samples
    Path out = tmp.resolve("chain/out");
    List<String> common = List.of("--root", own.toString(), "--out", out.toString(), "--progress-every", "1h");

    BatchFixtures.Run dry = batch(Stream.concat(common.stream(), Stream.of("--dry-run")).toArray(String[]::new));
    assertEquals(0, dry.code(), dry.err());
    assertTrue(dry.out().contains("3 recordings found, 1 to process"), dry.out());
    assertTrue(dry.out().contains("fail     slow_g0_t0.imec0.ap.bin (3.0 s, 16 ch): slow_g0_t0.imec0.ap.bin:"
        + " bandpass high cutoff 6000 Hz is at or above Nyquist (5000 Hz"), dry.out());
    assertTrue(dry.out().contains("fail     short_g0_t0.imec0.ap.bin (0.0 s, 16 ch): short_g0_t0.imec0.ap.bin:"
        + " bandpass forward-backward needs more than 33 samples (scipy's padlen for this 5-section filter),"
        + " but the recording has 30"), dry.out());

    Path report = tmp.resolve("chain/report.json");
    BatchFixtures.Run run = batch(Stream.concat(common.stream(), Stream.of("--report", report.toString()))
        .toArray(String[]::new));
    assertEquals(BatchRunner.EXIT_SOME_FAILED, run.code(), run.out() + run.err());
    Map<String, Map<String, Object>> rows = rows(readJson(report));
    assertEquals("done", rows.get("good_g0_t0.imec0.ap.bin").get("status"), rows.toString());
    for (String bad : List.of("slow_g0_t0.imec0.ap.bin", "short_g0_t0.imec0.ap.bin")) {
      assertEquals("failed", rows.get(bad).get("status"), rows.get(bad).toString());
      assertEquals("fail", rows.get(bad).get("action"), rows.get(bad).toString());
      assertFalse(Files.exists(out.resolve(bad.replace(".bin", ".zarr"))), "nothing is written for " + bad);
    }
    assertFalse(run.err().contains("[1/3]"), "only the good recording is run: " + run.err());
  }

  /** Modification times of every file under {@code dir}, except the batch's own reports. */
  private static Map<String, FileTime> snapshot(Path dir) throws Exception {
    Map<String, FileTime> times = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (!dir.relativize(f).startsWith(BatchRunner.REPORTS)) {
          times.put(dir.relativize(f).toString(), Files.getLastModifiedTime(f));
        }
      }
    }
    return times;
  }
}
