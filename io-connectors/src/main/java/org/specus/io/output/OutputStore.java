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

    /** What changed from this (older) key to {@code now}, e.g. {@code configuration changed (a -> b)}. */
    public String changesTo(ResultKey now) {
      java.util.List<String> changes = new java.util.ArrayList<>();
      if (!configHash.equals(now.configHash)) {
        changes.add("configuration changed (" + configHash + " -> " + now.configHash + ")");
      }
      if (!inputFingerprint.equals(now.inputFingerprint)) {
        changes.add("input changed");
      }
      if (!softwareVersion.equals(now.softwareVersion)) {
        changes.add("software version changed (" + softwareVersion + " -> " + now.softwareVersion + ")");
      }
      return changes.isEmpty() ? "unchanged" : String.join(", ", changes);
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
        }
        removeLeftoverTemporaries(dir);
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

  /** What an output path holds, as far as Specus is concerned. */
  public enum State {
    /** Missing, or an empty directory: free to use. */
    ABSENT,
    /** A finished result, whose key says what it is. */
    COMPLETE,
    /** A run of the keyed result started here and did not finish (it may still be running). */
    IN_PROGRESS,
    /** Something that is not a Specus output (a file, or a directory without markers): never touched. */
    FOREIGN
  }

  /** An output path's state and, for {@code COMPLETE} and {@code IN_PROGRESS}, the result's key. */
  public record Existing(State state, ResultKey key) {}

  /** Looks at {@code dir} without changing anything. */
  public static Existing inspect(Path dir) {
    try {
      if (!Files.exists(dir)) {
        return new Existing(State.ABSENT, null);
      }
      if (!Files.isDirectory(dir)) {
        return new Existing(State.FOREIGN, null);
      }
      if (Files.exists(dir.resolve(COMPLETE))) {
        return new Existing(State.COMPLETE, readKey(dir.resolve(COMPLETE)));
      }
      if (Files.exists(dir.resolve(IN_PROGRESS))) {
        return new Existing(State.IN_PROGRESS, readKey(dir.resolve(IN_PROGRESS)));
      }
      return new Existing(isEmpty(dir) ? State.ABSENT : State.FOREIGN, null);
    } catch (IOException e) {
      throw new OutputException(dir + ": cannot read the output's markers: " + e.getMessage());
    }
  }

  /**
   * As {@link #prepare}, except that an output holding a different result (complete or not) is
   * replaced rather than refused: what batch reprocessing wants when the configuration, the input
   * or the software changed. Returns what changed, or {@code null} if nothing had to be replaced.
   * Anything that is not a Specus output is still refused.
   *
   * <p>Crash-safe: while the old result is cleared, the directory carries an in-progress marker with
   * the old key, so at every moment it either still claims the old complete result with all its
   * files, or holds part of an outdated, incomplete one (which the next run clears again), or is
   * empty. Old shards never sit under a marker of the new key, so a resumed run cannot keep them.
   */
  public static String prepareReplacing(Path dir, ResultKey key) {
    Existing existing = inspect(dir);
    String changed = null;
    if ((existing.state() == State.COMPLETE || existing.state() == State.IN_PROGRESS)
        && !existing.key().equals(key)) {
      changed = existing.key().changesTo(key);
      try {
        clear(dir, existing.key());
      } catch (IOException e) {
        throw new OutputException(dir + ": cannot clear the outdated output: " + e.getMessage());
      }
    }
    prepare(dir, key);
    return changed;
  }

  private static void clear(Path dir, ResultKey old) throws IOException {
    Path inProgress = dir.resolve(IN_PROGRESS);
    writeAtomically(inProgress, old.toMap());
    Files.deleteIfExists(dir.resolve(COMPLETE));
    try (Stream<Path> files = Files.walk(dir)) {
      // Deepest first, so that each directory is empty when its turn comes.
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        if (!f.equals(dir) && !f.equals(inProgress)) {
          Files.deleteIfExists(f);
        }
      }
    }
    Files.deleteIfExists(inProgress);
  }

  private static ResultKey readKey(Path marker) throws IOException {
    try {
      return ResultKey.from(JSON.readValue(marker.toFile(), Map.class));
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IOException(marker + " is not valid JSON (" + e.getOriginalMessage() + ")");
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

  /**
   * Empty but for a marker's temporary: a run writes {@code IN_PROGRESS.tmp} into the directory it
   * has just created and then renames it, so another process (or a crash) can catch the directory
   * in between. Such a directory is a Specus output being claimed, not someone else's files.
   */
  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(f -> f.getFileName().toString()).allMatch(OutputStore::isMarkerTemporary);
    }
  }

  private static boolean isMarkerTemporary(String name) {
    return name.equals(IN_PROGRESS + ".tmp") || name.equals(COMPLETE + ".tmp");
  }

  static void writeAtomically(Path target, Object value) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    JSON.writeValue(tmp.toFile(), value);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
