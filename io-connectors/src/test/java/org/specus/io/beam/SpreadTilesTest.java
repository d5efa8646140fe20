package org.specus.io.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Which tile follows another in its bundle, so that it can be read ahead. */
class SpreadTilesTest {

  @Test
  void theNextTileIsTheFollowingOneInTheSameBundle() {
    long samples = 10 * 300 + 120; // 10 whole tiles of 300 and a last one of 120
    assertEquals(new Tile(1, 300, 600), SpreadTiles.nextInBundle(new Tile(0, 0, 300), 4, samples));
    assertEquals(new Tile(3, 900, 1200), SpreadTiles.nextInBundle(new Tile(2, 600, 900), 4, samples));
    assertNull(SpreadTiles.nextInBundle(new Tile(3, 900, 1200), 4, samples), "tile 4 opens the next bundle");
    assertEquals(new Tile(10, 3000, 3120), SpreadTiles.nextInBundle(new Tile(9, 2700, 3000), 4, samples),
        "the recording's last tile is shorter");
    assertNull(SpreadTiles.nextInBundle(new Tile(10, 3000, 3120), 4, samples), "the recording ends");
    assertNull(SpreadTiles.nextInBundle(new Tile(5, 1500, 1800), 1, samples), "bundles of one tile");
  }
}
