package org.specus.cli;

import org.specus.pipeline.SoftwareVersion;
import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"specus " + SoftwareVersion.get()};
  }
}
