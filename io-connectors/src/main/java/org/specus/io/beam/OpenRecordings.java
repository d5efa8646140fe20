package org.specus.io.beam;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import org.specus.io.ReaderOptions;
import org.specus.io.Recording;
import org.specus.io.Recordings;

/**
 * Recordings opened once per worker JVM and shared by its DoFn instances: parsing metadata per tile
 * would be wasted work, and readers are safe for concurrent reads.
 */
final class OpenRecordings {
  private static final ConcurrentHashMap<String, Recording> OPEN = new ConcurrentHashMap<>();

  private OpenRecordings() {}

  static Recording get(RecordingInfo info) {
    ReaderOptions options = info.readerOptions() == null ? ReaderOptions.auto() : info.readerOptions();
    return OPEN.computeIfAbsent(
        info.path() + "\u0000" + options,
        k -> {
          String p = info.path();
          Recording r = Recordings.open(Path.of(p), options);
          if (!r.fingerprint().equals(info.fingerprint())) {
            throw new IllegalStateException(
                p + ": the recording changed while the pipeline was running (fingerprint differs)");
          }
          return r;
        });
  }
}
