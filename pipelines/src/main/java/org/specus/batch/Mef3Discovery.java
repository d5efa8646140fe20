package org.specus.batch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.specus.io.ReaderOptions;
import org.specus.io.RecordingException;
import org.specus.io.mef3.Mef3Recording;
import org.specus.io.mef3.RateGroup;

/**
 * MEF 3.0 sessions: a {@code <name>.mefd} folder, not entered, whose channels sampled at
 * {@link #MIN_SPIKE_BAND_RATE_HZ} or more are one recording, {@code <name>.zarr}. A session that
 * mixes such rates gives one output per rate, {@code <name>.32000Hz.zarr}; channels at lower rates
 * (macro contacts, EEG) are left out. Every session is opened with the batch's password, if one was
 * given (an unencrypted session does not use it). A session that cannot be opened, a wrong or
 * missing password among the reasons, is listed so that the batch reports why.
 */
public final class Mef3Discovery implements RecordingDiscovery {
  private static final String MEFD = ".mefd";
  private final ReaderOptions options;

  /** @param password the sessions' level-1 or level-2 password, or {@code null} */
  public Mef3Discovery(String password) {
    this.options = ReaderOptions.auto().withPassword(password);
  }

  @Override
  public String format() {
    return "mef3";
  }

  @Override
  public boolean isRecordingDirectory(Path dir) {
    return Mef3Recording.recognises(dir);
  }

  @Override
  public List<Found> recordingsIn(Path dir, List<Path> entries) {
    List<Found> found = new ArrayList<>();
    for (Path e : entries) {
      String name = e.getFileName().toString();
      if (name.endsWith(MEFD) && isRecordingDirectory(e)) {
        found.addAll(recordingsOf(e, name.substring(0, name.length() - MEFD.length())));
      }
    }
    return found;
  }

  private List<Found> recordingsOf(Path mefd, String stem) {
    List<RateGroup> groups;
    try {
      groups = Mef3Recording.rateGroups(mefd, options.password());
    } catch (RecordingException e) {
      // Planning opens it again and reports why it cannot be read (a missing password, damage).
      return List.of(new Found(mefd, options, stem + ".zarr"));
    }
    List<String> all = groups.stream().map(RateGroup::name).toList();
    List<String> kept = groups.stream().filter(g -> g.rate() >= MIN_SPIKE_BAND_RATE_HZ)
        .map(RateGroup::name).toList();
    return Found.parts(mefd, stem, options, all, kept, ReaderOptions::withStream);
  }
}
