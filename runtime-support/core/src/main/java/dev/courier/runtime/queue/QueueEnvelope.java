package dev.courier.runtime.queue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * The binary form of a {@link QueueMessage}'s envelope (its {@link CallId}, deadline, reply address
 * and reply status), for transports that carry messages as bytes: on Kafka it is the value of the
 * one header {@link QueueHeaders#ENVELOPE} on every request and reply. Format version 1, in order:
 *
 * <pre>
 *   byte     version            1
 *   byte     flags              1 id, 2 deadline, 4 reply address, 8 status, 16 status message
 *   long     id high, id low    if flag 1; big-endian
 *   long     deadline           if flag 2; ms since the epoch
 *   varint   length, UTF-8      if flag 4; the reply address
 *   varint   status code        if flag 8; gRPC code, absent for OK
 *   varint   length, UTF-8      if flag 16; the status description
 * </pre>
 *
 * <p>A request of a Courier client is 2 + 16 + 8 + the reply address's length + 1 bytes; a
 * successful reply 18. Readers ignore flags they do not know and bytes after the fields they know,
 * so a later version 1 may append fields; an incompatible change takes a new version number, which
 * this reader refuses, naming it. See docs/wire-compatibility.md.
 *
 * <p>{@link #encode} is stateless and thread-safe. A {@link Reader} keeps the last reply address it
 * decoded, so that a worker reading many requests from one client makes its address string once;
 * each thread that decodes uses its own.
 */
public final class QueueEnvelope {
  /** The format version this class writes and reads. */
  public static final int VERSION = 1;

  private static final int ID = 1;
  private static final int DEADLINE = 2;
  private static final int REPLY_TO = 4;
  private static final int STATUS = 8;
  private static final int STATUS_MESSAGE = 16;

  private QueueEnvelope() {}

  /** The envelope of {@code message} in format {@link #VERSION}. */
  public static byte[] encode(QueueMessage message) {
    boolean hasId = message.hasId();
    byte[] replyTo = message.replyTo() == null ? null : replyToBytes(message.replyTo());
    byte[] statusMessage = message.statusMessage() == null ? null
        : message.statusMessage().getBytes(StandardCharsets.UTF_8);
    int flags = (hasId ? ID : 0) | (message.hasDeadline() ? DEADLINE : 0) | (replyTo != null ? REPLY_TO : 0)
        | (message.status() != 0 ? STATUS : 0) | (statusMessage != null ? STATUS_MESSAGE : 0);
    int size = 2 + (hasId ? 16 : 0) + (message.hasDeadline() ? 8 : 0)
        + (replyTo != null ? varintSize(replyTo.length) + replyTo.length : 0)
        + (message.status() != 0 ? varintSize(message.status()) : 0)
        + (statusMessage != null ? varintSize(statusMessage.length) + statusMessage.length : 0);
    byte[] out = new byte[size];
    out[0] = VERSION;
    out[1] = (byte) flags;
    int at = 2;
    if (hasId) {
      at = putLong(out, at, message.idHigh());
      at = putLong(out, at, message.idLow());
    }
    if (message.hasDeadline()) {
      at = putLong(out, at, message.deadlineMillis());
    }
    if (replyTo != null) {
      at = putBytes(out, at, replyTo);
    }
    if (message.status() != 0) {
      at = putVarint(out, at, message.status());
    }
    if (statusMessage != null) {
      putBytes(out, at, statusMessage);
    }
    return out;
  }

  /**
   * Decodes envelopes; keeps the last reply address decoded to reuse its string. Not thread-safe:
   * one per decoding thread.
   */
  public static final class Reader {
    private byte[] lastReplyTo = new byte[0];
    private String lastReplyToString = "";
    private byte[] in;
    private int at;

    /**
     * The message with {@code envelope}'s fields and the other parts given.
     *
     * @throws IllegalArgumentException if {@code envelope} is not one this version reads, saying why
     */
    public QueueMessage decode(byte[] envelope, String key, Map<String, String> headers, byte[] body) {
      if (envelope.length < 2) {
        throw new IllegalArgumentException("envelope of " + envelope.length + " bytes (expected: at least 2)");
      }
      if (envelope[0] != VERSION) {
        throw new IllegalArgumentException("envelope format version " + envelope[0] + " (expected: " + VERSION
            + "; written by another Courier version?)");
      }
      int flags = envelope[1];
      in = envelope;
      at = 2;
      try {
        boolean hasId = (flags & ID) != 0;
        long idHigh = hasId ? getLong() : 0;
        long idLow = hasId ? getLong() : 0;
        long deadline = (flags & DEADLINE) != 0 ? getLong() : QueueMessage.NO_DEADLINE;
        String replyTo = (flags & REPLY_TO) != 0 ? replyTo() : null;
        int status = (flags & STATUS) != 0 ? getVarint() : 0;
        String statusMessage = (flags & STATUS_MESSAGE) != 0 ? string() : null;
        return hasId ? QueueMessage.withId(key, idHigh, idLow, deadline, replyTo, status, statusMessage, headers, body)
            : QueueMessage.of(key, null, deadline, replyTo, status, statusMessage, headers, body);
      } catch (IndexOutOfBoundsException e) {
        throw new IllegalArgumentException("envelope of " + envelope.length + " bytes ends inside a field (flags "
            + flags + ")", e);
      } finally {
        in = null;
      }
    }

    private String replyTo() {
      int length = getVarint();
      int from = skip(length);
      if (!Arrays.equals(in, from, from + length, lastReplyTo, 0, lastReplyTo.length)) {
        lastReplyTo = Arrays.copyOfRange(in, from, from + length);
        lastReplyToString = new String(lastReplyTo, StandardCharsets.UTF_8);
      }
      return lastReplyToString;
    }

    private String string() {
      int length = getVarint();
      return new String(in, skip(length), length, StandardCharsets.UTF_8);
    }

    /** Moves past {@code length} bytes; returns where they start. */
    private int skip(int length) {
      int from = at;
      if (length > in.length - from) {
        throw new IndexOutOfBoundsException(from + length);
      }
      at = from + length;
      return from;
    }

    private long getLong() {
      int i = skip(8);
      long value = 0;
      for (int end = i + 8; i < end; i++) {
        value = (value << 8) | (in[i] & 0xff);
      }
      return value;
    }

    private int getVarint() {
      int value = 0;
      for (int shift = 0; shift < 32; shift += 7) {
        byte b = in[at++];
        value |= (b & 0x7f) << shift;
        if (b >= 0) {
          if (value < 0) {
            throw new IllegalArgumentException("negative length or status in the envelope: " + value);
          }
          return value;
        }
      }
      throw new IllegalArgumentException("varint longer than 5 bytes in the envelope");
    }
  }

  /**
   * The UTF-8 form of a reply address. A client sends one address with every request, so the last
   * one encoded is kept (by any thread; each pair is right for its own string) rather than encoded
   * per request.
   */
  private static byte[] replyToBytes(String replyTo) {
    EncodedAddress last = lastReplyTo;
    if (last != null && (last.address == replyTo || last.address.equals(replyTo))) {
      return last.bytes;
    }
    byte[] bytes = replyTo.getBytes(StandardCharsets.UTF_8);
    lastReplyTo = new EncodedAddress(replyTo, bytes);
    return bytes;
  }

  /** A reply address and its UTF-8 bytes, which are only read. */
  private record EncodedAddress(String address, byte[] bytes) {}

  private static volatile EncodedAddress lastReplyTo;

  private static int putLong(byte[] out, int at, long value) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out[at++] = (byte) (value >>> shift);
    }
    return at;
  }

  private static int putBytes(byte[] out, int at, byte[] bytes) {
    at = putVarint(out, at, bytes.length);
    System.arraycopy(bytes, 0, out, at, bytes.length);
    return at + bytes.length;
  }

  private static int varintSize(int value) {
    int size = 1;
    while ((value & ~0x7f) != 0) {
      value >>>= 7;
      size++;
    }
    return size;
  }

  private static int putVarint(byte[] out, int at, int value) {
    while ((value & ~0x7f) != 0) {
      out[at++] = (byte) ((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out[at++] = (byte) value;
    return at;
  }
}
