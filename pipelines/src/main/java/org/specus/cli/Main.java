package org.specus.cli;

import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code specus}: the command line. Errors about the input or the options are one line, exit code 2. */
@Command(
    name = "specus",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Preprocess extracellular electrophysiology recordings (bandpass, common reference, whitening) on Apache Beam.",
    subcommands = {
      DemoCommand.class,
      SynthCommand.class,
      InfoCommand.class,
      PreprocessCommand.class,
      BatchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  private final CommandClock clock;

  private Main(CommandClock clock) {
    this.clock = clock;
  }

  /** Where the running command's wall time starts. */
  CommandClock clock() {
    return clock;
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(CommandClock.sinceJvmStart(), new java.io.PrintWriter(System.err, true), args));
  }

  /** Runs the command line and returns its exit code (tests call this instead of {@link #main}). */
  public static int execute(String... args) {
    return execute(new java.io.PrintWriter(System.err, true), args);
  }

  /** As {@link #execute(String...)}, with error messages going to {@code err}. */
  public static int execute(java.io.PrintWriter err, String... args) {
    return execute(CommandClock.sinceNow(), err, args);
  }

  private static int execute(CommandClock clock, java.io.PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Main(clock));
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          Throwable cause = rootCause(e);
          if (cause instanceof org.specus.pipeline.JobFailedException failed) {
            // The runner's reason, in one line; exit 2 when it is about the input, as on the DirectRunner.
            commandLine.getErr().println("specus: error: " + failed.getMessage());
            return isUserError(rootCause(failed.reason())) ? 2 : 1;
          }
          if (isUserError(cause)) {
            commandLine.getErr().println("specus: error: " + cause.getMessage());
            return 2;
          }
          if (cause instanceof OutOfMemoryError) {
            commandLine.getErr().println(outOfMemory());
            return 1;
          }
          commandLine.getErr().println("specus: internal error: " + cause);
          cause.printStackTrace(commandLine.getErr());
          return 1;
        });
    try {
      return cli.execute(args);
    } catch (OutOfMemoryError e) { // thrown on this thread, where picocli does not catch errors
      err.println(outOfMemory());
      return 1;
    }
  }

  /**
   * What a run that ran out of heap says. Nearly all of it is tiles: each worker keeps two (with
   * their margins), so longer tiles or more workers than the heap was sized for do not fit.
   */
  static String outOfMemory() {
    return "specus: error: out of memory: the " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB Java heap cannot"
        + " hold the tiles processed at once (each worker holds two, with their margins: ~100 MB for 1 s of 384"
        + " channels); use a shorter --tile, a lower --parallelism, or a larger heap (SPECUS_JAVA_OPTS=-Xmx2g)";
  }

  /** Beam wraps what a DoFn threw; the person running the command wants the original message. */
  static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while ((t instanceof PipelineExecutionException || t instanceof java.io.UncheckedIOException
            || t.getClass() == RuntimeException.class)
        && t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static boolean isUserError(Throwable t) {
    return t instanceof IllegalArgumentException
        || t instanceof org.specus.io.RecordingException
        || t instanceof org.specus.io.output.OutputException
        || t instanceof java.nio.file.NoSuchFileException
        || t instanceof java.io.IOException;
  }
}
