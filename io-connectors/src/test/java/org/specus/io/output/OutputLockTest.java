package org.specus.io.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run per output; a lock left by a dead process is taken over; a live one is respected. */
class OutputLockTest {
  @TempDir Path tmp;

  @Test
  void aLockIsExclusiveWithinTheProcessAndGoneWhenReleased() {
    Path out = tmp.resolve("a.zarr");
    try (OutputLock lock = OutputLock.acquire(out)) {
      assertEquals(tmp.resolve(".a.zarr.lock").toAbsolutePath(), lock.file());
      assertTrue(Files.exists(lock.file()));
      OutputLock.Holder h = OutputLock.readHolder(lock.file());
      assertEquals(ProcessHandle.current().pid(), h.pid());
      assertTrue(h.isAliveHere());
      OutputLockedException e = assertThrows(OutputLockedException.class, () -> OutputLock.acquire(out));
      assertTrue(e.getMessage().contains("another run is writing"), e.getMessage());
      assertTrue(lock.takenOverFrom().isEmpty());
    }
    assertEquals(null, OutputLock.readHolder(tmp.resolve(".a.zarr.lock")), "a released lock file is empty");
    try (OutputLock again = OutputLock.acquire(out)) {
      assertTrue(again.takenOverFrom().isEmpty(), "a released lock is free, not stale");
    }
  }

  @Test
  void aStaleLockOfADeadProcessIsTakenOver() throws Exception {
    Process gone = new ProcessBuilder(java(), "-version").redirectErrorStream(true).start();
    gone.getInputStream().readAllBytes();
    gone.waitFor();
    long deadPid = gone.pid();
    Path out = tmp.resolve("b.zarr");
    Path file = OutputLock.lockFile(out);
    OutputLock.Holder stale = new OutputLock.Holder(deadPid, OutputLock.localHost(), "2020-01-01T00:00:00Z",
        "2020-01-01T00:00:01Z", "t");
    Files.write(file, new ObjectMapper().writeValueAsBytes(stale));
    assertFalse(stale.isAliveHere());
    try (OutputLock lock = OutputLock.acquire(out)) {
      assertEquals(deadPid, lock.takenOverFrom().orElseThrow().pid());
      assertEquals(ProcessHandle.current().pid(), OutputLock.readHolder(file).pid());
    }
  }

  @Test
  void aLockFileThatIsNotJsonIsTakenOver() throws Exception {
    Path out = tmp.resolve("c.zarr");
    Files.writeString(OutputLock.lockFile(out), "half-writ");
    try (OutputLock lock = OutputLock.acquire(out)) {
      assertTrue(lock.takenOverFrom().isEmpty());
    }
  }

  @Test
  void aLockHeldByAnotherLiveProcessIsRespectedAndFreedWhenItIsKilled() throws Exception {
    Path out = tmp.resolve("d.zarr");
    Process holder = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
        LockHolder.class.getName(), out.toString()).redirectErrorStream(true).start();
    try {
      BufferedReader lines = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("locked", lines.readLine());
      OutputLockedException e = assertThrows(OutputLockedException.class, () -> OutputLock.acquire(out));
      assertEquals(holder.pid(), e.holder().pid());
      assertTrue(e.getMessage().contains("pid " + holder.pid()), e.getMessage());
    } finally {
      holder.destroyForcibly(); // SIGKILL: the lock file stays behind, its OS lock goes
      holder.waitFor(1, TimeUnit.MINUTES);
    }
    assertTrue(Files.exists(OutputLock.lockFile(out)), "a killed holder leaves its lock file");
    try (OutputLock lock = OutputLock.acquire(out)) {
      assertEquals(holder.pid(), lock.takenOverFrom().orElseThrow().pid());
    }
  }

  @Test
  void manyProcessesRacingForOneLockGetItOneAtATime() throws Exception {
    Path out = tmp.resolve("e.zarr");
    Path log = tmp.resolve("log");
    Files.createFile(log);
    List<Process> racers = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      racers.add(new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
          LockRacer.class.getName(), out.toString(), log.toString(), "25").inheritIO().start());
    }
    for (Process p : racers) {
      assertTrue(p.waitFor(3, TimeUnit.MINUTES));
      assertEquals(0, p.exitValue());
    }
    // Each holder appends "+pid" on entry and "-pid" on exit: entries never interleave.
    List<String> events = Files.readAllLines(log);
    assertTrue(events.size() >= 2, "some racer must have won: " + events);
    for (int i = 0; i < events.size(); i += 2) {
      assertTrue(events.get(i).startsWith("+"), events.toString());
      assertEquals("-" + events.get(i).substring(1), events.get(i + 1), events.toString());
    }
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
