package org.specus.io.mef3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.ChoiceNeeded;
import org.specus.io.ReaderOptions;
import org.specus.io.Recording;
import org.specus.io.RecordingException;
import org.specus.io.Recordings;

/**
 * Damaged and unusual copies of the golden sessions: each fails with one line naming the file and
 * the problem, at open when the metadata or index is at fault, at the read that meets a damaged block
 * otherwise; nothing is returned as if it were signal.
 */
class Mef3BadInputTest {
  static final String SEG = "ch1.timd/ch1-000000.segd/ch1-000000";

  @TempDir
  Path tmp;

  @Test
  void aDamagedBlockFailsTheReadThatMeetsIt() throws Exception {
    Path s = Mef3Golden.copy("plain_single", tmp);
    flipByte(s.resolve(SEG + ".tdat"), 1024 + 400); // inside block 0's coded differences
    try (Recording r = Recordings.open(s)) {
      RecordingException e = assertThrows(RecordingException.class, () -> r.readFloat(0, 10, new float[10]));
      assertEquals("ch1-000000.tdat: block 0 at byte 1024: checksum mismatch (the block is damaged)", e.getMessage());
    }
  }

  @Test
  void aTruncatedDataFileFailsTheReadThatMeetsIt() throws Exception {
    Path s = Mef3Golden.copy("plain_single", tmp);
    truncate(s.resolve(SEG + ".tdat"), 3000);
    try (Recording r = Recordings.open(s)) {
      RecordingException e = assertThrows(RecordingException.class, () -> r.readFloat(0, 2000, new float[2000]));
      assertEquals("ch1-000000.tdat: ends at byte 3000, before the 4632 bytes the index points to: truncated?",
          e.getMessage());
    }
  }

  @Test
  void aTruncatedIndexIsRefusedAtOpen() throws Exception {
    Path s = Mef3Golden.copy("nan_gap_long", tmp);
    truncate(s.resolve(SEG + ".tidx"), 1100);
    RecordingException e = assertThrows(RecordingException.class, () -> Recordings.open(s));
    assertEquals("ch1-000000.tidx: its header lists 2 blocks (1136 bytes), the file has 1100 bytes: truncated?",
        e.getMessage());
  }

  @Test
  void missingOrDamagedMetadataIsRefusedAtOpen() throws Exception {
    Path s = Mef3Golden.copy("plain_single", tmp);
    Path tmet = s.resolve(SEG + ".tmet");
    flipByte(tmet, 600); // inside the universal header (session name field)
    assertEquals("ch1-000000.tmet: universal header checksum mismatch (the file is damaged)",
        assertThrows(RecordingException.class, () -> Recordings.open(s)).getMessage());
    Files.delete(tmet);
    assertEquals("ch1-000000.segd: segment has no ch1-000000.tmet",
        assertThrows(RecordingException.class, () -> Recordings.open(s)).getMessage());
  }

  @Test
  void channelsAtDifferentRatesAreReadOneRateAtATime() throws Exception {
    Path s = Mef3Golden.copy("multi_channel", tmp);
    // Section 2 is outside the header's checksum: a rate edited there is read as written.
    try (RandomAccessFile f = new RandomAccessFile(s.resolve("ch2.timd/ch2-000000.segd/ch2-000000.tmet").toFile(), "rw")) {
      f.seek(2560 + 6160);
      f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(512).array());
    }
    assertEquals("multi_channel.mefd: channels are sampled at 2 rates (256 Hz: ch1; 512 Hz: ch2); choose one with"
        + " --stream, e.g. --stream 512Hz",
        assertThrows(RecordingException.class, () -> Recordings.open(s)).getMessage());
    assertEquals(List.of("256Hz", "512Hz"), assertThrows(ChoiceNeeded.class, () -> Recordings.open(s)).choices());
    assertEquals(List.of(new RateGroup("256Hz", 256, List.of("ch1")), new RateGroup("512Hz", 512, List.of("ch2"))),
        Mef3Recording.rateGroups(s, null));
    String fingerprint256;
    try (Recording r = Recordings.open(s, ReaderOptions.auto().withStream("256Hz"))) {
      assertEquals(List.of("ch1"), r.channelIds());
      assertEquals(256.0, r.samplingRate());
      float[] ch1 = new float[(int) r.numSamples()];
      r.readFloat(0, ch1.length, ch1);
      assertArrayEquals(Mef3Golden.countsWithGapsAsZero("multi_channel", "ch1"), ch1);
      fingerprint256 = r.fingerprint();
    }
    try (Recording r = Recordings.open(s, ReaderOptions.auto().withStream("512"))) {
      assertEquals(List.of("ch2"), r.channelIds());
      assertEquals(512.0, r.samplingRate());
      assertNotEquals(fingerprint256, r.fingerprint(), "each group is its own input");
    }
    assertEquals("multi_channel.mefd: no channels sampled at 1000Hz (--stream takes one of: 256Hz, 512Hz)",
        assertThrows(RecordingException.class, () -> Recordings.open(s, ReaderOptions.auto().withStream("1000Hz")))
            .getMessage());
  }

  @Test
  void anEncryptedSessionNeedsItsPassword() throws Exception {
    Path s = Mef3Golden.session("enc_both");
    assertEquals("ch1-000000.tmet: the session is password-protected; give its password with --mef-password (or"
        + " SPECUS_MEF_PASSWORD)", assertThrows(RecordingException.class, () -> Mef3Recording.open(s, null)).getMessage());
    assertEquals("ch1-000000.tmet: the password given does not open this session",
        assertThrows(RecordingException.class, () -> Mef3Recording.open(s, "pass3")).getMessage());
    // Level 1 opens the rate and scale, enough to read; the start time needs level 2.
    float[] level1 = new float[2000];
    float[] level2 = new float[2000];
    try (Recording r = Mef3Recording.open(s, "pass1")) {
      assertEquals(256.0, r.samplingRate());
      assertEquals(0.001, r.gainToUv()[0], 1e-15);
      assertTrue(r.summary().get("start (UTC)").startsWith("unknown"), r.summary().toString());
      r.readFloat(0, 2000, level1);
    }
    try (Recording r = Mef3Recording.open(s, "pass2")) {
      assertEquals("2020-01-01T00:00:00Z", r.summary().get("start (UTC)"));
      r.readFloat(0, 2000, level2);
    }
    assertEquals(java.util.Arrays.toString(level2), java.util.Arrays.toString(level1));
  }

  @Test
  void aSessionWithoutChannelsIsRefused() throws Exception {
    Path s = Files.createDirectories(tmp.resolve("empty.mefd"));
    assertEquals("empty.mefd: no time-series channels (.timd folders) in this MEF 3.0 session",
        assertThrows(RecordingException.class, () -> Recordings.open(s)).getMessage());
  }

  private static void truncate(Path file, long length) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(length);
    }
  }

  private static void flipByte(Path file, long at) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x5A);
    }
  }
}
