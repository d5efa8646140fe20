package org.specus.io.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.specus.io.Recording;
import org.specus.io.RecordingException;
import org.specus.io.Summaries;

/**
 * A recording stored in SpikeInterface's Zarr layout, so that preprocessed data can be processed
 * again: Specus's own Zarr v3 output, or the Zarr v2 stores SpikeInterface (and Specus's
 * {@code zarr-v2} output) write. Root attribute {@code sampling_frequency}; array {@code traces_seg0}
 * {@code [samples, channels]}; {@code channel_ids}; optional {@code properties/gain_to_uV} (default 1)
 * and {@code properties/location}. Values are the stored ones. Only segment 0 is read. int16
 * traces are read as stored by {@link #readInt16} (no detour through float). Each reading thread keeps
 * the last two decoded chunks (Zarr v3: inner chunks; see {@link ZarrV3Reader} and
 * {@link ZarrV2Reader}), and reads convert straight into the caller's array; {@link #close} frees
 * them.
 */
public final class ZarrRecording implements Recording {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads rows of the traces array. */
  private final Path root;
  private final int version;
  private final double rate;
  private final long numSamples;
  private final int numChannels;
  private final List<String> ids;
  private final double[] gain;
  private final double[][] locations;
  private final String dtype;
  private final TraceRows traces;
  private final List<String> warnings;
  private final String fingerprint;

  private ZarrRecording(Path root, int version, double rate, long numSamples, int numChannels, List<String> ids,
      double[] gain, double[][] locations, String dtype, TraceRows traces, List<String> warnings, String fingerprint) {
    this.root = root;
    this.version = version;
    this.rate = rate;
    this.numSamples = numSamples;
    this.numChannels = numChannels;
    this.ids = ids;
    this.gain = gain;
    this.locations = locations;
    this.dtype = dtype;
    this.traces = traces;
    this.warnings = warnings;
    this.fingerprint = fingerprint;
  }

  /** True for a directory holding Zarr v3 ({@code zarr.json}) or v2 ({@code .zgroup}) root metadata. */
  public static boolean recognises(Path dir) {
    return Files.isDirectory(dir) && (Files.isRegularFile(dir.resolve(ZarrV3.METADATA_FILE))
        || Files.isRegularFile(dir.resolve(".zgroup")) || Files.isRegularFile(dir.resolve(".zattrs")));
  }

  public static ZarrRecording open(Path root) {
    if (!Files.isDirectory(root)) {
      throw RecordingException.in(root, "no such Zarr directory");
    }
    try {
      if (Files.isRegularFile(root.resolve(ZarrV3.METADATA_FILE))) {
        return openV3(root);
      }
      if (Files.isRegularFile(root.resolve(".zgroup")) || Files.isRegularFile(root.resolve(".zattrs"))) {
        return openV2(root);
      }
    } catch (IOException e) {
      throw RecordingException.in(root, "cannot read the store (" + e.getMessage() + ")");
    } catch (IllegalArgumentException e) {
      throw RecordingException.in(root, e.getMessage());
    }
    throw RecordingException.in(root, "neither zarr.json (v3) nor .zgroup (v2): not a Zarr store");
  }

  private static ZarrRecording openV3(Path root) throws IOException {
    Map<String, Object> attrs = ZarrV3Reader.readAttributes(root);
    double rate = rate(root.resolve(ZarrV3.METADATA_FILE), attrs.get("sampling_frequency"));
    Path tracesDir = root.resolve("traces_seg0");
    if (!Files.isRegularFile(tracesDir.resolve(ZarrV3.METADATA_FILE))) {
      throw RecordingException.in(root, "traces_seg0 is missing");
    }
    ZarrV3Reader t = ZarrV3Reader.open(tracesDir);
    long[] shape = t.shape();
    checkShape(tracesDir.resolve(ZarrV3.METADATA_FILE), shape);
    int ch = Math.toIntExact(shape[1]);
    List<String> warnings = new ArrayList<>(segmentWarnings(attrs));
    List<String> ids = ids(root, ch, () -> Files.isDirectory(root.resolve("channel_ids"))
        ? List.of(ZarrV3Reader.open(root.resolve("channel_ids")).readStrings()) : null);
    double[] gain = Files.isDirectory(root.resolve("properties/gain_to_uV"))
        ? ZarrV3Reader.open(root.resolve("properties/gain_to_uV")).readDoubles() : null;
    double[] loc = Files.isDirectory(root.resolve("properties/location"))
        ? ZarrV3Reader.open(root.resolve("properties/location")).readDoubles() : null;
    String dtype = t.dataTypeName();
    if (!List.of("float32", "int16", "float64").contains(dtype)) {
      throw RecordingException.in(tracesDir.resolve(ZarrV3.METADATA_FILE), "data_type " + dtype
          + " is not read (float32, float64, int16)");
    }
    return new ZarrRecording(root, 3, rate, shape[0], ch, ids, gain(root, gain, ch, warnings), locations(root, loc, ch),
        dtype, t, Collections.unmodifiableList(warnings), fingerprint(root, tracesDir.resolve(ZarrV3.METADATA_FILE)));
  }

  private static ZarrRecording openV2(Path root) throws IOException {
    Path zattrs = root.resolve(".zattrs");
    Map<String, Object> attrs = Files.isRegularFile(zattrs)
        ? JSON.convertValue(JSON.readTree(zattrs.toFile()), Map.class) : Map.of();
    double rate = rate(zattrs, attrs.get("sampling_frequency"));
    Path tracesDir = root.resolve("traces_seg0");
    if (!Files.isRegularFile(tracesDir.resolve(".zarray"))) {
      throw RecordingException.in(root, "traces_seg0/.zarray is missing");
    }
    ZarrV2Reader t = ZarrV2Reader.open(tracesDir);
    long[] shape = t.shape();
    checkShape(tracesDir.resolve(".zarray"), shape);
    int ch = Math.toIntExact(shape[1]);
    List<String> warnings = new ArrayList<>(segmentWarnings(attrs));
    List<String> ids = ids(root, ch, () -> {
      if (!Files.isDirectory(root.resolve("channel_ids"))) {
        return null;
      }
      ZarrV2Reader r = ZarrV2Reader.open(root.resolve("channel_ids"));
      if (r.dtype().startsWith("U")) {
        return List.of(r.readStrings());
      }
      return Arrays.stream(r.readDoubles()).mapToObj(v -> Long.toString((long) v)).toList();
    });
    double[] gain = Files.isDirectory(root.resolve("properties/gain_to_uV"))
        ? ZarrV2Reader.open(root.resolve("properties/gain_to_uV")).readDoubles() : null;
    double[] loc = Files.isDirectory(root.resolve("properties/location"))
        ? ZarrV2Reader.open(root.resolve("properties/location")).readDoubles() : null;
    return new ZarrRecording(root, 2, rate, shape[0], ch, ids, gain(root, gain, ch, warnings), locations(root, loc, ch),
        numpyName(t.dtype()), t, Collections.unmodifiableList(warnings), fingerprint(root, tracesDir.resolve(".zarray")));
  }

  /** {@code i2} is {@code int16}, {@code f4} {@code float32}: the names the v3 stores and the other readers use. */
  private static String numpyName(String v2) {
    return switch (v2) {
      case "i2" -> "int16";
      case "i4" -> "int32";
      case "u2" -> "uint16";
      case "f4" -> "float32";
      case "f8" -> "float64";
      default -> v2;
    };
  }

  private interface IdSource {
    List<String> get() throws IOException;
  }

  private static List<String> ids(Path root, int ch, IdSource source) throws IOException {
    List<String> ids = source.get();
    if (ids == null) {
      List<String> gen = new ArrayList<>();
      for (int c = 0; c < ch; c++) {
        gen.add(Integer.toString(c));
      }
      return gen;
    }
    if (ids.size() != ch) {
      throw RecordingException.in(root, "channel_ids has " + ids.size() + " ids for " + ch + " channels in traces_seg0");
    }
    return List.copyOf(ids);
  }

  private static double[] gain(Path root, double[] gain, int ch, List<String> warnings) {
    if (gain == null) {
      warnings.add("no properties/gain_to_uV: values are taken as µV");
      double[] g = new double[ch];
      Arrays.fill(g, 1.0);
      return g;
    }
    if (gain.length != ch) {
      throw RecordingException.in(root, "properties/gain_to_uV has " + gain.length + " values for " + ch + " channels");
    }
    return gain;
  }

  private static double[][] locations(Path root, double[] flat, int ch) {
    if (flat == null) {
      return null;
    }
    if (flat.length < 2 * ch || flat.length % ch != 0) {
      throw RecordingException.in(root, "properties/location has " + flat.length + " values for " + ch + " channels");
    }
    int dims = flat.length / ch;
    double[][] xy = new double[ch][];
    for (int c = 0; c < ch; c++) {
      xy[c] = new double[] {flat[c * dims], flat[c * dims + 1]};
    }
    return xy;
  }

  private static void checkShape(Path meta, long[] shape) {
    if (shape.length != 2) {
      throw RecordingException.in(meta, "traces_seg0 shape " + Arrays.toString(shape)
          + " is not [samples, channels]");
    }
  }

  private static List<String> segmentWarnings(Map<String, Object> attrs) {
    Object n = attrs.get("num_segments");
    if (n instanceof Number num && num.intValue() > 1) {
      return List.of("the store has " + num + " segments; only segment 0 (traces_seg0) is read");
    }
    return List.of();
  }

  private static double rate(Path file, Object value) {
    if (!(value instanceof Number n) || !(n.doubleValue() > 0)) {
      throw RecordingException.in(file, "root attribute sampling_frequency is missing or not a positive number ("
          + value + ")");
    }
    return n.doubleValue();
  }

  private static String fingerprint(Path root, Path tracesMeta) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(Files.readAllBytes(tracesMeta));
      for (String marker : List.of(".specus-complete.json", ZarrV3.METADATA_FILE, ".zattrs")) {
        if (Files.isRegularFile(root.resolve(marker))) {
          md.update(Files.readAllBytes(root.resolve(marker)));
        }
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Path path() {
    return root;
  }

  @Override
  public String format() {
    return "zarr";
  }

  @Override
  public String storedType() {
    return dtype;
  }

  @Override
  public double samplingRate() {
    return rate;
  }

  @Override
  public long numSamples() {
    return numSamples;
  }

  @Override
  public int numChannels() {
    return numChannels;
  }

  @Override
  public List<String> channelIds() {
    return ids;
  }

  @Override
  public double[] gainToUv() {
    return gain.clone();
  }

  @Override
  public double[][] locations() {
    return locations;
  }

  @Override
  public Map<String, String> summary() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("format", "Zarr v" + version + " (SpikeInterface layout)");
    s.put("file", root.toString());
    s.put("stored type", dtype);
    s.put("channels", Integer.toString(numChannels));
    s.put("sampling rate", Summaries.number(rate) + " Hz");
    s.put("samples", Long.toString(numSamples));
    s.put("duration (s)", String.format(Locale.ROOT, "%.6f", durationSeconds()));
    s.put("µV per value", Summaries.range(gain));
    s.put("geometry extent", Summaries.extent(locations));
    return Collections.unmodifiableMap(s);
  }

  @Override
  public List<String> warnings() {
    return warnings;
  }

  @Override
  public String fingerprint() {
    return fingerprint;
  }

  @Override
  public void readInt16(long start, long end, short[] dst) throws IOException {
    if (!dtype.equals("int16")) {
      throw new UnsupportedOperationException(root.getFileName() + " holds " + dtype + "; read it as float");
    }
    checkRange(start, end);
    if (end > start) {
      traces.readShorts(start, Math.toIntExact(end - start), dst);
    }
  }

  @Override
  public void readFloat(long start, long end, float[] dst) throws IOException {
    checkRange(start, end);
    if (end > start) {
      traces.readFloats(start, Math.toIntExact(end - start), dst);
    }
  }

  private void checkRange(long start, long end) {
    Recording.checkRange(start, end, numSamples, String.valueOf(root.getFileName()));
  }

  /** Frees the decoded chunks the readers keep per thread. */
  @Override
  public void close() {
    traces.dropRecentChunks();
  }
}
