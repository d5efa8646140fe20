package org.specus.io.spikeglx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test helper: variants of real meta files with some keys changed or removed. */
final class MetaFiles {

  private MetaFiles() {}

  /**
   * The lines of {@code source} with each key of {@code changes} replaced by its value, or removed
   * when the value is {@code null}. Keys are given without {@code ~}.
   */
  static String variant(Path source, Map<String, String> changes) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(source, StandardCharsets.UTF_8)) {
      int eq = line.indexOf('=');
      String key = eq < 0 ? line : line.substring(0, eq);
      String bare = key.startsWith("~") ? key.substring(1) : key;
      if (changes.containsKey(bare)) {
        String value = changes.get(bare);
        if (value != null) {
          out.add(key + "=" + value);
        }
      } else {
        out.add(line);
      }
    }
    return String.join("\n", out) + "\n";
  }

  static SpikeGlxMeta parseVariant(Path source, String fileName, Map<String, String> changes) throws IOException {
    return SpikeGlxMeta.parse(fileName, variant(source, changes).getBytes(StandardCharsets.UTF_8));
  }

  static Path writeVariant(Path source, Path target, Map<String, String> changes) throws IOException {
    Files.writeString(target, variant(source, changes), StandardCharsets.UTF_8);
    return target;
  }
}
