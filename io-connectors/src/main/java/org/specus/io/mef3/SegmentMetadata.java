package org.specus.io.mef3;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.specus.io.RecordingException;

/**
 * What a segment's {@code .tmet} says: a 1024-byte universal header, then section 1 (which sections
 * are encrypted), section 2 (rate, scale, counts; level 1) and section 3 (the recording time offset
 * and the subject; level 2). A section whose stored level is positive is AES ciphertext; a negative
 * level (what unencrypted files carry) means plaintext.
 *
 * @param recordingTimeOffset µs added to the stored (negated) times, or {@code null} when section 3 is
 *     encrypted and the password does not open level 2
 * @param keys what the password opens (also needed for blocks whose symbol tables are encrypted)
 * @param encrypted whether the session has passwords at all
 */
record SegmentMetadata(
    String channelName,
    String sessionName,
    long storedStartTime,
    long storedEndTime,
    double samplingRate,
    double unitsPerCount,
    String units,
    long numSamples,
    Long recordingTimeOffset,
    MefKeys keys,
    boolean encrypted) {

  static final int UNIVERSAL_HEADER_BYTES = 1024;
  static final int FILE_BYTES = 16384;
  /** MEF's "no entry" for a time. */
  static final long NO_TIME = Long.MIN_VALUE;
  private static final int SECTION_1 = 1024;
  private static final int SECTION_2 = 2560;
  private static final int SECTION_2_BYTES = 10752;
  private static final int SECTION_3 = 13312;
  private static final int SECTION_3_BYTES = 3072;

  /**
   * Reads and, where the password allows, decrypts {@code tmet}.
   *
   * @throws RecordingException naming the file when it is not a MEF 3.0 time-series metadata file, is
   *     damaged, or is encrypted and {@code password} does not open section 2
   */
  static SegmentMetadata read(Path tmet, String password) {
    byte[] b;
    try {
      b = Files.readAllBytes(tmet);
    } catch (IOException e) {
      throw RecordingException.in(tmet, "cannot read (" + e.getMessage() + ")");
    }
    if (b.length != FILE_BYTES) {
      throw RecordingException.in(tmet, "a MEF 3.0 metadata file has " + FILE_BYTES + " bytes, this one " + b.length);
    }
    ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    checkHeader(tmet, b, "tmet");
    byte[] check1 = Arrays.copyOfRange(b, 868, 884);
    byte[] check2 = Arrays.copyOfRange(b, 884, 900);
    MefKeys keys = MefKeys.open(password, check1, check2);
    int section2Level = b[SECTION_1];
    int section3Level = b[SECTION_1 + 1];
    if (section2Level > 0) {
      if (keys.forLevel(section2Level) == null) {
        throw RecordingException.in(tmet, password == null || password.isEmpty()
            ? "the session is password-protected; give its password with --mef-password (or SPECUS_MEF_PASSWORD)"
            : "the password given does not open this session");
      }
      MefKeys.decrypt(b, SECTION_2, SECTION_2_BYTES, keys.forLevel(section2Level));
    }
    boolean section3Readable = section3Level <= 0 || keys.forLevel(section3Level) != null;
    if (section3Level > 0 && section3Readable) {
      MefKeys.decrypt(b, SECTION_3, SECTION_3_BYTES, keys.forLevel(section3Level));
    }
    int s2 = SECTION_2;
    double rate = h.getDouble(s2 + 6160);
    double ufact = h.getDouble(s2 + 6200);
    if (!(rate > 0) || !Double.isFinite(rate)) {
      throw RecordingException.in(tmet, "sampling frequency " + rate + " Hz is not a positive number");
    }
    if (!(ufact != 0) || !Double.isFinite(ufact)) {
      throw RecordingException.in(tmet, "units conversion factor " + ufact + " is not a usable number");
    }
    long start = h.getLong(16);
    long end = h.getLong(24);
    if (start == NO_TIME || end == NO_TIME || (start < 0) != (end < 0) || Math.abs(end) < Math.abs(start)) {
      throw RecordingException.in(tmet, "its header's start and end times (" + start + ", " + end + ") do not"
          + " describe a time span");
    }
    return new SegmentMetadata(
        text(b, 52, 256),
        text(b, 308, 256),
        start,
        end,
        rate,
        ufact,
        text(b, s2 + 6208, 128),
        h.getLong(s2 + 6360),
        section3Readable ? h.getLong(SECTION_3) : null,
        keys,
        !MefKeys.isUnset(check1));
  }

  /** Checks the type string, version and checksum of any MEF 3.0 file's universal header. */
  static void checkHeader(Path file, byte[] header, String type) {
    String found = text(header, 8, 5);
    if (!found.equals(type)) {
      throw RecordingException.in(file, "not a MEF 3.0 ." + type + " file (its header says '" + found + "')");
    }
    if (header[13] != 3) {
      throw RecordingException.in(file, "MEF version " + header[13] + "." + header[14] + "; Specus reads MEF 3.0");
    }
    if (header[15] != 1) {
      throw RecordingException.in(file, "big-endian MEF files are not supported");
    }
    if (MefCrc.of(header, 4, UNIVERSAL_HEADER_BYTES) != ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(0)) {
      throw RecordingException.in(file, "universal header checksum mismatch (the file is damaged)");
    }
  }

  /** The true time (µs since the epoch) of a time as stored: MEF stores {@code offset - t} once the offset is applied. */
  static long trueTime(long stored, long offset) {
    return stored < 0 ? -stored + offset : stored;
  }

  static String text(byte[] b, int offset, int length) {
    int end = offset;
    while (end < offset + length && b[end] != 0) {
      end++;
    }
    return new String(b, offset, end - offset, StandardCharsets.UTF_8);
  }
}
