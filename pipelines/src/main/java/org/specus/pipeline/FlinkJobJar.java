package org.specus.pipeline;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Finds the slim job jar that is shipped to a Flink cluster with every submission: Specus, Beam
 * and the Beam Flink runner, but no Flink (the cluster has it), no logging binding and no
 * DirectRunner. {@code pipelines/pom.xml} builds it next to the pipelines jar, with the classifier
 * {@code job}, in the {@code package} phase (which {@code ./specus} runs when sources change).
 *
 * <p>Looked for, in order: the system property {@value #PROPERTY}, the environment variable
 * {@value #ENV}, then {@code specus-pipelines-*-job.jar} in the build directory this class was
 * loaded from ({@code pipelines/target/}).
 */
public final class FlinkJobJar {
  public static final String PROPERTY = "specus.flink.jobJar";
  public static final String ENV = "SPECUS_FLINK_JOB_JAR";

  private FlinkJobJar() {}

  public static Path locate() {
    String explicit = System.getProperty(PROPERTY, System.getenv(ENV));
    if (explicit != null && !explicit.isBlank()) {
      Path jar = Path.of(explicit);
      if (!Files.isRegularFile(jar)) {
        throw new IllegalArgumentException(jar + ": the Flink job jar named by " + PROPERTY + "/" + ENV + " does not exist");
      }
      return jar;
    }
    Path buildDir = buildDirectory();
    if (buildDir != null) {
      try (Stream<Path> files = Files.list(buildDir)) {
        Path found = files.filter(f -> f.getFileName().toString().matches("specus-pipelines-.*-job\\.jar"))
            .findFirst().orElse(null);
        if (found != null) {
          return found;
        }
      } catch (IOException e) {
        // fall through to the message below
      }
    }
    throw new IllegalArgumentException("the Flink job jar is missing"
        + (buildDir != null ? " from " + buildDir : "")
        + ": build it with ./mvnw -B -DskipTests package (or name it with -D" + PROPERTY + "=JAR)");
  }

  /** pipelines/target, whether this class comes from target/classes or from a jar in target/. */
  private static Path buildDirectory() {
    try {
      Path source = Path.of(FlinkJobJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return source.getParent(); // target/classes or target/specus-pipelines-V.jar: both sit in target/
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      return null;
    }
  }
}
