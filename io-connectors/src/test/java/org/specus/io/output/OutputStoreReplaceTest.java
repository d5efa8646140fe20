package org.specus.io.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch reprocessing replaces outdated outputs, keeps current ones, and never touches foreign ones. */
class OutputStoreReplaceTest {
  private static final OutputStore.ResultKey OLD = new OutputStore.ResultKey("aaa", "meta:1", "0.1");

  @TempDir Path tmp;

  private Path completeOldOutput() throws Exception {
    Path out = tmp.resolve("rec.zarr");
    OutputStore.prepare(out, OLD);
    Files.createDirectories(out.resolve("traces_seg0/c/0"));
    Files.write(out.resolve("traces_seg0/c/0/0"), new byte[10]);
    Files.writeString(out.resolve("zarr.json"), "{}");
    OutputStore.markComplete(out, OLD, Map.of());
    return out;
  }

  @Test
  void inspectTellsTheStateAndKey() throws Exception {
    assertEquals(OutputStore.State.ABSENT, OutputStore.inspect(tmp.resolve("none")).state());
    Path out = completeOldOutput();
    assertEquals(new OutputStore.Existing(OutputStore.State.COMPLETE, OLD), OutputStore.inspect(out));
    Files.createDirectories(tmp.resolve("empty"));
    assertEquals(OutputStore.State.ABSENT, OutputStore.inspect(tmp.resolve("empty")).state());
    Files.writeString(Files.createDirectories(tmp.resolve("other")).resolve("notes.txt"), "mine");
    assertEquals(OutputStore.State.FOREIGN, OutputStore.inspect(tmp.resolve("other")).state());
  }

  @Test
  void anOutdatedOutputIsClearedAndClaimedForTheNewResult() throws Exception {
    Path out = completeOldOutput();
    OutputStore.ResultKey now = new OutputStore.ResultKey("bbb", "meta:1", "0.2");
    String why = OutputStore.prepareReplacing(out, now);
    assertEquals("configuration changed (aaa -> bbb), software version changed (0.1 -> 0.2)", why);
    try (Stream<Path> files = Files.list(out)) {
      assertEquals(List.of(OutputStore.IN_PROGRESS), files.map(f -> f.getFileName().toString()).toList());
    }
    assertEquals(new OutputStore.Existing(OutputStore.State.IN_PROGRESS, now), OutputStore.inspect(out));
  }

  @Test
  void anIncompleteOutdatedOutputIsClearedToo() throws Exception {
    Path out = tmp.resolve("rec.zarr");
    OutputStore.prepare(out, OLD);
    Files.createDirectories(out.resolve("traces_seg0/c/3"));
    Files.write(out.resolve("traces_seg0/c/3/0"), new byte[10]);
    OutputStore.ResultKey now = new OutputStore.ResultKey("aaa", "meta:2", "0.1");
    assertEquals("input changed", OutputStore.prepareReplacing(out, now));
    assertTrue(Files.notExists(out.resolve("traces_seg0")));
  }

  @Test
  void theSameResultIsKeptAsItIs() throws Exception {
    Path out = completeOldOutput();
    assertNull(OutputStore.prepareReplacing(out, OLD));
    assertTrue(Files.exists(out.resolve("traces_seg0/c/0/0")), "shards of the same result stay for reuse");
    assertEquals(OutputStore.State.IN_PROGRESS, OutputStore.inspect(out).state());
  }

  @Test
  void somethingThatIsNotASpecusOutputIsNeverTouched() throws Exception {
    Path other = Files.createDirectories(tmp.resolve("other.zarr"));
    Files.writeString(other.resolve("notes.txt"), "mine");
    assertThrows(OutputException.class, () -> OutputStore.prepareReplacing(other, OLD));
    assertEquals("mine", Files.readString(other.resolve("notes.txt")));
  }

  @Test
  void aDirectoryCaughtWhileItsMarkerIsBeingWrittenIsAClaimNotSomeoneElsesFiles() throws Exception {
    // What a run leaves for an instant between creating the directory and renaming the marker into
    // place, and for good if it is killed in between.
    Path out = Files.createDirectories(tmp.resolve("claimed.zarr"));
    Files.writeString(out.resolve(OutputStore.IN_PROGRESS + ".tmp"), "{\"config_hash\": \"a");
    assertEquals(OutputStore.State.ABSENT, OutputStore.inspect(out).state());
    assertNull(OutputStore.prepareReplacing(out, OLD));
    try (Stream<Path> files = Files.list(out)) {
      assertEquals(List.of(OutputStore.IN_PROGRESS), files.map(f -> f.getFileName().toString()).toList());
    }
    assertEquals(new OutputStore.Existing(OutputStore.State.IN_PROGRESS, OLD), OutputStore.inspect(out));
    // Any other temporary is still someone else's.
    Path other = Files.createDirectories(tmp.resolve("other.zarr"));
    Files.writeString(other.resolve("data.tmp"), "mine");
    assertEquals(OutputStore.State.FOREIGN, OutputStore.inspect(other).state());
  }
}
