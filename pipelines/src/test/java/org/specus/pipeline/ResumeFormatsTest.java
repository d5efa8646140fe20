package org.specus.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.specus.io.StageTimes;
import org.specus.io.output.OutputStore;
import org.specus.io.sink.BinaryWriter;
import org.specus.io.zarr.Compression;

/**
 * Zarr v2 (raw chunks, float32's default, and zstd chunks) and binary outputs resume as Zarr v3
 * does ({@code BatchResumeTest}): a run killed in the middle, then run again, keeps the tiles the
 * killed run finished without writing them again, computes the missing and damaged ones, and ends
 * with the bytes of an uninterrupted run.
 */
class ResumeFormatsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FileTime KEPT_MARK = FileTime.from(Instant.parse("2001-01-01T00:00:00Z"));
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"zarr-v2", "zarr-v2 zstd", "binary"})
  void aKilledRunResumesKeepingItsIntactTilesAndEndsByteIdentical(String formatAndCompression) throws Exception {
    String format = formatAndCompression.split(" ")[0];
    String compression = formatAndCompression.contains(" ") ? formatAndCompression.split(" ")[1] : "auto";
    Path bin = TestRecordings.synth(tmp, "resume", 3, 32, 13);
    PreprocessConfig config = PreprocessConfig.defaults().toBuilder().format(format).compression(compression)
        .tileSeconds(0.25).build();
    int tiles = 12;
    // The uninterrupted run in a JVM of its own: metadata written by different JVMs must agree too.
    Path reference = tmp.resolve("reference");
    Process whole = specus(tmp.resolve("reference.log"), 0, bin, reference, format, compression, 2);
    assertEquals(0, whole.waitFor(), Files.readString(tmp.resolve("reference.log")));

    // A run killed (SIGKILL: no shutdown hook, no finally) while it is writing tiles.
    Path out = tmp.resolve("out");
    Path log = tmp.resolve("child.log");
    Process child = specus(log, 300, bin, out, format, compression, 1);
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (tilesPresent(out, format).size() < 5 && child.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(child.isAlive(), "the run ended before it could be killed:\n" + Files.readString(log));
    } finally {
      child.destroyForcibly();
      child.waitFor();
    }
    assertFalse(OutputStore.isComplete(out), "a killed run must not look complete");
    List<Long> present = tilesPresent(out, format);
    assertTrue(present.size() >= 5 && present.size() < tiles, present.toString());

    // As after a power loss: one finished tile whose last bytes never reached the disk, one
    // finished tile (Zarr v2) or its record (binary) lost; and the debris of a write cut off.
    // (A binary tile is checked against the crc32c of what was written, so there a single flipped
    // byte is enough; a zstd Zarr v2 chunk is checked by decoding it: its frames carry no checksum;
    // a raw one only by its size, so there the lost bytes are missing rather than zeroed.)
    long damaged = present.get(0);
    long lost = present.get(1);
    List<Long> kept = present.subList(2, present.size());
    if (format.equals("zarr-v2")) {
      Path traces = out.resolve("traces_seg0");
      if (config.storedCompression() == Compression.ZSTD) {
        zeroTail(traces.resolve(damaged + ".0"), 64);
      } else {
        cutTail(traces.resolve(damaged + ".0"), 64);
      }
      Files.delete(traces.resolve(lost + ".0"));
      for (long t : kept) {
        Files.setLastModifiedTime(traces.resolve(t + ".0"), KEPT_MARK);
      }
      Files.write(traces.resolve("." + tiles / 2 + ".0.tmp-crashed"), new byte[100]);
    } else {
      long tileBytes = Files.size(reference.resolve(BinaryWriter.TRACES)) / tiles; // 3 s: 12 whole tiles
      flipByte(out.resolve(BinaryWriter.TRACES), damaged * tileBytes + 1234);
      Files.delete(out.resolve(BinaryWriter.WRITTEN).resolve(Long.toString(lost)));
      Files.write(out.resolve(BinaryWriter.WRITTEN).resolve(".7.tmp-crashed"), new byte[10]);
    }

    PreprocessJob job = new PreprocessJob(bin, out, config, 2);
    PreprocessJob.Plan plan = job.build();
    job.claimOutput(plan);
    StageTimes.reset();
    PreprocessJob.Outcome outcome = job.executeCounting(plan);
    assertEquals(kept.size(), outcome.tilesReused(), "kept " + kept + " of " + present);
    assertEquals(tiles - kept.size(), outcome.tilesComputed());
    assertEquals(tiles - kept.size(), (long) StageTimes.snapshot().get("main.write")[2],
        "only the computed tiles were written");
    if (format.equals("zarr-v2")) {
      for (long t : kept) {
        assertEquals(KEPT_MARK, Files.getLastModifiedTime(out.resolve("traces_seg0/" + t + ".0")),
            "kept chunk " + t + " was not written again");
      }
    }
    assertTrue(OutputStore.isComplete(out));
    assertSameOutput(reference, out);
  }

  /** {@code specus preprocess} in a JVM of its own, each tile waiting {@code delayMillis} (test hook). */
  static Process specus(Path log, long delayMillis, Path bin, Path out, String format, String compression,
      int parallelism) throws IOException {
    return new ProcessBuilder(SpecusJvm.command(List.of("-Xmx640m", "-D" + TestHooks.TILE_DELAY_PROPERTY + "=" + delayMillis),
        "preprocess", bin.toString(), "-o", out.toString(), "--format", format,
        "--compression", compression, "--tile", "250ms", "--parallelism", Integer.toString(parallelism)))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** The tiles a run has finished so far: Zarr v2 chunks under their key, binary tile records. */
  static List<Long> tilesPresent(Path out, String format) throws IOException {
    Path dir = format.equals("zarr-v2") ? out.resolve("traces_seg0") : out.resolve(BinaryWriter.WRITTEN);
    List<Long> tiles = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return tiles;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (format.equals("zarr-v2") ? name.matches("\\d+\\.0") : name.matches("\\d+")) {
          tiles.add(Long.parseLong(name.substring(0, name.indexOf('.') < 0 ? name.length() : name.indexOf('.'))));
        }
      }
    }
    tiles.sort(null);
    return tiles;
  }

  static void flipByte(Path file, long at) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x01);
    }
  }

  static void cutTail(Path file, int bytes) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(f.length() - bytes);
    }
  }

  static void zeroTail(Path file, int bytes) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(f.length() - bytes);
      f.write(new byte[bytes]);
    }
  }

  /** Every file the same, byte for byte, except the completion time in the marker. */
  static void assertSameOutput(Path expected, Path actual) throws IOException {
    Map<String, byte[]> a = files(expected);
    Map<String, byte[]> b = files(actual);
    assertEquals(a.keySet(), b.keySet(), "the same files (no temporaries, no bookkeeping left)");
    for (String name : a.keySet()) {
      if (name.equals(OutputStore.COMPLETE)) {
        Map<?, ?> ma = new TreeMap<>(JSON.readValue(a.get(name), Map.class));
        Map<?, ?> mb = new TreeMap<>(JSON.readValue(b.get(name), Map.class));
        ma.remove("completed_at");
        mb.remove("completed_at");
        assertEquals(ma, mb, name);
      } else {
        assertArrayEquals(a.get(name), b.get(name), name + " differs");
      }
    }
  }

  private static Map<String, byte[]> files(Path root) throws IOException {
    Map<String, byte[]> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        m.put(root.relativize(f).toString(), Files.readAllBytes(f));
      }
    }
    return m;
  }
}
