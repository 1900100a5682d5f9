package dev.courier.runtime.queue.kafka;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names of a {@link KafkaQueue}'s topics: {@code <prefix><package.Service>-<Method>} for
 * requests, that plus the dead-letter suffix for dead letters, {@code
 * <prefix>reply.<clientId>.<random>} for one client's replies. Characters Kafka does not allow
 * become {@code _}; names over Kafka's 249 characters are shortened with a hash suffix. Names only:
 * creating topics is {@link KafkaTopics}'s job. Thread-safe.
 */
final class TopicNames {
  private static final int MAX_TOPIC_LENGTH = 249;

  private final String prefix;
  private final String deadLetterSuffix;
  private final String clientId;
  private final Map<String, String> requestTopics = new ConcurrentHashMap<>();

  TopicNames(String prefix, String deadLetterSuffix, String clientId) {
    this.prefix = prefix;
    this.deadLetterSuffix = deadLetterSuffix;
    this.clientId = clientId;
  }

  /** The request topic of {@code method} (a full gRPC method name). */
  String request(String method) {
    // Remembered: it is needed for every request, and building it walks the name char by char.
    // Looked up before computeIfAbsent, whose lambda captures this and would be made anew per call.
    String topic = requestTopics.get(method);
    return topic != null ? topic : requestTopics.computeIfAbsent(method, m -> legal(prefix + m.replace('/', '-')));
  }

  /** The dead-letter topic of {@code method}. */
  String deadLetter(String method) {
    return legal(request(method) + deadLetterSuffix);
  }

  /** A new reply topic name, unique to one client instance. */
  String newReply() {
    return legal(prefix + "reply." + clientId + "." + UUID.randomUUID().toString().substring(0, 13));
  }

  /** Replaces characters Kafka refuses and shortens over-long names with a hash suffix. */
  static String legal(String raw) {
    StringBuilder sb = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-';
      sb.append(legal ? c : '_');
    }
    if (sb.length() <= MAX_TOPIC_LENGTH) {
      return sb.toString();
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8));
      String hash = HexFormat.of().formatHex(digest, 0, 8);
      return sb.substring(0, MAX_TOPIC_LENGTH - hash.length() - 1) + '-' + hash;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
