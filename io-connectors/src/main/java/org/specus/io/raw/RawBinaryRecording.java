package org.specus.io.raw;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.stream.IntStream;
import org.specus.io.ReaderOptions;
import org.specus.io.Recording;
import org.specus.io.RecordingException;
import org.specus.io.Summaries;
import org.specus.io.npy.Npy;

/**
 * A headerless interleaved binary, as Kilosort reads and writes it ({@code temp_wh.dat},
 * {@code recording.dat}): the layout cannot be read from the file, so the sample type, channel count
 * and rate must be given ({@code --raw-dtype --raw-channels --raw-rate [--raw-offset]}). Values are
 * the stored ones; {@code --raw-gain} gives µV per value (default 1, i.e. unknown). Contact
 * positions come from an optional {@code [channels, 2]} {@code .npy} ({@code --raw-positions}), or
 * from a {@code channel_positions.npy} beside the file (what Kilosort and Specus's binary output
 * write) when there is one.
 */
public final class RawBinaryRecording implements Recording {
  private final InterleavedBinary data;
  private final double rate;
  private final int channels;
  private final double gain;
  private final double[][] locations;
  private final String positionsSource;
  private final String fingerprint;
  private final long offset;

  private RawBinaryRecording(InterleavedBinary data, double rate, int channels, double gain, double[][] locations,
      String positionsSource, String fingerprint, long offset) {
    this.data = data;
    this.rate = rate;
    this.channels = channels;
    this.gain = gain;
    this.locations = locations;
    this.positionsSource = positionsSource;
    this.fingerprint = fingerprint;
    this.offset = offset;
  }

  public static RawBinaryRecording open(Path file, ReaderOptions options) {
    List<String> missing = new ArrayList<>();
    if (options.rawDtype() == null) {
      missing.add("--raw-dtype");
    }
    if (options.rawChannels() == null) {
      missing.add("--raw-channels");
    }
    if (options.rawRate() == null) {
      missing.add("--raw-rate");
    }
    if (!missing.isEmpty()) {
      throw RecordingException.in(file, "a headerless binary needs its layout: give " + String.join(", ", missing)
          + " (and --raw-offset if it has a header)");
    }
    SampleType type = SampleType.parse(options.rawDtype());
    int n = options.rawChannels();
    long offset = options.rawOffset() == null ? 0 : options.rawOffset();
    InterleavedBinary data = InterleavedBinary.open(file, type, n, InterleavedBinary.allColumns(n), offset, "size");
    double[][] locations = null;
    String source = "none";
    Path positions = options.rawPositions() != null ? Path.of(options.rawPositions())
        : file.resolveSibling("channel_positions.npy");
    if (options.rawPositions() != null || Files.isRegularFile(positions)) {
      locations = readPositions(positions, n);
      source = positions.getFileName().toString();
    }
    double gain = options.rawGainToUv() == null ? 1.0 : options.rawGainToUv();
    // Gain and positions are part of what the input is: positions decide the neighbours of a local
    // reference or whitening, so a rerun with other positions must not reuse shards made with these.
    String fp = fingerprint(file, data.sizeBytes(), type.label() + ":" + n + ":" + options.rawRate() + ":" + offset
        + ":" + gain + ":" + Arrays.deepToString(locations));
    return new RawBinaryRecording(data, options.rawRate(), n, gain, locations, source, fp, offset);
  }

  private static double[][] readPositions(Path npy, int channels) {
    Npy.Array a = Npy.read(npy);
    if (a.shape().length != 2 || a.rows() != channels || a.cols() < 2) {
      throw RecordingException.in(npy, "positions must have shape (" + channels + ", 2), got "
          + Arrays.toString(a.shape()));
    }
    double[][] xy = new double[channels][];
    for (int i = 0; i < channels; i++) {
      xy[i] = new double[] {a.values()[i * a.cols()], a.values()[i * a.cols() + 1]};
    }
    return xy;
  }

  /** sha256 of the layout and the first MiB, with the size: cheap, and changes when the file does. */
  static String fingerprint(Path file, long size, String layout) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(layout.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      md.update(in.readNBytes(1 << 20));
      return HexFormat.of().formatHex(md.digest()).substring(0, 32) + ":" + size;
    } catch (IOException e) {
      throw RecordingException.in(file, "cannot read (" + e.getMessage() + ")");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Path path() {
    return data.file();
  }

  @Override
  public String format() {
    return "raw";
  }

  @Override
  public String storedType() {
    return data.type().label();
  }

  @Override
  public double samplingRate() {
    return rate;
  }

  @Override
  public long numSamples() {
    return data.numSamples();
  }

  @Override
  public int numChannels() {
    return channels;
  }

  /** {@code 0, 1, ...}: what SpikeInterface's binary reader names them. */
  @Override
  public List<String> channelIds() {
    return IntStream.range(0, channels).mapToObj(Integer::toString).toList();
  }

  @Override
  public double[] gainToUv() {
    double[] g = new double[channels];
    Arrays.fill(g, gain);
    return g;
  }

  @Override
  public double[][] locations() {
    return locations;
  }

  @Override
  public Map<String, String> summary() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("format", "raw binary (headerless, interleaved " + data.type().label() + ")");
    s.put("file", data.file().toString());
    s.put("channels", Integer.toString(channels));
    s.put("sampling rate", Summaries.number(rate) + " Hz");
    s.put("samples", Long.toString(numSamples()));
    s.put("duration (s)", String.format(Locale.ROOT, "%.6f", durationSeconds()));
    s.put("header offset (bytes)", Long.toString(offset));
    s.put("µV per value", Summaries.number(gain));
    s.put("positions", positionsSource);
    s.put("geometry extent", Summaries.extent(locations));
    s.put("file size (bytes)", Long.toString(data.sizeBytes()));
    return Collections.unmodifiableMap(s);
  }

  @Override
  public List<String> warnings() {
    List<String> w = new ArrayList<>();
    if (numSamples() == 0) {
      w.add(data.file().getFileName() + ": no samples");
    }
    return w;
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
