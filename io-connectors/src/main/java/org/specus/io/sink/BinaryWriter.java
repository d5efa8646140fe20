package org.specus.io.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.specus.io.beam.Artifact;
import org.specus.io.beam.RecordingInfo;
import org.specus.io.npy.Npy;

/**
 * Writes a flat binary that Kilosort reads ({@code traces_cached_seg0.raw}: sample-major,
 * little-endian int16 or float32, no header), inside a SpikeInterface binary folder
 * ({@code binary.json}, {@code si_folder.json}, {@code probe.json}, {@code properties/*.npy}), with
 * the channel map and positions as Kilosort and phy name them ({@code channel_map.npy},
 * {@code channel_positions.npy}, a Kilosort 4 probe {@code kilosort4_probe.json}) and a phy-style
 * {@code params.py}.
 *
 * <p>Each tile writes its own byte range of the one file with positional writes (safe from
 * several threads; a retried tile rewrites the same bytes), so tiles need no ordering.
 */
public final class BinaryWriter implements TileWriter {
  public static final String TRACES = "traces_cached_seg0.raw";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String root;
  private final long numSamples;
  private final int channels;
  private final SampleEncoding encoding;

  public BinaryWriter(Path root, long numSamples, int channels, SampleEncoding encoding) {
    this.root = root.toString();
    this.numSamples = numSamples;
    this.channels = channels;
    this.encoding = encoding;
  }

  @Override
  public Path root() {
    return Path.of(root);
  }

  @Override
  public long write(long index, long firstSample, float[] data, int rows) throws IOException {
    ByteBuffer bytes = encoding.encode(data, rows * channels, rows * channels);
    long position = firstSample * channels * encoding.bytesPerSample();
    try (FileChannel f = FileChannel.open(root().resolve(TRACES), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      while (bytes.hasRemaining()) {
        position += f.write(bytes, position);
      }
    }
    return (long) rows * channels * encoding.bytesPerSample();
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
    JSON.writeValue(tmp.toFile(), value);
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
