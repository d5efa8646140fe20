package org.specus.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Peak resident memory of this process, as the kernel counts it (VmHWM), in bytes; -1 if unknown. */
public final class PeakMemory {
  private PeakMemory() {}

  public static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Not on Linux: the summary says "unknown".
    }
    return -1;
  }

  /** {@link #residentBytes} in MiB (2^20 bytes, as /proc and bench/'s harness count memory); -1 if unknown. */
  public static long residentMib() {
    long bytes = residentBytes();
    return bytes < 0 ? -1 : Math.round(bytes / (1024.0 * 1024));
  }
}
