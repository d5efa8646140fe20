package org.specus.io.beam;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import org.specus.io.ReaderOptions;
import org.specus.io.Recording;
import org.specus.io.Recordings;

/**
 * Recordings opened once per worker JVM and shared by its DoFn instances: parsing metadata per tile
 * would be wasted work, and readers are safe for concurrent reads. A process that runs many
 * pipelines one after the other (batch reprocessing) closes each recording when its run is over,
 * so open files and reader buffers do not pile up.
 */
public final class OpenRecordings {
  private static final ConcurrentHashMap<String, Recording> OPEN = new ConcurrentHashMap<>();

  private OpenRecordings() {}

  /**
   * Closes the recording at {@code path} if this JVM has it open. Call only when no pipeline that
   * reads it is running; a later {@link #get} opens it again.
   */
  public static void close(String path) {
    Recording r = OPEN.remove(path);
    if (r != null) {
      try {
        r.close();
      } catch (java.io.IOException e) {
        // Read-only: nothing was lost, and the next run opens a fresh reader.
      }
    }
  }

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
