package org.specus.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.specus.cli.Main;
import org.specus.io.output.OutputStore;
import org.specus.pipeline.SpecusJvm;

/** Running {@code specus batch} in this JVM or as a child process, and checking what it wrote. */
final class BatchFixtures {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BatchFixtures() {}

  record Run(int code, String out, String err) {}

  /** {@code specus batch ARGS} in this JVM, with stdout and stderr captured. */
  static Run batch(String... args) {
    List<String> all = new ArrayList<>(List.of("batch"));
    all.addAll(List.of(args));
    return specus(all.toArray(String[]::new));
  }

  /** {@code specus ARGS} in this JVM, with stdout and stderr captured. */
  static synchronized Run specus(String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    StringWriter cliErr = new StringWriter();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = Main.execute(new PrintWriter(cliErr, true), args);
      return new Run(code, out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8) + cliErr);
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  /** {@code specus batch ARGS} as a separate JVM, output to {@code log}. */
  static Process batchProcess(Path log, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("batch"));
    command.addAll(List.of(args));
    return new ProcessBuilder(SpecusJvm.command(List.of("-Xmx640m"), command.toArray(String[]::new)))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> readJson(Path file) throws Exception {
    return JSON.readValue(file.toFile(), Map.class);
  }

  /** The report's rows by relative input path. */
  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> rows(Map<String, Object> report) {
    Map<String, Map<String, Object>> byInput = new LinkedHashMap<>();
    for (Object row : (List<Object>) report.get("recordings")) {
      Map<String, Object> r = (Map<String, Object>) row;
      byInput.put((String) r.get("input"), r);
    }
    return byInput;
  }

  /** The JSON reports under {@code out}'s default report folder. */
  static List<Path> defaultReports(Path out) throws Exception {
    try (Stream<Path> files = Files.list(out.resolve(BatchRunner.REPORTS))) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }

  /** Every file's bytes under {@code dir}, by relative path. */
  static Map<String, byte[]> files(Path dir) throws Exception {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(f).toString(), Files.readAllBytes(f));
      }
    }
    return files;
  }

  /**
   * Asserts that two outputs hold the same files with the same bytes, except the completion
   * marker's timestamp (the only thing that says when a run ended).
   */
  @SuppressWarnings("unchecked")
  static void assertSameOutput(Path expected, Path actual) throws Exception {
    Map<String, byte[]> a = files(expected);
    Map<String, byte[]> b = files(actual);
    assertEquals(a.keySet(), b.keySet(), "the same files");
    for (String name : a.keySet()) {
      if (name.equals(OutputStore.COMPLETE)) {
        Map<String, Object> ma = JSON.readValue(a.get(name), Map.class);
        Map<String, Object> mb = JSON.readValue(b.get(name), Map.class);
        ma.remove("completed_at");
        mb.remove("completed_at");
        assertEquals(ma, mb, name);
      } else {
        assertArrayEquals(a.get(name), b.get(name), name + " differs");
      }
    }
  }
}
