package org.specus.io.zarr;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * zarrita (npm), a separate implementation of the Zarr v3 spec, as an independent reader for tests.
 * Needs {@code node} and {@code npm} on the PATH; zarrita is installed (pinned by {@code
 * io-connectors/src/test/node/package-lock.json}) into {@code io-connectors/target/zarrita} on first
 * use and reused afterwards.
 */
public final class Zarrita {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path installDir;

  private Zarrita() {}

  /**
   * Reads a store with zarrita: the root group's attributes and, for each array path (optionally
   * {@code path:rowStart:rowEnd}), its shape, dtype, attributes and values, as printed by
   * {@code read-zarr.mjs}.
   */
  public static JsonNode read(Path store, String... arrays) throws IOException, InterruptedException {
    install();
    List<String> command = new ArrayList<>(List.of("node", installDir.resolve("read-zarr.mjs").toString(), store.toString()));
    command.addAll(List.of(arrays));
    Result r = run(installDir, 300, command.toArray(String[]::new));
    if (r.exit != 0) {
      fail("zarrita could not read " + store + " (exit " + r.exit + "):\n" + r.stderr);
    }
    return JSON.readTree(r.stdout);
  }

  /** JSON numbers printed by JavaScript from float32 values (widened to double, shortest form). */
  public static float[] floats(JsonNode values) {
    float[] f = new float[values.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values.get(i).doubleValue();
    }
    return f;
  }

  public static double[] doubles(JsonNode values) {
    double[] d = new double[values.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = values.get(i).doubleValue();
    }
    return d;
  }

  private static synchronized void install() throws IOException, InterruptedException {
    if (installDir != null) {
      return;
    }
    Path module = Path.of(System.getProperty("specus.root", "..")).toAbsolutePath().resolve("io-connectors");
    Path source = module.resolve("src/test/node");
    Path dir = module.resolve("target/zarrita");
    Files.createDirectories(dir);
    requireTool(dir, "node", "--version");
    requireTool(dir, npm(), "--version");
    boolean lockChanged = !sameContent(source.resolve("package-lock.json"), dir.resolve("package-lock.json"));
    for (String f : List.of("package.json", "package-lock.json", "read-zarr.mjs")) {
      Files.copy(source.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    if (lockChanged || !Files.exists(dir.resolve("node_modules/zarrita/package.json"))) {
      // npm ci installs exactly the locked versions and never rewrites the lock file.
      Result r = run(dir, 300, npm(), "ci", "--no-audit", "--no-fund");
      if (r.exit != 0) {
        fail("npm ci in " + dir + " failed (exit " + r.exit + "):\n" + r.stderr);
      }
    }
    installDir = dir;
  }

  private static final class Result {
    final int exit;
    final String stdout;
    final String stderr;

    Result(int exit, String stdout, String stderr) {
      this.exit = exit;
      this.stdout = stdout;
      this.stderr = stderr;
    }
  }

  private static String npm() {
    return System.getProperty("os.name").toLowerCase().startsWith("windows") ? "npm.cmd" : "npm";
  }

  private static void requireTool(Path dir, String exe, String arg) throws InterruptedException {
    try {
      Result r = run(dir, 60, exe, arg);
      if (r.exit != 0) {
        fail("'" + exe + " " + arg + "' failed (exit " + r.exit + "): " + r.stderr);
      }
    } catch (IOException e) {
      fail("'" + exe + "' is not on the PATH: the Zarr tests read stores with"
          + " zarrita and need Node.js (18+) and npm installed; " + e.getMessage());
    }
  }

  /** Runs a process; stdout and stderr go to files so neither pipe can fill and block it. */
  private static Result run(Path cwd, long timeoutSeconds, String... command)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("zarrita", ".out");
    Path err = Files.createTempFile("zarrita", ".err");
    try {
      Process p = new ProcessBuilder(command).directory(cwd.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static boolean sameContent(Path a, Path b) throws IOException {
    return Files.exists(b) && Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b));
  }
}
