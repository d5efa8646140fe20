package org.specus.cli;

import org.specus.io.ReaderOptions;
import picocli.CommandLine.Option;

/** The options that say how to open an input, shared by {@code info} and {@code preprocess}. */
final class InputOptions {

  @Option(names = "--format-in", paramLabel = "auto|spikeglx|openephys|nwb|zarr|raw|mef3", defaultValue = "auto",
      description = "Input reader (default: detected from the path).")
  String formatIn;

  @Option(names = "--stream", paramLabel = "NAME",
      description = "Open Ephys continuous stream (e.g. Neuropix-PXI-100.0 or ProbeA-AP) when there are several;"
          + " MEF 3.0: the sampling rate of the channels to read (e.g. 32000Hz) when a session mixes rates.")
  String stream;

  @Option(names = "--series", paramLabel = "NAME",
      description = "NWB ElectricalSeries under /acquisition when there are several.")
  String series;

  @Option(names = "--concat-triggers",
      description = "SpikeGLX: read every trigger file (_t0, _t1, ...) of the given file's gate, in order, as one recording.")
  boolean concatTriggers;

  @Option(names = "--raw-dtype", paramLabel = "int16|uint16|int32|float32|float64",
      description = "Headerless binary: sample type (little-endian).")
  String rawDtype;

  @Option(names = "--raw-channels", paramLabel = "N", description = "Headerless binary: interleaved channels.")
  Integer rawChannels;

  @Option(names = "--raw-rate", paramLabel = "HZ", description = "Headerless binary: sampling rate in Hz.")
  Double rawRate;

  @Option(names = "--raw-offset", paramLabel = "BYTES", description = "Headerless binary: header bytes to skip (default 0).")
  Long rawOffset;

  @Option(names = "--raw-gain", paramLabel = "UV", description = "Headerless binary: µV per stored value (default 1).")
  Double rawGain;

  @Option(names = "--raw-positions", paramLabel = "FILE.npy",
      description = "Headerless binary: contact positions [channels, 2] in µm (default: channel_positions.npy beside it, if any).")
  String rawPositions;

  // From the environment by default, so that the password need not appear in `ps` or a shell history.
  @Option(names = "--mef-password", paramLabel = "PASSWORD", defaultValue = "${env:SPECUS_MEF_PASSWORD}",
      description = "MEF 3.0: the session's level-1 or level-2 password, for an encrypted session"
          + " (default: $SPECUS_MEF_PASSWORD).")
  String mefPassword;

  ReaderOptions toReaderOptions() {
    return ReaderOptions.auto()
        .withFormat(formatIn)
        .withStream(stream)
        .withSeries(series)
        .withConcatTriggers(concatTriggers)
        .withRaw(rawDtype, rawChannels, rawRate, rawOffset)
        .withRawGainToUv(rawGain)
        .withRawPositions(rawPositions)
        .withPassword(mefPassword);
  }
}
