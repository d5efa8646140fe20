package org.specus.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.specus.io.zarr.Compression;

/** Pipeline files: both spellings of an operation, defaults filled in, and errors that say where. */
class PipelineConfigTest {

  static String error(String yaml) {
    return assertThrows(IllegalArgumentException.class, () -> PipelineFile.fromYaml(yaml, "p.yaml")).getMessage();
  }

  @Test
  void theDefaultsAreSpikeInterfacesChain() {
    PreprocessConfig d = PreprocessConfig.defaults();
    assertEquals(List.of(
        Map.of("op", "bandpass", "low_hz", 300.0, "high_hz", 6000.0, "order", 5, "direction", "forward-backward"),
        Map.of("op", "common_reference", "operator", "median", "reference", "global"),
        Map.of("op", "whiten", "mode", "global", "chunks", 20, "chunk_seconds", 0.5, "seed", 0L,
            "eps", "spikeinterface", "apply_mean", false)),
        d.toMap().get("pipeline"));
    assertEquals("bandpass 300-6000 Hz (order 5) > median reference > global whitening", d.chainSummary());
  }

  @Test
  void bothSpellingsReadTheSameAndDefaultsAreFilledIn() {
    PreprocessConfig a = PipelineFile.fromYaml("""
        pipeline:
          - op: highpass
            cutoff_hz: 300
            order: 3
          - op: common_reference
            reference: local
          - op: whiten
            mode: local
            nearest: 32
        tile_seconds: 2
        """, "a.yaml");
    PreprocessConfig b = PipelineFile.fromYaml("""
        pipeline:
          - highpass: {cutoff_hz: 300, order: 3}
          - common_reference: {reference: local}
          - whiten: {mode: local, nearest: 32}
        tile_seconds: 2
        """, "b.yaml");
    assertEquals(a.toMap(), b.toMap());
    assertEquals(2.0, a.tileSeconds());
    List<?> ops = (List<?>) a.toMap().get("pipeline");
    assertEquals(Map.of("op", "common_reference", "operator", "median", "reference", "local", "inner_um", 30.0,
        "outer_um", 55.0, "min_neighbours", 5), ops.get(1));
    assertEquals("highpass 300 Hz (order 3) > median reference (local) > local whitening", a.chainSummary());
  }

  /** What provenance stores reads back to the same configuration (the --config OUT.zarr path). */
  @Test
  void theEffectiveConfigurationRoundTrips() {
    PreprocessConfig a = PipelineFile.fromYaml("""
        pipeline:
          - bandpass: {low_hz: 400, high_hz: 5000, direction: forward}
          - common_reference: {operator: average, reference: global, channels: [AP0, AP1, AP2]}
          - whiten: {apply_mean: true, eps: 1e-6, int_scale: 200}
        """, "a.yaml");
    PreprocessConfig back = PipelineFile.fromMap(a.toMap(), "OUT.zarr provenance", Map.of());
    assertEquals(a.toMap(), back.toMap());
    assertEquals(a.toMap(), PipelineFile.fromYaml(PipelineFile.toYaml(a), "dump.yaml").toMap());
  }

  @Test
  void errorsNameTheFileTheLineAndTheSetting() {
    assertEquals("p.yaml line 3: unknown operation 'hipass' (known: bandpass, highpass, phase_shift, bad_channels, common_reference, whiten)",
        error("pipeline:\n  - op: bandpass\n  - op: hipass\n"));
    assertEquals("p.yaml line 4, highpass.cutof_hz: unknown parameter for highpass (known: cutoff_hz, order, direction)",
        error("pipeline:\n  - op: highpass\n    order: 3\n    cutof_hz: 300\n"));
    assertEquals("p.yaml line 3, highpass: highpass order must be between 1 and 12, got 0",
        error("pipeline:\n  - op: bandpass\n  - highpass: {order: 0}\n"));
    assertEquals("p.yaml line 3, bandpass.low_hz: expected a number, got 'low'",
        error("pipeline:\n  - op: bandpass\n    low_hz: low\n"));
    assertEquals("p.yaml line 2, common_reference.inner_um: unknown parameter for common_reference with reference"
            + " global (known: operator, reference, channels)",
        error("pipeline:\n  - common_reference: {inner_um: 20}\n"));
    assertEquals("p.yaml line 3, whiten.mode: must be one of global, local, got 'zca'",
        error("pipeline:\n  - op: whiten\n    mode: zca\n"));
    assertEquals("p.yaml line 3: bandpass comes after whiten (p.yaml line 2); whitening must be the last operation",
        error("pipeline:\n  - op: whiten\n  - op: bandpass\n"));
    assertEquals("p.yaml line 2: unknown setting 'tile' (known: pipeline, tile_seconds, inner_chunk_samples,"
        + " zstd_level, compression, dtype, format)", error("pipeline: []\ntile: 1\n"));
    assertEquals("p.yaml: 'pipeline' must be a list of operations (it is missing)", error("tile_seconds: 1\n"));
    assertEquals("p.yaml line 3: not valid YAML: expected ',' or ']', but got <stream end>",
        error("pipeline:\n  - [op: bandpass\n"));
    assertEquals("p.yaml line 2, bandpass: bandpass high cutoff (200.0 Hz) must be above the low cutoff (300.0 Hz)",
        error("pipeline:\n  - bandpass: {high_hz: 200}\n"));
  }

  @Test
  void int16OutputOfWhitenedDataNeedsAnExplicitScale() {
    assertEquals("p.yaml line 2: int16 output of whitened data needs an explicit whiten.int_scale (whitened samples"
            + " have unit variance; e.g. 200 keeps them well inside int16)",
        error("pipeline:\n  - whiten: {}\ndtype: int16\n"));
    assertEquals("int16", PipelineFile.fromYaml("pipeline:\n  - whiten: {int_scale: 200}\ndtype: int16\n", "p.yaml")
        .dtype());
    assertEquals("int16", PipelineFile.fromYaml("pipeline:\n  - highpass: {}\ndtype: int16\n", "p.yaml").dtype());
  }

  @Test
  void compressionIsReadAndAutoFollowsTheDtype() {
    String int16 = "pipeline:\n  - whiten: {int_scale: 200}\ndtype: int16\n";
    String float32 = "pipeline:\n  - whiten: {}\n";
    for (String c : List.of("auto", "zstd", "none")) {
      PreprocessConfig f = PipelineFile.fromYaml(float32 + "compression: " + c + "\n", "p.yaml");
      PreprocessConfig i = PipelineFile.fromYaml(int16 + "compression: " + c + "\n", "p.yaml");
      assertEquals(c, f.compression());
      String auto = c.equals("auto") ? null : c;
      assertEquals(auto == null ? "none" : auto, f.storedCompression().label(), "float32, " + c);
      assertEquals(auto == null ? "zstd" : auto, i.storedCompression().label(), "int16, " + c);
      // What is stored and hashed is the resolved choice.
      assertEquals(f.storedCompression().label(), f.toMap().get("compression"));
      assertEquals(i.storedCompression().label(), i.toMap().get("compression"));
    }
    assertEquals("auto", PipelineFile.fromYaml(float32, "p.yaml").compression(), "the default");
    assertEquals(Compression.NONE, PreprocessConfig.defaults().storedCompression());
    assertEquals(Compression.ZSTD, PipelineFile.fromYaml(int16, "p.yaml").storedCompression());
    assertEquals("zstd", PipelineFile.fromYaml(float32 + "compression: ZSTD\n", "p.yaml").compression());
    // Binary output is never compressed, and says so rather than ignoring an explicit zstd.
    assertEquals(Compression.NONE, PipelineFile.fromYaml(int16 + "format: binary\n", "p.yaml").storedCompression());
    assertEquals("p.yaml: compression zstd applies to zarr and zarr-v2; the binary format is never compressed",
        error(float32 + "format: binary\ncompression: zstd\n"));
  }

  @Test
  void anUnknownCompressionNamesTheSettingTheValueAndTheChoices() {
    assertEquals("p.yaml line 3, settings.compression: must be one of auto, zstd, none, got 'lz4'",
        error("pipeline:\n  - highpass: {}\ncompression: lz4\n"));
    assertEquals("p.yaml line 2, settings.compression: must be one of auto, zstd, none, got 'false'",
        error("pipeline: []\ncompression: false\n"));
    assertEquals("compression must be one of auto, zstd, none, got 'gzip'", assertThrows(IllegalArgumentException.class,
        () -> PreprocessConfig.defaults().toBuilder().compression("gzip").build()).getMessage());
  }

  /** Outputs that differ in compression are different results: a rerun must not resume the other one. */
  @Test
  void theResolvedCompressionIsPartOfTheResultsKey() {
    PreprocessConfig auto = PreprocessConfig.defaults();
    PreprocessConfig none = auto.toBuilder().compression("none").build();
    PreprocessConfig zstd = auto.toBuilder().compression("zstd").build();
    String fp = "input";
    assertEquals(PreprocessJob.resultKey(auto, fp), PreprocessJob.resultKey(none, fp), "auto is none for float32");
    assertNotEquals(PreprocessJob.resultKey(none, fp).configHash(), PreprocessJob.resultKey(zstd, fp).configHash());
    assertNotEquals(PreprocessJob.resultKey(zstd, fp).configHash(),
        PreprocessJob.resultKey(zstd.toBuilder().zstdLevel(3).build(), fp).configHash());
    // Uncompressed, the level changes no byte: a rerun with another level resumes the output.
    assertEquals(PreprocessJob.resultKey(none, fp), PreprocessJob.resultKey(none.toBuilder().zstdLevel(9).build(), fp));
    assertNull(none.toMap().get("zstd_level"));
    assertEquals(3, zstd.toBuilder().zstdLevel(3).build().toMap().get("zstd_level"));
    // Read back from provenance (--config OUT.zarr), the stored choice gives the same key.
    assertEquals(PreprocessJob.resultKey(zstd, fp),
        PreprocessJob.resultKey(PipelineFile.fromMap(zstd.toMap(), "OUT.zarr provenance", Map.of()), fp));
  }

  @Test
  void theBuilderKeepsTheOldSettersWorking() {
    PreprocessConfig c = PreprocessConfig.defaults().toBuilder().bandpass(5.0, 300.0).reference("average")
        .whiten("none").build();
    assertEquals("bandpass 5-300 Hz (order 5) > average reference", c.chainSummary());
    assertEquals("median reference > global whitening",
        PreprocessConfig.defaults().toBuilder().bandpass(null, null).build().chainSummary());
  }
}
