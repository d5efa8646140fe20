package org.specus.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line for {@code specus ARGS} in a JVM of its own, on the tests' class path: for what
 * only a separate process shows (a kill, the JVM's own start-up, a heap of another size).
 */
public final class SpecusJvm {
  private SpecusJvm() {}

  /** {@code java JVM_OPTIONS -cp TEST_CLASSPATH org.specus.cli.Main ARGS}. */
  public static List<String> command(List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.specus.cli.Main"));
    command.addAll(List.of(args));
    return command;
  }
}
