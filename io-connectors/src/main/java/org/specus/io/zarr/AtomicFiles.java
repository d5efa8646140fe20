package org.specus.io.zarr;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.specus.io.WriteBuffers;

/**
 * Write-to-temporary-then-rename, so a reader (or a restarted pipeline) never sees a half-written
 * store key: a crash leaves at most a hidden {@code .<name>.tmp-<uuid>} file next to the target.
 */
final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * A fresh temporary path in the target's directory (same file system, so the rename is atomic).
   * The name starts with a dot so store listings and globbing users skip it.
   */
  static Path temporarySibling(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
  }

  /** Opens a temporary file for streaming. Plain FileOutputStream: no per-thread NIO buffer cache. */
  static FileOutputStream open(Path tmp) throws IOException {
    Files.createDirectories(tmp.getParent());
    return new FileOutputStream(tmp.toFile());
  }

  /**
   * Opens a new temporary file as a channel, for writing from direct buffers (a heap buffer passed
   * to a channel is first copied into a temporary direct buffer that the JDK caches per thread).
   */
  static FileChannel openChannel(Path tmp) throws IOException {
    Files.createDirectories(tmp.getParent());
    return FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  /** Writes {@code bytes}' remaining bytes (a buffer of {@code buffers}) to {@code target} atomically. */
  static void write(Path target, ByteBuffer bytes, WriteBuffers buffers) throws IOException {
    Path tmp = temporarySibling(target);
    boolean committed = false;
    try {
      try (FileChannel out = openChannel(tmp)) {
        buffers.write(out, bytes);
      }
      commit(tmp, target);
      committed = true;
    } finally {
      if (!committed) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /**
   * Atomically renames {@code tmp} onto {@code target}, replacing an older version (a retried
   * shard). Deletes {@code tmp} if the rename fails.
   */
  static void commit(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(tmp);
      throw new IOException(
          "cannot atomically rename " + tmp + " to " + target
              + "; the store must be on a file system that supports atomic rename", e);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  /** Writes a small file (metadata, single-chunk arrays) atomically. */
  static void write(Path target, byte[] bytes) throws IOException {
    Path tmp = temporarySibling(target);
    boolean committed = false;
    try {
      try (FileOutputStream out = open(tmp)) {
        out.write(bytes);
      }
      commit(tmp, target);
      committed = true;
    } finally {
      if (!committed) {
        Files.deleteIfExists(tmp);
      }
    }
  }
}
