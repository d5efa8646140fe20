package org.specus.io.beam;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

/** Java serialisation as runners use it, for tests of what a value costs to ship and whether it arrives whole. */
public final class JavaSerialisation {
  private JavaSerialisation() {}

  /** The bytes of {@code o}; {@code objects[0]} is increased by the number of objects written. */
  public static byte[] write(Object o, int[] objects) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes) {
      {
        enableReplaceObject(true);
      }

      @Override
      protected Object replaceObject(Object obj) {
        objects[0]++;
        return obj;
      }
    }) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  public static Object read(byte[] bytes) throws IOException, ClassNotFoundException {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return in.readObject();
    }
  }

  @SuppressWarnings("unchecked")
  public static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
    return (T) read(write(value, new int[1]));
  }
}
