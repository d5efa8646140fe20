package org.specus.io;

import java.nio.file.Path;
import org.specus.io.spikeglx.SpikeGlxRecording;

/** Opens a recording with the reader its path calls for. */
public final class Recordings {

  static final String SUPPORTED = "supported: SpikeGLX (a .bin with its .meta beside it; either may be given)";

  private Recordings() {}

  /**
   * Opens {@code path} for reading.
   *
   * @throws IllegalArgumentException when the path is not of a supported format
   * @throws RecordingException when it is, but the input is unusable (names the file and the problem)
   */
  public static Recording open(Path path) {
    String name = String.valueOf(path.getFileName());
    if (name.endsWith(".bin") || name.endsWith(".meta")) {
      return SpikeGlxRecording.open(path);
    }
    throw new IllegalArgumentException(path + ": unknown recording format; " + SUPPORTED);
  }
}
