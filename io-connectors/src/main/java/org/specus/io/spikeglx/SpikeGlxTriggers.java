package org.specus.io.spikeglx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.specus.io.Recording;
import org.specus.io.RecordingException;
import org.specus.io.Summaries;

/**
 * The trigger files of one SpikeGLX gate, {@code <run>_g<G>_t0, _t1, ...} of one probe and stream,
 * read as one recording in trigger order: how a user names a run is by any one of its trigger files
 * with {@code --concat-triggers}.
 *
 * <p>Files are aligned on their {@code firstSample} (the acquisition sample counter), as CatGT does
 * with {@code -zerofillmax=0}: when a trigger file starts before the previous one ends (SpikeGLX
 * writes overlapping files, and consecutive files often share one sample), the previous file's tail
 * that the next file repeats is dropped; a gap is concatenated as is (no zero fill: a filter would
 * ring on the step) and reported as a warning. Every file must agree on channels, rate, gains and
 * geometry.
 */
public final class SpikeGlxTriggers implements Recording {
  /** {@code <run>_g<gate>_t<trigger>.<stream>.bin|meta}, e.g. {@code rec_g0_t1.imec0.ap.bin}. */
  static final Pattern TRIGGER_FILE = Pattern.compile("(.+)_g(\\d+)_t(\\d+)\\.(.+)\\.(bin|meta)");

  private final List<SpikeGlxRecording> parts;
  private final long[] used; // samples taken from each part (its tail may be dropped)
  private final long[] starts; // first sample of each part in the concatenation
  private final long numSamples;
  private final List<String> warnings;
  private final String fingerprint;

  private SpikeGlxTriggers(List<SpikeGlxRecording> parts, long[] used, List<String> warnings) {
    this.parts = parts;
    this.used = used;
    this.starts = new long[used.length + 1];
    for (int i = 0; i < used.length; i++) {
      starts[i + 1] = starts[i] + used[i];
    }
    this.numSamples = starts[used.length];
    this.warnings = warnings;
    this.fingerprint = combinedFingerprint(parts);
  }

  /** Opens every trigger file of the gate {@code oneTrigger} belongs to (a {@code .bin} or {@code .meta}). */
  public static SpikeGlxTriggers open(Path oneTrigger) {
    List<Path> bins = triggerFiles(oneTrigger);
    List<SpikeGlxRecording> parts = new ArrayList<>();
    try {
      for (Path bin : bins) {
        parts.add(SpikeGlxRecording.open(bin));
      }
      return join(parts);
    } catch (RuntimeException e) {
      for (SpikeGlxRecording r : parts) {
        try {
          r.close();
        } catch (IOException ignored) {
          // The failure being reported matters more.
        }
      }
      throw e;
    }
  }

  /** The {@code .bin} files of {@code oneTrigger}'s gate, probe and stream, in trigger order. */
  public static List<Path> triggerFiles(Path oneTrigger) {
    Matcher m = TRIGGER_FILE.matcher(String.valueOf(oneTrigger.getFileName()));
    if (!m.matches()) {
      throw RecordingException.in(oneTrigger, "--concat-triggers needs a trigger file named <run>_g<gate>_t<n>."
          + "<stream>.bin (e.g. rec_g0_t0.imec0.ap.bin)");
    }
    String run = m.group(1);
    String gate = m.group(2);
    String stream = m.group(4);
    Path dir = oneTrigger.toAbsolutePath().getParent();
    List<Path> bins;
    try (Stream<Path> files = Files.list(dir)) {
      bins = files.filter(p -> {
        Matcher f = TRIGGER_FILE.matcher(p.getFileName().toString());
        return f.matches() && f.group(1).equals(run) && f.group(2).equals(gate) && f.group(4).equals(stream)
            && f.group(5).equals("bin");
      }).sorted(Comparator.comparingInt(SpikeGlxTriggers::triggerOf)).toList();
    } catch (IOException e) {
      throw RecordingException.in(dir, "cannot list (" + e.getMessage() + ")");
    }
    if (bins.isEmpty()) {
      throw RecordingException.in(oneTrigger, "no trigger files " + run + "_g" + gate + "_t*." + stream + ".bin beside it");
    }
    return bins;
  }

  static int triggerOf(Path p) {
    Matcher f = TRIGGER_FILE.matcher(p.getFileName().toString());
    return f.matches() ? Integer.parseInt(f.group(3)) : -1;
  }

  /** Joins opened trigger files in the given order, after checking they describe the same channels. */
  static SpikeGlxTriggers join(List<SpikeGlxRecording> parts) {
    SpikeGlxRecording first = parts.get(0);
    List<String> warnings = new ArrayList<>();
    for (SpikeGlxRecording p : parts) {
      String problem = disagreement(first, p);
      if (problem != null) {
        throw RecordingException.in(p.path(), problem + " differs from " + first.path().getFileName()
            + ": trigger files of one run must agree to be concatenated");
      }
      warnings.addAll(p.warnings());
    }
    long[] used = new long[parts.size()];
    for (int i = 0; i < parts.size(); i++) {
      used[i] = parts.get(i).numSamples();
    }
    for (int i = 0; i + 1 < parts.size(); i++) {
      var a = parts.get(i).channels().meta().optLongInteger("firstSample");
      var b = parts.get(i + 1).channels().meta().optLongInteger("firstSample");
      String pair = parts.get(i).path().getFileName() + " -> " + parts.get(i + 1).path().getFileName();
      if (a.isEmpty() || b.isEmpty()) {
        warnings.add(pair + ": no firstSample in the .meta; concatenated without alignment");
        continue;
      }
      long end = a.getAsLong() + parts.get(i).numSamples();
      long next = b.getAsLong();
      if (next < a.getAsLong()) {
        throw RecordingException.in(parts.get(i + 1).path(), "firstSample " + next + " is before the previous"
            + " trigger's (" + a.getAsLong() + "): trigger files out of order");
      }
      if (next < end) {
        used[i] = next - a.getAsLong();
        warnings.add(pair + ": overlap of " + (end - next) + " samples; the earlier file's repeated tail is dropped");
      } else if (next > end) {
        warnings.add(pair + ": gap of " + (next - end) + " samples (" + String.format(Locale.ROOT, "%.4f",
            (next - end) / first.samplingRate()) + " s) concatenated without zero fill");
      }
    }
    return new SpikeGlxTriggers(List.copyOf(parts), used, Collections.unmodifiableList(warnings));
  }

  private static String disagreement(SpikeGlxRecording a, SpikeGlxRecording b) {
    if (a.channels().savedChannels() != b.channels().savedChannels() || a.numChannels() != b.numChannels()) {
      return "channel count";
    }
    if (a.samplingRate() != b.samplingRate()) {
      return "sampling rate";
    }
    if (!Arrays.equals(a.gainToUv(), b.gainToUv())) {
      return "gain";
    }
    if (!a.channelIds().equals(b.channelIds())) {
      return "channel list";
    }
    if (!Arrays.deepEquals(a.locations(), b.locations())) {
      return "geometry";
    }
    return null;
  }

  private static String combinedFingerprint(List<SpikeGlxRecording> parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (SpikeGlxRecording p : parts) {
        md.update((p.fingerprint() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return "triggers:" + parts.size() + ":" + HexFormat.of().formatHex(md.digest()).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public List<Path> files() {
    return parts.stream().map(SpikeGlxRecording::path).toList();
  }

  /** The first trigger file: with {@code --concat-triggers} it names the run again. */
  @Override
  public Path path() {
    return parts.get(0).path();
  }

  @Override
  public String format() {
    return "spikeglx";
  }

  @Override
  public double samplingRate() {
    return parts.get(0).samplingRate();
  }

  @Override
  public long numSamples() {
    return numSamples;
  }

  @Override
  public int numChannels() {
    return parts.get(0).numChannels();
  }

  @Override
  public List<String> channelIds() {
    return parts.get(0).channelIds();
  }

  @Override
  public double[] gainToUv() {
    return parts.get(0).gainToUv();
  }

  @Override
  public double[][] locations() {
    return parts.get(0).locations();
  }

  @Override
  public Map<String, String> summary() {
    Map<String, String> s = new LinkedHashMap<>(parts.get(0).summary());
    s.put("format", s.get("format") + ", " + parts.size() + " trigger files concatenated");
    s.remove("fileSizeBytes in .meta");
    s.remove("file size (bytes)");
    s.put("samples", Long.toString(numSamples));
    s.put("duration (s)", String.format(Locale.ROOT, "%.6f", durationSeconds()));
    for (int i = 0; i < parts.size(); i++) {
      s.put("trigger " + triggerOf(parts.get(i).path()), parts.get(i).path().getFileName() + ": samples "
          + starts[i] + "-" + starts[i + 1] + " (" + used[i] + " of " + parts.get(i).numSamples() + " used)");
    }
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
    check(start, end);
    int nCh = numChannels();
    forEachPart(start, end, (part, from, to, out) -> {
      short[] tmp = out == 0 && to - from == end - start ? dst : new short[Math.toIntExact((to - from) * nCh)];
      part.readInt16(from, to, tmp);
      if (tmp != dst) {
        System.arraycopy(tmp, 0, dst, out, tmp.length);
      }
    });
  }

  @Override
  public void readFloat(long start, long end, float[] dst) throws IOException {
    check(start, end);
    int nCh = numChannels();
    forEachPart(start, end, (part, from, to, out) -> {
      float[] tmp = out == 0 && to - from == end - start ? dst : new float[Math.toIntExact((to - from) * nCh)];
      part.readFloat(from, to, tmp);
      if (tmp != dst) {
        System.arraycopy(tmp, 0, dst, out, tmp.length);
      }
    });
  }

  private interface PartRead {
    void read(SpikeGlxRecording part, long from, long to, int out) throws IOException;
  }

  private void forEachPart(long start, long end, PartRead read) throws IOException {
    int nCh = numChannels();
    for (int i = 0; i < parts.size(); i++) {
      long from = Math.max(start, starts[i]);
      long to = Math.min(end, starts[i + 1]);
      if (from < to) {
        read.read(parts.get(i), from - starts[i], to - starts[i], Math.toIntExact((from - start) * nCh));
      }
    }
  }

  private void check(long start, long end) {
    Recording.checkRange(start, end, numSamples,
        "the " + parts.size() + " concatenated triggers of " + path().getFileName());
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (SpikeGlxRecording p : parts) {
      try {
        p.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public String toString() {
    return "SpikeGlxTriggers[" + path().getFileName() + " + " + (parts.size() - 1) + " more, " + numSamples
        + " samples]";
  }

  static String number(double v) {
    return Summaries.number(v);
  }
}
