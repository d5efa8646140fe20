package org.specus.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version Maven built, recorded in every output so a rerun can tell whether it is current. */
public final class SoftwareVersion {
  private SoftwareVersion() {}

  public static String get() {
    try (InputStream in = SoftwareVersion.class.getResourceAsStream("/org/specus/version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
