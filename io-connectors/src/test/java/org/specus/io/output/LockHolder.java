package org.specus.io.output;

import java.nio.file.Path;

/** Test helper process: locks an output, says so, and holds it until killed. */
public final class LockHolder {
  public static void main(String[] args) throws Exception {
    OutputLock lock = OutputLock.acquire(Path.of(args[0]));
    System.out.println("locked");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
    lock.close();
  }
}
