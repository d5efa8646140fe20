package org.specus.io.beam;

import java.io.Serializable;
import java.nio.file.Path;
import org.specus.io.zarr.ShardedArrayLayout;
import org.specus.io.zarr.ZarrDataType;

/** Where and how {@code traces_seg0} is stored; built at construction, shared by the sink's DoFns. */
record TracesLayout(String root, long samples, int channels, int tileSamples, int innerChunkSamples, int zstdLevel,
    ZarrDataType dtype)
    implements Serializable {

  static final String TRACES = "traces_seg0";

  Path rootPath() {
    return Path.of(root);
  }

  Path tracesPath() {
    return rootPath().resolve(TRACES);
  }

  ShardedArrayLayout zarrLayout() {
    return ShardedArrayLayout.of(samples, channels, tileSamples, innerChunkSamples, dtype, zstdLevel);
  }
}
