package org.specus.io.spikeglx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.specus.io.Recording;
import org.specus.io.RecordingException;
import org.specus.io.raw.InterleavedBinary;
import org.specus.io.raw.SampleType;

/**
 * A SpikeGLX {@code .bin} with its {@code .meta}: {@code nSavedChans} little-endian int16 words
 * per sample, interleaved, no header. The sample count comes from the real file size, not from
 * {@code fileSizeBytes}, which is wrong for files cut after recording.
 */
public final class SpikeGlxRecording implements Recording {

  private static final int BYTES_PER_WORD = 2;

  private final Path bin;
  private final SpikeGlxChannels channels;
  private final long binBytes;
  private final long numSamples;
  private final List<String> warnings;
  private final InterleavedBinary file;

  private SpikeGlxRecording(Path bin, SpikeGlxChannels channels, long binBytes, List<String> warnings,
      InterleavedBinary file) {
    this.bin = bin;
    this.channels = channels;
    this.binBytes = binBytes;
    this.numSamples = binBytes / frameBytes(channels);
    this.warnings = warnings;
    this.file = file;
  }

  /**
   * Opens a SpikeGLX recording given either its {@code .bin} or its {@code .meta}; the other must
   * be beside it with the same name.
   *
   * @throws RecordingException when a file is missing or the metadata is unusable
   * @throws IllegalArgumentException when the path is neither a {@code .bin} nor a {@code .meta}
   */
  public static SpikeGlxRecording open(Path binOrMeta) {
    Path bin = sibling(binOrMeta, ".bin");
    Path metaFile = sibling(binOrMeta, ".meta");
    if (!Files.isRegularFile(metaFile)) {
      if (Files.isRegularFile(bin)) {
        throw RecordingException.in(bin, "no metadata file " + metaFile.getFileName() + " beside it");
      }
      throw RecordingException.in(binOrMeta, "no such file");
    }
    SpikeGlxChannels channels = SpikeGlxChannels.of(SpikeGlxMeta.read(metaFile));
    if (!Files.isRegularFile(bin)) {
      throw RecordingException.in(metaFile, "no data file " + bin.getFileName() + " beside it");
    }
    long size;
    try {
      size = Files.size(bin);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the size of " + bin, e);
    }
    int frame = frameBytes(channels);
    if (size % frame != 0) {
      throw RecordingException.in(bin, "size " + size + " bytes is not a whole number of samples ("
          + channels.savedChannels() + " channels x " + BYTES_PER_WORD + " bytes)");
    }
    List<String> warnings = new ArrayList<>(channels.warnings());
    OptionalLong declared = channels.declaredFileSizeBytes();
    if (declared.isEmpty()) {
      warnings.add(metaFile.getFileName() + ": no fileSizeBytes (meta written while acquiring?); using the real size "
          + size + " bytes");
    } else if (declared.getAsLong() != size) {
      warnings.add(bin.getFileName() + ": size " + size + " bytes but the .meta says fileSizeBytes="
          + declared.getAsLong() + " (file cut or still being written?); using the real size: "
          + size / frame + " samples");
    }
    if (size == 0) {
      warnings.add(bin.getFileName() + ": no samples");
    }
    // the processed channels are the first numChannels() of each sample (see SpikeGlxChannels)
    InterleavedBinary file = InterleavedBinary.open(bin, SampleType.INT16, channels.savedChannels(),
        InterleavedBinary.allColumns(channels.numChannels()), 0, "size");
    return new SpikeGlxRecording(bin, channels, size, Collections.unmodifiableList(warnings), file);
  }

  /** {@code x.ap.bin} for {@code x.ap.meta} and the reverse; {@code path} itself for its own suffix. */
  static Path sibling(Path path, String suffix) {
    String name = String.valueOf(path.getFileName());
    String stem;
    if (name.endsWith(".bin")) {
      stem = name.substring(0, name.length() - ".bin".length());
    } else if (name.endsWith(".meta")) {
      stem = name.substring(0, name.length() - ".meta".length());
    } else {
      throw new IllegalArgumentException(path + ": not a SpikeGLX .bin or .meta file");
    }
    return path.resolveSibling(stem + suffix);
  }

  private static int frameBytes(SpikeGlxChannels channels) {
    return channels.savedChannels() * BYTES_PER_WORD;
  }

  /** The channel model this recording was opened with (the meta-only view). */
  public SpikeGlxChannels channels() {
    return channels;
  }

  @Override
  public Path path() {
    return bin;
  }

  @Override
  public String format() {
    return "spikeglx";
  }

  @Override
  public double samplingRate() {
    return channels.samplingRate();
  }

  @Override
  public long numSamples() {
    return numSamples;
  }

  @Override
  public int numChannels() {
    return channels.numChannels();
  }

  @Override
  public List<String> channelIds() {
    return channels.channelIds();
  }

  @Override
  public double[] gainToUv() {
    return channels.gainToUv();
  }

  @Override
  public double[][] locations() {
    return channels.locations();
  }

  @Override
  public List<String> warnings() {
    return warnings;
  }

  /** Shank of each channel, from the channel map (see {@link ProbeWiring#shanks}). */
  @Override
  public int[] channelGroups() {
    return ProbeWiring.shanks(channels.meta(), numChannels());
  }

  /** ADC sampling delay of each channel, from the probe type (see {@link ProbeWiring}). */
  @Override
  public double[] sampleShifts() {
    if (channels.probe() == null) {
      return null;
    }
    return ProbeWiring.sampleShifts(channels.probe(), channels.stream(),
        ProbeWiring.acquisitionIndex(channels.channelIds()));
  }

  /** {@code sha256(meta bytes):binSize}. */
  @Override
  public String fingerprint() {
    return channels.meta().sha256() + ":" + binBytes;
  }

  @Override
  public Map<String, String> summary() {
    SpikeGlxMeta meta = channels.meta();
    Map<String, String> s = new LinkedHashMap<>();
    s.put("format", "SpikeGLX " + channels.stream().label());
    s.put("file", bin.toString());
    ProbeType probe = channels.probe();
    s.put("probe type", probe == null ? "none (nidq)"
        : probe.label() + (probe.partNumber() == null ? "" : ", part number " + probe.partNumber()));
    int[] sync = channels.syncColumns();
    s.put("channels", numChannels() + " processed + " + sync.length + " sync (" + channels.savedChannels()
        + " saved)");
    s.put("sampling rate", number(samplingRate()) + " Hz");
    s.put("samples", Long.toString(numSamples));
    s.put("duration (s)", String.format(Locale.ROOT, "%.6f", durationSeconds()));
    double[] g = channels.gainToUv();
    double gMin = Arrays.stream(g).min().orElse(Double.NaN);
    double gMax = Arrays.stream(g).max().orElse(Double.NaN);
    s.put("µV per bit", gMin == gMax ? number(gMin) : number(gMin) + "–" + number(gMax));
    s.put("geometry extent", extent(channels.locations()));
    s.put("sync channel", sync.length == 0 ? "none"
        : Arrays.stream(sync).mapToObj(Integer::toString).collect(Collectors.joining(", ")));
    s.put("SpikeGLX version", meta.optString("appVersion").orElse("unknown"));
    meta.optString("fileSizeBytes").ifPresent(v -> s.put("fileSizeBytes in .meta", v));
    s.put("file size (bytes)", Long.toString(binBytes));
    return Collections.unmodifiableMap(s);
  }

  private static String extent(double[][] xy) {
    if (xy == null || xy.length == 0) {
      return "unknown";
    }
    double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY;
    double y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
    for (double[] p : xy) {
      x0 = Math.min(x0, p[0]);
      x1 = Math.max(x1, p[0]);
      y0 = Math.min(y0, p[1]);
      y1 = Math.max(y1, p[1]);
    }
    return "x " + number(x0) + "–" + number(x1) + " µm, y " + number(y0) + "–" + number(y1) + " µm";
  }

  // Shortest exact decimal: 2.34375 stays 2.34375, 30000.0 becomes 30000.
  static String number(double v) {
    if (!Double.isFinite(v)) {
      return String.valueOf(v);
    }
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  /**
   * Reads {@code [start, end)} through {@link InterleavedBinary} (positional, safe from several
   * threads at once, past the page cache where possible), keeping the processed columns, which
   * are the first {@code numChannels()} of each sample (see {@link SpikeGlxChannels}).
   */
  @Override
  public void readInt16(long start, long end, short[] dst) throws IOException {
    file.readInt16(start, end, dst);
  }

  /** The pipeline's read: the same samples converted to float (exactly), with no intermediate {@code short[]} span. */
  @Override
  public void readFloat(long start, long end, float[] dst) throws IOException {
    file.readFloat(start, end, dst);
  }

  @Override
  public void close() throws IOException {
    file.close();
  }

  @Override
  public String toString() {
    return "SpikeGlxRecording[" + bin.getFileName() + ", " + numChannels() + " ch, " + numSamples + " samples]";
  }
}
