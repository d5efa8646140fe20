package org.specus.io.zarr;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Makes an array's shards durable in one step, before a completion marker may claim them.
 *
 * <p>Why shards are not fsynced one by one: a shard is written to a temporary name and renamed onto
 * its key, so readers and reruns never see half a shard whatever the crash; durability only matters
 * for what a completion marker vouches for. So the sink writes shards without fsync (the kernel
 * writes them back in the background, overlapping with compute) and, once every tile has reported,
 * forces each shard file and then each directory holding a renamed entry (the rename itself is a
 * directory update), before the metadata and the marker are written. After a power loss:
 * <ul>
 *   <li>before this step completed: there is no completion marker, so the output claims nothing;
 *       shards may be missing or empty and a rerun rewrites them (a rerun that keeps shards must
 *       validate each one: size and index checksum);
 *   <li>after it: every shard named by the marker is on disk.
 * </ul>
 * Per-shard fsync cost each worker a synchronous wait per tile (~40 MB of float32 written back)
 * that this replaces with one pass at the end over data the kernel has mostly written already.
 */
public final class DurableShards {
  private DurableShards() {}

  /** Forces every shard of {@code layout} under {@code arrayDir}, then their directories. */
  public static void sync(Path arrayDir, ShardedArrayLayout layout) throws IOException {
    Set<Path> dirs = new LinkedHashSet<>();
    for (long s = 0; s < layout.shardCount(); s++) {
      Path shard = arrayDir.resolve(layout.shardKey(s));
      if (Files.exists(shard)) {
        force(shard);
        for (Path d = shard.getParent(); d != null && d.startsWith(arrayDir); d = d.getParent()) {
          dirs.add(d);
        }
      }
    }
    for (Path d : dirs) {
      forceDirectory(d);
    }
    if (arrayDir.getParent() != null) {
      forceDirectory(arrayDir.getParent());
    }
  }

  /**
   * Forces every regular file and directory under {@code root}: what an output whose tiles are not
   * in a shard tree (Zarr v2 chunks, a flat binary) does once before its completion marker.
   */
  public static void syncTree(Path root) throws IOException {
    syncMetadata(root, null);
  }

  /**
   * Forces the metadata written after the shards (every regular file and directory under
   * {@code root} except inside {@code skip}, the shard tree already forced by {@link #sync};
   * {@code null} skips nothing).
   */
  public static void syncMetadata(Path root, Path skip) throws IOException {
    java.util.List<Path> entries;
    try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
      entries = walk.filter(p -> skip == null || !p.startsWith(skip) || p.equals(skip)).toList();
    }
    for (Path p : entries) {
      if (Files.isRegularFile(p)) {
        force(p);
      }
    }
    for (Path p : entries) {
      if (Files.isDirectory(p)) {
        forceDirectory(p);
      }
    }
  }

  private static void force(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** fsync of a directory: Linux allows it on a read-only descriptor; other systems may refuse. */
  public static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Not supported here (e.g. Windows): the renames are as durable as the platform makes them.
    }
  }
}
