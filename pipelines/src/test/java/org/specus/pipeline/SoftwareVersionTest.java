package org.specus.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SoftwareVersionTest {
  @Test
  void mavenVersionPlusADigestOfTheCode() {
    String v = SoftwareVersion.get();
    assertTrue(v.matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\+[0-9a-f]{12}"), v);
    assertEquals(v, SoftwareVersion.get());
  }
}
