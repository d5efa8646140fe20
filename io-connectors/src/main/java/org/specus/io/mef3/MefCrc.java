package org.specus.io.mef3;

/**
 * MEF 3.0's checksum: CRC-32 with Koopman's polynomial (0x741B8CD7, processed reflected as
 * 0xEB31D82E), starting from all ones and without a final inversion. Every file's universal header
 * and every RED block carry one; checking the blocks is how a damaged data file is told apart from
 * a signal that merely looks odd.
 */
final class MefCrc {
  private static final int[] TABLE = table();

  private MefCrc() {}

  static int of(byte[] bytes, int from, int to) {
    int crc = 0xFFFFFFFF;
    for (int i = from; i < to; i++) {
      crc = TABLE[(crc ^ bytes[i]) & 0xFF] ^ (crc >>> 8);
    }
    return crc;
  }

  private static int[] table() {
    int[] t = new int[256];
    for (int i = 0; i < 256; i++) {
      int c = i;
      for (int k = 0; k < 8; k++) {
        c = (c & 1) != 0 ? (c >>> 1) ^ 0xEB31D82E : c >>> 1;
      }
      t[i] = c;
    }
    return t;
  }
}
