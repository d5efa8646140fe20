package org.specus.batch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.specus.io.ReaderOptions;
import org.specus.io.mef3.Mef3Recording;

/**
 * MEF 3.0 sessions: a {@code <name>.mefd} folder is one recording, read whole, whose output is
 * {@code <name>.zarr}. Every session is opened with the batch's password, if one was given (an
 * unencrypted session does not use it).
 */
public final class Mef3Discovery implements RecordingDiscovery {
  private static final String MEFD = ".mefd";
  private final ReaderOptions options;

  /** @param password the sessions' level-1 or level-2 password, or {@code null} */
  public Mef3Discovery(String password) {
    this.options = ReaderOptions.auto().withPassword(password);
  }

  @Override
  public String format() {
    return "mef3";
  }

  @Override
  public boolean isRecordingDirectory(Path dir) {
    return Mef3Recording.recognises(dir);
  }

  @Override
  public List<Found> recordingsIn(Path dir, List<Path> entries) {
    List<Found> found = new ArrayList<>();
    for (Path e : entries) {
      String name = e.getFileName().toString();
      if (name.endsWith(MEFD) && isRecordingDirectory(e)) {
        found.add(new Found(e, options, name.substring(0, name.length() - MEFD.length()) + ".zarr"));
      }
    }
    return found;
  }
}
