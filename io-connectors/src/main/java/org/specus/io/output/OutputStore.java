package org.specus.io.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The life cycle of an output directory: claimed with an in-progress marker before any shard is
 * written, declared complete by a completion marker written last. A directory without the
 * completion marker never claims to hold a finished result, whatever else it contains.
 */
public final class OutputStore {
  public static final String COMPLETE = ".specus-complete.json";
  public static final String IN_PROGRESS = ".specus-in-progress.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private OutputStore() {}

  /** What a run is: if any part differs, the output holds a different result. */
  public record ResultKey(String configHash, String inputFingerprint, String softwareVersion)
      implements java.io.Serializable {
    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("config_hash", configHash);
      m.put("input_fingerprint", inputFingerprint);
      m.put("software_version", softwareVersion);
      return m;
    }

    static ResultKey from(Map<?, ?> m) {
      return new ResultKey(
          String.valueOf(m.get("config_hash")),
          String.valueOf(m.get("input_fingerprint")),
          String.valueOf(m.get("software_version")));
    }
  }

  /**
   * Makes {@code dir} ready for a run with {@code key}, or fails with a one-line message before any
   * work starts. An empty or missing directory, or one holding this same result (complete or not),
   * is accepted; anything else is refused.
   */
  public static void prepare(Path dir, ResultKey key) {
    try {
      if (Files.exists(dir)) {
        if (!Files.isDirectory(dir)) {
          throw new OutputException(dir + ": exists and is not a directory");
        }
        if (!isEmpty(dir)) {
          Path marker = Files.exists(dir.resolve(COMPLETE)) ? dir.resolve(COMPLETE) : dir.resolve(IN_PROGRESS);
          if (!Files.exists(marker)) {
            throw new OutputException(dir + ": is not empty and is not a Specus output; choose another path");
          }
          ResultKey existing = ResultKey.from(JSON.readValue(marker.toFile(), Map.class));
          if (!existing.equals(key)) {
            throw new OutputException(dir + ": already holds a different result (" + difference(existing, key)
                + "); choose another path or delete it");
          }
          // Same result: rerun in place. The old completion claim goes first, so that a crash
          // during the rerun cannot leave a directory that claims to be complete.
          Files.deleteIfExists(dir.resolve(COMPLETE));
          removeLeftoverTemporaries(dir);
        }
      } else {
        Files.createDirectories(dir);
      }
      writeAtomically(dir.resolve(IN_PROGRESS), key.toMap());
    } catch (AccessDeniedException e) {
      throw new OutputException(dir + ": cannot write the output directory (permission denied on " + e.getFile() + ")");
    } catch (FileSystemException e) {
      String reason = e.getReason() != null ? e.getReason() : "the file system refused";
      throw new OutputException(dir + ": cannot write the output directory (" + reason + " on " + e.getFile() + ")");
    } catch (IOException e) {
      throw new OutputException(dir + ": cannot prepare the output directory: " + e.getMessage());
    }
  }

  /** Declares {@code dir} complete: the last write of a run. */
  public static void markComplete(Path dir, ResultKey key, Map<String, Object> details) {
    Map<String, Object> marker = key.toMap();
    marker.putAll(details);
    try {
      writeAtomically(dir.resolve(COMPLETE), marker);
      Files.deleteIfExists(dir.resolve(IN_PROGRESS));
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot write the completion marker", e);
    }
  }

  public static boolean isComplete(Path dir) {
    return Files.isRegularFile(dir.resolve(COMPLETE));
  }

  private static String difference(ResultKey a, ResultKey b) {
    if (!a.configHash().equals(b.configHash())) {
      return "made with another configuration";
    }
    if (!a.inputFingerprint().equals(b.inputFingerprint())) {
      return "made from another input";
    }
    return "made by Specus " + a.softwareVersion();
  }

  /**
   * Half-written files of a run that crashed, or of a task attempt that a runner killed and retried
   * (a Flink TaskManager that died mid-write): never valid, and never renamed into place now.
   */
  public static void removeLeftoverTemporaries(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().contains(".tmp")).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  static void writeAtomically(Path target, Object value) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    JSON.writeValue(tmp.toFile(), value);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
