package org.specus.io.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Chunks of finished rows become runs: every kept row once, none of the margins, bounded runs. */
class RowRunsTest {

  private static List<int[]> collect(int keepFrom, int keepTo, int runRows, int[][] chunks) {
    List<int[]> runs = new ArrayList<>();
    RowRuns r = new RowRuns(keepFrom, keepTo, runRows, (a, b) -> runs.add(new int[] {a, b}));
    for (int[] c : chunks) {
      r.rows(c[0], c[1]);
    }
    r.finish();
    return runs;
  }

  /** A filter's backward pass: chunks of 32 from the end back, margins of 50 on both sides. */
  @Test
  void backwardChunksMakeRunsCoveringTheKeptRowsOnce() {
    int rows = 1100;
    List<int[]> chunks = new ArrayList<>();
    for (int done = 0; done < rows; done += 32) {
      int m = Math.min(32, rows - done);
      chunks.add(new int[] {rows - done - m, rows - done});
    }
    List<int[]> runs = collect(50, 1050, 192, chunks.toArray(new int[0][]));
    int[] seen = new int[rows];
    for (int[] run : runs) {
      assertEquals(true, run[1] - run[0] <= 192 + 31, "run " + run[0] + "-" + run[1] + " too long");
      for (int i = run[0]; i < run[1]; i++) {
        seen[i]++;
      }
    }
    for (int i = 0; i < rows; i++) {
      assertEquals(i >= 50 && i < 1050 ? 1 : 0, seen[i], "row " + i);
    }
    // runs follow the chunks' order: from the end back
    assertEquals(1050, runs.get(0)[1]);
    assertEquals(50, runs.get(runs.size() - 1)[0]);
  }

  @Test
  void oneChunkOfAllRowsIsSplitIntoRunsOfLessThanTwiceRunRows() {
    List<int[]> runs = collect(10, 500, 192, new int[][] {{0, 510}});
    assertEquals(List.of("10-202", "202-500"),
        runs.stream().map(r -> r[0] + "-" + r[1]).toList());
  }

  @Test
  void aChunkThatDoesNotContinueTheRunHandsItOnFirst() {
    List<int[]> runs = collect(0, 100, 64, new int[][] {{0, 10}, {10, 20}, {40, 50}, {30, 40}, {90, 100}});
    assertEquals(List.of("0-20", "30-50", "90-100"), runs.stream().map(r -> r[0] + "-" + r[1]).toList());
  }

  @Test
  void nothingKeptMeansNoRuns() {
    assertEquals(0, collect(5, 5, 16, new int[][] {{0, 10}}).size());
    assertThrows(IllegalArgumentException.class, () -> new RowRuns(6, 5, 16, (a, b) -> { }));
    assertThrows(IllegalArgumentException.class, () -> new RowRuns(0, 5, 0, (a, b) -> { }));
  }
}
