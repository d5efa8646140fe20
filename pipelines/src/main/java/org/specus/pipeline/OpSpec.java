package org.specus.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One operation of a pipeline as a person configured it: its name, its parameters, and where it
 * came from ({@code "pipeline.yaml line 4"}, {@code "--cmr"}), so that every error can say which
 * setting is wrong and where it was written.
 *
 * @param op operation name, e.g. {@code highpass}
 * @param params parameters as given (numbers, strings, booleans, lists), in the order given
 * @param source where the operation was written, for messages
 * @param lines line of each parameter in the file, when known
 */
public record OpSpec(String op, Map<String, Object> params, String source, Map<String, Integer> lines) {

  public OpSpec {
    params = new LinkedHashMap<>(params);
    lines = lines == null ? Map.of() : Map.copyOf(lines);
  }

  public static OpSpec of(String op, Map<String, Object> params, String source) {
    return new OpSpec(op, params, source, Map.of());
  }

  /** {@code "pipeline.yaml line 7, whiten.radius_um"}: where a parameter was written. */
  public String where(String key) {
    Integer line = lines.get(key);
    String at = line == null ? source : source.replaceFirst(" line \\d+$", "") + " line " + line;
    return at + ", " + op + "." + key;
  }

  public IllegalArgumentException error(String key, String message) {
    return new IllegalArgumentException(where(key) + ": " + message);
  }

  public boolean has(String key) {
    return params.containsKey(key) && params.get(key) != null;
  }

  public double number(String key, double def) {
    Object v = params.get(key);
    if (v == null) {
      return def;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(v.toString().strip());
    } catch (NumberFormatException e) {
      throw error(key, "expected a number, got '" + v + "'");
    }
  }

  public int integer(String key, int def) {
    double d = number(key, def);
    if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
      throw error(key, "expected a whole number, got " + params.get(key));
    }
    return (int) d;
  }

  public long longInteger(String key, long def) {
    double d = number(key, def);
    if (d != Math.rint(d)) {
      throw error(key, "expected a whole number, got " + params.get(key));
    }
    return (long) d;
  }

  public String text(String key, String def) {
    Object v = params.get(key);
    return v == null ? def : v.toString().strip().toLowerCase(Locale.ROOT);
  }

  /** One of {@code allowed} (case-insensitive). */
  public String choice(String key, String def, String... allowed) {
    String v = text(key, def);
    for (String a : allowed) {
      if (a.equals(v)) {
        return v;
      }
    }
    throw error(key, "must be one of " + String.join(", ", allowed) + ", got '" + params.get(key) + "'");
  }

  public boolean flag(String key, boolean def) {
    Object v = params.get(key);
    if (v == null) {
      return def;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    return switch (v.toString().strip().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw error(key, "expected true or false, got '" + v + "'");
    };
  }

  /** A list of strings, given as a YAML list or a comma-separated string. */
  public List<String> strings(String key) {
    Object v = params.get(key);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (v instanceof List<?> list) {
      list.forEach(o -> out.add(String.valueOf(o).strip()));
    } else {
      for (String s : v.toString().split(",")) {
        if (!s.isBlank()) {
          out.add(s.strip());
        }
      }
    }
    return out;
  }
}
