package org.specus.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.specus.pipeline.TestRecordings;

/**
 * The scheduling examples run {@code specus batch} with options it accepts: the systemd unit's
 * ExecStart and the cron line are executed by /bin/sh as systemd and cron would, against a stand-in
 * {@code specus} launcher that runs this build.
 */
class ScheduleFilesTest {
  static final Path SCHEDULE = Path.of(System.getProperty("specus.root", ".")).resolve("runners-config/schedule");

  @TempDir Path tmp;
  Path home;
  Path root;

  @BeforeEach
  void launcherAndRecordings() throws Exception {
    home = Files.createDirectories(tmp.resolve("opt-specus"));
    Path launcher = home.resolve("specus");
    Files.writeString(launcher, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
        + "' -cp '" + System.getProperty("java.class.path") + "' org.specus.cli.Main \"$@\"\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    root = tmp.resolve("raw");
    TestRecordings.synth(Files.createDirectories(root.resolve("mouse1")), "a", 1, 16, 1);
    TestRecordings.synth(Files.createDirectories(root.resolve("rat1")), "b", 1, 16, 2);
  }

  private static String run(List<String> command, Map<String, String> env, Path cwd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(cwd.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void theSystemdServiceRunsTheBatchWithTheRootsAndExtraOptionsOfItsEnvironment() throws Exception {
    String unit = Files.readString(SCHEDULE.resolve("specus-batch.service"));
    String execStart = unit.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow()
        .substring("ExecStart=".length());
    assertTrue(execStart.startsWith("/bin/sh -c '") && execStart.endsWith("'"), execStart);
    String script = execStart.substring("/bin/sh -c '".length(), execStart.length() - 1).replace("$$", "$");
    // A directory in the working directory that the --include glob would match if the shell globbed it.
    Files.createDirectories(tmp.resolve("mouse1/x"));
    String out = run(List.of("/bin/sh", "-c", script), Map.of(
        "SPECUS_HOME", home.toString(), "SPECUS_ROOT", root.toString(), "SPECUS_OUT", tmp.resolve("out").toString(),
        "SPECUS_BATCH_ARGS", "--dry-run --cmr average --include mouse*/**"), tmp);
    assertTrue(out.contains("1 recordings found, 1 to process"), out);
    assertTrue(out.contains("process  mouse1/a_g0_t0.imec0.ap.bin"), out);
    assertTrue(out.contains("average reference"), out);
    String timer = Files.readString(SCHEDULE.resolve("specus-batch.timer"));
    assertTrue(timer.contains("OnCalendar=") && timer.contains("Unit=specus-batch.service"), timer);
  }

  @Test
  void theCronLineRunsTheBatchAndLogs() throws Exception {
    String line = Files.readString(SCHEDULE.resolve("specus-batch.cron")).lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElseThrow();
    String[] fields = line.split("\\s+", 7); // minute hour day month weekday user command
    assertEquals(List.of("0", "2", "*", "*", "*"), List.of(fields).subList(0, 5));
    Path log = tmp.resolve("batch.log");
    Path out = tmp.resolve("out");
    String command = fields[6]
        .replace("/opt/specus", home.toString())
        .replace("/data/raw", root.toString())
        .replace("/data/preprocessed", out.toString())
        .replace("/var/log/specus-batch.log", log.toString())
        .replace("/tmp/specus-batch.cron.lock", tmp.resolve("cron.lock").toString());
    run(List.of("/bin/sh", "-c", command), Map.of(), tmp);
    String logged = Files.readString(log);
    assertTrue(logged.contains("2 recordings: 2 done"), logged);
    run(List.of("/bin/sh", "-c", command), Map.of(), tmp); // the next night: nothing to do
    assertTrue(Files.readString(log).contains("2 recordings found, 0 to process"), Files.readString(log));
  }
}
