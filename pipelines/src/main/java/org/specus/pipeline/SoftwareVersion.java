package org.specus.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The version recorded in every output, so a rerun can tell whether it is current: Maven's version
 * plus a digest of Specus's own compiled classes, e.g. {@code 0.1.0-SNAPSHOT+3f9a1c0e2b7d}.
 *
 * <p>A snapshot version number says nothing about the code: two builds of {@code 0.1.0-SNAPSHOT}
 * can compute different results, and batch reprocessing would then keep outdated outputs. The
 * digest covers exactly the code that computes results (the classes of io-connectors, transforms
 * and pipelines, by name and content), so it changes with any change to them, committed or not,
 * and not with anything else.
 */
public final class SoftwareVersion {
  /** One class from each module whose code decides the output. */
  private static final Class<?>[] MODULES = {
    org.specus.io.Recording.class, org.specus.dsp.Sos.class, SoftwareVersion.class
  };

  private static volatile String cached;

  private SoftwareVersion() {}

  public static String get() {
    String v = cached;
    if (v == null) {
      v = mavenVersion() + "+" + codeDigest();
      cached = v;
    }
    return v;
  }

  private static String mavenVersion() {
    try (InputStream in = SoftwareVersion.class.getResourceAsStream("/org/specus/version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String codeDigest() {
    // Sorted by class name so that the digest does not depend on how the classes are packaged
    // (class directories for ./specus and the tests, a shaded jar on a Flink cluster).
    TreeMap<String, byte[]> classes = new TreeMap<>();
    for (Class<?> c : MODULES) {
      CodeSource source = c.getProtectionDomain().getCodeSource();
      if (source == null) {
        return "unknown";
      }
      try {
        Path location = Path.of(source.getLocation().toURI());
        if (Files.isDirectory(location)) {
          collectDirectory(location, classes);
        } else {
          collectJar(location, classes);
        }
      } catch (IOException | URISyntaxException e) {
        return "unknown";
      }
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, byte[]> e : classes.entrySet()) {
        sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
        sha.update(e.getValue());
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void collectDirectory(Path root, Map<String, byte[]> classes) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(SoftwareVersion::isSpecusClass).toList()) {
        classes.put(root.relativize(f).toString().replace('\\', '/'), readAll(f));
      }
    }
  }

  private static void collectJar(Path jar, Map<String, byte[]> classes) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      for (JarEntry e : file.stream().toList()) {
        if (e.getName().startsWith("org/specus/") && e.getName().endsWith(".class")) {
          try (InputStream in = file.getInputStream(e)) {
            classes.put(e.getName(), in.readAllBytes());
          }
        }
      }
    }
  }

  private static boolean isSpecusClass(Path f) {
    String s = f.toString().replace('\\', '/');
    return s.contains("org/specus/") && s.endsWith(".class");
  }

  private static byte[] readAll(Path f) {
    try {
      return Files.readAllBytes(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
