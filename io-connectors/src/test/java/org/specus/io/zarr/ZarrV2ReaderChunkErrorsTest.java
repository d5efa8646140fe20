package org.specus.io.zarr;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A chunk that does not decode names its file, whatever the compressor. */
class ZarrV2ReaderChunkErrorsTest {
  @TempDir Path tmp;

  @Test
  void undecodableZlibGzipAndBloscChunksNameTheirFile() throws Exception {
    for (String id : new String[] {"zlib", "gzip", "blosc"}) {
      Path array = tmp.resolve(id);
      Map<String, Object> compressor = id.equals("blosc") ? Map.of("id", id, "cname", "zstd") : Map.of("id", id);
      ZarrV2.writeArrayMetadata(array, new long[] {10, 4}, new long[] {10, 4}, "<i2", compressor, 0, Map.of());
      Files.write(array.resolve("0.0"), "not a compressed chunk at all".getBytes());
      ZarrV2Reader r = ZarrV2Reader.open(array);
      IOException e = assertThrows(IOException.class, () -> r.readFloats(0, 10, new float[40]), id);
      assertTrue(e.getMessage().startsWith(array.resolve("0.0") + ": "), id + ": " + e.getMessage());
      assertTrue(e.getMessage().contains(id.equals("blosc") ? "Blosc" : id), id + ": " + e.getMessage());
    }
  }
}
