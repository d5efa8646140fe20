package org.specus.io.beam;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;
import org.specus.io.ReaderOptions;
import org.specus.io.Recording;

/**
 * What the pipeline needs to know about a recording at construction time, captured once when the
 * pipeline is built so that transforms can validate their parameters (e.g. a cutoff against
 * Nyquist) before anything runs.
 *
 * @param channelGroups group (shank) of each channel, all 0 when the format does not say
 * @param sampleShifts ADC sampling delay of each channel in samples, or {@code null} when unknown
 * @param readerOptions how the recording was opened, so that workers open it the same way
 */
public record RecordingInfo(
    String path,
    String format,
    double samplingRate,
    long numSamples,
    int numChannels,
    List<String> channelIds,
    double[] gainToUv,
    double[][] locations,
    String fingerprint,
    int[] channelGroups,
    double[] sampleShifts,
    ReaderOptions readerOptions)
    implements Serializable {

  /** A recording opened with its path alone (reader detected from the path), without probe wiring. */
  public RecordingInfo(String path, String format, double samplingRate, long numSamples, int numChannels,
      List<String> channelIds, double[] gainToUv, double[][] locations, String fingerprint) {
    this(path, format, samplingRate, numSamples, numChannels, channelIds, gainToUv, locations, fingerprint,
        new int[numChannels], null, ReaderOptions.auto());
  }

  public static RecordingInfo of(Recording r) {
    return of(r, ReaderOptions.auto());
  }

  /** {@code options} are how {@code r} was opened, so that workers open it the same way. */
  public static RecordingInfo of(Recording r, ReaderOptions options) {
    return new RecordingInfo(
        r.path().toString(),
        r.format(),
        r.samplingRate(),
        r.numSamples(),
        r.numChannels(),
        List.copyOf(r.channelIds()),
        r.gainToUv().clone(),
        r.locations(),
        r.fingerprint(),
        r.channelGroups().clone(),
        r.sampleShifts() == null ? null : r.sampleShifts().clone(),
        options);
  }

  public double nyquist() {
    return samplingRate / 2;
  }

  public double durationSeconds() {
    return numSamples / samplingRate;
  }

  public String fileName() {
    return java.nio.file.Path.of(path).getFileName().toString();
  }

  /**
   * Serialised as one packed byte array. Every DoFn that carries this record is serialised and
   * deserialised again for each bundle by the DirectRunner; written field by field, 384 channel ids
   * and 384 location rows made some 800 objects each time, and enough {@code java.io} work that the
   * JIT spent seconds of a short run compiling it.
   */
  private Object writeReplace() throws ObjectStreamException {
    return new Packed(this);
  }

  private static final class Packed implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String path;
    private final String format;
    private final String fingerprint;
    private final ReaderOptions readerOptions;
    private final byte[] channels;

    Packed(RecordingInfo r) {
      path = r.path;
      format = r.format;
      fingerprint = r.fingerprint;
      readerOptions = r.readerOptions;
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeDouble(r.samplingRate);
        out.writeLong(r.numSamples);
        out.writeInt(r.numChannels);
        writeStrings(out, r.channelIds);
        writeDoubles(out, r.gainToUv);
        out.writeInt(r.locations == null ? -1 : r.locations.length);
        for (double[] row : r.locations == null ? new double[0][] : r.locations) {
          writeDoubles(out, row);
        }
        out.writeInt(r.channelGroups == null ? -1 : r.channelGroups.length);
        for (int g : r.channelGroups == null ? new int[0] : r.channelGroups) {
          out.writeInt(g);
        }
        writeDoubles(out, r.sampleShifts);
      } catch (IOException e) {
        throw new UncheckedIOException(e); // in memory: cannot happen
      }
      channels = bytes.toByteArray();
    }

    private Object readResolve() throws ObjectStreamException {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(channels))) {
        double samplingRate = in.readDouble();
        long numSamples = in.readLong();
        int numChannels = in.readInt();
        List<String> ids = readStrings(in);
        double[] gains = readDoubles(in);
        int rows = in.readInt();
        double[][] locations = rows < 0 ? null : new double[rows][];
        for (int i = 0; i < rows; i++) {
          locations[i] = readDoubles(in);
        }
        int groupCount = in.readInt();
        int[] groups = groupCount < 0 ? null : new int[groupCount];
        for (int i = 0; i < groupCount; i++) {
          groups[i] = in.readInt();
        }
        double[] shifts = readDoubles(in);
        return new RecordingInfo(path, format, samplingRate, numSamples, numChannels, ids, gains, locations,
            fingerprint, groups, shifts, readerOptions);
      } catch (IOException e) {
        InvalidObjectException bad = new InvalidObjectException("damaged recording facts");
        bad.initCause(e);
        throw bad;
      }
    }

    private static void writeStrings(DataOutputStream out, List<String> values) throws IOException {
      out.writeInt(values == null ? -1 : values.size());
      for (String v : values == null ? List.<String>of() : values) {
        out.writeUTF(v);
      }
    }

    private static List<String> readStrings(DataInputStream in) throws IOException {
      int n = in.readInt();
      if (n < 0) {
        return null;
      }
      String[] values = new String[n];
      for (int i = 0; i < n; i++) {
        values[i] = in.readUTF();
      }
      return List.of(values);
    }

    private static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
      out.writeInt(values == null ? -1 : values.length);
      for (double v : values == null ? new double[0] : values) {
        out.writeDouble(v);
      }
    }

    private static double[] readDoubles(DataInputStream in) throws IOException {
      int n = in.readInt();
      double[] values = n < 0 ? null : new double[n];
      for (int i = 0; i < n; i++) {
        values[i] = in.readDouble();
      }
      return values;
    }
  }
}
