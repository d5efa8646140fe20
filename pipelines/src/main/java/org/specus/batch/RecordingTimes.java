package org.specus.batch;

/**
 * How long a recording takes, learned from those a batch has finished: a cost per recording
 * (building and starting its pipeline, the statistics pass, the commit; on Flink, submitting the
 * job) plus a cost per byte of input, fitted by least squares. Input bytes alone would say that a
 * root of small recordings takes hours: each of them costs seconds for few bytes.
 */
final class RecordingTimes {
  /**
   * Seconds per recording and per byte, both at least 0, fitted on recordings of at most
   * {@code largest} bytes.
   */
  record Fit(double perRecording, double perByte, long largest) {
    double seconds(long bytes) {
      return perRecording + perByte * bytes;
    }

    /**
     * True for sizes the fit has seen the like of: up to twice the largest. Tiny recordings,
     * where the cost per recording hides the cost per byte, say nothing of a large one.
     */
    boolean covers(long bytes) {
      return bytes <= 2 * largest;
    }
  }

  private int n;
  private double sumBytes;
  private double sumSeconds;
  private double sumBytes2;
  private double sumBytesSeconds;
  private long largest;

  /** A recording that computed {@code bytes} of input (0 when every shard was reused) in {@code seconds}. */
  synchronized void add(long bytes, double seconds) {
    n++;
    sumBytes += bytes;
    sumSeconds += seconds;
    sumBytes2 += (double) bytes * bytes;
    sumBytesSeconds += bytes * seconds;
    largest = Math.max(largest, bytes);
  }

  /** The speed so far, with the current recording's {@code bytes} computed in {@code seconds}; 0 before any. */
  synchronized double bytesPerSecond(long bytes, double seconds) {
    double total = sumSeconds + seconds;
    return total > 0 ? (sumBytes + bytes) / total : 0;
  }

  /**
   * The fit, or {@code null} before the first recording. Until the recordings' sizes differ by
   * more than 10 % the two costs cannot be told apart, and all the time is put on the bytes (or on
   * the recordings, when none computed any): the estimate a single recording supports.
   */
  synchronized Fit fit() {
    if (n == 0) {
      return null;
    }
    double mean = sumBytes / n;
    double variance = sumBytes2 / n - mean * mean;
    if (mean == 0) {
      return new Fit(sumSeconds / n, 0, largest);
    }
    if (variance <= 0.01 * mean * mean) {
      return new Fit(0, sumSeconds / sumBytes, largest);
    }
    double perByte = (sumBytesSeconds / n - mean * sumSeconds / n) / variance;
    if (perByte <= 0) {
      return new Fit(sumSeconds / n, 0, largest);
    }
    double perRecording = (sumSeconds - perByte * sumBytes) / n;
    return perRecording < 0 ? new Fit(0, sumSeconds / sumBytes, largest) : new Fit(perRecording, perByte, largest);
  }
}
