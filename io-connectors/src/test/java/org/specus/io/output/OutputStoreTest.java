package org.specus.io.output;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputStoreTest {
  private static final OutputStore.ResultKey KEY = new OutputStore.ResultKey("abc", "meta:1", "0.1");

  @TempDir Path tmp;

  @Test
  void aRunIsCompleteOnlyAfterTheMarkerIsWritten() {
    Path out = tmp.resolve("out.zarr");
    OutputStore.prepare(out, KEY);
    assertTrue(Files.exists(out.resolve(OutputStore.IN_PROGRESS)));
    assertFalse(OutputStore.isComplete(out));
    OutputStore.markComplete(out, KEY, Map.of("tiles", 3));
    assertTrue(OutputStore.isComplete(out));
    assertFalse(Files.exists(out.resolve(OutputStore.IN_PROGRESS)));
  }

  @Test
  void rerunningTheSameResultRemovesTheCompletionClaimFirst() {
    Path out = tmp.resolve("out.zarr");
    OutputStore.prepare(out, KEY);
    OutputStore.markComplete(out, KEY, Map.of());
    OutputStore.prepare(out, KEY);
    assertFalse(OutputStore.isComplete(out), "a rerun in progress must not look complete");
  }

  @Test
  void aDifferentResultIsRefusedWithTheReason() {
    Path out = tmp.resolve("out.zarr");
    OutputStore.prepare(out, KEY);
    OutputStore.markComplete(out, KEY, Map.of());
    OutputException e = assertThrows(OutputException.class,
        () -> OutputStore.prepare(out, new OutputStore.ResultKey("other", "meta:1", "0.1")));
    assertTrue(e.getMessage().contains("out.zarr") && e.getMessage().contains("another configuration"), e.getMessage());
    e = assertThrows(OutputException.class,
        () -> OutputStore.prepare(out, new OutputStore.ResultKey("abc", "meta:2", "0.1")));
    assertTrue(e.getMessage().contains("another input"), e.getMessage());
  }

  @Test
  void aForeignNonEmptyDirectoryIsRefused() throws Exception {
    Path out = tmp.resolve("photos");
    Files.createDirectories(out);
    Files.writeString(out.resolve("cat.jpg"), "meow");
    OutputException e = assertThrows(OutputException.class, () -> OutputStore.prepare(out, KEY));
    assertTrue(e.getMessage().contains("not a Specus output"), e.getMessage());
  }

  @Test
  void anUnwritableParentIsReportedInOneLine() throws Exception {
    Path parent = tmp.resolve("locked");
    Files.createDirectories(parent);
    assertTrue(parent.toFile().setWritable(false, false));
    try {
      if (Files.isWritable(parent)) {
        return; // running as root: permissions are not enforced, nothing to check here
      }
      OutputException e = assertThrows(OutputException.class, () -> OutputStore.prepare(parent.resolve("out.zarr"), KEY));
      assertTrue(e.getMessage().contains("cannot write"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
    } finally {
      parent.toFile().setWritable(true, false);
    }
  }

  @Test
  void aFileInTheWayIsReported() throws Exception {
    Path out = tmp.resolve("out.zarr");
    Files.writeString(out, "x");
    OutputException e = assertThrows(OutputException.class, () -> OutputStore.prepare(out, KEY));
    assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
  }
}
