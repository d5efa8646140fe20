package org.specus.batch;

import java.nio.file.Path;
import org.specus.io.ReaderOptions;
import org.specus.pipeline.PreprocessConfig;
import org.specus.pipeline.PreprocessJob;

/**
 * Makes the preprocessing job for one recording. The command line builds it from the runner
 * options ({@code --runner}, {@code --parallelism}), so the batch itself does not care which runner
 * executes each recording.
 */
@FunctionalInterface
public interface JobFactory {
  /** @param options how to open the input (a series, a password), as discovery found it */
  PreprocessJob create(Path input, ReaderOptions options, Path output, PreprocessConfig config);
}
