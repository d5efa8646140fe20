package org.specus.cli;

import java.nio.file.Path;
import org.specus.synth.SyntheticRecording;

final class SyntheticRecordingPaths {
  private SyntheticRecordingPaths() {}

  static Path meta(Path bin) {
    return SyntheticRecording.metaPathFor(bin);
  }
}
