package dev.courier.runtime.queue;

import java.util.HexFormat;

/**
 * Identifies one queue call: the request carries it, duplicates of the request share it (the worker
 * runs it once), and its reply carries it back to the waiting caller. {@code high} is a random
 * number of the client instance, drawn once, and {@code low} that client's count of calls, so ids
 * are unique across clients without a random draw per call. On Kafka it travels as two longs in
 * the {@linkplain QueueEnvelope envelope header}: 16 bytes, no text to make, parse or hash.
 * Immutable.
 *
 * @param high the client instance's random tag
 * @param low the client's call counter
 */
public record CallId(long high, long low) {
  /** 32 hexadecimal digits, {@code high} first: the id as logs and traces show it. */
  @Override
  public String toString() {
    return HEX.toHexDigits(high) + HEX.toHexDigits(low);
  }

  /** Lower-case, as {@code FileConfigSource} prints its digests; {@code toHexDigits(long)} pads to 16. */
  private static final HexFormat HEX = HexFormat.of();
}
