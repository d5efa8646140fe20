package org.specus.io.mef3;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.specus.io.Recording;
import org.specus.io.RecordingException;
import org.specus.io.Summaries;

/**
 * A MEF 3.0 session ({@code <name>.mefd}: one {@code .timd} folder per channel, each in one or more
 * {@code .segd} segments of RED-compressed int32 counts), as written by meflib, pymef and mef3io.
 *
 * <p>Channels are in natural name order ({@code ch2} before {@code ch10}). A session whose
 * channels are sampled at several rates is read one {@link RateGroup} at a time. Samples sit on one
 * grid from the earliest channel's start, each block at the sample nearest its start time; where no
 * channel block covers a grid sample (a gap the writer recorded as a discontinuity) the count is 0,
 * so that a filter sees silence rather than the {@code NaN} that MEF readers return, which would
 * spread through every later sample. {@code specus info} reports the gaps. Counts times the
 * channel's units conversion factor are in its units ({@code uV}, {@code mV} or {@code V}).
 *
 * <p>Encrypted sessions need a password: level 1 opens the rate and scale, which is all reading
 * needs; level 2 also the recording time offset, without which the start time is unknown.
 */
public final class Mef3Recording implements Recording {
  private final Path session;
  private final List<MefChannel> channels;
  private final SampleGrid grid;
  private final long numSamples;
  private final double[] gainToUv;
  private final List<String> warnings;
  private final String fingerprint;
  private final boolean encrypted;
  private final boolean timeOffsetKnown;
  private static final int COLUMNS_PER_PASS = 16;
  private final ThreadLocal<MefChannel.Scratch> scratch = ThreadLocal.withInitial(MefChannel.Scratch::new);

  private Mef3Recording(Path session, List<MefChannel> channels, SampleGrid grid, long numSamples, double[] gainToUv,
      List<String> warnings, String fingerprint, boolean encrypted, boolean timeOffsetKnown) {
    this.session = session;
    this.channels = channels;
    this.grid = grid;
    this.numSamples = numSamples;
    this.gainToUv = gainToUv;
    this.warnings = warnings;
    this.fingerprint = fingerprint;
    this.encrypted = encrypted;
    this.timeOffsetKnown = timeOffsetKnown;
  }

  /** True for a {@code .mefd} folder. */
  public static boolean recognises(Path path) {
    return Files.isDirectory(path) && String.valueOf(path.getFileName()).endsWith(".mefd");
  }

  /**
   * Opens the session folder {@code mefd}.
   *
   * @param password the session's level-1 or level-2 password, or {@code null} for an unencrypted one
   * @param stream the {@link RateGroup} to read ({@code 32000Hz}) when the channels are sampled at
   *     several rates, or {@code null} when they share one
   * @throws RecordingException naming the file at fault when the session cannot be read
   */
  public static Mef3Recording open(Path mefd, String password, String stream) {
    List<MefChannel> channels = RateGroup.choose(mefd, openChannels(mefd, password), stream);
    double rate = channels.get(0).samplingRate();
    Long offset = channels.stream().flatMap(c -> c.segments.stream()).map(s -> s.meta.recordingTimeOffset())
        .filter(o -> o != null).findFirst().orElse(null);
    long rto = offset == null ? 0 : offset;
    long start = channels.stream().mapToLong(c -> SegmentMetadata.trueTime(c.storedStartTime(), rto)).min()
        .orElseThrow();
    SampleGrid grid = new SampleGrid(start, rto, rate);
    long n = 0;
    for (MefChannel c : channels) {
      n = Math.max(n, grid.index(c.storedEndTime()));
    }
    List<String> warnings = new ArrayList<>();
    double[] gains = new double[channels.size()];
    for (int i = 0; i < gains.length; i++) {
      MefChannel c = channels.get(i);
      Double perUnit = microvoltsPer(c.units());
      if (perUnit == null) {
        warnings.add(c.name + ": units '" + c.units() + "' are not volts; values are taken as µV");
        perUnit = 1.0;
      }
      gains[i] = c.unitsPerCount() * perUnit;
      long missing = n - c.storedSamples();
      if (missing > 0) {
        warnings.add(String.format(Locale.ROOT, "%s: %d of %d samples (%.3f s) fall in gaps without data and read as 0",
            c.name, missing, n, missing / rate));
      }
    }
    boolean encrypted = channels.stream().flatMap(c -> c.segments.stream())
        .anyMatch(s -> s.meta.encrypted());
    return new Mef3Recording(mefd, channels, grid, n, gains, Collections.unmodifiableList(warnings),
        fingerprint(mefd, channels), encrypted, offset != null);
  }

  /** Opens the session whose channels share one sampling rate. */
  public static Mef3Recording open(Path mefd, String password) {
    return open(mefd, password, null);
  }

  /**
   * The session's channels grouped by sampling rate, slowest first, without reading any samples.
   *
   * @throws RecordingException as {@link #open} does
   */
  public static List<RateGroup> rateGroups(Path mefd, String password) {
    return RateGroup.of(openChannels(mefd, password));
  }

  private static List<MefChannel> openChannels(Path mefd, String password) {
    if (!Files.isDirectory(mefd)) {
      throw RecordingException.in(mefd, "a MEF 3.0 session is a folder (<name>.mefd)");
    }
    List<Path> timds;
    try (Stream<Path> s = Files.list(mefd)) {
      timds = s.filter(p -> p.getFileName().toString().endsWith(".timd") && Files.isDirectory(p))
          .sorted(Comparator.comparing(p -> naturalKey(p.getFileName().toString()))).toList();
    } catch (IOException e) {
      throw RecordingException.in(mefd, "cannot list (" + e.getMessage() + ")");
    }
    if (timds.isEmpty()) {
      throw RecordingException.in(mefd, "no time-series channels (.timd folders) in this MEF 3.0 session");
    }
    return timds.stream().map(p -> MefChannel.open(p, password)).toList();
  }

  /** µV per unit for the units MEF writers record, or {@code null} when they are not volts. */
  static Double microvoltsPer(String units) {
    return switch (units.trim().toLowerCase(Locale.ROOT)) {
      case "uv", "µv", "μv", "microvolt", "microvolts" -> 1.0;
      case "mv", "millivolt", "millivolts" -> 1e3;
      case "v", "volt", "volts" -> 1e6;
      case "nv", "nanovolt", "nanovolts" -> 1e-3;
      default -> null;
    };
  }

  /** sha256 over every segment file's name, size and the checksums in its header. */
  private static String fingerprint(Path mefd, List<MefChannel> channels) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      long total = 0;
      for (MefChannel c : channels) {
        for (MefSegment s : c.segments) {
          for (Path p : new Path[] {s.tidx.resolveSibling(s.tidx.getFileName().toString().replace(".tidx", ".tmet")),
              s.tidx, s.tdat}) {
            long size = Files.size(p);
            total += size;
            md.update((mefd.relativize(p) + ":" + size).getBytes(StandardCharsets.UTF_8));
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
              ByteBuffer crcs = ByteBuffer.allocate(8);
              MefSegment.readFully(ch, crcs, 0, p);
              md.update(crcs.array());
            }
          }
        }
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 32) + ":" + total;
    } catch (IOException e) {
      throw RecordingException.in(mefd, "cannot read (" + e.getMessage() + ")");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sorts digit runs by value, so {@code ch2} comes before {@code ch10}. */
  static String naturalKey(String name) {
    StringBuilder key = new StringBuilder();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\d+|\\D+").matcher(name);
    while (m.find()) {
      String part = m.group();
      key.append(Character.isDigit(part.charAt(0)) ? String.format("%020d", new java.math.BigInteger(part)) : part);
    }
    return key.toString();
  }

  @Override
  public Path path() {
    return session;
  }

  @Override
  public String format() {
    return "mef3";
  }

  @Override
  public String storedType() {
    return "int32";
  }

  @Override
  public double samplingRate() {
    return grid.rate();
  }

  @Override
  public long numSamples() {
    return numSamples;
  }

  @Override
  public int numChannels() {
    return channels.size();
  }

  @Override
  public List<String> channelIds() {
    return channels.stream().map(c -> c.name).toList();
  }

  @Override
  public double[] gainToUv() {
    return gainToUv.clone();
  }

  /** MEF 3.0 has no contact positions. */
  @Override
  public double[][] locations() {
    return null;
  }

  @Override
  public Map<String, String> summary() {
    Map<String, String> s = new LinkedHashMap<>();
    MefSegment first = channels.get(0).segments.get(0);
    s.put("format", "MEF 3.0 session");
    s.put("session", session.toString());
    s.put("session name", first.meta.sessionName());
    s.put("channels", channels.size() + " (" + String.join(", ", channelIds().subList(0, Math.min(8, channels.size())))
        + (channels.size() > 8 ? ", ..." : "") + ")");
    s.put("sampling rate", Summaries.number(grid.rate()) + " Hz");
    s.put("samples", Long.toString(numSamples));
    s.put("duration (s)", String.format(Locale.ROOT, "%.6f", durationSeconds()));
    s.put("start (UTC)", timeOffsetKnown ? Instant.ofEpochSecond(0, grid.start() * 1000).toString()
        : "unknown (the password does not open level 2)");
    s.put("segments per channel", Summaries.range(channels.stream().mapToDouble(c -> c.segments.size()).toArray()));
    s.put("samples without data", Long.toString(channels.stream().mapToLong(c -> Math.max(0, numSamples
        - c.storedSamples())).max().orElse(0)) + " (most in one channel; they read as 0)");
    s.put("units", String.join(", ", channels.stream().map(MefChannel::units).distinct().toList()));
    s.put("µV per count", Summaries.range(gainToUv));
    s.put("encryption", encrypted ? "password-protected (opened)" : "none");
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

  /** MEF stores int32 counts; they are read as float ({@link #readFloat}). */
  @Override
  public void readInt16(long start, long end, short[] dst) {
    throw new UnsupportedOperationException(session.getFileName() + " holds int32 counts; read it as float");
  }

  /** Counts as float: exact up to 2^24, which covers any amplifier's range. */
  @Override
  public void readFloat(long start, long end, float[] dst) throws IOException {
    Recording.checkRange(start, end, numSamples, String.valueOf(session.getFileName()));
    int nCh = channels.size();
    int n = Math.toIntExact(end - start);
    MefChannel.Scratch s = scratch.get();
    if (s.columns.length < COLUMNS_PER_PASS || s.columns[0].length < n) {
      s.columns = new int[COLUMNS_PER_PASS][n];
    }
    // Channels are stored apart and the tile is sample-major: a few channels at a time are decoded
    // into columns and then interleaved, so each row's cache line is written once per group rather
    // than once per channel (one channel at a time took ~100 ms more per 384-channel tile).
    for (int c0 = 0; c0 < nCh; c0 += COLUMNS_PER_PASS) {
      int g = Math.min(COLUMNS_PER_PASS, nCh - c0);
      try {
        for (int j = 0; j < g; j++) {
          Arrays.fill(s.columns[j], 0, n, 0);
          channels.get(c0 + j).read(start, end, grid, s.columns[j], s.pending, s.tail(c0 + j));
        }
        s.pending.decodeAll();
      } finally {
        s.pending.clear();
      }
      for (int i = 0; i < n; i++) {
        int row = i * nCh + c0;
        for (int j = 0; j < g; j++) {
          dst[row + j] = s.columns[j][i];
        }
      }
    }
  }

  @Override
  public void close() {}
}
