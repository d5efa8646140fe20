package org.specus.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery walks the tree, recognises SpikeGLX AP streams and mirrors the tree under the output root. */
class RecordingFinderTest {
  @TempDir Path tmp;

  private Path touch(String relative) throws Exception {
    Path p = tmp.resolve("root").resolve(relative);
    Files.createDirectories(p.getParent());
    return Files.write(p, new byte[0]);
  }

  private List<String> inputs(RecordingFinder.Found f) {
    return f.recordings().stream().map(c -> c.relativeInput().toString()).toList();
  }

  @Test
  void findsApStreamsInNestedFoldersAndMirrorsTheTree() throws Exception {
    touch("m1/day1/run_g0_t0.imec0.ap.bin");
    touch("m1/day1/run_g0_t0.imec0.ap.meta");
    touch("m1/day1/run_g0_t0.imec0.lf.bin"); // LF stream: not this chain's input
    touch("m1/day1/run_g0_t0.imec0.lf.meta");
    touch("m1/day1/run_g0_t0.nidq.bin");
    touch("m1/day1/run_g0_t0.nidq.meta");
    touch("m2/run_g0_t0.imec1.ap.bin"); // no .meta: listed, so that the batch reports it
    touch("m2/other_g0_t0.imec0.ap.meta"); // no .bin: likewise
    touch("top_g0_t0.imec0.ap.bin");
    touch("top_g0_t0.imec0.ap.meta");
    touch(".trash/old_g0_t0.imec0.ap.bin"); // hidden: not entered
    touch("done.zarr/x_g0_t0.imec0.ap.bin"); // a Zarr store: not entered
    Path out = tmp.resolve("out");
    RecordingFinder.Found f = new RecordingFinder(RecordingFinder.DEFAULT_FORMATS, List.of()).find(tmp.resolve("root"), out);
    assertEquals(List.of("m1/day1/run_g0_t0.imec0.ap.bin", "m2/other_g0_t0.imec0.ap.meta",
        "m2/run_g0_t0.imec1.ap.bin", "top_g0_t0.imec0.ap.bin"), inputs(f));
    RecordingFinder.Candidate first = f.recordings().get(0);
    assertEquals("spikeglx", first.format());
    assertEquals(out.toAbsolutePath().resolve("m1/day1/run_g0_t0.imec0.ap.zarr"), first.output());
    assertEquals(out.toAbsolutePath().resolve("top_g0_t0.imec0.ap.zarr"), f.recordings().get(3).output());
    assertEquals(List.of(), f.problems());
  }

  @Test
  void includeGlobsSelectByPathRelativeToTheRoot() throws Exception {
    touch("m1/a_g0_t0.imec0.ap.bin");
    touch("m1/deep/b_g1_t0.imec0.ap.bin");
    touch("m2/c_g0_t0.imec0.ap.bin");
    Path root = tmp.resolve("root");
    Path out = tmp.resolve("out");
    assertEquals(List.of("m1/a_g0_t0.imec0.ap.bin", "m1/deep/b_g1_t0.imec0.ap.bin"),
        inputs(new RecordingFinder(RecordingFinder.DEFAULT_FORMATS, List.of("m1/**")).find(root, out)));
    assertEquals(List.of("m1/a_g0_t0.imec0.ap.bin", "m2/c_g0_t0.imec0.ap.bin"),
        inputs(new RecordingFinder(RecordingFinder.DEFAULT_FORMATS, List.of("**/*_g0_*")).find(root, out)));
    assertEquals(List.of("m1/deep/b_g1_t0.imec0.ap.bin", "m2/c_g0_t0.imec0.ap.bin"),
        inputs(new RecordingFinder(RecordingFinder.DEFAULT_FORMATS, List.of("m2/*", "**/deep/**")).find(root, out)));
  }

  @Test
  void anOutputRootInsideTheInputRootIsNotWalked() throws Exception {
    touch("m1/a_g0_t0.imec0.ap.bin");
    touch("processed/m1/a_g0_t0.imec0.ap.bin"); // would be found if the output root were walked
    Path root = tmp.resolve("root");
    RecordingFinder.Found f = new RecordingFinder(RecordingFinder.DEFAULT_FORMATS, List.of())
        .find(root, root.resolve("processed"));
    assertEquals(List.of("m1/a_g0_t0.imec0.ap.bin"), inputs(f));
  }

  @Test
  void aSymbolicLinkLoopIsReportedNotFollowed() throws Exception {
    touch("m1/a_g0_t0.imec0.ap.bin");
    Files.createSymbolicLink(tmp.resolve("root/m1/loop"), tmp.resolve("root/m1"));
    RecordingFinder.Found f = new RecordingFinder(RecordingFinder.DEFAULT_FORMATS, List.of())
        .find(tmp.resolve("root"), tmp.resolve("out"));
    assertEquals(List.of("m1/a_g0_t0.imec0.ap.bin"), inputs(f));
    assertEquals(1, f.problems().size());
    assertTrue(f.problems().get(0).contains("loop"), f.problems().toString());
  }

  @Test
  void aRootThatIsNotADirectoryAndABadGlobAreErrors() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RecordingFinder(RecordingFinder.DEFAULT_FORMATS, List.of()).find(tmp.resolve("nowhere"), tmp));
    assertTrue(e.getMessage().contains("--root") && e.getMessage().contains("nowhere"), e.getMessage());
    IllegalArgumentException g = assertThrows(IllegalArgumentException.class,
        () -> new RecordingFinder(RecordingFinder.DEFAULT_FORMATS, List.of("m1/[")));
    assertTrue(g.getMessage().contains("--include"), g.getMessage());
  }
}
