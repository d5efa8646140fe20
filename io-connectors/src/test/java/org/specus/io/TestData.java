package org.specus.io;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the real recordings shared by the project live, and how tests skip when they are absent. */
public final class TestData {

  private TestData() {}

  /** {@code ../shared/data} relative to the project root (surefire sets {@code specus.root}). */
  public static Path sharedData() {
    return Path.of(System.getProperty("specus.root", ".")).resolve("../shared/data").normalize();
  }

  /** {@code sharedData().resolve(relative)}, skipping the calling test when the data is absent. */
  public static Path require(String relative) {
    Path root = sharedData();
    assumeTrue(Files.isDirectory(root), "../shared/data is absent: skipping tests on real recordings");
    Path p = root.resolve(relative);
    assumeTrue(Files.exists(p), "../shared/data/" + relative + " is absent: skipping tests on it");
    return p;
  }
}
