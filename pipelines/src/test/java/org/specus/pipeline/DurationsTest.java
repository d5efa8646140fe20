package org.specus.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void unitsPeopleType() {
    assertEquals(60, Durations.seconds("60s", "--duration"));
    assertEquals(0.5, Durations.seconds("500ms", "--tile"));
    assertEquals(600, Durations.seconds("10m", "--duration"));
    assertEquals(1.5, Durations.seconds("1.5", "--tile"));
    assertEquals(7200, Durations.seconds("2h", "--duration"));
  }

  @Test
  void nonsenseNamesTheOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.seconds("ten", "--tile"));
    assertTrue(e.getMessage().startsWith("--tile: 'ten'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Durations.seconds("0s", "--tile"));
  }
}
