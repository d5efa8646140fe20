package org.specus.io.nwb;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.exceptions.HdfException;
import io.jhdf.object.message.DataLayout;
import java.io.IOException;
import java.lang.reflect.Array;
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
import org.specus.io.ChoiceNeeded;
import org.specus.io.Recording;
import org.specus.io.RecordingException;
import org.specus.io.Summaries;

/**
 * An {@code ElectricalSeries} of an NWB 2.x (HDF5) file, read with jhdf: {@code data} is
 * {@code [time, channels]} (any numeric type, chunked and compressed or not), volts =
 * {@code data × conversion × channel_conversion[c] + offset}; the rate is {@code starting_time.rate},
 * or, for a series with {@code timestamps}, the mean rate of its first and last timestamps (a
 * warning says so). Channel ids and contact positions ({@code rel_x/rel_y}, else {@code x/y}) come
 * from the rows of the electrodes table the series' {@code electrodes} region points at.
 *
 * <p>Values read are the stored values with NWB's {@code offset} folded in ({@code stored +
 * offset / (conversion × channel_conversion[c])}), so that {@link #gainToUv()} ({@code conversion ×
 * channel_conversion[c] × 10⁶}) alone turns them into µV; int16 data without offset keeps its exact
 * counts.
 *
 * <p>Reads of chunked and contiguous data of plain integer and float types (what h5py writes, so what
 * pynwb and NeuroConv write for an ElectricalSeries: contiguous, or chunked with or without gzip and
 * shuffle) go straight from the chunks the range touches into the caller's array ({@link Hdf5Rows}):
 * each reading thread keeps its last two decoded chunk rows (two chunks when chunks span all
 * channels, as usual), so a tile with margins does not decompress its neighbours' chunks again;
 * {@link #close} frees them. Other layouts and types (compact datasets, read whole, and half floats) are read through
 * jhdf's slice reads, one Java array per row; both give the same values. The file is opened without
 * memory mapping (see {@link NoMapFileChannel}). Reads from several threads run concurrently, with no
 * lock.
 */
public final class NwbRecording implements Recording {
  private static final int BLOCK_VALUES = 4 << 20;

  private final Path file;
  private final HdfFile hdf;
  private final NoMapFileChannel channel;
  private final String seriesPath;
  private final Dataset data;
  private final Hdf5Rows rows; // null: read through jhdf's slices
  private final long numSamples;
  private final int numChannels;
  private final int chunkRows;
  private final double rate;
  private final double[] gain;
  private final double[] shift; // added to stored values: offset / (conversion × channel_conversion)
  private final List<String> ids;
  private final double[][] locations;
  private final String positionsFrom;
  private final List<String> warnings;
  private final String fingerprint;
  private final String storedType;

  private NwbRecording(Path file, HdfFile hdf, NoMapFileChannel channel, String seriesPath, Dataset data,
      Hdf5Rows rows, double rate, double[] gain, double[] shift, List<String> ids, double[][] locations,
      String positionsFrom, List<String> warnings, String fingerprint) {
    this.file = file;
    this.hdf = hdf;
    this.channel = channel;
    this.seriesPath = seriesPath;
    this.data = data;
    this.rows = rows;
    long[] dims = data.getDimensionsAsLong();
    this.numSamples = dims[0];
    this.numChannels = dims.length > 1 ? Math.toIntExact(dims[1]) : 1;
    this.chunkRows = data instanceof ChunkedDataset c ? c.getChunkDimensions()[0] : 0;
    this.rate = rate;
    this.gain = gain;
    this.shift = shift;
    this.ids = ids;
    this.locations = locations;
    this.positionsFrom = positionsFrom;
    this.warnings = warnings;
    this.fingerprint = fingerprint;
    this.storedType = typeName(data.getJavaType());
  }

  /**
   * Opens the ElectricalSeries {@code seriesName} under {@code /acquisition}, or the only one there
   * when {@code seriesName} is {@code null}.
   */
  public static NwbRecording open(Path file, String seriesName) {
    NoMapFileChannel channel = channel(file);
    HdfFile hdf = hdf(file, channel);
    try {
      return open(file, hdf, channel, seriesName);
    } catch (RuntimeException e) {
      close(hdf, channel);
      if (e instanceof RecordingException) {
        throw e;
      }
      throw RecordingException.in(file, "unreadable NWB structure (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + ")");
    }
  }

  /**
   * Names of the ElectricalSeries under {@code /acquisition} of {@code file}, in file order; the
   * file is closed again.
   *
   * @throws RecordingException when it is not a readable HDF5 file
   */
  public static List<String> electricalSeries(Path file) {
    NoMapFileChannel channel = channel(file);
    HdfFile hdf = hdf(file, channel);
    try {
      return electricalSeries(hdf);
    } catch (HdfException e) {
      throw RecordingException.in(file, "unreadable NWB structure (" + e.getMessage() + ")");
    } finally {
      close(hdf, channel);
    }
  }

  private static NoMapFileChannel channel(Path file) {
    if (!Files.isRegularFile(file)) {
      throw RecordingException.in(file, "no such file");
    }
    try {
      return NoMapFileChannel.open(file);
    } catch (IOException e) {
      throw RecordingException.in(file, "cannot read (" + e.getMessage() + ")");
    }
  }

  private static HdfFile hdf(Path file, NoMapFileChannel channel) {
    try {
      return new HdfFile(channel);
    } catch (HdfException | IllegalArgumentException e) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // The file was only read.
      }
      throw RecordingException.in(file, "not a readable HDF5/NWB file (" + e.getMessage() + ")");
    }
  }

  private static NwbRecording open(Path file, HdfFile hdf, NoMapFileChannel channel, String seriesName) {
    List<String> series = electricalSeries(hdf);
    String name;
    if (seriesName == null) {
      if (series.isEmpty()) {
        throw RecordingException.in(file, "no ElectricalSeries under /acquisition (neurodata_type attribute)");
      }
      if (series.size() > 1) {
        throw new ChoiceNeeded(file, series.size() + " ElectricalSeries under /acquisition ("
            + String.join(", ", series) + "); choose one with --series", "--series", series);
      }
      name = series.get(0);
    } else if (!series.contains(seriesName)) {
      throw RecordingException.in(file, "no ElectricalSeries /acquisition/" + seriesName + " (found: "
          + (series.isEmpty() ? "none" : String.join(", ", series)) + ")");
    } else {
      name = seriesName;
    }
    String path = "/acquisition/" + name;
    Group es = (Group) hdf.getByPath(path);
    Node dataNode = es.getChild("data");
    if (!(dataNode instanceof Dataset data)) {
      throw RecordingException.in(file, path + "/data is missing");
    }
    long[] dims = data.getDimensionsAsLong();
    if (dims.length < 1 || dims.length > 2 || data.isCompound() || data.isVariableLength()
        || !isNumeric(data.getJavaType())) {
      throw RecordingException.in(file, path + "/data must be a numeric [time, channels] array, got "
          + data.getJavaType().getSimpleName() + " " + Arrays.toString(dims));
    }
    int channels = dims.length > 1 ? Math.toIntExact(dims[1]) : 1;
    List<String> warnings = new ArrayList<>();

    double conversion = attrNumber(data, "conversion", 1.0);
    double offset = attrNumber(data, "offset", 0.0);
    String unit = attrText(data, "unit", "volts");
    double unitToUv = switch (unit.toLowerCase(Locale.ROOT)) {
      case "volts", "volt", "v" -> 1e6;
      case "millivolts", "mv" -> 1e3;
      case "microvolts", "uv", "µv" -> 1;
      default -> throw RecordingException.in(file, path + "/data.unit '" + unit + "' is not a voltage");
    };
    if (!(conversion != 0 && Double.isFinite(conversion))) {
      throw RecordingException.in(file, path + "/data.conversion must be a non-zero number, got " + conversion);
    }
    double[] cc = new double[channels];
    Arrays.fill(cc, 1.0);
    if (es.getChild("channel_conversion") instanceof Dataset ccd) {
      double[] v = doubles(ccd);
      if (v.length != channels) {
        throw RecordingException.in(file, path + "/channel_conversion has " + v.length + " values for " + channels
            + " channels");
      }
      cc = v;
    }
    double[] gain = new double[channels];
    double[] shift = new double[channels];
    for (int c = 0; c < channels; c++) {
      gain[c] = conversion * cc[c] * unitToUv;
      shift[c] = offset / (conversion * cc[c]);
    }

    double rate;
    if (es.getChild("starting_time") instanceof Dataset st && st.getAttribute("rate") != null) {
      rate = attrNumber(st, "rate", Double.NaN);
    } else if (es.getChild("timestamps") instanceof Dataset ts) {
      long n = ts.getDimensionsAsLong()[0];
      if (n < 2) {
        throw RecordingException.in(file, path + "/timestamps has " + n + " values: cannot tell the rate");
      }
      double t0 = ((Number) Array.get(ts.getData(new long[] {0}, new int[] {1}), 0)).doubleValue();
      double t1 = ((Number) Array.get(ts.getData(new long[] {n - 1}, new int[] {1}), 0)).doubleValue();
      rate = (n - 1) / (t1 - t0);
      warnings.add(path + ": no starting_time.rate; rate " + Summaries.number(rate)
          + " Hz from the first and last timestamps (gaps are not modelled)");
    } else {
      throw RecordingException.in(file, path + " has neither starting_time.rate nor timestamps");
    }
    if (!(rate > 0 && Double.isFinite(rate))) {
      throw RecordingException.in(file, path + ": sampling rate must be positive, got " + rate);
    }

    List<String> ids = null;
    double[][] locations = null;
    String positionsFrom = "none";
    if (es.getChild("electrodes") instanceof Dataset region) {
      long[] rows = longs(region);
      if (rows.length != channels) {
        warnings.add(path + "/electrodes lists " + rows.length + " electrodes for " + channels
            + " data columns; electrode ids and positions are not used");
      } else {
        Group table = electrodesTable(hdf);
        if (table == null) {
          warnings.add("/general/extracellular_ephys/electrodes is missing; no electrode ids or positions");
        } else {
          ids = electrodeIds(table, rows);
          String[] cols = table.getChild("rel_x") instanceof Dataset ? new String[] {"rel_x", "rel_y"}
              : table.getChild("x") instanceof Dataset ? new String[] {"x", "y"} : null;
          if (cols != null && table.getChild(cols[1]) instanceof Dataset) {
            double[] xs = doubles((Dataset) table.getChild(cols[0]));
            double[] ys = doubles((Dataset) table.getChild(cols[1]));
            locations = new double[channels][];
            for (int c = 0; c < channels; c++) {
              int r = Math.toIntExact(rows[c]);
              if (r < 0 || r >= xs.length || r >= ys.length) {
                throw RecordingException.in(file, path + "/electrodes[" + c + "] = " + r + " is outside the electrodes"
                    + " table (" + xs.length + " rows)");
              }
              locations[c] = new double[] {xs[r], ys[r]};
            }
            positionsFrom = "electrodes table " + cols[0] + "/" + cols[1];
          }
        }
      }
    }
    if (ids == null) {
      List<String> gen = new ArrayList<>();
      for (int c = 0; c < channels; c++) {
        gen.add(Integer.toString(c));
      }
      ids = gen;
    }
    if (dims[0] == 0) {
      warnings.add(path + "/data: no samples");
    }
    String fp = fingerprint(file, path, dims);
    Hdf5Rows rows = Hdf5Rows.of(file.getFileName() + path + "/data", hdf, channel.delegate(), data, shift);
    return new NwbRecording(file, hdf, channel, path, data, rows, rate, gain, shift, List.copyOf(ids), locations,
        positionsFrom, Collections.unmodifiableList(warnings), fp);
  }

  /** Names of the ElectricalSeries under {@code /acquisition}, in file order. */
  public static List<String> electricalSeries(HdfFile hdf) {
    Node acq = hdf.getChildren().get("acquisition");
    List<String> out = new ArrayList<>();
    if (acq instanceof Group g) {
      for (Node n : g.getChildren().values()) {
        if (n instanceof Group && "ElectricalSeries".equals(attrText(n, "neurodata_type", ""))) {
          out.add(n.getName());
        }
      }
    }
    return out;
  }

  private static Group electrodesTable(HdfFile hdf) {
    try {
      return hdf.getByPath("/general/extracellular_ephys/electrodes") instanceof Group g ? g : null;
    } catch (HdfException e) {
      return null;
    }
  }

  private static List<String> electrodeIds(Group table, long[] rows) {
    List<String> ids = new ArrayList<>();
    long[] all = table.getChild("id") instanceof Dataset d ? longs(d) : null;
    for (long r : rows) {
      ids.add(all != null && r >= 0 && r < all.length ? Long.toString(all[(int) r]) : Long.toString(r));
    }
    return ids;
  }

  /** NumPy's name for a stored Java type ({@code short} is {@code int16}), as the other readers say it. */
  private static String typeName(Class<?> t) {
    return t == short.class ? "int16" : t == int.class ? "int32" : t == long.class ? "int64" : t == byte.class ? "int8"
        : t == float.class ? "float32" : t == double.class ? "float64" : t.getSimpleName();
  }

  private static boolean isNumeric(Class<?> t) {
    return t == double.class || t == float.class || t == short.class || t == int.class || t == long.class
        || t == byte.class;
  }

  private static double attrNumber(Node node, String name, double fallback) {
    Attribute a = node.getAttribute(name);
    if (a == null) {
      return fallback;
    }
    Object v = a.getData();
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v != null && v.getClass().isArray() && Array.getLength(v) > 0 && Array.get(v, 0) instanceof Number n) {
      return n.doubleValue();
    }
    return fallback;
  }

  private static String attrText(Node node, String name, String fallback) {
    Attribute a = node.getAttribute(name);
    if (a == null) {
      return fallback;
    }
    Object v = a.getData();
    if (v != null && v.getClass().isArray() && Array.getLength(v) > 0) {
      v = Array.get(v, 0);
    }
    return v == null ? fallback : v.toString();
  }

  private static double[] doubles(Dataset d) {
    Object flat = d.getDataFlat();
    int n = Array.getLength(flat);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = ((Number) Array.get(flat, i)).doubleValue();
    }
    return out;
  }

  private static long[] longs(Dataset d) {
    Object flat = d.getDataFlat();
    int n = Array.getLength(flat);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = ((Number) Array.get(flat, i)).longValue();
    }
    return out;
  }

  /** sha256 of the file's first MiB (HDF5 superblock and object headers), with the series and its shape. */
  private static String fingerprint(Path file, String series, long[] dims) {
    try (var in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update((series + Arrays.toString(dims)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      md.update(in.readNBytes(1 << 20));
      return HexFormat.of().formatHex(md.digest()).substring(0, 32) + ":" + Files.size(file);
    } catch (IOException e) {
      throw RecordingException.in(file, "cannot read (" + e.getMessage() + ")");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Path path() {
    return file;
  }

  public String seriesPath() {
    return seriesPath;
  }

  @Override
  public String format() {
    return "nwb";
  }

  @Override
  public String storedType() {
    return storedType;
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
    s.put("format", "NWB (HDF5)");
    s.put("file", file.toString());
    s.put("series", seriesPath);
    s.put("stored type", storedType + (chunkRows > 0 ? ", chunks of " + chunkRows + " samples" : ", contiguous"));
    s.put("channels", Integer.toString(numChannels));
    s.put("sampling rate", Summaries.number(rate) + " Hz");
    s.put("samples", Long.toString(numSamples));
    s.put("duration (s)", String.format(Locale.ROOT, "%.6f", durationSeconds()));
    s.put("µV per value", Summaries.range(gain));
    s.put("positions", positionsFrom);
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

  /** Only for int16 data without an offset: the stored counts. */
  @Override
  public void readInt16(long start, long end, short[] dst) throws IOException {
    boolean noShift = Arrays.stream(shift).allMatch(v -> v == 0);
    if (data.getJavaType() != short.class || !noShift) {
      throw new UnsupportedOperationException(file.getFileName() + ": " + seriesPath + " holds " + storedType
          + (noShift ? "" : " with an offset") + "; read it as float");
    }
    checkRead(start, end, dst.length);
    if (rows != null) {
      try {
        rows.readShorts(start, end, dst);
      } catch (HdfException e) {
        throw cannotRead(start, end, e);
      }
      return;
    }
    float[] f = new float[dst.length];
    readViaSlices(start, end, f);
    for (int i = 0; i < (end - start) * numChannels; i++) {
      dst[i] = (short) f[i];
    }
  }

  @Override
  public void readFloat(long start, long end, float[] dst) throws IOException {
    checkRead(start, end, dst.length);
    if (rows != null) {
      try {
        rows.readFloat(start, end, dst);
      } catch (HdfException e) {
        throw cannotRead(start, end, e);
      }
      return;
    }
    readViaSlices(start, end, dst);
  }

  private void checkRead(long start, long end, int dstLength) {
    Recording.checkRange(start, end, numSamples, file.getFileName() + seriesPath);
    if ((end - start) * numChannels > dstLength) {
      throw new IllegalArgumentException("dst has " + dstLength + " values, need " + (end - start) * numChannels);
    }
  }

  private IOException cannotRead(long s, long next, HdfException e) {
    return new IOException(file.getFileName() + seriesPath + "/data: cannot read samples " + s + "-" + next
        + " (" + e.getMessage() + ")", e);
  }

  /** True when reads go straight from the chunks or the contiguous bytes ({@link Hdf5Rows}), not through jhdf's slices. */
  boolean readsDirectly() {
    return rows != null;
  }

  /** The direct reader, or null (for tests). */
  Hdf5Rows rows() {
    return rows;
  }

  /**
   * The read through jhdf's slice reads ({@code getData(offset, shape)}, one Java array per row), for
   * the layouts and types {@link Hdf5Rows} does not read (compact datasets, half floats, ...), and
   * the reference the direct reads are tested against. Blocks end on chunk boundaries, so no chunk is
   * decompressed twice within one call.
   */
  void readViaSlices(long start, long end, float[] dst) throws IOException {
    checkRead(start, end, dst.length);
    int step = Math.max(1, BLOCK_VALUES / numChannels);
    if (chunkRows > 0) {
      step = Math.max(chunkRows, step / chunkRows * chunkRows);
    }
    boolean twoD = data.getDimensions().length == 2;
    if (data.getDataLayout() == DataLayout.COMPACT) {
      // jhdf cannot slice a compact dataset; it is at most 64 KiB, stored in its object header: read it whole.
      Object all;
      try {
        all = data.getData();
      } catch (HdfException e) {
        throw cannotRead(start, end, e);
      }
      copy(all, twoD, Math.toIntExact(start), Math.toIntExact(end - start), 0, dst);
      return;
    }
    for (long s = start; s < end; ) {
      long next = chunkRows > 0 ? Math.min(end, (s / chunkRows) * chunkRows + step) : Math.min(end, s + step);
      int n = Math.toIntExact(next - s);
      Object slab;
      try {
        slab = twoD ? data.getData(new long[] {s, 0}, new int[] {n, numChannels})
            : data.getData(new long[] {s}, new int[] {n});
      } catch (HdfException e) {
        throw cannotRead(s, next, e);
      }
      copy(slab, twoD, 0, n, Math.toIntExact((s - start) * numChannels), dst);
      s = next;
    }
  }

  /** Rows {@code [first, first + rows)} of a slab jhdf read, converted into {@code dst} from value {@code out} on. */
  private void copy(Object slab, boolean twoD, int first, int rows, int out, float[] dst) {
    int nCh = numChannels;
    for (int r = 0; r < rows; r++) {
      Object row = twoD ? ((Object[]) slab)[first + r] : slab;
      int o = out + r * nCh;
      if (!twoD) {
        dst[o] = (float) (((Number) Array.get(row, first + r)).doubleValue() + shift[0]);
        continue;
      }
      if (row instanceof double[] d) {
        for (int c = 0; c < nCh; c++) {
          dst[o + c] = (float) (d[c] + shift[c]);
        }
      } else if (row instanceof float[] f) {
        for (int c = 0; c < nCh; c++) {
          dst[o + c] = shift[c] == 0 ? f[c] : (float) (f[c] + shift[c]);
        }
      } else if (row instanceof short[] sh) {
        for (int c = 0; c < nCh; c++) {
          dst[o + c] = shift[c] == 0 ? sh[c] : (float) (sh[c] + shift[c]);
        }
      } else if (row instanceof int[] in) {
        for (int c = 0; c < nCh; c++) {
          dst[o + c] = (float) (in[c] + shift[c]);
        }
      } else {
        for (int c = 0; c < nCh; c++) {
          dst[o + c] = (float) (((Number) Array.get(row, c)).doubleValue() + shift[c]);
        }
      }
    }
  }

  /** Closes the file and frees the decoded chunks each reading thread keeps. */
  @Override
  public void close() {
    if (rows != null) {
      rows.dropThreadState();
    }
    close(hdf, channel);
  }

  private static void close(HdfFile hdf, NoMapFileChannel channel) {
    try {
      hdf.close();
    } catch (HdfException e) {
      // jhdf 0.13.0 logs the file's path once the file is closed, and a file opened on a channel has none.
    }
    try {
      channel.close(); // closed by hdf.close() already; this makes sure
    } catch (IOException e) {
      // Read-only: nothing to lose.
    }
  }
}
