package org.specus.batch;

import java.nio.file.Path;
import java.util.List;

/**
 * How one recording format is recognised on disk. The batch walks the root once and shows each
 * format every directory it enters, with that directory's regular files; the format says which of
 * them are recordings and how each one's output is named. A format whose recording is a set of
 * sibling files (SpikeGLX {@code .bin} + {@code .meta}) or a directory marker (Open Ephys
 * {@code structure.oebin}) decides from the listing alone, without opening anything.
 *
 * <p>To add a format: implement this and list it in {@link RecordingFinder#DEFAULT_FORMATS}. The
 * input path a format returns is what {@code Recordings.open} takes.
 */
public interface RecordingDiscovery {

  /** Short name of the format, as in reports, e.g. {@code spikeglx}. */
  String format();

  /**
   * The recordings among one directory's files.
   *
   * @param dir the directory
   * @param files its regular files (symbolic links followed), sorted by name
   * @return one entry per recording, in a stable order
   */
  List<Found> recordingsIn(Path dir, List<Path> files);

  /**
   * A recording and the name of its output.
   *
   * @param input what {@code Recordings.open} takes
   * @param outputName the output's path relative to the mirrored directory, ending in {@code .zarr}
   *     (SpikeInterface opens a Zarr store only under such a name)
   */
  record Found(Path input, String outputName) {}
}
