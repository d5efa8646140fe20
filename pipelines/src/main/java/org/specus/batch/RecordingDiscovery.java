package org.specus.batch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.specus.io.ReaderOptions;

/**
 * How one recording format is recognised on disk. The batch walks the root once and shows each
 * format every directory it enters, with that directory's entries; the format says which of them
 * are recordings and how each one's output is named. A format whose recording is a set of sibling
 * files (SpikeGLX {@code .bin} + {@code .meta}) decides from the listing alone; one whose files say
 * what they hold (Open Ephys {@code structure.oebin}, NWB) may read their headers, never samples.
 *
 * <p>To add a format: implement this and list it in {@link RecordingFinder#formats}. The input
 * path and reader options a format returns are what {@code Recordings.open} takes.
 */
public interface RecordingDiscovery {

  /**
   * Below this rate a stream is an LFP band (Neuropixels LFP: 2.5 kHz), not input for a chain that
   * band-passes spikes up to several kHz, and formats that list streams leave it out, as SpikeGLX's
   * {@code .lf.bin} is.
   */
  double MIN_SPIKE_BAND_RATE_HZ = 10_000;

  /** Short name of the format, as in reports, e.g. {@code spikeglx}. */
  String format();

  /**
   * True for a directory that is one recording of this format as a whole (a MEF 3.0 {@code .mefd}):
   * the walk does not enter it and lists it among its parent's entries instead.
   */
  default boolean isRecordingDirectory(Path dir) {
    return false;
  }

  /**
   * The recordings among one directory's entries.
   *
   * @param dir the directory
   * @param entries its regular files (symbolic links followed) and the directories some format
   *     reads whole, sorted by name
   * @return one entry per recording, in a stable order
   */
  List<Found> recordingsIn(Path dir, List<Path> entries);

  /**
   * A recording and the name of its output.
   *
   * @param input what {@code Recordings.open} takes
   * @param options how to open it: which stream or series of a file that holds several, a password
   * @param outputName the output's path relative to the mirrored directory, ending in {@code .zarr}
   *     (SpikeInterface opens a Zarr store only under such a name)
   */
  record Found(Path input, ReaderOptions options, String outputName) {
    /** A recording its path names completely. */
    public Found(Path input, String outputName) {
      this(input, ReaderOptions.auto(), outputName);
    }

    /**
     * The recordings of one input that holds several parts (NWB series, MEF 3.0 rate groups), of
     * which {@code kept} are this chain's input: {@code STEM.zarr} when one is kept, else
     * {@code STEM.PART.zarr} each. The options name the part only when the input has several.
     */
    static List<Found> parts(Path input, String stem, ReaderOptions options, List<String> all, List<String> kept,
        BiFunction<ReaderOptions, String, ReaderOptions> choose) {
      List<Found> found = new ArrayList<>();
      for (String part : kept) {
        found.add(new Found(input, all.size() == 1 ? options : choose.apply(options, part),
            kept.size() == 1 ? stem + ".zarr" : stem + "." + part + ".zarr"));
      }
      return found;
    }
  }
}
