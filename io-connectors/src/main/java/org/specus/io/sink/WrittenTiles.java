package org.specus.io.sink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * How many tiles an output (finished or not) already holds under their final names, whatever its
 * format: Zarr v3 shards {@code traces_seg0/c/<i>/0}, Zarr v2 chunks {@code traces_seg0/<i>.0}, or
 * the binary writer's per-tile records. A count for people (progress lines, batch plans), read from
 * the file system so that it works for any runner; whether a tile is intact is checked when it is
 * reused, not here.
 */
public final class WrittenTiles {
  private WrittenTiles() {}

  public static long count(Path output) {
    Path traces = output.resolve(ZarrV3Writer.TRACES);
    long zarrV3 = count(traces.resolve("c"), d -> Files.isRegularFile(d.resolve("0")));
    long zarrV2 = count(traces, f -> f.getFileName().toString().matches("\\d+\\.0") && Files.isRegularFile(f));
    long binary = count(output.resolve(BinaryWriter.WRITTEN), f -> f.getFileName().toString().matches("\\d+"));
    return Math.max(zarrV3, Math.max(zarrV2, binary)); // an output has one layout; the others count 0
  }

  private static long count(Path dir, Predicate<Path> isTile) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(isTile).count();
    } catch (IOException e) {
      return 0; // a directory being replaced under us: the next look will count it
    }
  }
}
