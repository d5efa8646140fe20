package org.specus.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.specus.batch.BatchFixtures.batch;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code specus batch}'s options: help, and one-line errors with exit code 2 before anything runs. */
class BatchCommandTest {
  @TempDir Path tmp;

  private static void assertOneLineError(BatchFixtures.Run r, String... mustContain) {
    assertEquals(2, r.code(), r.out() + r.err());
    String line = r.err().strip();
    assertFalse(line.contains("\n"), "one line: " + line);
    for (String s : mustContain) {
      assertTrue(line.contains(s), "should mention " + s + ": " + line);
    }
  }

  @Test
  void helpDescribesTheCommand() {
    BatchFixtures.Run r = batch("--help");
    assertEquals(0, r.code());
    for (String s : new String[] {"Usage: specus batch", "--root", "--out", "--include", "--dry-run", "--report",
        "--runner", "--cmr"}) {
      assertTrue(r.out().contains(s), r.out());
    }
  }

  @Test
  void badOptionsAreOneLineErrors() throws Exception {
    Path out = tmp.resolve("out");
    assertOneLineError(batch("--root", tmp.resolve("nowhere").toString(), "--out", out.toString()), "--root", "nowhere");
    assertOneLineError(batch("--root", tmp.toString(), "--out", out.toString(), "--include", "a/["), "--include");
    assertOneLineError(batch("--root", tmp.toString(), "--out", out.toString(), "--runner", "spark"), "--runner");
    assertOneLineError(batch("--root", tmp.toString(), "--out", out.toString(), "--cmr", "mean"), "--cmr");
    assertOneLineError(batch("--root", tmp.toString(), "--out", out.toString(), "--tile", "soon"), "--tile");
    assertFalse(Files.exists(out), "nothing is written when the options are wrong");
  }

  @Test
  void anEmptyRootIsNotAnError() {
    BatchFixtures.Run r = batch("--root", tmp.toString(), "--out", tmp.resolve("out").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("0 recordings found, 0 to process"), r.out());
  }
}
