package org.specus.io.zarr.blosc;

/**
 * Blosc's shuffle filter, applied to each block before the codec: none, byte shuffle (byte
 * {@code j} of every element together, see {@link Shuffle#bytes}) or bitshuffle (bit {@code k} of
 * byte {@code j} of every element together, see {@link Shuffle#bits}).
 */
public enum ShuffleMode {
  NOSHUFFLE("noshuffle", 0, 0),
  SHUFFLE("shuffle", 1, BloscHeader.BYTE_SHUFFLE),
  BITSHUFFLE("bitshuffle", 2, BloscHeader.BIT_SHUFFLE);

  private final String zarrName;
  private final int numcodecsId;
  private final int headerFlag;

  ShuffleMode(String zarrName, int numcodecsId, int headerFlag) {
    this.zarrName = zarrName;
    this.numcodecsId = numcodecsId;
    this.headerFlag = headerFlag;
  }

  /** The name in a Zarr v3 {@code blosc} codec's configuration ({@code "shuffle": "bitshuffle"}). */
  public String zarrName() {
    return zarrName;
  }

  /** The number in a Zarr v2 / numcodecs {@code Blosc} compressor ({@code "shuffle": 2}). */
  public int numcodecsId() {
    return numcodecsId;
  }

  int headerFlag() {
    return headerFlag;
  }

  /** The mode named {@code name} as Zarr v3 spells it, or by its numcodecs number. */
  public static ShuffleMode of(String name) {
    for (ShuffleMode m : values()) {
      if (m.zarrName.equals(name) || Integer.toString(m.numcodecsId).equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown Blosc shuffle '" + name + "' (noshuffle, shuffle, bitshuffle)");
  }
}
