package org.specus.io;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RecentChunksTest {

  @Test
  void aHitMovesToTheFront() {
    RecentChunks r = new RecentChunks(2);
    byte[] a = new byte[1];
    byte[] b = new byte[1];
    r.put(0, a);
    r.put(1, b); // order: 1, 0
    assertSame(a, r.get(0)); // order: 0, 1
    assertSame(b, r.takeOldest(), "1 is now the oldest");
    assertSame(a, r.get(0));
    assertNull(r.get(1));
  }

  @Test
  void theOldestIsEvictedAndHandedBackForReuse() {
    RecentChunks r = new RecentChunks(2);
    assertNull(r.takeOldest(), "nothing held yet");
    byte[] a = new byte[4];
    byte[] b = new byte[4];
    r.put(10, a);
    r.put(11, b);
    byte[] reuse = r.takeOldest();
    assertSame(a, reuse);
    assertNull(r.get(10), "taken, so forgotten");
    r.put(12, reuse);
    assertSame(b, r.get(11));
    assertSame(a, r.get(12));
    r.put(13, new byte[4]); // without takeOldest, put still evicts the oldest (11)
    assertNull(r.get(11));
    assertSame(a, r.get(12));
  }

  @Test
  void distinctKeysKeepDistinctChunks() {
    RecentChunks r = new RecentChunks(3);
    byte[][] chunks = {new byte[1], new byte[1], new byte[1]};
    for (int k = 0; k < 3; k++) {
      r.put(k, chunks[k]);
    }
    for (int k = 2; k >= 0; k--) {
      assertSame(chunks[k], r.get(k));
    }
    assertNull(r.get(3));
    assertNull(r.get(Long.MAX_VALUE));
  }

  @Test
  void clearForgetsEverything() {
    RecentChunks r = new RecentChunks(2);
    r.put(0, new byte[1]);
    r.put(1, new byte[1]);
    r.clear();
    assertNull(r.get(0));
    assertNull(r.get(1));
    assertNull(r.takeOldest());
  }

  @Test
  void needsRoomForOneChunk() {
    assertThrows(IllegalArgumentException.class, () -> new RecentChunks(0));
  }
}
