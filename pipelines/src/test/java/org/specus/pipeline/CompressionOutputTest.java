package org.specus.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.Recording;
import org.specus.io.Recordings;
import org.specus.io.output.OutputStore;
import org.specus.io.zarr.ZarrV3Reader;

/**
 * The {@code compression} setting through real runs: float32 output is stored raw by default and
 * holds exactly the values of a zstd run, int16 output keeps zstd, Zarr v2 follows the same rule,
 * and resuming an uncompressed output keeps its intact shards and rewrites a truncated one.
 */
class CompressionOutputTest {
  static final int CH = 24;
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  static Path bin;

  @BeforeAll
  static void recording() throws Exception {
    // 2.5 s in 1 s tiles: the last shard is partial, and its last inner chunk past the end.
    bin = TestRecordings.synth(tmp, "compression", 2.5, CH, 17);
  }

  static Path run(String name, PreprocessConfig config) {
    Path out = tmp.resolve(name);
    PreprocessJob job = new PreprocessJob(bin, out, config, 2);
    job.run(job.build());
    assertTrue(OutputStore.isComplete(out));
    return out;
  }

  /** The names of the codecs inside the shards of {@code traces_seg0}, e.g. {@code [bytes, zstd]}. */
  static List<String> innerCodecs(Path out) throws Exception {
    JsonNode meta = JSON.readTree(out.resolve("traces_seg0/zarr.json").toFile());
    assertEquals("sharding_indexed", meta.at("/codecs/0/name").asText());
    return JSON.convertValue(meta.at("/codecs/0/configuration/codecs").findValuesAsText("name"), List.class);
  }

  static Object storedCompression(Path out) throws Exception {
    return ((Map<?, ?>) ((Map<?, ?>) Outputs.rootAttributes(out).get("provenance")).get("configuration"))
        .get("compression");
  }

  static int[] bits(float[] values) {
    int[] b = new int[values.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = Float.floatToRawIntBits(values[i]);
    }
    return b;
  }

  static PreprocessConfig int16() {
    return PreprocessConfig.defaults().toBuilder().pipeline(List.of(OpSpec.of("bandpass", Map.of(), "test"),
        OpSpec.of("common_reference", Map.of(), "test"), OpSpec.of("whiten", Map.of("int_scale", 200.0), "test")))
        .dtype("int16").build();
  }

  @Test
  void float32IsStoredRawByDefaultWithTheValuesOfAZstdRun() throws Exception {
    Path raw = run("f32-default.zarr", PreprocessConfig.defaults());
    Path zstd = run("f32-zstd.zarr", PreprocessConfig.defaults().toBuilder().compression("zstd").build());
    assertEquals(List.of("bytes"), innerCodecs(raw));
    assertEquals(List.of("bytes", "zstd"), innerCodecs(zstd));
    assertEquals("none", storedCompression(raw));
    assertEquals("zstd", storedCompression(zstd));
    // Ten raw inner chunks of 3000 x 24 float32 and the index: nothing compressed.
    assertEquals(10L * 3000 * CH * 4 + 16 * 10 + 4, Files.size(raw.resolve("traces_seg0/c/0/0")));
    assertNotEquals(Files.size(raw.resolve("traces_seg0/c/0/0")), Files.size(zstd.resolve("traces_seg0/c/0/0")));
    float[] values = Outputs.traces(raw);
    assertEquals(75000L * CH, values.length);
    assertArrayEquals(bits(Outputs.traces(zstd)), bits(values), "bit-identical samples");
  }

  @Test
  void int16KeepsZstdByDefault() throws Exception {
    Path auto = run("i16-default.zarr", int16());
    Path none = run("i16-none.zarr", int16().toBuilder().compression("none").build());
    assertEquals(List.of("bytes", "zstd"), innerCodecs(auto));
    assertEquals(1, JSON.readTree(auto.resolve("traces_seg0/zarr.json").toFile())
        .at("/codecs/0/configuration/codecs/1/configuration/level").intValue());
    assertEquals("zstd", storedCompression(auto));
    assertEquals(List.of("bytes"), innerCodecs(none));
    assertEquals("none", storedCompression(none));
    assertArrayEquals(ZarrV3Reader.open(none.resolve("traces_seg0")).readShorts(),
        ZarrV3Reader.open(auto.resolve("traces_seg0")).readShorts());
  }

  @Test
  void zarrV2FollowsTheSameRule() throws Exception {
    Path raw = run("v2-default.zarr", PreprocessConfig.defaults().toBuilder().format("zarr-v2").build());
    Path zstd = run("v2-zstd.zarr", PreprocessConfig.defaults().toBuilder().format("zarr-v2").compression("zstd")
        .build());
    assertTrue(JSON.readTree(raw.resolve("traces_seg0/.zarray").toFile()).get("compressor").isNull());
    assertEquals("zstd", JSON.readTree(zstd.resolve("traces_seg0/.zarray").toFile()).at("/compressor/id").asText());
    assertEquals(30000L * CH * 4, Files.size(raw.resolve("traces_seg0/0.0")), "a raw chunk is the tile's bytes");
    float[] a = new float[75000 * CH];
    float[] b = new float[75000 * CH];
    try (Recording r = Recordings.open(raw); Recording z = Recordings.open(zstd)) {
      r.readFloat(0, 75000, a);
      z.readFloat(0, 75000, b);
    }
    assertArrayEquals(bits(b), bits(a));
  }

  @Test
  void aResumedUncompressedOutputKeepsIntactShardsAndRewritesATruncatedOne() throws Exception {
    PreprocessConfig config = PreprocessConfig.defaults().toBuilder().tileSeconds(0.5).build();
    Path reference = run("resume-reference.zarr", config);
    Path out = run("resume.zarr", config);
    Path traces = out.resolve("traces_seg0");
    assertEquals(List.of("bytes"), innerCodecs(out));

    // What a crash leaves: the claim of a run in progress, no metadata, one shard cut short.
    OutputStore.prepare(out, OutputStore.inspect(out).key());
    Files.delete(out.resolve("zarr.json"));
    Files.delete(traces.resolve("zarr.json"));
    FileTime kept = FileTime.from(Instant.parse("2001-01-01T00:00:00Z"));
    for (int s = 0; s < 5; s++) {
      Files.setLastModifiedTime(traces.resolve("c/" + s + "/0"), kept);
    }
    Path truncated = traces.resolve("c/3/0");
    try (RandomAccessFile f = new RandomAccessFile(truncated.toFile(), "rw")) {
      f.setLength(f.length() - 1000);
    }

    PreprocessJob job = new PreprocessJob(bin, out, config, 2);
    PreprocessJob.Plan plan = job.build();
    job.claimOutput(plan);
    PreprocessJob.Outcome outcome = job.executeCounting(plan);
    assertEquals(4, outcome.tilesReused());
    assertEquals(1, outcome.tilesComputed());
    for (int s : new int[] {0, 1, 2, 4}) {
      assertEquals(kept, Files.getLastModifiedTime(traces.resolve("c/" + s + "/0")), "shard " + s + " was kept");
    }
    assertNotEquals(kept, Files.getLastModifiedTime(truncated), "the truncated shard was written again");
    ResumeFormatsTest.assertSameOutput(reference, out);
  }

  @Test
  void anOutputOfTheOtherCompressionIsNotResumed() throws Exception {
    Path out = run("other.zarr", PreprocessConfig.defaults());
    PreprocessJob job = new PreprocessJob(bin, out, PreprocessConfig.defaults().toBuilder().compression("zstd").build(),
        2);
    PreprocessJob.Plan plan = job.build();
    RuntimeException e = assertThrows(RuntimeException.class, () -> job.claimOutput(plan));
    assertTrue(e.getMessage().contains("already holds a different result (made with another configuration)"),
        e.getMessage());
    assertFalse(innerCodecs(out).contains("zstd"));
  }
}
