package org.specus.io.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.specus.io.StableOrder;
import org.specus.io.WriteBuffers;
import org.specus.io.beam.Artifact;
import org.specus.io.beam.RecordingInfo;
import org.specus.io.npy.Npy;
import org.specus.io.zarr.DurableShards;

/**
 * Writes a flat binary that Kilosort reads ({@code traces_cached_seg0.raw}: sample-major,
 * little-endian int16 or float32, no header), inside a SpikeInterface binary folder
 * ({@code binary.json}, {@code si_folder.json}, {@code probe.json}, {@code properties/*.npy}), with
 * the channel map and positions as Kilosort and phy name them ({@code channel_map.npy},
 * {@code channel_positions.npy}, a Kilosort 4 probe {@code kilosort4_probe.json}) and a phy-style
 * {@code params.py}.
 *
 * <p>Each tile writes its own byte range of the one file with positional writes from a reused
 * direct buffer, a few MB at a time (safe from several threads; a retried tile rewrites the same
 * bytes), so tiles need no ordering.
 *
 * <p>Resuming. The file's length says nothing about which ranges hold finished tiles (tiles finish
 * in any order, holes read as zeros, a crash can cut a range short, and after a power loss even a
 * range that was written may read back as zeros). So once a tile's range is written, a record of
 * it goes to {@code .specus-written-tiles/<index>} (atomically: temporary name, rename) with the
 * range and the crc32c of its bytes, computed from the buffers as they were written. A tile is
 * intact only if its record is there, names this tile's range, and the bytes on disk in that range
 * have that crc32c now: a tile whose data never reached the disk, or was cut short or damaged,
 * fails and is written again, whatever the record says. No fsync per tile is needed for this: the
 * check reads what is on disk. {@link #commit} forces the file and the metadata, then removes the
 * records, so a finished output is the same whether or not it was resumed.
 */
public final class BinaryWriter implements TileWriter {
  public static final String TRACES = "traces_cached_seg0.raw";
  /** The records of the tiles written so far (removed when the output is committed). */
  public static final String WRITTEN = ".specus-written-tiles";
  private static final int SLICE_BYTES = 4 << 20;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String root;
  private final long numSamples;
  private final int channels;
  private final int tileSamples;
  private final SampleEncoding encoding;

  public BinaryWriter(Path root, long numSamples, int channels, int tileSamples, SampleEncoding encoding) {
    if (numSamples < 1 || channels < 1 || tileSamples < 1) {
      throw new IllegalArgumentException("binary output needs samples, channels and tile length >= 1, got "
          + numSamples + ", " + channels + ", " + tileSamples);
    }
    this.root = root.toString();
    this.numSamples = numSamples;
    this.channels = channels;
    this.tileSamples = tileSamples;
    this.encoding = encoding;
  }

  @Override
  public Path root() {
    return Path.of(root);
  }

  @Override
  public String format() {
    return OutputFormat.BINARY.label();
  }

  private long rowBytes() {
    return (long) channels * encoding.bytesPerSample();
  }

  private Path record(long index) {
    return root().resolve(WRITTEN).resolve(Long.toString(index));
  }

  @Override
  public long write(long index, long firstSample, float[] data, int rows, WriteBuffers buffers) throws IOException {
    long expectedFirst = index * tileSamples;
    if (firstSample != expectedFirst || rows != Math.min(tileSamples, numSamples - expectedFirst)) {
      throw new IllegalStateException("tile " + index + " holds samples " + firstSample + "-" + (firstSample + rows)
          + ", expected " + expectedFirst + "-" + Math.min(numSamples, expectedFirst + tileSamples));
    }
    long start = firstSample * rowBytes();
    long bytes = rows * rowBytes();
    int sliceRows = (int) Math.max(1, SLICE_BYTES / rowBytes());
    CRC32C crc = new CRC32C();
    try (FileChannel f = FileChannel.open(root().resolve(TRACES), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      long position = start;
      for (int r = 0; r < rows; r += sliceRows) {
        int n = Math.min(sliceRows, rows - r);
        ByteBuffer raw = buffers.raw(Math.toIntExact(n * rowBytes()));
        encoding.put(raw, data, r * channels, n * channels);
        raw.flip();
        crc.update(raw);
        raw.rewind();
        position = buffers.write(f, raw, position);
      }
    }
    writeRecord(index, start, bytes, crc.getValue());
    return bytes;
  }

  private void writeRecord(long index, long start, long bytes, long crc) throws IOException {
    Path record = record(index);
    Files.createDirectories(record.getParent());
    Path tmp = record.resolveSibling("." + index + ".tmp-" + UUID.randomUUID());
    try {
      Files.writeString(tmp, recordText(index, start, bytes, crc));
      Files.move(tmp, record, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static String recordText(long index, long start, long bytes, long crc) {
    return recordPrefix(index, start, bytes) + String.format(Locale.ROOT, "%08x\n", crc);
  }

  /** What a record of this tile's range holds before the checksum. */
  private static String recordPrefix(long index, long start, long bytes) {
    return "tile " + index + " offset " + start + " bytes " + bytes + " crc32c ";
  }

  @Override
  public OptionalLong intact(long index, WriteBuffers buffers) {
    long first = index * tileSamples;
    if (index < 0 || first >= numSamples) {
      return OptionalLong.empty();
    }
    long start = first * rowBytes();
    long bytes = Math.min(tileSamples, numSamples - first) * rowBytes();
    try {
      String text = Files.readString(record(index));
      String prefix = recordPrefix(index, start, bytes);
      if (!text.startsWith(prefix) || text.length() != prefix.length() + 9 || !text.endsWith("\n")) {
        return OptionalLong.empty(); // another tile's range, or a record cut short
      }
      long expectedCrc = Long.parseLong(text.substring(prefix.length(), prefix.length() + 8), 16);
      CRC32C crc = new CRC32C();
      try (FileChannel ch = FileChannel.open(root().resolve(TRACES), StandardOpenOption.READ)) {
        if (ch.size() < start + bytes) {
          return OptionalLong.empty();
        }
        for (long done = 0; done < bytes; ) {
          int n = (int) Math.min(SLICE_BYTES, bytes - done);
          ByteBuffer b = buffers.raw(n);
          if (!buffers.read(ch, b, start + done)) {
            return OptionalLong.empty();
          }
          b.flip();
          crc.update(b);
          done += n;
        }
      }
      return crc.getValue() == expectedCrc ? OptionalLong.of(bytes) : OptionalLong.empty();
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty(); // no record, an unreadable or malformed one: write the tile again
    }
  }

  @Override
  public void commit(RecordingInfo rec, List<Artifact> artifacts, Map<String, Object> provenance) throws IOException {
    Path r = root();
    Path traces = r.resolve(TRACES);
    long expected = numSamples * channels * encoding.bytesPerSample();
    if (Files.size(traces) != expected) {
      throw new IOException(traces + ": holds " + Files.size(traces) + " bytes after every tile, expected " + expected);
    }
    double[] gain = rec.gainToUv();
    Map<String, Object> kwargs = new LinkedHashMap<>();
    kwargs.put("file_paths", List.of(TRACES));
    kwargs.put("sampling_frequency", rec.samplingRate());
    kwargs.put("t_starts", null);
    kwargs.put("num_channels", channels);
    kwargs.put("dtype", encoding.numpyDtype());
    kwargs.put("channel_ids", rec.channelIds());
    kwargs.put("time_axis", 0);
    kwargs.put("file_offset", 0);
    kwargs.put("gain_to_uV", toList(gain));
    kwargs.put("offset_to_uV", toList(new double[channels]));
    kwargs.put("is_filtered", true);
    Map<String, Object> binary = extractor("spikeinterface.core.binaryrecordingextractor.BinaryRecordingExtractor",
        kwargs);
    write(r.resolve("binary.json"), binary);
    write(r.resolve("si_folder.json"), extractor("spikeinterface.core.binaryfolder.BinaryFolderRecording",
        Map.of("folder_path", ".")));
    Files.createDirectories(r.resolve("properties"));
    Npy.writeFloat64(r.resolve("properties/gain_to_uV.npy"), gain, channels);
    Npy.writeFloat64(r.resolve("properties/offset_to_uV.npy"), new double[channels], channels);
    int[] map = new int[channels];
    for (int i = 0; i < channels; i++) {
      map[i] = i;
    }
    Npy.writeInt32(r.resolve("channel_map.npy"), map, channels);
    if (rec.locations() != null) {
      double[] flat = Arrays.stream(rec.locations()).flatMapToDouble(p -> Arrays.stream(p, 0, 2)).toArray();
      Npy.writeFloat64(r.resolve("properties/location.npy"), flat, channels, 2);
      Npy.writeFloat64(r.resolve("channel_positions.npy"), flat, channels, 2);
      write(r.resolve("probe.json"), ProbeDescription.probeGroup(rec.channelIds(), rec.locations()));
      Map<String, Object> ks = new LinkedHashMap<>();
      ks.put("chanMap", toList(map));
      ks.put("xc", Arrays.stream(rec.locations()).map(p -> p[0]).toList());
      ks.put("yc", Arrays.stream(rec.locations()).map(p -> p[1]).toList());
      ks.put("kcoords", toList(new int[channels]));
      ks.put("n_chan", channels);
      write(r.resolve("kilosort4_probe.json"), ks);
    }
    for (Artifact a : artifacts) {
      Npy.writeFloat64(r.resolve(a.name() + ".npy"), a.values(), a.shape());
    }
    String params = String.format(Locale.ROOT,
        "dat_path = '%s'%nn_channels_dat = %d%ndtype = '%s'%noffset = 0%nsample_rate = %s%nhp_filtered = True%n",
        TRACES, channels, encoding.isInt16() ? "int16" : "float32", Double.toString(rec.samplingRate()));
    Files.writeString(r.resolve("params.py"), params);
    Map<String, Object> specus = new LinkedHashMap<>();
    specus.put("dtype", encoding.dtype());
    specus.put("provenance", provenance);
    write(r.resolve("specus_provenance.json"), specus);
    // Tiles and metadata were written without fsync: make them durable before the marker vouches
    // for them; then the records of written tiles have done their job.
    DurableShards.syncTree(r);
    Path written = r.resolve(WRITTEN);
    if (Files.isDirectory(written)) {
      try (Stream<Path> records = Files.list(written)) {
        for (Path p : records.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(written);
      DurableShards.forceDirectory(r);
    }
  }

  private static Map<String, Object> extractor(String cls, Map<String, Object> kwargs) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("module", "spikeinterface");
    d.put("class", cls);
    d.put("version", "0.101.0");
    d.put("annotations", Map.of("is_filtered", true));
    d.put("kwargs", kwargs);
    d.put("properties", Map.of());
    d.put("relative_paths", true);
    return d;
  }

  private static void write(Path file, Object value) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    JSON.writeValue(tmp.toFile(), StableOrder.of(value));
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static List<Object> toList(double[] v) {
    List<Object> l = new ArrayList<>();
    for (double d : v) {
      l.add(d);
    }
    return l;
  }

  private static List<Object> toList(int[] v) {
    List<Object> l = new ArrayList<>();
    for (int d : v) {
      l.add(d);
    }
    return l;
  }
}
