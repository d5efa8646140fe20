package org.specus.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.specus.io.output.OutputStore;

/**
 * Two outputs are the same result when every file of one is in the other with the same bytes:
 * every shard, every array and every attribute. The one exception is the completion marker's
 * {@code completed_at} time stamp.
 */
final class StoreComparison {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StoreComparison() {}

  static void assertSameBytes(Path expected, Path actual) throws IOException {
    List<String> expectedFiles = files(expected);
    assertEquals(expectedFiles, files(actual), "the two outputs hold different files");
    for (String f : expectedFiles) {
      byte[] a = Files.readAllBytes(expected.resolve(f));
      byte[] b = Files.readAllBytes(actual.resolve(f));
      if (f.equals(OutputStore.COMPLETE)) {
        ObjectNode ma = (ObjectNode) JSON.readTree(a);
        ObjectNode mb = (ObjectNode) JSON.readTree(b);
        ma.remove("completed_at");
        mb.remove("completed_at");
        assertEquals(ma, mb, "completion markers differ beyond their time stamps");
      } else {
        assertArrayEquals(a, b, f + " differs");
      }
    }
  }

  /** Relative paths of every regular file, sorted; temporary files included, so they show up as a difference. */
  static List<String> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }

  static List<String> temporaryFiles(Path root) throws IOException {
    return files(root).stream().filter(f -> f.contains(".tmp")).toList();
  }

  static long shards(Path out) throws IOException {
    Path c = out.resolve("traces_seg0").resolve("c");
    if (!Files.isDirectory(c)) {
      return 0;
    }
    try (Stream<Path> dirs = Files.list(c)) {
      return dirs.filter(d -> Files.exists(d.resolve("0"))).count();
    }
  }
}
