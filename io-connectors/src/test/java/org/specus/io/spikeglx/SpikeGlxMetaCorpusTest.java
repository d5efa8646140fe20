package org.specus.io.spikeglx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.specus.io.RecordingException;
import org.specus.io.TestData;

/**
 * Every real {@code .meta} under {@code ../shared/data/spikeglx} either yields a channel model or
 * fails with a {@link RecordingException} naming the file; the files that fail are listed here
 * with the reason, so that a regression (or a fix) shows up as a difference.
 */
class SpikeGlxMetaCorpusTest {

  /** Path relative to {@code spikeglx/} → a fragment of the expected message. */
  private static final Map<String, String> EXPECTED_FAILURES = Map.of(
      // A nidq file of one digital word: nothing analog to preprocess.
      "recordings/DigitalChannelTest_g0/DigitalChannelTest_g0_t0.nidq.meta",
      "saves digital words only: no analog channel to preprocess");

  @Test
  void everyMetaFileParsesOrFailsWithItsName() throws Exception {
    Path root = TestData.require("spikeglx");
    List<Path> metas;
    try (Stream<Path> walk = Files.walk(root)) {
      metas = walk.filter(p -> p.getFileName().toString().endsWith(".meta")).sorted().collect(Collectors.toList());
    }
    assertTrue(metas.size() > 100, "expected more than 100 .meta files, found " + metas.size());
    Map<String, String> failures = new TreeMap<>();
    int withBin = 0;
    for (Path metaFile : metas) {
      String rel = root.relativize(metaFile).toString().replace('\\', '/');
      String name = metaFile.getFileName().toString();
      try {
        SpikeGlxMeta meta = SpikeGlxMeta.read(metaFile);
        SpikeGlxChannels ch = SpikeGlxChannels.of(meta);
        checkModel(rel, ch);
        String line = String.format("%-110s %-40s %4d ch %12s Hz  %s µV/bit  geometry %s", rel,
            ch.probe() == null ? ch.stream().label() : ch.probe().label(), ch.numChannels(),
            SpikeGlxRecording.number(ch.samplingRate()), gainText(ch.gainToUv()),
            ch.locations() == null ? "unknown" : "yes");
        Path bin = SpikeGlxRecording.sibling(metaFile, ".bin");
        if (Files.exists(bin)) {
          withBin++;
          try (SpikeGlxRecording rec = SpikeGlxRecording.open(metaFile)) {
            assertEquals(Files.size(bin) / (2L * ch.savedChannels()), rec.numSamples(), rel);
            line += "  samples " + rec.numSamples();
          }
        }
        System.out.println(line);
      } catch (RecordingException e) {
        assertTrue(e.getMessage().startsWith(name + ": "), rel + ": message does not start with the file name: "
            + e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), rel + ": message is not one line");
        failures.put(rel, e.getMessage());
        System.out.printf("%-110s FAILS: %s%n", rel, e.getMessage());
      } catch (RuntimeException e) {
        fail(rel + ": threw " + e + " instead of a RecordingException", e);
      }
    }
    System.out.printf("%d meta files, %d with their .bin, %d fail%n", metas.size(), withBin, failures.size());
    assertEquals(EXPECTED_FAILURES.keySet(), failures.keySet(), "files that fail");
    EXPECTED_FAILURES.forEach((rel, why) ->
        assertTrue(failures.get(rel).contains(why), rel + ": " + failures.get(rel)));
  }

  private static void checkModel(String rel, SpikeGlxChannels ch) {
    int n = ch.numChannels();
    assertTrue(n > 0, rel);
    assertEquals(n, ch.channelIds().size(), rel);
    assertEquals(n, ch.gainToUv().length, rel);
    assertEquals(ch.savedChannels(), n + ch.syncColumns().length, rel);
    assertTrue(ch.samplingRate() > 0, rel);
    for (double g : ch.gainToUv()) {
      assertTrue(g > 0 && Double.isFinite(g), rel + ": gain " + g);
    }
    double[][] xy = ch.locations();
    if (xy != null) {
      assertEquals(n, xy.length, rel);
      for (double[] p : xy) {
        assertNotNull(p, rel);
        assertEquals(2, p.length, rel);
      }
    }
  }

  private static String gainText(double[] g) {
    double min = Arrays.stream(g).min().orElseThrow();
    double max = Arrays.stream(g).max().orElseThrow();
    return min == max ? SpikeGlxRecording.number(min)
        : SpikeGlxRecording.number(min) + "–" + SpikeGlxRecording.number(max);
  }
}
