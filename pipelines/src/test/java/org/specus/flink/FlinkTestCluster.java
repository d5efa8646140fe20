package org.specus.flink;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Flink session cluster for a test class, started and stopped with the scripts a lab uses
 * (runners-config/flink/start-cluster.sh and stop-cluster.sh), on free loopback ports, in a work
 * directory of the test's own. Skips the test only when this machine cannot start a cluster at all
 * (the script's exit code 3: no java, the Flink jars cannot be resolved).
 */
final class FlinkTestCluster implements AutoCloseable {
  private final Path scripts;
  private final Path workdir;
  private final String restAddress;

  private FlinkTestCluster(Path scripts, Path workdir, String restAddress) {
    this.scripts = scripts;
    this.workdir = workdir;
    this.restAddress = restAddress;
  }

  static FlinkTestCluster start(Path workdir, int taskManagers) throws Exception {
    Path scripts = Path.of(System.getProperty("specus.root", ".")).resolve("runners-config/flink").toAbsolutePath();
    Path log = workdir.resolve("start-cluster.log");
    Files.createDirectories(workdir);
    Process p = new ProcessBuilder(scripts.resolve("start-cluster.sh").toString(),
        "--taskmanagers", String.valueOf(taskManagers), "--workdir", workdir.toString(), "--ports", "auto")
        .redirectOutput(workdir.resolve("rest-address.out").toFile())
        .redirectError(log.toFile())
        .start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      new FlinkTestCluster(scripts, workdir, null).close();
      fail("start-cluster.sh did not finish within 5 minutes:\n" + Files.readString(log));
    }
    String err = Files.readString(log);
    if (p.exitValue() == 3) {
      Assumptions.abort("this machine cannot start a Flink cluster, skipping: " + err.strip());
    }
    if (p.exitValue() != 0) {
      new FlinkTestCluster(scripts, workdir, null).close();
      fail("start-cluster.sh failed (exit " + p.exitValue() + "):\n" + err);
    }
    List<String> out = Files.readAllLines(workdir.resolve("rest-address.out"), StandardCharsets.UTF_8);
    return new FlinkTestCluster(scripts, workdir, out.get(out.size() - 1).strip());
  }

  /** HOST:PORT of the REST endpoint, what --flink-master takes. */
  String restAddress() {
    return restAddress;
  }

  Path workdir() {
    return workdir;
  }

  /** The PIDs start-cluster.sh recorded, by role (jobmanager, taskmanager-1, ...). */
  Map<String, Long> pids() throws IOException {
    Map<String, Long> pids = new LinkedHashMap<>();
    Path file = workdir.resolve("pids");
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file)) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length == 2) {
          pids.put(parts[0], Long.parseLong(parts[1]));
        }
      }
    }
    return pids;
  }

  /** Stops the cluster with stop-cluster.sh; kills by PID whatever it left running. */
  @Override
  public void close() throws Exception {
    Map<String, Long> pids = pids();
    Process p = new ProcessBuilder(scripts.resolve("stop-cluster.sh").toString(), "--workdir", workdir.toString())
        .redirectErrorStream(true).redirectOutput(workdir.resolve("stop-cluster.log").toFile()).start();
    if (!p.waitFor(1, TimeUnit.MINUTES)) {
      p.destroyForcibly();
    }
    for (long pid : pids.values()) {
      ProcessHandle.of(pid).filter(h -> h.info().command().orElse("").endsWith("java")).ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}
