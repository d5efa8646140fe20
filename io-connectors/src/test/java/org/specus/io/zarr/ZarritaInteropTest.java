package org.specus.io.zarr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Independent check: a store written by Specus is read by zarrita (see {@link Zarrita}), a separate
 * implementation of the Zarr v3 spec, and every value must match.
 */
class ZarritaInteropTest {

  @TempDir Path tmp;

  @Test
  void zarritaReadsWhatSpecusWrites() throws Exception {
    Path store = tmp.resolve("recording.zarr");
    Map<String, Object> rootAttrs = new LinkedHashMap<>();
    rootAttrs.put("sampling_frequency", 30000.123);
    rootAttrs.put("num_segments", 1);
    rootAttrs.put("probe", Map.of("name", "NP1.0", "contacts", List.of(1, 2, 3)));
    ZarrV3.writeGroup(store, rootAttrs);

    // Traces: 4 shards of 600 rows (4 inner chunks of 150); the last holds 313 rows, so inner
    // chunk 2 is partial (13 of 150 rows) and inner chunk 3 is empty in the index.
    ShardedArrayLayout layout = ShardedArrayLayout.of(2113, 6, 600, 150, ZarrDataType.FLOAT32);
    Random rnd = new Random(11);
    float[] traces = new float[2113 * 6];
    for (int i = 0; i < traces.length; i++) {
      traces[i] = (float) (rnd.nextGaussian() * 50);
    }
    Path tracesDir = store.resolve("traces_seg0");
    ZarrV3.writeShardedArrayMetadata(tracesDir, layout, Map.of("units", "uV"));
    for (long s = 0; s < layout.shardCount(); s++) {
      int valid = layout.rowsInShard(s);
      int from = (int) (s * 600 * 6);
      ShardWriter.writeShard(tracesDir, layout, s,
          Arrays.copyOfRange(traces, from, from + valid * 6), valid, false);
    }

    double[] gains = {2.34375, -0.1, Math.PI, 1e-12, 6.02e23, 0};
    ZarrV3.writeDoubleArray(store.resolve("properties/gain_to_uV"), gains, new long[] {6}, Map.of());
    int[] locations = {0, 20, 16, 20, 32, 40, 48, 40, 0, 60, Integer.MIN_VALUE, Integer.MAX_VALUE};
    ZarrV3.writeIntArray(store.resolve("properties/location"), locations, new long[] {6, 2},
        Map.of());
    ZarrV3.writeGroup(store.resolve("properties"), Map.of());
    String[] ids = {"AP0", "AP1", "AP2", "AP10", "ünï", ""};
    ZarrV3.writeStringArray(store.resolve("channel_ids"), ids, Map.of());

    JsonNode out = Zarrita.read(store, "traces_seg0:590:1810", "properties/gain_to_uV",
        "properties/location", "channel_ids");

    JsonNode attrs = out.at("/group/attrs");
    assertEquals(30000.123, attrs.get("sampling_frequency").doubleValue());
    assertEquals(1, attrs.get("num_segments").intValue());
    assertEquals("NP1.0", attrs.at("/probe/name").asText());
    assertEquals("[1,2,3]", attrs.at("/probe/contacts").toString());

    JsonNode t = out.at("/arrays/traces_seg0");
    assertEquals("[2113,6]", t.get("shape").toString());
    assertEquals("float32", t.get("dtype").asText());
    assertEquals("uV", t.at("/attrs/units").asText());
    assertArrayEquals(traces, Zarrita.floats(t.get("values")));
    JsonNode rows = t.get("rows");
    assertEquals("[1220,6]", rows.get("shape").toString());
    assertArrayEquals(Arrays.copyOfRange(traces, 590 * 6, 1810 * 6), Zarrita.floats(rows.get("values")));

    JsonNode g = out.at("/arrays/properties~1gain_to_uV");
    assertEquals("float64", g.get("dtype").asText());
    assertEquals("[6]", g.get("shape").toString());
    double[] gainsRead = new double[gains.length];
    for (int i = 0; i < gainsRead.length; i++) {
      gainsRead[i] = g.get("values").get(i).doubleValue();
    }
    assertArrayEquals(gains, gainsRead);

    JsonNode l = out.at("/arrays/properties~1location");
    assertEquals("int32", l.get("dtype").asText());
    assertEquals("[6,2]", l.get("shape").toString());
    int[] locRead = new int[locations.length];
    for (int i = 0; i < locRead.length; i++) {
      locRead[i] = l.get("values").get(i).intValue();
    }
    assertArrayEquals(locations, locRead);

    JsonNode c = out.at("/arrays/channel_ids");
    assertEquals("string", c.get("dtype").asText());
    List<String> idsRead = new ArrayList<>();
    c.get("values").forEach(v -> idsRead.add(v.asText()));
    assertEquals(List.of(ids), idsRead);
  }
}
