package org.specus.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.specus.io.beam.Tile;

class StatisticsSampleTest {

  @Test
  void chunksLieOnePerSegmentInsideTheRecording() {
    long n = 30_000L * 600;
    List<Tile> chunks = StatisticsSample.plan(n, 20, 15_000, 0);
    assertEquals(20, chunks.size());
    double segment = n / 20.0;
    for (int k = 0; k < 20; k++) {
      Tile t = chunks.get(k);
      assertEquals(15_000, t.length());
      assertTrue(t.start() >= Math.floor(k * segment), "chunk " + k + " starts before its segment");
      assertTrue(t.end() <= Math.floor((k + 1) * segment), "chunk " + k + " ends after its segment");
    }
  }

  @Test
  void theSeedDecidesThePlacementAndNothingElseDoes() {
    long n = 30_000L * 60;
    assertEquals(starts(StatisticsSample.plan(n, 20, 15_000, 7)), starts(StatisticsSample.plan(n, 20, 15_000, 7)));
    assertNotEquals(starts(StatisticsSample.plan(n, 20, 15_000, 7)), starts(StatisticsSample.plan(n, 20, 15_000, 8)));
  }

  @Test
  void aShortRecordingIsUsedWhole() {
    List<Tile> chunks = StatisticsSample.plan(100_000, 20, 15_000, 0);
    assertEquals(7, chunks.size());
    assertEquals(0, chunks.get(0).start());
    assertEquals(100_000, chunks.get(6).end());
    for (int i = 1; i < chunks.size(); i++) {
      assertEquals(chunks.get(i - 1).end(), chunks.get(i).start());
    }
  }

  private static List<Long> starts(List<Tile> chunks) {
    return chunks.stream().map(Tile::start).toList();
  }
}
