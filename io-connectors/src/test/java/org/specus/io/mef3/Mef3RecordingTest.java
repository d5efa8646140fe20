package org.specus.io.mef3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of the MEF 3.0 reader that need no session on disk. */
class Mef3RecordingTest {

  @Test
  void channelsAreInNaturalOrder() {
    List<String> names = new ArrayList<>(List.of("ch10", "ch2", "ch1", "LA1", "ch02b", "LA10", "LA9"));
    names.sort(Comparator.comparing(Mef3Recording::naturalKey));
    assertEquals(List.of("LA1", "LA9", "LA10", "ch1", "ch2", "ch02b", "ch10"), names);
  }

  @Test
  void unitsBecomeMicrovolts() {
    assertEquals(1.0, Mef3Recording.microvoltsPer("uV"));
    assertEquals(1.0, Mef3Recording.microvoltsPer("µV"));
    assertEquals(1e3, Mef3Recording.microvoltsPer("mV"));
    assertEquals(1e6, Mef3Recording.microvoltsPer(" V "));
    assertNull(Mef3Recording.microvoltsPer("counts"));
    assertNull(Mef3Recording.microvoltsPer(""));
  }

  /** meflib keeps the last byte of each character's UTF-8 form, at most 16, zero-padded. */
  @Test
  void passwordBytes() {
    byte[] ascii = new byte[16];
    System.arraycopy("pass1".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, ascii, 0, 5);
    assertArrayEquals(ascii, MefKeys.passwordBytes("pass1"));
    byte[] accented = new byte[16];
    accented[0] = (byte) 0xA9; // é is C3 A9
    accented[1] = 'a';
    assertArrayEquals(accented, MefKeys.passwordBytes("éa"));
    assertEquals(16, MefKeys.passwordBytes("a password longer than sixteen").length);
  }

  /** CRC-32K of "123456789" with MEF's conventions (reflected Koopman polynomial, start all ones, no final xor). */
  @Test
  void checksumOfTheStandardCheckString() {
    byte[] check = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertEquals(0x2D3DD0AE, ~MefCrc.of(check, 0, check.length));
  }

  /** Eight bytes at a time gives the CRC's definition, bit by bit, at any offset and length. */
  @Test
  void checksumOfAnyStretchIsTheBitwiseOne() {
    byte[] bytes = new byte[100];
    new java.util.Random(3).nextBytes(bytes);
    for (int from = 0; from < 9; from++) {
      for (int to = from; to <= bytes.length; to++) {
        int crc = 0xFFFFFFFF;
        for (int i = from; i < to; i++) {
          crc ^= bytes[i] & 0xFF;
          for (int k = 0; k < 8; k++) {
            crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xEB31D82E : crc >>> 1;
          }
        }
        assertEquals(crc, MefCrc.of(bytes, from, to), "bytes " + from + " to " + to);
      }
    }
  }
}
