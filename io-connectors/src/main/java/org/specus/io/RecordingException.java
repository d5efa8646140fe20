package org.specus.io;

import java.nio.file.Path;

/**
 * The input is not a recording Specus can read as given (missing or malformed metadata, a data
 * file whose size does not fit its metadata, ...).
 *
 * <p>The message is one line that starts with the name of the file at fault, so that a user
 * running over many recordings can tell which one to look at without a stack trace.
 */
public class RecordingException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public RecordingException(String message) {
    super(oneLine(message));
  }

  public RecordingException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  /** {@code "<file name>: <problem>"}. */
  public static RecordingException in(Path file, String problem) {
    return in(String.valueOf(file.getFileName()), problem);
  }

  /** {@code "<file name>: <problem>"}. */
  public static RecordingException in(String fileName, String problem) {
    return new RecordingException(fileName + ": " + problem);
  }

  // Values quoted from a file may hold line breaks; a multi-line message would break log greps.
  private static String oneLine(String message) {
    return message == null ? null : message.replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
