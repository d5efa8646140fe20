package org.specus.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.Recording;
import org.specus.io.Recordings;
import org.specus.io.zarr.Zarrita;
import org.specus.io.zarr.ZarrV3Reader;

/**
 * A real run's output, read by zarrita (an independent Zarr v3 implementation): every array and the
 * root attributes must be what Specus meant to write. The traces are float32, stored by default
 * with raw inner chunks; zstd shards are read by zarrita in {@code ZarritaInteropTest}. The traces themselves are checked against
 * scipy in {@link PipelineNumericsTest} through Specus's reader; here zarrita must agree with that
 * reader value for value.
 */
class ZarritaOutputTest {
  @TempDir Path tmp;

  @Test
  void zarritaReadsEveryArrayOfARun() throws Exception {
    // 2.5 s in 1 s tiles: the last shard is partial, and 25 000 samples is not a multiple of the
    // 3000-sample inner chunk either.
    Path bin = TestRecordings.synth(tmp, "zarrita", 2.5, 24, 9);
    Path out = tmp.resolve("zarrita.zarr");
    PreprocessJob job = new PreprocessJob(bin, out, PreprocessConfig.defaults(), 2);
    job.run(job.build());

    JsonNode z = Zarrita.read(out, "traces_seg0:29000:31000", "channel_ids", "properties/gain_to_uV",
        "properties/location", "whitening_matrix");

    JsonNode attrs = z.at("/group/attrs");
    assertEquals(30000.0, attrs.get("sampling_frequency").doubleValue());
    assertEquals(1, attrs.get("num_segments").intValue());
    assertEquals(bin.toString(), attrs.at("/provenance/input/path").asText());
    assertEquals("median", attrs.at("/provenance/configuration/pipeline/1/operator").asText());

    // float32's default: raw inner chunks, so zarrita reads shards without zstd here.
    assertEquals(List.of("bytes"), CompressionOutputTest.innerCodecs(out));
    JsonNode traces = z.at("/arrays/traces_seg0");
    assertEquals("[75000,24]", traces.get("shape").toString());
    assertEquals("float32", traces.get("dtype").asText());
    float[] ours = ZarrV3Reader.open(out.resolve("traces_seg0")).readFloats();
    assertArrayEquals(ours, Zarrita.floats(traces.get("values")));
    assertArrayEquals(java.util.Arrays.copyOfRange(ours, 29000 * 24, 31000 * 24),
        Zarrita.floats(traces.at("/rows/values")));

    try (Recording r = Recordings.open(bin)) {
      List<String> ids = new ArrayList<>();
      z.at("/arrays/channel_ids/values").forEach(v -> ids.add(v.asText()));
      assertEquals(r.channelIds(), ids);
      assertArrayEquals(r.gainToUv(), Zarrita.doubles(z.at("/arrays/properties~1gain_to_uV/values")));
      double[] loc = Zarrita.doubles(z.at("/arrays/properties~1location/values"));
      assertEquals("[24,2]", z.at("/arrays/properties~1location/shape").toString());
      for (int c = 0; c < 24; c++) {
        assertEquals(r.locations()[c][0], loc[2 * c]);
        assertEquals(r.locations()[c][1], loc[2 * c + 1]);
      }
    }

    JsonNode w = z.at("/arrays/whitening_matrix");
    assertEquals("[24,24]", w.get("shape").toString());
    assertArrayEquals(ZarrV3Reader.open(out.resolve("whitening_matrix")).readFloats(), Zarrita.floats(w.get("values")));
    assertTrue(w.at("/attrs/eps").doubleValue() > 0);
  }
}
