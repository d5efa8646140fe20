package org.specus.io.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.junit.jupiter.api.Test;
import org.specus.io.sink.OutputFormat;
import org.specus.io.sink.SampleEncoding;
import org.specus.io.zarr.Compression;

/** What a runner's UI shows of the sink: the compression actually used, and the zstd level only with zstd. */
class TileSinkDisplayDataTest {
  private static final TileSink SINK = TileSink.to(Path.of("/out.zarr"));

  private static Map<String, String> shown(TileSink sink) {
    Map<String, String> items = new TreeMap<>();
    DisplayData.from(sink).items().forEach(i -> items.put(i.getKey(), String.valueOf(i.getValue())));
    return items;
  }

  @Test
  void autoIsShownAsWhatItResolvesTo() {
    Map<String, String> f32 = shown(SINK);
    assertEquals("none", f32.get("compression"));
    assertEquals(null, f32.get("zstdLevel"), "no zstd level without zstd");
    Map<String, String> i16 = shown(SINK.withEncoding(new SampleEncoding("int16")).withZstdLevel(3));
    assertEquals("zstd", i16.get("compression"));
    assertEquals("3", i16.get("zstdLevel"));
  }

  @Test
  void anExplicitChoiceIsShownAsItIs() {
    assertEquals("zstd", shown(SINK.withCompression(Compression.ZSTD)).get("compression"));
    assertEquals("1", shown(SINK.withCompression(Compression.ZSTD)).get("zstdLevel"));
    Map<String, String> v2 = shown(SINK.withFormat(OutputFormat.ZARR_V2).withEncoding(new SampleEncoding("int16"))
        .withCompression(Compression.NONE));
    assertEquals("none", v2.get("compression"));
    assertEquals(null, v2.get("zstdLevel"));
    Map<String, String> binary = shown(SINK.withFormat(OutputFormat.BINARY));
    assertEquals(null, binary.get("compression"), "binary is never compressed: nothing to show");
  }
}
