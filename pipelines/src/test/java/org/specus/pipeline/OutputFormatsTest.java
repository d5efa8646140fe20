package org.specus.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.ReaderOptions;
import org.specus.io.Recording;
import org.specus.io.RecordingException;
import org.specus.io.Recordings;
import org.specus.io.SystemPython;
import org.specus.io.npy.Npy;
import org.specus.io.output.OutputStore;
import org.specus.io.zarr.ZarrV3Reader;

/**
 * One run written in every output format: the Zarr v2 store (raw chunks, float32's default) is
 * opened by Debian's zarr-python 2 (what released SpikeInterface uses), the binary by plain byte
 * reads, and each holds exactly the samples of the Zarr v3 output; outputs are read back by
 * Specus's readers to be processed again.
 */
class OutputFormatsTest {
  static final int CH = 24;
  @TempDir static Path tmp;
  static Path bin;
  static float[] v3;
  static long samples;

  @BeforeAll
  static void runZarrV3() throws Exception {
    // 2.5 s in 1 s tiles: the last tile is partial.
    bin = TestRecordings.synth(tmp, "formats", 2.5, CH, 5);
    Path out = tmp.resolve("v3.zarr");
    PreprocessJob job = new PreprocessJob(bin, out, PreprocessConfig.defaults(), 2);
    job.run(job.build());
    v3 = ZarrV3Reader.open(out.resolve("traces_seg0")).readFloats();
    samples = v3.length / CH;
  }

  static Path run(Path input, ReaderOptions options, String name, PreprocessConfig config) {
    Path out = tmp.resolve(name);
    PreprocessJob job = new PreprocessJob(input, options, out, config, 2);
    job.run(job.build());
    assertTrue(OutputStore.isComplete(out));
    return out;
  }

  @Test
  void zarrV2OpensInZarrPython2WithSpikeInterfacesLayout() throws Exception {
    SystemPython.require("zarr", "python3-zarr");
    Path out = run(bin, ReaderOptions.auto(), "v2.zarr", PreprocessConfig.defaults().toBuilder().format("zarr-v2").build());
    Path npy = tmp.resolve("v2-traces.npy");
    JsonNode z = new ObjectMapper().readTree(SystemPython.run(List.of(
        SystemPython.script("read_zarr_v2.py").toString(), out.toString(), npy.toString())));
    assertTrue(z.get("zarr_version").asText().startsWith("2."), z.toString());
    assertEquals("[" + samples + "," + CH + "]", z.get("shape").toString());
    assertEquals("[30000," + CH + "]", z.get("chunks").toString()); // one chunk per tile
    assertEquals("float32", z.get("dtype").asText());
    assertTrue(z.get("compressor").isNull(), "float32 is stored raw by default: " + z.get("compressor"));
    JsonNode attrs = z.get("attrs");
    assertEquals(30000.0, attrs.get("sampling_frequency").doubleValue());
    assertEquals(1, attrs.get("num_segments").intValue());
    assertTrue(attrs.at("/annotations/is_filtered").booleanValue());
    assertTrue(attrs.get("provenance").isNull());
    assertEquals(CH, attrs.at("/probe/probes/0/contact_positions").size());
    assertEquals("[\"gain_to_uV\",\"location\",\"offset_to_uV\"]", z.get("properties").toString());
    assertEquals("[" + CH + "," + CH + "]", z.get("whitening_shape").toString());
    try (Recording r = Recordings.open(bin)) {
      List<String> ids = new ArrayList<>();
      z.get("channel_ids").forEach(v -> ids.add(v.asText()));
      assertEquals(r.channelIds(), ids);
      assertEquals(r.gainToUv()[0], z.at("/gain_to_uV/0").doubleValue());
      assertEquals(r.locations()[3][1], z.at("/location/3/1").doubleValue());
    }
    double[] values = Npy.read(npy).values();
    for (int k = 0; k < v3.length; k++) {
      assertEquals(v3[k], (float) values[k], "value " + k);
    }
    // Processed again by Specus: a copy through the Zarr v2 reader is exact.
    Path copy = run(out, ReaderOptions.auto(), "v2-copy.zarr", noChain().build());
    assertArrayEquals(v3, ZarrV3Reader.open(copy.resolve("traces_seg0")).readFloats());
  }

  static PreprocessConfig.Builder noChain() {
    return PreprocessConfig.defaults().toBuilder().bandpass(null, null).reference("none").whiten("none");
  }

  @Test
  void binaryFloat32AndInt16ForKilosort() throws Exception {
    Path f32 = run(bin, ReaderOptions.auto(), "f32.bin.d", PreprocessConfig.defaults().toBuilder().format("binary").build());
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f32.resolve("traces_cached_seg0.raw"))).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(v3.length * 4L, b.capacity());
    for (int k = 0; k < v3.length; k++) {
      assertEquals(v3[k], b.getFloat(4 * k), "value " + k);
    }
    assertEquals(CH, Npy.read(f32.resolve("channel_positions.npy")).rows());
    assertEquals(CH, Npy.read(f32.resolve("channel_map.npy")).rows());
    JsonNode binary = new ObjectMapper().readTree(f32.resolve("binary.json").toFile());
    assertEquals("<f4", binary.at("/kwargs/dtype").asText());
    assertEquals(CH, binary.at("/kwargs/num_channels").intValue());

    // int16: whitening scaled by int_scale (as SpikeInterface), then every sample rounded half to
    // even and saturated: the same as rounding the float32 output of the same scaled chain.
    List<OpSpec> scaled = List.of(OpSpec.of("bandpass", Map.of(), "test"), OpSpec.of("common_reference", Map.of(), "test"),
        OpSpec.of("whiten", Map.of("int_scale", 200.0), "test"));
    Path f32s = run(bin, ReaderOptions.auto(), "f32s.bin.d",
        PreprocessConfig.defaults().toBuilder().pipeline(scaled).format("binary").build());
    Path i16 = run(bin, ReaderOptions.auto(), "i16.bin.d",
        PreprocessConfig.defaults().toBuilder().pipeline(scaled).format("binary").dtype("int16").build());
    ByteBuffer f = ByteBuffer.wrap(Files.readAllBytes(f32s.resolve("traces_cached_seg0.raw"))).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer s = ByteBuffer.wrap(Files.readAllBytes(i16.resolve("traces_cached_seg0.raw"))).order(ByteOrder.LITTLE_ENDIAN);
    int saturated = 0;
    for (int k = 0; k < v3.length; k++) {
      double expected = Math.max(-32768, Math.min(32767, Math.rint(f.getFloat(4 * k))));
      saturated += Math.abs(expected) == 32768 || expected == 32767 ? 1 : 0;
      assertEquals((short) expected, s.getShort(2 * k), "value " + k);
    }
    assertTrue(saturated < v3.length / 100, "int_scale 200 should keep whitened data inside int16");
    assertTrue(Files.readString(i16.resolve("params.py")).contains("dtype = 'int16'"));
    // Kilosort's layout read back as a headerless binary: positions come from channel_positions.npy.
    try (Recording r = Recordings.open(i16.resolve("traces_cached_seg0.raw"),
        ReaderOptions.auto().withRaw("int16", CH, 30000.0, null))) {
      assertEquals(samples, r.numSamples());
      assertTrue(r.locations() != null);
    }
  }

  @Test
  void int16OfWhitenedDataNeedsAScaleAndUnknownFormatsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PreprocessConfig.defaults().toBuilder().format("binary").dtype("int16").build());
    assertTrue(e.getMessage().contains("needs an explicit whiten.int_scale"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> PreprocessConfig.defaults().toBuilder().format("hdf5").build());
    assertEquals("--format must be one of [zarr, zarr-v2, binary], got 'hdf5'", e.getMessage());
  }

  @Test
  void zarrWhoseChunksDisagreeWithItsShapeIsRefused() throws Exception {
    Path out = run(bin, ReaderOptions.auto(), "bad.zarr", noChain().format("zarr-v2").tileSeconds(0.5).build());
    Path zarray = out.resolve("traces_seg0/.zarray");
    Files.writeString(zarray, Files.readString(zarray).replaceFirst("\"chunks\" : \\[ 15000, 24 \\]", "\"chunks\" : [ 15000, 5 ]"));
    RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(out));
    assertEquals(".zarray: chunks [15000, 5] disagrees with shape [" + samples + ", 24]: chunks must span all 24 channels",
        e.getMessage());
    Files.writeString(zarray, Files.readString(zarray).replace("[ 15000, 5 ]", "[ 15000, 24 ]"));
    Path chunk = out.resolve("traces_seg0/1.0");
    Files.write(chunk, java.util.Arrays.copyOf(Files.readAllBytes(chunk), 100));
    try (Recording r = Recordings.open(out)) {
      java.io.IOException io = assertThrows(java.io.IOException.class, () -> r.readFloat(15000, 15010, new float[240]));
      assertTrue(io.getMessage().contains("traces_seg0/1.0"), io.getMessage());
    }
  }
}
