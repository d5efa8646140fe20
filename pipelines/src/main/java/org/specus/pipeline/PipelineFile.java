package org.specus.pipeline;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.specus.io.zarr.Compression;
import org.specus.io.zarr.ZarrV3Reader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a preprocessing configuration from a YAML pipeline file, or from the provenance of an
 * output Specus wrote ({@code specus preprocess --config OUT.zarr} re-runs what made OUT.zarr).
 *
 * <pre>
 * pipeline:                       # the operations, in order
 *   - op: highpass
 *     cutoff_hz: 300
 *     order: 3
 *   - op: common_reference
 *     reference: local            # global | group | local
 *   - whiten: {mode: local, nearest: 32}   # shorthand: the op name as the only key
 * tile_seconds: 1                 # optional, as the command line's defaults
 * compression: auto               # auto (none for float32, zstd for int16) | zstd | none
 * </pre>
 *
 * Every problem is one line naming the file, the line and the setting, found before any work
 * starts: unknown operations or parameters, wrong types, values a transform rejects.
 */
public final class PipelineFile {
  static final List<String> TOP_LEVEL =
      List.of("pipeline", "tile_seconds", "inner_chunk_samples", "zstd_level", "compression", "dtype", "format");

  private static final String[] COMPRESSIONS =
      Arrays.stream(Compression.values()).map(Compression::label).toArray(String[]::new);

  private PipelineFile() {}

  /** The configuration in {@code path}: a YAML file, or a Zarr output directory with Specus provenance. */
  public static PreprocessConfig read(Path path) {
    if (Files.isDirectory(path)) {
      return fromOutput(path);
    }
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException(path + ": no such configuration file");
    }
    try {
      return fromYaml(Files.readString(path, StandardCharsets.UTF_8), path.getFileName().toString());
    } catch (IOException e) {
      throw new IllegalArgumentException(path + ": cannot read the configuration: " + e.getMessage(), e);
    }
  }

  /** Parses YAML text; {@code name} is used in messages. */
  public static PreprocessConfig fromYaml(String text, String name) {
    Object value;
    Node root;
    try {
      Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
      value = yaml.load(text);
      root = yaml.compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      throw new IllegalArgumentException(name + " line " + (e.getProblemMark().getLine() + 1) + ": not valid YAML: "
          + e.getProblem());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(name + ": not valid YAML: " + e.getMessage());
    }
    if (!(value instanceof Map<?, ?> map) || !(root instanceof MappingNode rootNode)) {
      throw new IllegalArgumentException(name + ": expected a mapping with a 'pipeline' list of operations");
    }
    return fromMap(map, name, lines(rootNode));
  }

  /** Reads {@code provenance.configuration} from a Specus output's root attributes. */
  static PreprocessConfig fromOutput(Path dir) {
    Map<String, Object> attributes;
    try {
      attributes = ZarrV3Reader.readAttributes(dir);
    } catch (IOException e) {
      throw new IllegalArgumentException(dir + ": not a Zarr store Specus wrote (cannot read zarr.json: "
          + e.getMessage() + ")");
    }
    Object provenance = attributes.get("provenance");
    if (!(provenance instanceof Map<?, ?> p) || !(p.get("configuration") instanceof Map<?, ?> configuration)) {
      throw new IllegalArgumentException(dir + ": has no provenance.configuration to re-run");
    }
    return fromMap(configuration, dir.getFileName() + " provenance", Map.of());
  }

  /**
   * @param lines line of each node path ({@code "pipeline/2/order"}), when known
   */
  static PreprocessConfig fromMap(Map<?, ?> map, String name, Map<String, Integer> lines) {
    PreprocessConfig d = PreprocessConfig.defaults();
    for (Object k : map.keySet()) {
      if (!TOP_LEVEL.contains(String.valueOf(k))) {
        throw new IllegalArgumentException(at(name, lines, String.valueOf(k)) + ": unknown setting '" + k
            + "' (known: " + String.join(", ", TOP_LEVEL) + ")");
      }
    }
    if (!(map.get("pipeline") instanceof List<?> items)) {
      throw new IllegalArgumentException(at(name, lines, "pipeline") + ": 'pipeline' must be a list of operations"
          + (map.containsKey("pipeline") ? "" : " (it is missing)"));
    }
    List<OpSpec> ops = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      ops.add(op(items.get(i), name, lines, "pipeline/" + i, i + 1));
    }
    OpSpec top = new OpSpec("settings", castMap(map), name, topLines(lines));
    PipelineSpec pipeline = PipelineSpec.of(ops);
    try {
      return new PreprocessConfig(pipeline,
          top.number("tile_seconds", d.tileSeconds()),
          top.integer("inner_chunk_samples", d.innerChunkSamples()),
          top.integer("zstd_level", d.zstdLevel()),
          top.has("compression") ? top.choice("compression", d.compression(), COMPRESSIONS) : d.compression(),
          top.has("dtype") ? top.text("dtype", d.dtype()) : d.dtype(),
          top.has("format") ? top.text("format", d.format()) : d.format());
    } catch (IllegalArgumentException e) {
      throw e.getMessage().startsWith(name) ? e : new IllegalArgumentException(name + ": " + e.getMessage());
    }
  }

  private static OpSpec op(Object item, String name, Map<String, Integer> lines, String path, int number) {
    String source = at(name, lines, path);
    if (!(item instanceof Map<?, ?> m) || m.isEmpty()) {
      throw new IllegalArgumentException(source + ": operation " + number
          + " must be a mapping such as '- op: highpass' or '- highpass: {cutoff_hz: 300}'");
    }
    Map<String, Object> params;
    String op;
    String paramPath;
    if (m.containsKey("op")) {
      op = String.valueOf(m.get("op"));
      params = castMap(m);
      params.remove("op");
      paramPath = path;
    } else if (m.size() == 1 && (m.values().iterator().next() == null
        || m.values().iterator().next() instanceof Map)) {
      op = String.valueOf(m.keySet().iterator().next());
      Object inner = m.values().iterator().next();
      params = inner == null ? new LinkedHashMap<>() : castMap((Map<?, ?>) inner);
      paramPath = path + "/" + op;
    } else {
      throw new IllegalArgumentException(source + ": operation " + number + " has no 'op' (e.g. '- op: highpass')");
    }
    Map<String, Integer> paramLines = new HashMap<>();
    for (String k : params.keySet()) {
      Integer l = lines.get(paramPath + "/" + k);
      if (l != null) {
        paramLines.put(k, l);
      }
    }
    return new OpSpec(op, params, source, paramLines);
  }

  private static Map<String, Integer> topLines(Map<String, Integer> lines) {
    Map<String, Integer> top = new HashMap<>();
    for (String k : TOP_LEVEL) {
      if (lines.containsKey(k)) {
        top.put(k, lines.get(k));
      }
    }
    return top;
  }

  private static String at(String name, Map<String, Integer> lines, String path) {
    Integer line = lines.get(path);
    return line == null ? name : name + " line " + line;
  }

  private static Map<String, Object> castMap(Map<?, ?> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  /** Line (1-based) of every node, keyed by its path of mapping keys and list indices. */
  private static Map<String, Integer> lines(Node root) {
    Map<String, Integer> lines = new HashMap<>();
    walk(root, "", lines);
    return lines;
  }

  private static void walk(Node node, String path, Map<String, Integer> lines) {
    if (!path.isEmpty()) {
      lines.putIfAbsent(path, node.getStartMark().getLine() + 1);
    }
    if (node instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode key) {
          String p = path.isEmpty() ? key.getValue() : path + "/" + key.getValue();
          lines.put(p, key.getStartMark().getLine() + 1);
          walk(t.getValueNode(), p, lines);
        }
      }
    } else if (node instanceof SequenceNode s) {
      List<Node> items = s.getValue();
      for (int i = 0; i < items.size(); i++) {
        walk(items.get(i), path + "/" + i, lines);
      }
    }
  }

  /** The configuration as YAML, in the form {@link #fromYaml} reads. */
  public static String toYaml(PreprocessConfig config) {
    org.yaml.snakeyaml.DumperOptions o = new org.yaml.snakeyaml.DumperOptions();
    o.setDefaultFlowStyle(org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK);
    return new Yaml(o).dump(config.toMap());
  }
}
