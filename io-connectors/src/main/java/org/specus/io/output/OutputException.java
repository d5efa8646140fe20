package org.specus.io.output;

/** The output cannot be written where the user asked; the message is one line naming the path. */
public class OutputException extends RuntimeException {
  public OutputException(String message) {
    super(message);
  }
}
