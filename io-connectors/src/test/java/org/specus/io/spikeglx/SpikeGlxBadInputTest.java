package org.specus.io.spikeglx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.RecordingException;
import org.specus.io.Recordings;
import org.specus.io.TestData;

/** Bad input fails with one line that names the file and the field. */
class SpikeGlxBadInputTest {

  private static final String REAL_META = "spikeglx/recordings/Noise4Sam_g0/Noise4Sam_g0_imec0/Noise4Sam_g0_t0.imec0.ap.meta";

  private static final String MINIMAL_META = String.join("\n",
      "typeThis=imec",
      "nSavedChans=3",
      "snsApLfSy=2,0,1",
      "acqApLfSy=2,2,1",
      "snsSaveChanSubset=0:1,4",
      "imSampRate=30000",
      "imAiRangeMax=0.6",
      "imMaxInt=512",
      "imDatPrb_type=0",
      "~imroTbl=(0,2)(0 0 0 500 250 1)(1 0 0 500 250 1)",
      "~snsShankMap=(1,2,480)(0:0:0:1)(0:1:0:1)",
      "");

  private static RecordingException openFails(Path p) {
    RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(p).close());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    return e;
  }

  private static Path write(Path dir, String name, String meta, int binBytes) throws Exception {
    Files.writeString(dir.resolve(name + ".meta"), meta, StandardCharsets.UTF_8);
    Path bin = dir.resolve(name + ".bin");
    Files.write(bin, new byte[binBytes]);
    return bin;
  }

  @Test
  void minimalMetaOpens(@TempDir Path dir) throws Exception {
    Path bin = write(dir, "rec.imec0.ap", MINIMAL_META, 6 * 10);
    try (var rec = Recordings.open(bin)) {
      assertEquals(2, rec.numChannels());
      assertEquals(10, rec.numSamples());
      assertEquals("2", rec.summary().get("sync channel"));
      assertTrue(rec.warnings().stream().anyMatch(w -> w.contains("no fileSizeBytes")));
    }
  }

  @Test
  void binWithoutMeta(@TempDir Path dir) throws Exception {
    Path bin = dir.resolve("x.imec0.ap.bin");
    Files.write(bin, new byte[770]);
    assertEquals("x.imec0.ap.bin: no metadata file x.imec0.ap.meta beside it", openFails(bin).getMessage());
  }

  @Test
  void metaWithoutBin(@TempDir Path dir) throws Exception {
    Path meta = dir.resolve("x.imec0.ap.meta");
    Files.writeString(meta, MINIMAL_META);
    assertEquals("x.imec0.ap.meta: no data file x.imec0.ap.bin beside it", openFails(meta).getMessage());
  }

  @Test
  void binSizeNotWholeSamples(@TempDir Path dir) throws Exception {
    Path bin = write(dir, "rec.imec0.ap", MINIMAL_META, 6 * 10 + 1);
    assertEquals("rec.imec0.ap.bin: size 61 bytes is not a whole number of samples (3 channels x 2 bytes)",
        openFails(bin).getMessage());
  }

  @Test
  void realMetaWithBinOfWrongSize(@TempDir Path dir) throws Exception {
    Path real = TestData.require(REAL_META);
    Files.copy(real, dir.resolve("rec.imec0.ap.meta"));
    Files.write(dir.resolve("rec.imec0.ap.bin"), new byte[1000001]);
    assertEquals("rec.imec0.ap.bin: size 1000001 bytes is not a whole number of samples (385 channels x 2 bytes)",
        openFails(dir.resolve("rec.imec0.ap.bin")).getMessage());
  }

  @Test
  void missingSamplingRate(@TempDir Path dir) throws Exception {
    Path bin = write(dir, "rec.imec0.ap", MINIMAL_META.replace("imSampRate=30000\n", ""), 60);
    assertEquals("rec.imec0.ap.meta: missing required key 'imSampRate'", openFails(bin).getMessage());
  }

  @Test
  void missingSamplingRateInRealMeta(@TempDir Path dir) throws Exception {
    Path real = TestData.require(REAL_META);
    Map<String, String> change = new HashMap<>();
    change.put("imSampRate", null);
    MetaFiles.writeVariant(real, dir.resolve("rec.imec0.ap.meta"), change);
    Files.write(dir.resolve("rec.imec0.ap.bin"), new byte[770]);
    assertEquals("rec.imec0.ap.meta: missing required key 'imSampRate'",
        openFails(dir.resolve("rec.imec0.ap.meta")).getMessage());
  }

  @Test
  void missingNidqRate() {
    RecordingException e = assertThrows(RecordingException.class, () -> SpikeGlxChannels.of(SpikeGlxMeta.parse(
        "x.nidq.meta", "typeThis=nidq\nnSavedChans=2\nsnsMnMaXaDw=0,0,1,1\nniAiRangeMax=5\n".getBytes())));
    assertEquals("x.nidq.meta: missing required key 'niSampRate'", e.getMessage());
  }

  @Test
  void unparseableNumbers(@TempDir Path dir) throws Exception {
    Path bin = write(dir, "rec.imec0.ap", MINIMAL_META.replace("imSampRate=30000", "imSampRate=30k"), 60);
    assertEquals("rec.imec0.ap.meta: key 'imSampRate' value '30k' is not a number", openFails(bin).getMessage());
    Files.writeString(dir.resolve("rec.imec0.ap.meta"), MINIMAL_META.replace("nSavedChans=3", "nSavedChans=three"));
    assertEquals("rec.imec0.ap.meta: key 'nSavedChans' value 'three' is not an integer", openFails(bin).getMessage());
    Files.writeString(dir.resolve("rec.imec0.ap.meta"), MINIMAL_META.replace("imSampRate=30000", "imSampRate=NaN"));
    assertTrue(openFails(bin).getMessage().contains("'imSampRate'"));
  }

  @Test
  void imroTableThatDisagreesWithTheChannelCount(@TempDir Path dir) throws Exception {
    Path bin = write(dir, "rec.imec0.ap", MINIMAL_META.replace("(0,2)(0 0 0 500 250 1)", "(0,1)"), 60);
    String m = openFails(bin).getMessage();
    assertTrue(m.startsWith("rec.imec0.ap.meta: ~imroTbl has 1 entries but acqApLfSy=2,2,1"), m);

    Files.writeString(dir.resolve("rec.imec0.ap.meta"), MINIMAL_META.replace("(0,2)", "(0,3)"));
    assertEquals("rec.imec0.ap.meta: ~imroTbl header (0,3) declares 3 entries but the table has 2",
        openFails(bin).getMessage());
  }

  @Test
  void countsThatDoNotAddUp(@TempDir Path dir) throws Exception {
    Path bin = write(dir, "rec.imec0.ap", MINIMAL_META.replace("snsApLfSy=2,0,1", "snsApLfSy=3,0,1"), 60);
    assertEquals("rec.imec0.ap.meta: snsApLfSy=3,0,1 adds up to 4 channels but nSavedChans=3",
        openFails(bin).getMessage());
    Files.writeString(dir.resolve("rec.imec0.ap.meta"), MINIMAL_META.replace("0:1,4", "0:2,4"));
    assertTrue(openFails(bin).getMessage().startsWith("rec.imec0.ap.meta: key 'snsSaveChanSubset' value '0:2,4'"));
  }

  @Test
  void malformedLinesAndTables() {
    RecordingException line = assertThrows(RecordingException.class,
        () -> SpikeGlxMeta.parse("m.meta", "a=1\njunk\n".getBytes()));
    assertEquals("m.meta: line 2 is not key=value: 'junk'", line.getMessage());
    RecordingException dup = assertThrows(RecordingException.class,
        () -> SpikeGlxMeta.parse("m.meta", "a=1\na=2\n".getBytes()));
    assertEquals("m.meta: key 'a' appears twice (line 2)", dup.getMessage());
    SpikeGlxMeta meta = SpikeGlxMeta.parse("m.meta", "~imroTbl=(0,1)(0 0 0 500 250\n".getBytes());
    RecordingException table = assertThrows(RecordingException.class, () -> meta.table("imroTbl"));
    assertTrue(table.getMessage().startsWith("m.meta: table '~imroTbl' is malformed"), table.getMessage());
  }

  @Test
  void tildeIsOptionalAndCrLfIsAccepted() {
    SpikeGlxMeta meta = SpikeGlxMeta.parse("m.meta", "nSavedChans=385\r\nimroTbl=(0,1)(0 0 0 500 250 1)\r\n".getBytes());
    assertTrue(meta.has("~imroTbl"));
    assertEquals(385, meta.integer("nSavedChans"));
    assertEquals(2, meta.table("~imroTbl").orElseThrow().size());
  }

  @Test
  void unknownFormat(@TempDir Path dir) {
    Path p = dir.resolve("recording.dat");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Recordings.open(p));
    assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("SpikeGLX"), e.getMessage());
  }
}
