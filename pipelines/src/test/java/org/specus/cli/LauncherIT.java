package org.specus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./specus} launcher runs from a class path file that points into the builder's Maven
 * repository. When a jar is gone from it (a cleaned {@code ~/.m2}), the launcher must build again
 * rather than start a JVM that fails on a missing class. The launcher runs here in a directory laid
 * out as a built checkout, with a stand-in for {@code ./mvnw} whose "build" puts this build's class
 * path file back, so the test needs neither the network nor a second build.
 */
class LauncherIT {
  @TempDir Path checkout;

  @Test
  void aJarGoneFromTheMavenRepositoryMakesTheLauncherBuildAgain() throws Exception {
    Path classpathFile = Path.of(System.getProperty("specus.runtimeClasspath"));
    Path appJar = Path.of(System.getProperty("specus.appJar"));
    Path target = Files.createDirectories(checkout.resolve("pipelines/target"));
    Files.copy(Path.of(System.getProperty("specus.root")).resolve("specus"), checkout.resolve("specus"),
        StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(appJar, target.resolve(appJar.getFileName()));
    String classpath = Files.readString(classpathFile).trim();
    String picocli = Arrays.stream(classpath.split(":")).filter(e -> e.contains("picocli")).findFirst()
        .orElseThrow(() -> new AssertionError("no picocli jar on " + classpath));
    Path gone = checkout.resolve("m2/repository/info/picocli/picocli.jar"); // never created
    Files.writeString(target.resolve("runtime-classpath.txt"), classpath.replace(picocli, gone.toString()));
    Files.writeString(target.resolve("specus-build.stamp"), "");
    Path mvnw = checkout.resolve("mvnw");
    Files.writeString(mvnw, "#!/usr/bin/env bash\ntouch built\ncp '" + classpathFile
        + "' pipelines/target/runtime-classpath.txt\n");
    assertTrue(mvnw.toFile().setExecutable(true));

    Process p = new ProcessBuilder(checkout.resolve("specus").toString(), "--version")
        .directory(checkout.toFile()).redirectErrorStream(true).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the launcher did not finish in 120 s");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(Files.exists(checkout.resolve("built")), "the launcher did not build again:\n" + out);
    assertTrue(out.contains("specus: building"), out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("specus 0."), "no version after the build:\n" + out);
  }
}
