package org.specus.io.zarr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZarrV3MetadataTest {
  @TempDir Path tmp;

  @Test
  void shardedArrayMetadataIsSpecShapedAndDeterministic() throws IOException {
    ShardedArrayLayout layout = ShardedArrayLayout.of(70_001, 384, 30_000, 3_000,
        ZarrDataType.FLOAT32);
    Map<String, Object> a1 = new LinkedHashMap<>();
    a1.put("zeta", 1);
    a1.put("alpha", Map.of("y", 2, "x", List.of(1, 2)));
    Map<String, Object> a2 = new HashMap<>();
    a2.put("alpha", Map.of("x", List.of(1, 2), "y", 2));
    a2.put("zeta", 1);
    ZarrV3.writeShardedArrayMetadata(tmp.resolve("a"), layout, a1);
    ZarrV3.writeShardedArrayMetadata(tmp.resolve("b"), layout, a2);
    byte[] json = Files.readAllBytes(tmp.resolve("a/zarr.json"));
    assertArrayEquals(json, Files.readAllBytes(tmp.resolve("b/zarr.json")));

    JsonNode m = new ObjectMapper().readTree(json);
    List<String> keys = new ArrayList<>();
    m.fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("zarr_format", "node_type", "shape", "data_type", "chunk_grid",
        "chunk_key_encoding", "fill_value", "codecs", "attributes", "dimension_names"), keys);
    assertEquals("[70001,384]", m.get("shape").toString());
    assertEquals("float32", m.get("data_type").asText());
    assertEquals("[30000,384]",
        m.at("/chunk_grid/configuration/chunk_shape").toString());
    assertEquals("/", m.at("/chunk_key_encoding/configuration/separator").asText());
    assertEquals(0.0, m.get("fill_value").doubleValue());
    JsonNode sharding = m.at("/codecs/0");
    assertEquals("sharding_indexed", sharding.get("name").asText());
    assertEquals("{\"chunk_shape\":[3000,384],"
            + "\"codecs\":[{\"name\":\"bytes\",\"configuration\":{\"endian\":\"little\"}},"
            + "{\"name\":\"zstd\",\"configuration\":{\"level\":1,\"checksum\":false}}],"
            + "\"index_codecs\":[{\"name\":\"bytes\",\"configuration\":{\"endian\":\"little\"}},"
            + "{\"name\":\"crc32c\"}],\"index_location\":\"end\"}",
        sharding.get("configuration").toString());
    assertEquals("{\"alpha\":{\"x\":[1,2],\"y\":2},\"zeta\":1}", m.get("attributes").toString());
    assertEquals("[\"time\",\"channel\"]", m.get("dimension_names").toString());
  }

  @Test
  void groupMetadata() throws IOException {
    ZarrV3.writeGroup(tmp, Map.of("sampling_frequency", 30000.0, "num_segments", 1));
    JsonNode m = new ObjectMapper().readTree(tmp.resolve("zarr.json").toFile());
    assertEquals("{\"zarr_format\":3,\"node_type\":\"group\",\"attributes\":"
        + "{\"num_segments\":1,\"sampling_frequency\":30000.0}}", m.toString());
    assertEquals("group", ZarrV3Reader.nodeType(tmp));
    assertEquals(30000.0, ZarrV3Reader.readAttributes(tmp).get("sampling_frequency"));
  }
}
