package org.specus.io.spikeglx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.specus.io.RecordingException;

/**
 * The {@code key=value} lines of a SpikeGLX {@code .meta} file, with typed accessors whose errors
 * name the file and the key.
 *
 * <p>Keys are stored without SpikeGLX's {@code ~} prefix (which marks tables such as
 * {@code ~imroTbl}), because some tools rewrite meta files and drop it; {@code has("imroTbl")} and
 * {@code has("~imroTbl")} are the same question. This class knows the syntax only: what the keys
 * mean is {@link SpikeGlxChannels}' job.
 */
public final class SpikeGlxMeta {

  private final Path path;
  private final String fileName;
  private final byte[] bytes;
  private final Map<String, String> values;

  private SpikeGlxMeta(Path path, String fileName, byte[] bytes, Map<String, String> values) {
    this.path = path;
    this.fileName = fileName;
    this.bytes = bytes;
    this.values = values;
  }

  /** Reads and parses a {@code .meta} file. */
  public static SpikeGlxMeta read(Path metaFile) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(metaFile);
    } catch (NoSuchFileException e) {
      throw RecordingException.in(metaFile, "no such file");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + metaFile, e);
    }
    return parse(metaFile, String.valueOf(metaFile.getFileName()), bytes);
  }

  /** Parses the bytes of a {@code .meta} file; {@code fileName} is used in error messages. */
  public static SpikeGlxMeta parse(String fileName, byte[] bytes) {
    return parse(null, fileName, bytes);
  }

  private static SpikeGlxMeta parse(Path path, String fileName, byte[] bytes) {
    // Free-text keys (userNotes) may hold anything; malformed UTF-8 becomes U+FFFD, never an error.
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
      text = text.substring(1);
    }
    Map<String, String> values = new LinkedHashMap<>();
    String[] lines = text.split("\r\n|\r|\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw RecordingException.in(
            fileName, "line " + (i + 1) + " is not key=value: '" + abbreviate(line) + "'");
      }
      String key = stripTilde(line.substring(0, eq).strip());
      String value = line.substring(eq + 1).strip();
      if (values.put(key, value) != null) {
        throw RecordingException.in(fileName, "key '" + key + "' appears twice (line " + (i + 1) + ")");
      }
    }
    if (values.isEmpty()) {
      throw RecordingException.in(fileName, "empty metadata file");
    }
    return new SpikeGlxMeta(path, fileName, bytes, Collections.unmodifiableMap(values));
  }

  /** The file this was read from, or {@code null} when parsed from bytes. */
  public Path path() {
    return path;
  }

  public String fileName() {
    return fileName;
  }

  /** SHA-256 of the file's bytes, lower-case hex. */
  public String sha256() {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Keys in file order, without the {@code ~} prefix. */
  public Set<String> keys() {
    return values.keySet();
  }

  public boolean has(String key) {
    return values.containsKey(stripTilde(key));
  }

  public Optional<String> optString(String key) {
    return Optional.ofNullable(values.get(stripTilde(key)));
  }

  public String string(String key) {
    String v = values.get(stripTilde(key));
    if (v == null) {
      throw missing(key);
    }
    return v;
  }

  public int integer(String key) {
    return toInt(key, string(key));
  }

  public OptionalInt optInteger(String key) {
    return has(key) ? OptionalInt.of(integer(key)) : OptionalInt.empty();
  }

  public long longInteger(String key) {
    String v = string(key);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw notANumber(key, v, "an integer");
    }
  }

  public OptionalLong optLongInteger(String key) {
    return has(key) ? OptionalLong.of(longInteger(key)) : OptionalLong.empty();
  }

  /** A finite decimal number. */
  public double number(String key) {
    String v = string(key);
    double d;
    try {
      d = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw notANumber(key, v, "a number");
    }
    if (!Double.isFinite(d)) {
      throw notANumber(key, v, "a finite number");
    }
    return d;
  }

  public OptionalDouble optNumber(String key) {
    return has(key) ? OptionalDouble.of(number(key)) : OptionalDouble.empty();
  }

  /** A comma-separated list of integers such as {@code snsApLfSy=384,0,1}. */
  public int[] integers(String key) {
    String v = string(key);
    String[] parts = v.split(",", -1);
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Integer.parseInt(parts[i].strip());
      } catch (NumberFormatException e) {
        throw notANumber(key, v, "a comma-separated list of integers");
      }
    }
    return out;
  }

  /** Like {@link #integers} but requires exactly {@code n} values. */
  public int[] integers(String key, int n) {
    int[] v = integers(key);
    if (v.length != n) {
      throw error("key '" + key + "' value '" + abbreviate(string(key)) + "' should have " + n
          + " comma-separated values, has " + v.length);
    }
    return v;
  }

  /**
   * The parenthesised groups of a table value such as {@code (0,384)(0 0 0 500 250 1)...},
   * without their parentheses, header first; empty when the key is absent.
   */
  public Optional<List<String>> table(String key) {
    Optional<String> raw = optString(key);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    String v = raw.get();
    List<String> groups = new ArrayList<>();
    int i = 0;
    while (i < v.length()) {
      char c = v.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      if (c != '(') {
        throw error("table '~" + stripTilde(key) + "' is malformed at character " + i
            + ": expected '(' but found '" + c + "'");
      }
      int close = v.indexOf(')', i + 1);
      int nextOpen = v.indexOf('(', i + 1);
      if (close < 0 || (nextOpen >= 0 && nextOpen < close)) {
        throw error("table '~" + stripTilde(key) + "' is malformed at character " + i
            + ": unclosed '('");
      }
      groups.add(v.substring(i + 1, close).strip());
      i = close + 1;
    }
    if (groups.isEmpty()) {
      throw error("table '~" + stripTilde(key) + "' is empty");
    }
    return Optional.of(Collections.unmodifiableList(groups));
  }

  /** An exception whose message names this file. */
  public RecordingException error(String problem) {
    return RecordingException.in(fileName, problem);
  }

  RecordingException missing(String key) {
    return error("missing required key '" + stripTilde(key) + "'");
  }

  private int toInt(String key, String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw notANumber(key, v, "an integer");
    }
  }

  private RecordingException notANumber(String key, String value, String what) {
    return error("key '" + stripTilde(key) + "' value '" + abbreviate(value) + "' is not " + what);
  }

  static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  private static String stripTilde(String key) {
    return key.startsWith("~") ? key.substring(1) : key;
  }

  @Override
  public String toString() {
    return "SpikeGlxMeta[" + fileName + ", " + values.size() + " keys]";
  }
}
