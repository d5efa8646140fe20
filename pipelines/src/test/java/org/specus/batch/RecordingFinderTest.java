package org.specus.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.io.ReaderOptions;

/**
 * Discovery walks the tree, recognises SpikeGLX AP streams, Open Ephys streams, NWB files and MEF
 * 3.0 sessions, and mirrors the tree under the output root.
 */
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
  /** A {@code structure.oebin} listing these streams, each as {@code folder:rate:channel,channel...}. */
  static String oebin(String... streams) {
    StringBuilder s = new StringBuilder("{\"GUI version\": \"0.6.7\", \"continuous\": [");
    for (int i = 0; i < streams.length; i++) {
      String[] f = streams[i].split(":");
      String[] names = f[2].split(",");
      s.append(i == 0 ? "" : ", ").append("{\"folder_name\": \"").append(f[0]).append("/\", \"sample_rate\": ")
          .append(f[1]).append(", \"num_channels\": ").append(names.length).append(", \"channels\": [");
      for (int c = 0; c < names.length; c++) {
        s.append(c == 0 ? "" : ", ").append("{\"channel_name\": \"").append(names[c])
            .append("\", \"bit_volts\": 0.195, \"units\": \"uV\"}");
      }
      s.append("]}");
    }
    return s.append("]}").toString();
  }

  @Test
  void openEphysStreamsThatCarrySpikesAreFoundAndLfpNiDaqAndAuxiliaryStreamsAreNot() throws Exception {
    String rec = "s1/Record Node 101/experiment1/recording1/";
    Files.writeString(touch(rec + "structure.oebin"), oebin("Neuropix-PXI-100.ProbeA-AP:30000:CH1,CH2",
        "Neuropix-PXI-100.ProbeA-LFP:2500:CH1,CH2", "NI-DAQmx-102.PXIe-6341:30000:AI0,AI1",
        "Rhythm_FPGA-100.0:30000:ADC1,ADC2", "Neuropix-PXI-100.ProbeB-AP:30000:CH1"));
    touch(rec + "continuous/Neuropix-PXI-100.ProbeA-AP/continuous.dat");
    touch(rec + "continuous/Neuropix-PXI-100.ProbeA-AP/timestamps.npy");
    touch(rec + "continuous/Neuropix-PXI-100.ProbeA-LFP/continuous.dat");
    // ProbeB-AP has no data file: listed through structure.oebin and the stream, so that its reader says so.
    Files.writeString(touch("s2/recording1/structure.oebin"), "{ not json");
    Path out = tmp.resolve("out");
    RecordingFinder.Found f = new RecordingFinder(RecordingFinder.DEFAULT_FORMATS, List.of())
        .find(tmp.resolve("root"), out);
    assertEquals(List.of(rec + "continuous/Neuropix-PXI-100.ProbeA-AP/continuous.dat",
        rec + "structure.oebin [Neuropix-PXI-100.ProbeB-AP]", "s2/recording1/structure.oebin"),
        f.recordings().stream().map(RecordingFinder.Candidate::name).toList());
    RecordingFinder.Candidate a = f.recordings().get(0);
    assertEquals("openephys", a.format());
    assertEquals(ReaderOptions.auto(), a.options(), "continuous.dat names its stream");
    assertEquals(out.toAbsolutePath().resolve(rec + "Neuropix-PXI-100.ProbeA-AP.zarr"), a.output());
    assertEquals("Neuropix-PXI-100.ProbeB-AP", f.recordings().get(1).options().stream());
    assertEquals(out.toAbsolutePath().resolve(rec + "Neuropix-PXI-100.ProbeB-AP.zarr"), f.recordings().get(1).output());
    // Globs see the stream's folder in the input's path.
    assertEquals(List.of(rec + "continuous/Neuropix-PXI-100.ProbeA-AP/continuous.dat"),
        inputs(new RecordingFinder(RecordingFinder.DEFAULT_FORMATS, List.of("**/*ProbeA*/**"))
            .find(tmp.resolve("root"), out)));
  }

  @Test
  void aMefSessionIsOneRecordingWithThePasswordAndIsNotEntered() throws Exception {
    touch("p1/sess.mefd/ch1.timd/ch1-000000.segd/ch1-000000.tdat");
    touch("p1/sess.mefd/stray_g0_t0.imec0.ap.bin"); // found if the session were entered
    touch("p1/notes.mefd"); // a file, not a session
    Path out = tmp.resolve("out");
    RecordingFinder.Found f = new RecordingFinder(RecordingFinder.formats("pass2", false), List.of())
        .find(tmp.resolve("root"), out);
    assertEquals(List.of("p1/sess.mefd"), inputs(f));
    RecordingFinder.Candidate c = f.recordings().get(0);
    assertEquals("mef3", c.format());
    assertEquals("pass2", c.options().password());
    assertEquals(out.toAbsolutePath().resolve("p1/sess.zarr"), c.output());
    assertEquals(null, new RecordingFinder(RecordingFinder.DEFAULT_FORMATS, List.of()).find(tmp.resolve("root"), out)
        .recordings().get(0).options().password());
    // The session given as the root is refused, not walked into.
    assertEquals("--root " + tmp.resolve("root/p1/sess.mefd") + ": is one mef3 recording, not a folder of"
        + " recordings; give the folder that holds it (--include can choose it), or run specus preprocess on it",
        assertThrows(IllegalArgumentException.class, () -> new RecordingFinder(RecordingFinder.DEFAULT_FORMATS,
            List.of()).find(tmp.resolve("root/p1/sess.mefd"), out)).getMessage());
  }

  @Test
  void anNwbFileThatCannotBeReadIsListedSoThatTheBatchSaysWhy() throws Exception {
    Files.writeString(touch("n/broken.nwb"), "not HDF5");
    RecordingFinder.Found f = new RecordingFinder(RecordingFinder.DEFAULT_FORMATS, List.of())
        .find(tmp.resolve("root"), tmp.resolve("out"));
    assertEquals(List.of("n/broken.nwb"), inputs(f));
    assertEquals("nwb", f.recordings().get(0).format());
    assertEquals(tmp.resolve("out").toAbsolutePath().resolve("n/broken.zarr"), f.recordings().get(0).output());
  }
  @Test
  void withConcatTriggersATriggerSeriesIsOneRecordingNamedAsCatGtNamesIt() throws Exception {
    for (String f : List.of("r_g0_t0", "r_g0_t1", "r_g0_t10", "r_g0_t2")) {
      touch("run/" + f + ".imec0.ap.bin");
      touch("run/" + f + ".imec0.ap.meta");
      touch("run/" + f + ".imec0.lf.bin"); // LF: not this chain's input, joined or not
    }
    touch("run/r_g0_t3.imec1.ap.bin"); // another probe
    touch("run/r_g1_t4.imec0.ap.bin"); // another gate, whose first trigger is not t0
    touch("run/r_g1_t5.imec0.ap.bin");
    touch("run/c_g0_tcat.imec0.ap.bin"); // CatGT's output: not a trigger file, listed as it is
    Path out = tmp.resolve("out");
    RecordingFinder.Found joined = new RecordingFinder(RecordingFinder.formats(null, true), List.of())
        .find(tmp.resolve("root"), out);
    assertEquals(List.of("run/c_g0_tcat.imec0.ap.bin", "run/r_g0_t0.imec0.ap.bin", "run/r_g0_t3.imec1.ap.bin",
        "run/r_g1_t4.imec0.ap.bin"), inputs(joined));
    assertEquals(List.of("c_g0_tcat.imec0.ap.zarr", "r_g0_tcat.imec0.ap.zarr", "r_g0_tcat.imec1.ap.zarr",
        "r_g1_tcat.imec0.ap.zarr"),
        joined.recordings().stream().map(c -> c.output().getFileName().toString()).toList());
    assertEquals(List.of(false, true, true, true),
        joined.recordings().stream().map(c -> c.options().concatTriggers()).toList());
    // Without the option every trigger file is its own recording, as before.
    assertEquals(8, new RecordingFinder(RecordingFinder.DEFAULT_FORMATS, List.of()).find(tmp.resolve("root"), out)
        .recordings().size());
  }
}
