package org.specus.io.zarr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Independent check: a store written by Specus is read by zarrita (npm), a separate implementation
 * of the Zarr v3 spec, and every value must match. Needs {@code node} and {@code npm} on the PATH;
 * zarrita is installed (pinned by {@code src/test/node/package-lock.json}) into {@code
 * target/zarrita} on the first run and reused afterwards.
 */
class ZarritaInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path installDir;

  @TempDir Path tmp;

  @BeforeAll
  static void installZarrita() throws IOException, InterruptedException {
    Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    Path source = module.resolve("src/test/node");
    installDir = module.resolve("target/zarrita");
    Files.createDirectories(installDir);
    requireTool("node", "--version");
    requireTool("npm", "--version");
    boolean lockChanged = !sameContent(source.resolve("package-lock.json"),
        installDir.resolve("package-lock.json"));
    for (String f : List.of("package.json", "package-lock.json", "read-zarr.mjs")) {
      Files.copy(source.resolve(f), installDir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    if (lockChanged || !Files.exists(installDir.resolve("node_modules/zarrita/package.json"))) {
      // npm ci installs exactly the locked versions and never rewrites the lock file.
      Result r = run(installDir, 300, npm(), "ci", "--no-audit", "--no-fund");
      if (r.exit != 0) {
        fail("npm ci in " + installDir + " failed (exit " + r.exit + "):\n" + r.stderr);
      }
    }
  }

  @Test
  void zarritaReadsWhatSpecusWrites() throws Exception {
    Path store = tmp.resolve("recording.zarr");
    Map<String, Object> rootAttrs = new LinkedHashMap<>();
    rootAttrs.put("sampling_frequency", 30000.123);
    rootAttrs.put("num_segments", 1);
    rootAttrs.put("probe", Map.of("name", "NP1.0", "contacts", List.of(1, 2, 3)));
    ZarrV3.writeGroup(store, rootAttrs);

    // Traces: 4 shards of 600 rows (4 inner chunks of 150); the last holds 313 rows, so inner
    // chunk 2 is partial (13 of 150 rows) and inner chunk 3 is empty in the index.
    ShardedArrayLayout layout = ShardedArrayLayout.of(2113, 6, 600, 150, ZarrDataType.FLOAT32);
    Random rnd = new Random(11);
    float[] traces = new float[2113 * 6];
    for (int i = 0; i < traces.length; i++) {
      traces[i] = (float) (rnd.nextGaussian() * 50);
    }
    Path tracesDir = store.resolve("traces_seg0");
    ZarrV3.writeShardedArrayMetadata(tracesDir, layout, Map.of("units", "uV"));
    for (long s = 0; s < layout.shardCount(); s++) {
      int valid = layout.rowsInShard(s);
      int from = (int) (s * 600 * 6);
      ShardWriter.writeShard(tracesDir, layout, s,
          Arrays.copyOfRange(traces, from, from + valid * 6), valid, false);
    }

    double[] gains = {2.34375, -0.1, Math.PI, 1e-12, 6.02e23, 0};
    ZarrV3.writeDoubleArray(store.resolve("properties/gain_to_uV"), gains, new long[] {6}, Map.of());
    int[] locations = {0, 20, 16, 20, 32, 40, 48, 40, 0, 60, Integer.MIN_VALUE, Integer.MAX_VALUE};
    ZarrV3.writeIntArray(store.resolve("properties/location"), locations, new long[] {6, 2},
        Map.of());
    ZarrV3.writeGroup(store.resolve("properties"), Map.of());
    String[] ids = {"AP0", "AP1", "AP2", "AP10", "ünï", ""};
    ZarrV3.writeStringArray(store.resolve("channel_ids"), ids, Map.of());

    Result r = run(installDir, 120, "node", installDir.resolve("read-zarr.mjs").toString(),
        store.toString(), "traces_seg0:590:1810", "properties/gain_to_uV",
        "properties/location", "channel_ids");
    if (r.exit != 0) {
      fail("zarrita could not read the store (exit " + r.exit + "):\n" + r.stderr);
    }
    JsonNode out = JSON.readTree(r.stdout);

    JsonNode attrs = out.at("/group/attrs");
    assertEquals(30000.123, attrs.get("sampling_frequency").doubleValue());
    assertEquals(1, attrs.get("num_segments").intValue());
    assertEquals("NP1.0", attrs.at("/probe/name").asText());
    assertEquals("[1,2,3]", attrs.at("/probe/contacts").toString());

    JsonNode t = out.at("/arrays/traces_seg0");
    assertEquals("[2113,6]", t.get("shape").toString());
    assertEquals("float32", t.get("dtype").asText());
    assertEquals("uV", t.at("/attrs/units").asText());
    assertArrayEquals(traces, floats(t.get("values")));
    JsonNode rows = t.get("rows");
    assertEquals("[1220,6]", rows.get("shape").toString());
    assertArrayEquals(Arrays.copyOfRange(traces, 590 * 6, 1810 * 6), floats(rows.get("values")));

    JsonNode g = out.at("/arrays/properties~1gain_to_uV");
    assertEquals("float64", g.get("dtype").asText());
    assertEquals("[6]", g.get("shape").toString());
    double[] gainsRead = new double[gains.length];
    for (int i = 0; i < gainsRead.length; i++) {
      gainsRead[i] = g.get("values").get(i).doubleValue();
    }
    assertArrayEquals(gains, gainsRead);

    JsonNode l = out.at("/arrays/properties~1location");
    assertEquals("int32", l.get("dtype").asText());
    assertEquals("[6,2]", l.get("shape").toString());
    int[] locRead = new int[locations.length];
    for (int i = 0; i < locRead.length; i++) {
      locRead[i] = l.get("values").get(i).intValue();
    }
    assertArrayEquals(locations, locRead);

    JsonNode c = out.at("/arrays/channel_ids");
    assertEquals("string", c.get("dtype").asText());
    List<String> idsRead = new ArrayList<>();
    c.get("values").forEach(v -> idsRead.add(v.asText()));
    assertEquals(List.of(ids), idsRead);
  }

  /** JSON numbers printed by JavaScript from float32 values (widened to double, shortest form). */
  private static float[] floats(JsonNode values) {
    float[] f = new float[values.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values.get(i).doubleValue();
    }
    return f;
  }

  // --------------------------------------------------------------------------- processes

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

  private static void requireTool(String tool, String arg) throws InterruptedException {
    String exe = tool.equals("npm") ? npm() : tool;
    try {
      Result r = run(installDir, 60, exe, arg);
      if (r.exit != 0) {
        fail("'" + exe + " " + arg + "' failed (exit " + r.exit + "): " + r.stderr);
      }
    } catch (IOException e) {
      fail("'" + exe + "' is not on the PATH. ZarritaInteropTest checks the Zarr writer against"
          + " zarrita and needs Node.js (18+) and npm installed; " + e.getMessage());
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
