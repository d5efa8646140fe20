package org.specus.io.mef3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.specus.io.TestData;
import org.specus.io.npy.Npy;

/**
 * The golden MEF 3.0 sessions of {@code ../shared/data/mef3} (meflib/pymef writer, synthetic 256 Hz
 * signal) and their reference reader's values; tests using them skip when the data is absent.
 */
public final class Mef3Golden {
  public static final String DIR = "mef3/bnelair-mef3io-golden-SYNTHETIC";
  /** {@code enc_both}'s level-2 password ({@code manifest.json}); {@code pass1} is its level-1 one. */
  public static final String PASSWORD = "pass2";

  private Mef3Golden() {}

  /** {@code <name>.mefd}, skipping the calling test when it is absent. */
  public static Path session(String name) {
    return TestData.require(DIR).resolve(name + ".mefd");
  }

  /** The reference reader's counts of {@code channel} on the session's time grid, NaN in gaps. */
  public static double[] rawCounts(String name, String channel) throws IOException {
    Path npz = TestData.require(DIR).resolve(name + ".npz");
    Path npy = Files.createTempFile("golden", ".npy");
    try (ZipFile zip = new ZipFile(npz.toFile())) {
      ZipEntry e = zip.getEntry(channel + "__raw.npy");
      if (e == null) {
        throw new IOException(npz + " has no " + channel + "__raw");
      }
      try (InputStream in = zip.getInputStream(e)) {
        Files.copy(in, npy, StandardCopyOption.REPLACE_EXISTING);
      }
      return Npy.read(npy).values();
    } finally {
      Files.deleteIfExists(npy);
    }
  }

  /** {@link #rawCounts} as Specus reads them: gaps are 0. */
  public static float[] countsWithGapsAsZero(String name, String channel) throws IOException {
    double[] raw = rawCounts(name, channel);
    float[] out = new float[raw.length];
    for (int i = 0; i < raw.length; i++) {
      out[i] = Double.isNaN(raw[i]) ? 0f : (float) raw[i];
    }
    return out;
  }

  /** A writable copy of a golden session under {@code dir}, to damage on purpose. */
  public static Path copy(String name, Path dir) throws IOException {
    Path from = session(name);
    Path to = dir.resolve(name + ".mefd");
    try (var walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q, StandardCopyOption.REPLACE_EXISTING);
          q.toFile().setWritable(true);
        }
      }
    }
    return to;
  }
}
