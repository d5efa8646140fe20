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
        BatchProgress.format(2, 5, "m1/a.ap.bin", 7, 20, 45e6, 4_500_000_000L));
    assertEquals("recordings 0/1 | a tiles 0/3 | 0.0 MB/s | ETA unknown", BatchProgress.format(0, 1, "a", 0, 3, 0, 10));
    assertEquals("59s", BatchProgress.duration(59.4));
    assertEquals("2h05m", BatchProgress.duration(7500));
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
