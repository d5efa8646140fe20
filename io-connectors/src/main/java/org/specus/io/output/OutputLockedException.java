package org.specus.io.output;

import java.nio.file.Path;

/** Another live process is writing this output; the message names it and the lock file. */
public final class OutputLockedException extends OutputException {
  private final transient OutputLock.Holder holder;

  OutputLockedException(Path output, Path lockFile, OutputLock.Holder holder) {
    super(output + ": another run is writing this output (" + (holder == null ? "holder unknown" : holder.describe())
        + "; lock file " + lockFile + ")");
    this.holder = holder;
  }

  /** The process that holds the lock, when the lock file could be read. */
  public OutputLock.Holder holder() {
    return holder;
  }
}
