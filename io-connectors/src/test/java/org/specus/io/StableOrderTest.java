package org.specus.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Salted {@code Map.of}/{@code Set.of} are written sorted; everything else keeps its order. */
class StableOrderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void saltedMapsAndSetsAreSortedOtherContainersKeepTheirOrder() throws Exception {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("zeta", Map.of("version", "1", "name", "specus", "b", 2));
    inner.put("alpha", Set.of("y", "x"));
    inner.put("list", List.of(3, 1, 2));
    inner.put("set", new LinkedHashSet<>(List.of("q", "p")));
    inner.put("one", Map.of("k", 1));
    inner.put("array", new double[] {2, 1});
    Object stable = StableOrder.of(List.of(inner, Map.of("d", inner, "c", 0)));
    assertEquals("[{\"zeta\":{\"b\":2,\"name\":\"specus\",\"version\":\"1\"},\"alpha\":[\"x\",\"y\"],"
            + "\"list\":[3,1,2],\"set\":[\"q\",\"p\"],\"one\":{\"k\":1},\"array\":[2.0,1.0]},"
            + "{\"c\":0,\"d\":{\"zeta\":{\"b\":2,\"name\":\"specus\",\"version\":\"1\"},\"alpha\":[\"x\",\"y\"],"
            + "\"list\":[3,1,2],\"set\":[\"q\",\"p\"],\"one\":{\"k\":1},\"array\":[2.0,1.0]}}]",
        JSON.writeValueAsString(stable));
  }
}
