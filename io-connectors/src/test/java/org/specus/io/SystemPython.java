package org.specus.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code /usr/bin/python3} with {@code python3-h5py} and {@code python3-zarr} (v2): the real
 * HDF5 writer and the Zarr v2 reader SpikeInterface uses. The default {@code python3} on PATH may be a
 * pyenv without them. A missing package is installed with apt-get once; if that is impossible the
 * calling test is skipped with a message.
 */
public final class SystemPython {
  public static final String PYTHON = "/usr/bin/python3";
  private static final ConcurrentHashMap<String, Boolean> READY = new ConcurrentHashMap<>();

  private SystemPython() {}

  /** Skips the calling test unless {@code module} imports (installing {@code debianPackage} if needed). */
  public static void require(String module, String debianPackage) {
    boolean ok = READY.computeIfAbsent(module, m -> {
      if (imports(m)) {
        return true;
      }
      try {
        Process p = new ProcessBuilder("apt-get", "install", "-y", "-qq", debianPackage).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor(600, TimeUnit.SECONDS);
      } catch (IOException | InterruptedException e) {
        return false;
      }
      return imports(m);
    });
    assumeTrue(ok, PYTHON + " cannot import " + module + " (apt-get install " + debianPackage + " failed): skipping");
  }

  private static boolean imports(String module) {
    try {
      Process p = new ProcessBuilder(PYTHON, "-c", "import " + module).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** Runs {@code python3 args...}; fails the test with its output if it exits non-zero. Returns stdout. */
  public static String run(List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(PYTHON);
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(600, TimeUnit.SECONDS);
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
    return out;
  }

  /** The committed test scripts ({@code io-connectors/src/test/python}). */
  public static Path script(String name) {
    Path root = Path.of(System.getProperty("specus.root", "."));
    return root.resolve("io-connectors/src/test/python").resolve(name);
  }
}
