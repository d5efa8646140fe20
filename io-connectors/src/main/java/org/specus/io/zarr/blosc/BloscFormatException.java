package org.specus.io.zarr.blosc;

import java.io.IOException;

/**
 * A Blosc chunk that cannot be decoded: truncated, corrupt, or using a codec Specus does not read.
 * The message says what is wrong but not where the chunk came from; the reader that owns the chunk
 * file puts the file's name in front.
 */
public class BloscFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public BloscFormatException(String message) {
    super(message);
  }

  public BloscFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
