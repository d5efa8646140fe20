package org.specus.pipeline;

/**
 * A job that the runner ran and that failed there, with the reason the runner gave: the exception
 * of the last attempt, unwrapped from the layers that Beam's client and Flink add around it. The
 * cause is kept, so {@code specus} can tell a bad input (exit code 2) from a fault (exit code 1).
 */
public final class JobFailedException extends RuntimeException {
  private final Throwable reason;

  private JobFailedException(String message, Throwable reason, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** The innermost exception: what actually went wrong on a worker. */
  public Throwable reason() {
    return reason;
  }

  static JobFailedException fromFlink(String where, Throwable e) {
    Throwable reason = e;
    boolean gaveUp = false;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = String.valueOf(t.getMessage());
      gaveUp |= m.startsWith("Recovery is suppressed");
      reason = t;
    }
    String text = reason.getMessage() != null ? reason.getMessage() : reason.getClass().getName();
    return new JobFailedException("the Flink job failed (" + where + ")"
        + (gaveUp ? " after the cluster's restart attempts" : "") + ": " + text.lines().findFirst().orElse(""),
        reason, e);
  }
}
