package org.specus.io.beam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.ReaderOptions;
import org.specus.io.Recording;
import org.specus.io.Recordings;

/** The per-JVM reader cache: one reader per file, options and contents; closed per file. */
class OpenRecordingsTest {

  static void write(Path f, int samples, short value) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(samples * 2 * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int k = 0; k < samples * 2; k++) {
      b.putShort(value);
    }
    Files.write(f, b.array());
  }

  static RecordingInfo info(Path f, ReaderOptions o) throws Exception {
    try (Recording r = Recordings.open(f, o)) {
      return RecordingInfo.of(r, o);
    }
  }

  @Test
  void closeReleasesEveryReaderOfAFileAndAChangedFileGetsAFreshReader(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("x.dat");
    write(f, 10, (short) 3);
    ReaderOptions a = ReaderOptions.auto().withRaw("int16", 2, 1000.0, null);
    ReaderOptions b = a.withRawGainToUv(2.0);
    int before = OpenRecordings.openCount();
    RecordingInfo ia = info(f, a);
    Recording ra = OpenRecordings.get(ia);
    assertSame(ra, OpenRecordings.get(ia));
    OpenRecordings.get(info(f, b));
    assertEquals(before + 2, OpenRecordings.openCount());

    // Rewritten in place (another length and values): the old reader must not serve the new contents.
    write(f, 12, (short) 5);
    RecordingInfo changed = info(f, a);
    Recording fresh = OpenRecordings.get(changed);
    assertNotSame(ra, fresh);
    assertEquals(12, fresh.numSamples());
    float[] v = new float[2];
    fresh.readFloat(11, 12, v);
    assertArrayEquals(new float[] {5, 5}, v);

    OpenRecordings.close(ia.path());
    assertEquals(before, OpenRecordings.openCount());
  }
}
