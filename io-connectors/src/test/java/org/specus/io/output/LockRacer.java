package org.specus.io.output;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Test helper process: tries to lock an output many times, logging entry and exit while it holds it. */
public final class LockRacer {
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    Path log = Path.of(args[1]);
    int tries = Integer.parseInt(args[2]);
    long pid = ProcessHandle.current().pid();
    for (int i = 0; i < tries; i++) {
      try (OutputLock lock = OutputLock.acquire(out)) {
        append(log, "+" + pid);
        Thread.sleep(5);
        append(log, "-" + pid);
      } catch (OutputLockedException busy) {
        Thread.sleep(1);
      }
    }
  }

  private static void append(Path log, String line) throws Exception {
    Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }
}
