package org.specus.io.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One run at a time per output: the lock file {@code .OUT.zarr.lock} beside the output says which
 * process holds it (pid, host, process start time, when it was locked), and the holder keeps an
 * operating-system lock ({@code fcntl}) on that file for as long as it runs.
 *
 * <p>Why both: the kernel releases the OS lock the moment a process dies, even by {@code kill -9},
 * so "the file names a holder but nobody holds its OS lock" is the exact test for a stale lock, and
 * taking one over is atomic: whoever gets the OS lock first owns the file, everyone else sees it
 * held. The JSON content is for people and reports, and a second check: when the OS lock is free
 * but the recorded process is still alive on this host (same pid and start time, so not a reused
 * pid), the file system is not honouring locks and the lock is treated as held.
 *
 * <p>Releasing empties the file rather than deleting it: a process that opened the file just before
 * a deletion could lock the deleted file while a third one locks a new file under the same name,
 * and both would believe they hold the lock. An empty lock file is a free lock. Lock files must not
 * be deleted by hand while a run may be using them.
 *
 * <p>POSIX locks belong to the process and are dropped when any descriptor of the file is closed, so
 * this JVM never opens a lock file it holds a second time (see {@link #HELD}).
 */
public final class OutputLock implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Lock files this JVM holds. Checked before a second channel is ever opened on one of them:
   * with POSIX locks, closing any channel on a file drops every lock the process holds on it.
   */
  private static final java.util.Map<Path, Holder> HELD = new java.util.concurrent.ConcurrentHashMap<>();

  /** Who holds (or held) a lock. {@code token} tells two acquisitions by one process apart. */
  @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
  public record Holder(long pid, String host, String processStarted, String lockedAt, String token) {
    /** True if this is a process that is running now on this host (not merely one with its pid). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isAliveHere() {
      if (!host.equals(localHost())) {
        return false;
      }
      Optional<ProcessHandle> p = ProcessHandle.of(pid);
      if (p.isEmpty() || !p.get().isAlive()) {
        return false;
      }
      String started = p.get().info().startInstant().map(Instant::toString).orElse("");
      return processStarted.isEmpty() || started.isEmpty() || started.equals(processStarted);
    }

    /** {@code pid 1234 on host lab-01 since 2024-...}, for messages. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public String describe() {
      return "pid " + pid + " on " + host + " since " + lockedAt;
    }
  }

  private final Path file;
  private final FileChannel channel;
  private final FileLock osLock;
  private final Holder mine;
  private final Holder takenOverFrom;
  private boolean released;

  private OutputLock(Path file, FileChannel channel, FileLock osLock, Holder mine, Holder takenOverFrom) {
    this.file = file;
    this.channel = channel;
    this.osLock = osLock;
    this.mine = mine;
    this.takenOverFrom = takenOverFrom;
  }

  /** The lock file of {@code output}: {@code .OUT.zarr.lock} in the same directory. */
  public static Path lockFile(Path output) {
    Path abs = output.toAbsolutePath().normalize();
    return abs.resolveSibling("." + abs.getFileName() + ".lock");
  }

  /**
   * Locks {@code output} for this process, taking over a stale lock left by a process that died.
   *
   * @throws OutputLockedException if another live process (or this one) holds it
   * @throws OutputException if the lock file cannot be written
   */
  public static OutputLock acquire(Path output) {
    Path file = lockFile(output);
    Holder mine = new Holder(ProcessHandle.current().pid(), localHost(),
        ProcessHandle.current().info().startInstant().map(Instant::toString).orElse(""),
        Instant.now().toString(), UUID.randomUUID().toString());
    Holder heldHere = HELD.putIfAbsent(file, mine);
    if (heldHere != null) {
      throw new OutputLockedException(output, file, heldHere);
    }
    FileChannel ch = null;
    boolean locked = false;
    try {
      Files.createDirectories(file.getParent());
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock os = ch.tryLock();
      if (os == null) {
        throw new OutputLockedException(output, file, parse(readAll(ch)));
      }
      Holder previous = parse(readAll(ch));
      if (previous != null && previous.isAliveHere() && previous.pid() != mine.pid()) {
        // The OS lock was free, yet its recorded holder runs: locks are not honoured here.
        throw new OutputLockedException(output, file, previous);
      }
      ch.truncate(0);
      ByteBuffer bytes = ByteBuffer.wrap(JSON.writeValueAsBytes(mine));
      while (bytes.hasRemaining()) {
        ch.write(bytes, bytes.position());
      }
      ch.force(true);
      locked = true;
      return new OutputLock(file, ch, os, mine, previous);
    } catch (OverlappingFileLockException e) {
      throw new OutputLockedException(output, file, null); // another class loader of this JVM
    } catch (IOException e) {
      throw new OutputException(output + ": cannot lock the output (" + reason(e) + ")");
    } finally {
      if (!locked) {
        HELD.remove(file);
        if (ch != null) {
          try {
            ch.close(); // drops the OS lock if we had taken it
          } catch (IOException ignored) {
            // nothing was written
          }
        }
      }
    }
  }

  /** The lock file this lock holds. */
  public Path file() {
    return file;
  }

  /** The dead process whose stale lock this one replaced, if any. */
  public Optional<Holder> takenOverFrom() {
    return Optional.ofNullable(takenOverFrom);
  }

  /** This process's entry in the lock file. */
  public Holder holder() {
    return mine;
  }

  /** Empties the lock file (a free lock) and drops the OS lock. */
  @Override
  public synchronized void close() {
    if (released) {
      return;
    }
    released = true;
    try {
      channel.truncate(0);
      channel.force(true);
    } catch (IOException e) {
      // A lock file still naming us is stale once the OS lock is gone: the next run takes it over.
    } finally {
      try {
        osLock.release();
        channel.close();
      } catch (IOException e) {
        // Closing the channel releases the OS lock in any case.
      }
      HELD.remove(file);
    }
  }

  /** What the lock file at {@code file} says, or {@code null} if it is missing, empty (free) or unreadable. */
  public static Holder readHolder(Path file) {
    Holder here = HELD.get(file.toAbsolutePath().normalize());
    if (here != null) {
      return here; // never open a lock file this process holds: closing it would drop the lock
    }
    try {
      return parse(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  private static byte[] readAll(FileChannel ch) throws IOException {
    long size = ch.size();
    if (size > 64 * 1024) {
      return new byte[0]; // not a lock file of ours; it is replaced
    }
    ByteBuffer b = ByteBuffer.allocate((int) size);
    while (b.hasRemaining() && ch.read(b, b.position()) >= 0) {
      // read until full
    }
    return b.array();
  }

  private static Holder parse(byte[] bytes) {
    if (bytes.length == 0) {
      return null;
    }
    try {
      return JSON.readValue(bytes, Holder.class);
    } catch (IOException e) {
      return null; // unreadable: whoever wrote it did not finish, and holds no OS lock now
    }
  }

  private static String reason(IOException e) {
    if (e instanceof java.nio.file.AccessDeniedException a) {
      return "permission denied on " + a.getFile();
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException f) {
      return f.getFile() + " is in the way";
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason() + " on " + f.getFile();
    }
    return e.getMessage();
  }

  static String localHost() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }
}
