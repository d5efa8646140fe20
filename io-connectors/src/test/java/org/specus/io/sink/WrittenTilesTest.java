package org.specus.io.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tiles under their final names are counted in every output layout; temporaries and metadata are not. */
class WrittenTilesTest {
  @TempDir
  Path dir;

  private static void touch(Path p) throws IOException {
    Files.createDirectories(p.getParent());
    Files.write(p, new byte[] {1});
  }

  @Test
  void countsZarrV3Shards() throws IOException {
    Path out = dir.resolve("v3.zarr");
    touch(out.resolve("traces_seg0/c/0/0"));
    touch(out.resolve("traces_seg0/c/1/0"));
    touch(out.resolve("traces_seg0/c/2/.0.tmp-123")); // a shard being written
    touch(out.resolve("traces_seg0/zarr.json"));
    assertEquals(2, WrittenTiles.count(out));
  }

  @Test
  void countsZarrV2Chunks() throws IOException {
    Path out = dir.resolve("v2.zarr");
    touch(out.resolve("traces_seg0/0.0"));
    touch(out.resolve("traces_seg0/7.0"));
    touch(out.resolve("traces_seg0/12.0"));
    touch(out.resolve("traces_seg0/.12.0.tmp-1"));
    touch(out.resolve("traces_seg0/.zarray"));
    assertEquals(3, WrittenTiles.count(out));
  }

  @Test
  void countsBinaryTileRecords() throws IOException {
    Path out = dir.resolve("bin");
    touch(out.resolve(BinaryWriter.TRACES));
    touch(out.resolve(BinaryWriter.WRITTEN + "/0"));
    touch(out.resolve(BinaryWriter.WRITTEN + "/3"));
    touch(out.resolve(BinaryWriter.WRITTEN + "/.3.tmp-9"));
    assertEquals(2, WrittenTiles.count(out));
  }

  @Test
  void nothingYet() {
    assertEquals(0, WrittenTiles.count(dir.resolve("absent")));
  }
}
