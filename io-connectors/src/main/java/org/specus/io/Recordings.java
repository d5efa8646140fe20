package org.specus.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.specus.io.mef3.Mef3Recording;
import org.specus.io.nwb.NwbRecording;
import org.specus.io.openephys.OpenEphysRecording;
import org.specus.io.raw.RawBinaryRecording;
import org.specus.io.spikeglx.SpikeGlxRecording;
import org.specus.io.spikeglx.SpikeGlxRuns;
import org.specus.io.spikeglx.SpikeGlxTriggers;
import org.specus.io.zarr.ZarrRecording;

/**
 * Opens a recording with the reader its path calls for, or the one {@link ReaderOptions#format()}
 * names. Detection by path:
 *
 * <ul>
 *   <li>{@code structure.oebin}, a folder holding one (or a single one below it), or a stream's
 *       {@code continuous.dat}: Open Ephys binary;
 *   <li>{@code .nwb}: NWB (HDF5);
 *   <li>a directory with {@code zarr.json} or {@code .zgroup} (e.g. {@code out.zarr}): Zarr;
 *   <li>a {@code .mefd} directory: a MEF 3.0 session;
 *   <li>{@code .bin}/{@code .meta} with a {@code .meta} beside it: SpikeGLX (with
 *       {@code concatTriggers}: every trigger file of its gate);
 *   <li>{@code .bin}, {@code .dat}, {@code .raw} with the raw layout options: headerless binary.
 * </ul>
 */
public final class Recordings {

  static final String SUPPORTED = "supported: SpikeGLX (.bin/.meta), Open Ephys binary (structure.oebin or its"
      + " folder), NWB (.nwb), Zarr (a .zarr directory), MEF 3.0 (a .mefd directory), headerless binary (.bin/.dat/.raw with --raw-dtype,"
      + " --raw-channels, --raw-rate)";

  private Recordings() {}

  /** Opens {@code path} with the reader detected from it. */
  public static Recording open(Path path) {
    return open(path, ReaderOptions.auto());
  }

  /**
   * Opens {@code path} for reading.
   *
   * @throws IllegalArgumentException when the path is not of a supported format
   * @throws RecordingException when it is, but the input is unusable (names the file and the problem)
   */
  public static Recording open(Path path, ReaderOptions options) {
    String format = options.format() != null ? options.format() : detect(path, options);
    checkOptionsApply(path, format, options);
    return switch (format) {
      case "spikeglx" -> options.concatTriggers() ? SpikeGlxTriggers.open(path) : SpikeGlxRecording.open(path);
      case "openephys" -> OpenEphysRecording.open(path, options.stream());
      case "nwb" -> NwbRecording.open(path, options.series());
      case "zarr" -> ZarrRecording.open(path);
      case "raw" -> RawBinaryRecording.open(path, options);
      case "mef3" -> Mef3Recording.open(path, options.password(), options.stream());
      default -> throw new IllegalArgumentException(path + ": unknown reader '" + format + "'; " + SUPPORTED);
    };
  }

  /**
   * Refuses options that the chosen reader would ignore: a {@code --stream} given for a SpikeGLX
   * file, or {@code --raw-*} for a {@code .bin} that has a {@code .meta}, means the user expects a
   * selection or a layout that would silently not happen, and an output made that way would look
   * like the one they asked for.
   */
  static void checkOptionsApply(Path path, String format, ReaderOptions options) {
    List<String> unused = new ArrayList<>();
    if (options.stream() != null && !format.equals("openephys") && !format.equals("mef3")) {
      unused.add("--stream (Open Ephys, MEF 3.0)");
    }
    if (options.series() != null && !format.equals("nwb")) {
      unused.add("--series (NWB)");
    }
    if (options.concatTriggers() && !format.equals("spikeglx")) {
      unused.add("--concat-triggers (SpikeGLX)");
    }
    boolean raw = options.hasRawLayout() || options.rawOffset() != null || options.rawGainToUv() != null
        || options.rawPositions() != null;
    if (raw && !format.equals("raw")) {
      unused.add("--raw-* (headerless binary)");
    }
    if (!unused.isEmpty()) {
      String hint = raw && format.equals("spikeglx") && options.format() == null
          ? "; add --format-in raw to read it as a headerless binary" : "; remove " + (unused.size() == 1 ? "it" : "them");
      throw RecordingException.in(path, "read as " + format + (options.format() == null ? " (detected from the path)" : "")
          + ", which does not use " + String.join(", ", unused) + hint);
    }
  }

  /** The reader name for {@code path}. */
  static String detect(Path path, ReaderOptions options) {
    String name = String.valueOf(path.getFileName());
    if (!Files.exists(path) && !name.endsWith(".bin") && !name.endsWith(".meta")) {
      throw noSuchFile(path);
    }
    if (OpenEphysRecording.recognises(path)) {
      return "openephys";
    }
    if (Files.isDirectory(path)) {
      if (ZarrRecording.recognises(path)) {
        return "zarr";
      }
      if (Mef3Recording.recognises(path)) {
        return "mef3";
      }
      if (!OpenEphysRecording.findAll(path).isEmpty()) {
        return "openephys";
      }
      throw new IllegalArgumentException(path + ": a directory that is neither a Zarr store, an Open Ephys"
          + " recording nor a MEF 3.0 session; " + SUPPORTED);
    }
    if (name.endsWith(".nwb")) {
      return "nwb";
    }
    if (name.endsWith(".meta")) {
      return "spikeglx";
    }
    if (name.endsWith(".bin") || name.endsWith(".dat") || name.endsWith(".raw")) {
      boolean hasMeta = name.endsWith(".bin")
          && Files.isRegularFile(path.resolveSibling(name.substring(0, name.length() - 4) + ".meta"));
      // A SpikeGLX-style name without its .meta is a SpikeGLX problem, and is reported as one.
      boolean spikeGlxName = name.matches(".*\\.(imec\\d*\\.(ap|lf)|nidq|obx\\d*)\\.bin");
      if (hasMeta || (spikeGlxName && !options.hasRawLayout())) {
        return "spikeglx";
      }
      if (options.hasRawLayout()) {
        return "raw";
      }
      if (!Files.exists(path)) {
        throw noSuchFile(path);
      }
      throw RecordingException.in(path, "no .meta beside it, so not SpikeGLX; for a headerless binary give its layout"
          + " with --raw-dtype, --raw-channels and --raw-rate");
    }
    throw new IllegalArgumentException(path + ": unknown recording format; " + SUPPORTED);
  }

  private static IllegalArgumentException noSuchFile(Path path) {
    return new IllegalArgumentException(path + ": no such file or directory; " + SUPPORTED);
  }

  /**
   * What a folder that holds several recordings contains, one line each (Open Ephys experiments,
   * recordings and streams; SpikeGLX runs, gates, triggers and probes), or an empty list when
   * {@code path} is a single recording.
   */
  public static List<String> catalog(Path path) {
    if (!Files.isDirectory(path) || ZarrRecording.recognises(path) || Mef3Recording.recognises(path)) {
      return List.of();
    }
    List<Path> oebins = OpenEphysRecording.findAll(path);
    if (oebins.size() > 1 || (oebins.size() == 1 && !Files.isRegularFile(path.resolve(OpenEphysRecording.STRUCTURE)))) {
      return OpenEphysRecording.catalog(path);
    }
    if (oebins.isEmpty() && SpikeGlxRuns.holdsRuns(path)) {
      return SpikeGlxRuns.catalog(path);
    }
    return List.of();
  }
}
