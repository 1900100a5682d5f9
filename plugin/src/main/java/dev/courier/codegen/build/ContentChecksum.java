package dev.courier.codegen.build;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * A 64-bit checksum of bytes, for telling whether a build's inputs changed: CRC-32C and CRC-32
 * (two different polynomials) over the same bytes, with their length, as 24 hex digits. Not a
 * cryptographic digest: it catches every accidental change but not a forged one, and the incremental
 * check only decides whether to generate again.
 *
 * <p>Why not SHA-256, which this replaced: a no-op build runs in a JVM that has not compiled
 * anything yet, where the first {@code MessageDigest.getInstance} sets up the JDK's security
 * providers (about 16 ms on a 2-core machine) and SHA-256 runs interpreted (another 16 ms for the
 * 135 KB of Google's Pub/Sub protos), together a fifth of the goal's own time. The JDK's CRCs run as
 * intrinsics even in the interpreter. Not thread-safe; one per checksum.
 *
 * @since 0.1.0
 */
public final class ContentChecksum {
  private final CRC32C crc32c = new CRC32C();
  private final CRC32 crc32 = new CRC32();
  private long length;

  /** The checksum of {@code bytes}, as {@link #hex()} gives it. */
  public static String of(byte[] bytes) {
    return new ContentChecksum().add(bytes).hex();
  }

  /** Adds {@code bytes}. */
  public ContentChecksum add(byte[] bytes) {
    crc32c.update(bytes, 0, bytes.length);
    crc32.update(bytes, 0, bytes.length);
    length += bytes.length;
    return this;
  }

  /**
   * Adds {@code value} as UTF-8, then a zero byte, so that {@code add("ab").add("c")} and {@code
   * add("a").add("bc")} differ.
   */
  public ContentChecksum add(String value) {
    add(value.getBytes(StandardCharsets.UTF_8));
    crc32c.update(0);
    crc32.update(0);
    length++;
    return this;
  }

  /** CRC-32C, CRC-32 and the length of what was added, as 8, 8 and 8 hex digits. */
  public String hex() {
    HexFormat hex = HexFormat.of();
    return hex.toHexDigits((int) crc32c.getValue()) + hex.toHexDigits((int) crc32.getValue())
        + hex.toHexDigits((int) length);
  }
}
