package org.specus.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The progress line's contents, and how it is written to a terminal and to a log. */
class BatchProgressTest {

  @Test
  void theLineSaysRecordingsTilesSpeedAndEta() {
    assertEquals("recordings 2/5 | m1/a.ap.bin tiles 7/20 | 45.0 MB/s | ETA 1m40s",
        BatchProgress.format(2, 5, "m1/a.ap.bin", 7, 20, 45e6, 100.2));
    assertEquals("recordings 0/1 | a tiles 0/3 | 0.0 MB/s | ETA unknown",
        BatchProgress.format(0, 1, "a", 0, 3, 0, Double.NaN));
    assertEquals("59s", BatchProgress.duration(59.4));
    assertEquals("2h05m", BatchProgress.duration(7500));
  }

  /**
   * Four small recordings, of 1 to 4 MB, took 5.01 to 5.04 s (5 s each, plus 0.01 s per MB). Bytes
   * alone (10 MB in 20.1 s, 0.5 MB/s) would give two more of 3 MB 12 s, and a 690 MB one 23 minutes.
   */
  @Test
  void theEtaCountsACostPerRecordingBesideTheCostPerByte() {
    RecordingTimes times = new RecordingTimes();
    assertEquals(null, times.fit());
    for (int mb = 1; mb <= 4; mb++) {
      times.add(mb * 1_000_000L, 5 + 0.01 * mb);
    }
    RecordingTimes.Fit fit = times.fit();
    assertEquals(5.0, fit.perRecording(), 1e-9);
    assertEquals(0.01e-6, fit.perByte(), 1e-15);
    assertEquals(4_000_000L, fit.largest());
    // Two pending recordings of 3 MB after the current one (4 MB, 1 s in, no tile yet).
    assertEquals(2 * 5 + 0.06 + (5.04 - 1),
        BatchProgress.etaSeconds(fit, 2, 6_000_000L, 4_000_000L, 0, 4_000_000L, 1), 1e-9);
    // A 690 MB one is beyond what the fit has seen: unknown until it has computed tiles, then at its own pace.
    assertTrue(Double.isNaN(BatchProgress.etaSeconds(fit, 0, 0, 690_000_000L, 0, 690_000_000L, 2)));
    assertEquals(9, BatchProgress.etaSeconds(fit, 0, 0, 690_000_000L, 230_000_000L, 460_000_000L, 4.5), 1e-9);
    // ... and so are pending ones of its size, while the fit has not seen any.
    assertEquals(9 + 13.5, BatchProgress.etaSeconds(fit, 1, 690_000_000L, 690_000_000L, 230_000_000L, 460_000_000L,
        4.5), 1e-9);
    // Before any recording has finished: the current one's pace, or unknown before its first tile.
    assertEquals(1 + 10, BatchProgress.etaSeconds(null, 1, 200_000_000L, 40_000_000L, 20_000_000L, 20_000_000L, 1),
        1e-9);
    assertTrue(Double.isNaN(BatchProgress.etaSeconds(null, 1, 200_000_000L, 40_000_000L, 0, 40_000_000L, 1)));
  }

  @Test
  void aRecordingsPaceCountsFromItsFirstTile() {
    BatchProgress.Pace pace = new BatchProgress.Pace();
    pace.observe(0, 3); // start-up and statistics: nothing computed yet
    assertEquals(0, pace.bytes);
    assertEquals(3, pace.seconds, 0);
    pace.observe(10_000_000L, 8); // the first tiles: the only figures there are, start-up included
    assertEquals(10_000_000L, pace.bytes);
    assertEquals(8, pace.seconds, 0);
    pace.observe(10_000_000L, 9);
    assertEquals(10_000_000L, pace.bytes);
    assertEquals(9, pace.seconds, 0);
    pace.observe(30_000_000L, 12); // from then on, without them: 20 MB in 4 s
    assertEquals(20_000_000L, pace.bytes);
    assertEquals(4, pace.seconds, 0);
    // 60 MB left at 5 MB/s: 12 s, where the pace since the start (30 MB in 12 s) would say 24.
    assertEquals(12, BatchProgress.etaSeconds(null, 0, 0, 90_000_000L, pace.bytes, 60_000_000L, pace.seconds), 1e-9);
  }

  @Test
  void untilSizesDifferTheTimeGoesOnTheBytes() {
    RecordingTimes same = new RecordingTimes();
    same.add(1_000_000L, 4);
    same.add(1_050_000L, 4.2); // within 10 %: the two costs cannot be told apart
    assertEquals(new RecordingTimes.Fit(0, 8.2 / 2_050_000, 1_050_000L), same.fit());
    RecordingTimes reused = new RecordingTimes();
    reused.add(0, 3); // every shard reused: all overhead
    reused.add(0, 5);
    assertEquals(new RecordingTimes.Fit(4, 0, 0), reused.fit());
    RecordingTimes noisy = new RecordingTimes();
    noisy.add(1_000_000L, 6); // the larger one was quicker: no cost per byte can be seen
    noisy.add(2_000_000L, 5);
    assertEquals(new RecordingTimes.Fit(5.5, 0, 2_000_000L), noisy.fit());
  }

  private static RecordingResult done(String name) {
    return new RecordingResult(name, "/out/" + name, "spikeglx", "process", "no output yet",
        RecordingResult.Status.DONE, 10.0, 32, 2.0, 10, 6, 4, null, null);
  }

  @Test
  void aLogGetsOnePlainLinePerFinishedRecording() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (BatchProgress p = new BatchProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false,
        Duration.ofHours(1), 2, 2000)) {
      p.begin("a", Path.of("/nonexistent/a.zarr"), 10, 4, 1000);
      p.end(done("a"), 1000);
    }
    String log = bytes.toString(StandardCharsets.UTF_8);
    assertEquals("[1/2] done a: 10 tiles (6 computed, 4 reused) in 2.0 s, 5.00x real time\n", log);
  }

  @Test
  void aTerminalGetsALineRewrittenInPlace() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (BatchProgress p = new BatchProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true,
        Duration.ofHours(1), 1, 1000)) {
      p.begin("a", Path.of("/nonexistent/a.zarr"), 10, 0, 1000);
      // The live line is refreshed every 0.5 s; wait for the first one, however busy the machine is.
      for (int i = 0; i < 600 && !bytes.toString(StandardCharsets.UTF_8).contains("recordings 0/1"); i++) {
        Thread.sleep(50);
      }
      p.end(done("a"), 1000);
    }
    String screen = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(screen.contains("\r\033[Krecordings 0/1 | a tiles 0/10"), screen);
    assertTrue(screen.endsWith("\r\033[K[1/1] done a: 10 tiles (6 computed, 4 reused) in 2.0 s, 5.00x real time\n"), screen);
  }
}
