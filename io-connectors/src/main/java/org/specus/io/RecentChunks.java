package org.specus.io;

import java.util.Arrays;

/**
 * One thread's last few decoded chunks, most recent first, keyed by chunk number.
 *
 * <p>A tile read with margins touches the chunks its neighbour decoded, so each reader (NWB, Zarr v2
 * and v3, in their own packages: hence public) keeps per thread its last {@code capacity} decoded
 * chunks instead of decoding them again; memory stays bounded at {@code capacity} chunks a thread.
 * Keys are chunk numbers, never negative. Not thread-safe: each thread owns its own.
 */
public final class RecentChunks {
  private final long[] keys;
  private final byte[][] chunks;

  public RecentChunks(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity " + capacity + " < 1");
    }
    keys = new long[capacity];
    chunks = new byte[capacity][];
    Arrays.fill(keys, -1);
  }

  /** Chunk {@code key}, now the most recent, or {@code null} when it is not held. */
  public byte[] get(long key) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] == key) {
        byte[] hit = chunks[i];
        moveToFront(i, key, hit);
        return hit;
      }
    }
    return null;
  }

  /** Holds {@code chunk} as the most recent, forgetting the oldest (call {@link #takeOldest} first to reuse it). */
  public void put(long key, byte[] chunk) {
    moveToFront(keys.length - 1, key, chunk);
  }

  /** Forgets the oldest chunk and returns its array for reuse ({@code null} if there was none). */
  public byte[] takeOldest() {
    int last = keys.length - 1;
    byte[] old = chunks[last];
    keys[last] = -1;
    chunks[last] = null;
    return old;
  }

  /** Forgets every chunk. */
  public void clear() {
    Arrays.fill(keys, -1);
    Arrays.fill(chunks, null);
  }

  private void moveToFront(int i, long key, byte[] chunk) {
    System.arraycopy(keys, 0, keys, 1, i);
    System.arraycopy(chunks, 0, chunks, 1, i);
    keys[0] = key;
    chunks[0] = chunk;
  }
}
