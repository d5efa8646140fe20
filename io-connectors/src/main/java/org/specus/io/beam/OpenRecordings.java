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
  private static final String SEPARATOR = "\u0000";

  private OpenRecordings() {}

  /**
   * Closes every reader this JVM has open on {@code path} (whatever options it was opened with). Call
   * only when no pipeline that reads it is running; a later {@link #get} opens it again.
   */
  public static void close(String path) {
    String prefix = path + SEPARATOR;
    for (String key : OPEN.keySet()) {
      if (key.startsWith(prefix)) {
        Recording r = OPEN.remove(key);
        if (r != null) {
          try {
            r.close();
          } catch (java.io.IOException e) {
            // Read-only: nothing was lost, and the next run opens a fresh reader.
          }
        }
      }
    }
  }

  /** What the reader noticed about the input that does not stop it being read (gaps, odd units...). */
  public static java.util.List<String> warnings(RecordingInfo info) {
    return get(info).warnings();
  }

  /** How many readers are open in this JVM (for tests). */
  static int openCount() {
    return OPEN.size();
  }

  /**
   * The shared reader for {@code info}. The key holds the options (one file can hold several streams)
   * and the fingerprint, so that a file changed between two runs in one JVM is never read through a
   * reader opened on its former contents.
   */
  static Recording get(RecordingInfo info) {
    ReaderOptions options = info.readerOptions() == null ? ReaderOptions.auto() : info.readerOptions();
    return OPEN.computeIfAbsent(
        info.path() + SEPARATOR + options + SEPARATOR + info.fingerprint(),
        k -> {
          String p = info.path();
          Recording r = Recordings.open(Path.of(p), options);
          if (!r.fingerprint().equals(info.fingerprint())) {
            try {
              r.close();
            } catch (java.io.IOException ignored) {
              // The change is what matters.
            }
            throw new IllegalStateException(
                p + ": the recording changed while the pipeline was running (fingerprint differs)");
          }
          return r;
        });
  }
}
