package org.specus.io.mef3;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-128 keys a password opens in a MEF 3.0 file. MEF keeps two levels: level 1 unlocks the
 * technical metadata (rate, scale), level 2 also the subject's (and the recording time offset).
 * A file stores, in its universal header, {@code sha256(key1)[:16]} and
 * {@code sha256(key2)[:16] xor key1}, so a level-2 password yields both keys and a level-1 password
 * only the first. A key is the password's bytes, one per character (the last byte of its UTF-8
 * form), at most 16, zero-padded.
 *
 * @param level1 level-1 key, or {@code null} when the password does not open level 1
 * @param level2 level-2 key, or {@code null}
 */
record MefKeys(byte[] level1, byte[] level2) {
  static final MefKeys NONE = new MefKeys(null, null);

  /** The keys {@code password} opens, given a header's two validation fields; {@link #NONE} if it opens neither. */
  static MefKeys open(String password, byte[] level1Check, byte[] level2Check) {
    if (password == null || password.isEmpty()) {
      return NONE;
    }
    byte[] bytes = passwordBytes(password);
    if (Arrays.equals(sha256Prefix(bytes), level1Check)) {
      return new MefKeys(bytes, null);
    }
    byte[] putative1 = sha256Prefix(bytes);
    for (int i = 0; i < 16; i++) {
      putative1[i] ^= level2Check[i];
    }
    if (Arrays.equals(sha256Prefix(putative1), level1Check)) {
      return new MefKeys(putative1, bytes);
    }
    return NONE;
  }

  static boolean isUnset(byte[] validationField) {
    for (byte b : validationField) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  byte[] forLevel(int level) {
    return level == 1 ? level1 : level == 2 ? level2 : null;
  }

  /** Decrypts {@code length} bytes (a multiple of 16) of {@code data} in place, AES-128 in ECB mode as MEF uses it. */
  static void decrypt(byte[] data, int offset, int length, byte[] key) {
    try {
      Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
      aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"));
      aes.doFinal(data, offset, length - length % 16, data, offset);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-128 is part of every JDK", e);
    }
  }

  static byte[] passwordBytes(String password) {
    byte[] key = new byte[16];
    int n = 0;
    for (int i = 0; i < password.length() && n < 16; i = password.offsetByCodePoints(i, 1)) {
      byte[] utf8 = new String(Character.toChars(password.codePointAt(i))).getBytes(StandardCharsets.UTF_8);
      key[n++] = utf8[utf8.length - 1];
    }
    return key;
  }

  private static byte[] sha256Prefix(byte[] bytes) {
    try {
      return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(bytes), 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
