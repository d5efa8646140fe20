package org.specus.io.openephys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.specus.io.ChoiceNeeded;
import org.specus.io.Recording;
import org.specus.io.RecordingException;
import org.specus.io.Summaries;
import org.specus.io.raw.InterleavedBinary;
import org.specus.io.raw.SampleType;

/**
 * One continuous stream of an Open Ephys "Binary" recording: {@code structure.oebin} (JSON) describes
 * the streams, each a {@code continuous/<folder>/continuous.dat} of interleaved little-endian int16
 * with {@code num_channels} values per sample; {@code bit_volts} (in the channel's {@code units}) turns
 * a count into a voltage. The processed channels are the headstage (neural) ones: {@code ADC*} and
 * {@code AUX*} channels are auxiliary, like SpikeGLX's sync word, and are skipped by the reader.
 *
 * <p>The recording is named by its {@code structure.oebin}, the folder holding it, or a stream's
 * {@code continuous.dat}; a file with several streams needs one chosen by name (the folder name such
 * as {@code Neuropix-PXI-100.0}, or GUI 0.6's {@code stream_name} such as {@code ProbeA-AP}).
 */
public final class OpenEphysRecording implements Recording {
  public static final String STRUCTURE = "structure.oebin";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path oebin;
  private final Stream1 stream;
  private final InterleavedBinary data;
  private final String guiVersion;
  private final String fingerprint;
  private final List<String> warnings;

  /** What {@code structure.oebin} says about one continuous stream. */
  record Stream1(String name, String folder, double rate, int storedChannels, List<String> names,
      double[] gains, int[] columns, List<String> skipped, boolean auxiliaryOnly) {}

  /**
   * A continuous stream as {@code structure.oebin} lists it, for choosing streams without reading
   * them.
   *
   * @param folder the stream's folder under {@code continuous/}, which holds its {@code continuous.dat}
   * @param auxiliaryOnly every channel is an ADC or AUX input (an NI-DAQ or analog-input stream)
   */
  public record ContinuousStream(String name, String folder, double rate, boolean auxiliaryOnly) {}

  private OpenEphysRecording(Path oebin, Stream1 stream, InterleavedBinary data, String guiVersion,
      String fingerprint, List<String> warnings) {
    this.oebin = oebin;
    this.stream = stream;
    this.data = data;
    this.guiVersion = guiVersion;
    this.fingerprint = fingerprint;
    this.warnings = warnings;
  }

  /** True for a {@code structure.oebin}, a folder holding one, or a {@code continuous.dat} of one. */
  public static boolean recognises(Path path) {
    String name = String.valueOf(path.getFileName());
    if (name.equals(STRUCTURE)) {
      return true;
    }
    if (Files.isDirectory(path)) {
      return Files.isRegularFile(path.resolve(STRUCTURE));
    }
    return name.equals("continuous.dat") && oebinOfDat(path) != null;
  }

  private static Path oebinOfDat(Path dat) {
    Path abs = dat.toAbsolutePath();
    Path stream = abs.getParent();
    Path cont = stream == null ? null : stream.getParent();
    Path rec = cont == null ? null : cont.getParent();
    return rec != null && Files.isRegularFile(rec.resolve(STRUCTURE)) ? rec.resolve(STRUCTURE) : null;
  }

  /**
   * Opens one stream.
   *
   * @param streamName the stream to read, or {@code null} when the file has only one (or the path is a
   *     {@code continuous.dat}, which names its stream)
   */
  public static OpenEphysRecording open(Path path, String streamName) {
    Path oebin = path;
    String wanted = streamName;
    if (Files.isDirectory(path)) {
      oebin = path.resolve(STRUCTURE);
      if (!Files.isRegularFile(oebin)) {
        List<Path> found = findAll(path);
        if (found.isEmpty()) {
          throw RecordingException.in(path, "no " + STRUCTURE + " in this folder or below");
        }
        if (found.size() > 1) {
          throw RecordingException.in(path, "holds " + found.size() + " Open Ephys recordings ("
              + String.join(", ", found.stream().map(p -> path.relativize(p.getParent()).toString()).toList())
              + "); give one recording's folder or " + STRUCTURE + " (specus info lists them)");
        }
        oebin = found.get(0);
      }
    } else if (String.valueOf(path.getFileName()).equals("continuous.dat")) {
      oebin = oebinOfDat(path);
      if (oebin == null) {
        throw RecordingException.in(path, "no " + STRUCTURE + " two folders up; not an Open Ephys stream");
      }
      if (wanted == null) {
        wanted = path.toAbsolutePath().getParent().getFileName().toString();
      }
    }
    if (!Files.isRegularFile(oebin)) {
      throw RecordingException.in(oebin, "no such file");
    }
    JsonNode root = parse(oebin);
    List<Stream1> streams = streams(oebin, root);
    Stream1 s = choose(oebin, streams, wanted);
    if (String.valueOf(path.getFileName()).equals("continuous.dat")) {
      // The file names its stream: a --stream naming another one would read a file the user did not give.
      String named = path.toAbsolutePath().getParent().getFileName().toString();
      if (!s.folder().equals(named)) {
        throw RecordingException.in(path, "is the data of stream " + named + ", but --stream asks for " + wanted
            + "; give the recording's folder or " + STRUCTURE + " with --stream, or this file alone");
      }
    }
    Path dat = oebin.resolveSibling("continuous").resolve(s.folder()).resolve("continuous.dat");
    if (!Files.isRegularFile(dat)) {
      throw RecordingException.in(oebin, "continuous[" + s.name() + "].folder_name names "
          + oebin.getParent().relativize(dat) + ", which does not exist");
    }
    InterleavedBinary data = InterleavedBinary.open(dat, SampleType.INT16, s.storedChannels(), s.columns(), 0,
        "size (" + STRUCTURE + " says num_channels=" + s.storedChannels() + ")");
    List<String> warnings = new ArrayList<>();
    if (!s.skipped().isEmpty()) {
      warnings.add("auxiliary channels not processed: " + String.join(", ", s.skipped()));
    }
    if (data.numSamples() == 0) {
      warnings.add(dat.getFileName() + ": no samples");
    }
    String fp = sha256(oebin) + ":" + s.folder() + ":" + data.sizeBytes();
    return new OpenEphysRecording(oebin, s, data, root.path("GUI version").asText("unknown"), fp,
        Collections.unmodifiableList(warnings));
  }

  /** Every {@code structure.oebin} below {@code root} (Record Node/experiment/recording), in path order. */
  public static List<Path> findAll(Path root) {
    try (Stream<Path> files = Files.walk(root, 5)) {
      return files.filter(p -> String.valueOf(p.getFileName()).equals(STRUCTURE)).sorted().toList();
    } catch (IOException e) {
      throw RecordingException.in(root, "cannot list (" + e.getMessage() + ")");
    }
  }

  /**
   * The continuous streams {@code oebin} lists, in its order.
   *
   * @throws RecordingException when it is not a readable {@code structure.oebin}
   */
  public static List<ContinuousStream> continuousStreams(Path oebin) {
    return streams(oebin, parse(oebin)).stream()
        .map(s -> new ContinuousStream(s.name(), s.folder(), s.rate(), s.auxiliaryOnly())).toList();
  }

  /**
   * One line per recording and stream below {@code root}, for {@code specus info} on a folder that
   * holds several experiments, recordings or record nodes.
   */
  public static List<String> catalog(Path root) {
    List<String> lines = new ArrayList<>();
    for (Path oebin : findAll(root)) {
      String where = root.relativize(oebin.getParent()).toString();
      try {
        for (Stream1 s : streams(oebin, parse(oebin))) {
          Path dat = oebin.resolveSibling("continuous").resolve(s.folder()).resolve("continuous.dat");
          String length;
          if (Files.isRegularFile(dat)) {
            long samples = Files.size(dat) / (2L * s.storedChannels());
            length = samples + " samples (" + String.format(Locale.ROOT, "%.3f", samples / s.rate()) + " s)";
          } else {
            length = "continuous.dat MISSING";
          }
          lines.add(where + "  stream " + s.name() + ": " + s.names().size() + " channels"
              + (s.skipped().isEmpty() ? "" : " (+" + s.skipped().size() + " auxiliary)") + " at "
              + Summaries.number(s.rate()) + " Hz, " + length);
        }
      } catch (RecordingException | IOException e) {
        lines.add(where + "  unreadable: " + e.getMessage());
      }
    }
    return lines;
  }

  private static JsonNode parse(Path oebin) {
    try {
      return JSON.readTree(oebin.toFile());
    } catch (IOException e) {
      throw RecordingException.in(oebin, "not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
    }
  }

  private static List<Stream1> streams(Path oebin, JsonNode root) {
    JsonNode cont = root.path("continuous");
    if (!cont.isArray() || cont.isEmpty()) {
      throw RecordingException.in(oebin, "no 'continuous' streams");
    }
    List<Stream1> out = new ArrayList<>();
    for (int i = 0; i < cont.size(); i++) {
      JsonNode s = cont.get(i);
      String field = "continuous[" + i + "]";
      String folder = text(oebin, s, "folder_name", field).replaceAll("/+$", "");
      String name = s.hasNonNull("stream_name") ? s.get("stream_name").asText() : folder;
      double rate = number(oebin, s, "sample_rate", field);
      if (!(rate > 0)) {
        throw RecordingException.in(oebin, field + ".sample_rate must be positive, got " + rate);
      }
      int n = (int) number(oebin, s, "num_channels", field);
      JsonNode chans = s.path("channels");
      if (!chans.isArray() || chans.size() != n) {
        throw RecordingException.in(oebin, field + ".channels lists " + (chans.isArray() ? chans.size() : 0)
            + " channels but num_channels is " + n);
      }
      List<String> names = new ArrayList<>();
      List<String> skipped = new ArrayList<>();
      List<Double> gains = new ArrayList<>();
      List<Integer> columns = new ArrayList<>();
      for (int c = 0; c < n; c++) {
        JsonNode ch = chans.get(c);
        String cf = field + ".channels[" + c + "]";
        String chName = text(oebin, ch, "channel_name", cf);
        String upper = chName.toUpperCase(Locale.ROOT);
        if (upper.startsWith("ADC") || upper.startsWith("AUX")) {
          skipped.add(chName);
          continue;
        }
        double bitVolts = number(oebin, ch, "bit_volts", cf);
        String units = ch.path("units").asText("uV");
        double toUv = switch (units) {
          case "uV", "µV" -> 1;
          case "mV" -> 1e3;
          case "V" -> 1e6;
          default -> throw RecordingException.in(oebin, cf + ".units '" + units + "' is not a voltage (uV, mV, V)");
        };
        names.add(chName);
        gains.add(bitVolts * toUv);
        columns.add(c);
      }
      boolean auxiliaryOnly = names.isEmpty();
      if (auxiliaryOnly) {
        // A stream of auxiliary channels only (e.g. an NI-DAQ): read them as they are.
        for (int c = 0; c < n; c++) {
          JsonNode ch = chans.get(c);
          names.add(ch.path("channel_name").asText("CH" + c));
          gains.add(ch.path("bit_volts").asDouble(1));
          columns.add(c);
        }
        skipped.clear();
      }
      out.add(new Stream1(name, folder, rate, n, List.copyOf(names),
          gains.stream().mapToDouble(Double::doubleValue).toArray(),
          columns.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(skipped), auxiliaryOnly));
    }
    return out;
  }

  private static Stream1 choose(Path oebin, List<Stream1> streams, String wanted) {
    List<String> names = streams.stream().map(Stream1::name).toList();
    if (wanted == null) {
      if (streams.size() == 1) {
        return streams.get(0);
      }
      throw new ChoiceNeeded(oebin, streams.size() + " continuous streams (" + String.join(", ", names)
          + "); choose one with --stream", "--stream", names);
    }
    for (Stream1 s : streams) {
      if (s.name().equals(wanted) || s.folder().equals(wanted)) {
        return s;
      }
    }
    throw RecordingException.in(oebin, "no continuous stream named '" + wanted + "' (streams: "
        + String.join(", ", names) + ")");
  }

  private static String text(Path oebin, JsonNode node, String key, String field) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull() || !v.isValueNode()) {
      throw RecordingException.in(oebin, field + "." + key + " is missing");
    }
    return v.asText();
  }

  private static double number(Path oebin, JsonNode node, String key, String field) {
    JsonNode v = node.get(key);
    if (v == null || !(v.isNumber() || v.isTextual())) {
      throw RecordingException.in(oebin, field + "." + key + " is missing");
    }
    try {
      return v.isNumber() ? v.asDouble() : Double.parseDouble(v.asText().trim());
    } catch (NumberFormatException e) {
      throw RecordingException.in(oebin, field + "." + key + " is not a number: '" + v.asText() + "'");
    }
  }

  private static String sha256(Path file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)))
          .substring(0, 32);
    } catch (IOException e) {
      throw RecordingException.in(file, "cannot read (" + e.getMessage() + ")");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The stream's {@code continuous.dat}. */
  @Override
  public Path path() {
    return data.file();
  }

  /** The {@code structure.oebin} the stream was read from. */
  public Path structureFile() {
    return oebin;
  }

  public String streamName() {
    return stream.name();
  }

  @Override
  public String format() {
    return "openephys";
  }

  @Override
  public double samplingRate() {
    return stream.rate();
  }

  @Override
  public long numSamples() {
    return data.numSamples();
  }

  @Override
  public int numChannels() {
    return stream.names().size();
  }

  @Override
  public List<String> channelIds() {
    return stream.names();
  }

  @Override
  public double[] gainToUv() {
    return stream.gains().clone();
  }

  /** Open Ephys binary files do not record contact positions in {@code structure.oebin}. */
  @Override
  public double[][] locations() {
    return null;
  }

  @Override
  public Map<String, String> summary() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("format", "Open Ephys binary (GUI " + guiVersion + ")");
    s.put("file", data.file().toString());
    s.put("structure", oebin.toString());
    s.put("stream", stream.name());
    s.put("channels", numChannels() + " processed"
        + (stream.skipped().isEmpty() ? "" : " + " + stream.skipped().size() + " auxiliary")
        + " (" + stream.storedChannels() + " stored)");
    s.put("sampling rate", Summaries.number(stream.rate()) + " Hz");
    s.put("samples", Long.toString(numSamples()));
    s.put("duration (s)", String.format(Locale.ROOT, "%.6f", durationSeconds()));
    s.put("µV per bit", Summaries.range(stream.gains()));
    s.put("geometry extent", "unknown");
    s.put("file size (bytes)", Long.toString(data.sizeBytes()));
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
    data.readInt16(start, end, dst);
  }

  @Override
  public void readFloat(long start, long end, float[] dst) throws IOException {
    data.readFloat(start, end, dst);
  }

  @Override
  public void close() throws IOException {
    data.close();
  }
}
