package org.specus.io.zarr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class ShardedArrayLayoutTest {

  private static String rejected(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void innerRowsMustDivideShardRows() {
    String m = rejected(() -> ShardedArrayLayout.of(100_000, 384, 30_000, 7_000,
        ZarrDataType.FLOAT32));
    assertTrue(m.contains("innerRows (samples per inner chunk) = 7000 does not divide"
        + " shardRows (samples per shard) = 30000"), m);
    assertTrue(m.contains("e.g. innerRows = 6000"), m);

    m = rejected(() -> ShardedArrayLayout.of(100, 4, 10, 20, ZarrDataType.FLOAT32));
    assertTrue(m.contains("larger than shardRows"), m);
  }

  @Test
  void sizesMustBePositive() {
    assertEquals("rows (number of samples) must be positive, got 0",
        rejected(() -> ShardedArrayLayout.of(0, 4, 10, 5, ZarrDataType.FLOAT32)));
    assertEquals("cols (number of channels) must be positive, got -1",
        rejected(() -> ShardedArrayLayout.of(10, -1, 10, 5, ZarrDataType.FLOAT32)));
    assertEquals("shardRows (samples per shard) must be positive, got 0",
        rejected(() -> ShardedArrayLayout.of(10, 4, 0, 5, ZarrDataType.FLOAT32)));
    assertEquals("innerRows (samples per inner chunk) must be positive, got 0",
        rejected(() -> ShardedArrayLayout.of(10, 4, 10, 0, ZarrDataType.FLOAT32)));
  }

  @Test
  void otherLimits() {
    String m = rejected(() -> ShardedArrayLayout.of(10, 4, 10, 5, ZarrDataType.FLOAT32, 99));
    assertTrue(m.contains("zstd level 99 is outside"), m);
    m = rejected(() -> ShardedArrayLayout.of(1L << 40, 100_000, 1_000_000, 1000,
        ZarrDataType.FLOAT32));
    assertTrue(m.contains("too large for one Java array"), m);
  }

  @Test
  void derivedValuesAndSerialization() throws Exception {
    ShardedArrayLayout l = ShardedArrayLayout.of(70_001, 384, 30_000, 3_000, ZarrDataType.FLOAT32);
    assertEquals(1, l.zstdLevel());
    assertEquals(3, l.shardCount());
    assertEquals(10, l.innerChunksPerShard());
    assertEquals(30_000, l.rowsInShard(1));
    assertEquals(10_001, l.rowsInShard(2));
    assertEquals(3_000 * 384 * 4, l.innerChunkBytes());
    assertEquals("c/2/0", l.shardKey(2));

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(l);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(l, in.readObject());
    }
  }
}
