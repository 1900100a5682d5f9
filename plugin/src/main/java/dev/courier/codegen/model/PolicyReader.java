package dev.courier.codegen.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import dev.courier.codegen.model.PolicyModel.HedgeModel;
import dev.courier.codegen.model.PolicyModel.RetryModel;
import dev.courier.options.Balancer;
import dev.courier.options.Hedge;
import dev.courier.options.MethodOptions;
import dev.courier.options.Retry;
import dev.courier.options.ServiceOptions;
import dev.courier.runtime.context.AccessRule;
import dev.courier.runtime.internal.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads {@code (courier.service)} and {@code (courier.method)} options and merges them into a
 * validated {@link PolicyModel}. Problems go to a sink, each naming where it is and what to write.
 */
final class PolicyReader {
  /** The extension number of both options in courier/options.proto. */
  static final int EXTENSION_NUMBER = 51700;

  private static final Set<String> STATUS_CODES = StatusCodeNames.ALL;

  private PolicyReader() {}

  /** The service's options, from the unknown fields of its {@code ServiceOptions}. */
  static ServiceOptions serviceOptions(Message options, String where, Consumer<String> problems) {
    ByteString bytes = extensionBytes(options.getUnknownFields());
    try {
      return ServiceOptions.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      problems.accept(where + ": (courier.service) cannot be read: " + e.getMessage());
      return ServiceOptions.getDefaultInstance();
    }
  }

  /** The method's options, from the unknown fields of its {@code MethodOptions}. */
  static MethodOptions methodOptions(Message options, String where, Consumer<String> problems) {
    ByteString bytes = extensionBytes(options.getUnknownFields());
    try {
      return MethodOptions.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      problems.accept(where + ": (courier.method) cannot be read: " + e.getMessage());
      return MethodOptions.getDefaultInstance();
    }
  }

  private static ByteString extensionBytes(UnknownFieldSet unknown) {
    UnknownFieldSet.Field field = unknown.getField(EXTENSION_NUMBER);
    ByteString all = ByteString.EMPTY;
    // Repeated occurrences of a message field merge, which concatenation gives for free.
    for (ByteString part : field.getLengthDelimitedList()) {
      all = all.concat(part);
    }
    return all;
  }

  /** Merges method over service options and validates the result. */
  static PolicyModel merge(
      ServiceOptions service, MethodOptions method, CallKind kind, String where, Consumer<String> problems) {
    boolean idempotent = method.hasIdempotent() ? method.getIdempotent() : service.getIdempotent();
    Duration timeout = duration(
        !method.getTimeout().isEmpty() ? method.getTimeout() : service.getTimeout(), "timeout", where, problems);
    if (timeout != null && timeout.isZero()) {
      problems.accept(where + ": timeout \"0s\" (expected: > 0, such as \"2s\"; leave it out for no deadline)");
      timeout = null;
    }
    Balancer balancer = method.getBalancer() != Balancer.BALANCER_UNSPECIFIED ? method.getBalancer() : service.getBalancer();
    boolean queue = method.hasQueue() ? method.getQueue() : service.getQueue();
    int maxConcurrency = method.hasMaxConcurrency() ? method.getMaxConcurrency() : service.getMaxConcurrency();
    if (maxConcurrency < 0) {
      problems.accept(where + ": max_concurrency " + maxConcurrency + " (expected: >= 0; 0 means no limit)");
      maxConcurrency = 0;
    }
    RetryModel retry = retry(service.hasRetry() ? service.getRetry() : null,
        method.hasRetry() ? method.getRetry() : null, idempotent, where, problems);
    HedgeModel hedge = hedge(method.hasHedge() ? method.getHedge() : service.hasHedge() ? service.getHedge() : null,
        idempotent, where, problems);
    checkAllow(method.getAllowCount() > 0 ? method.getAllowList() : service.getAllowList(), where, problems);
    if (queue && kind != CallKind.UNARY) {
      String fix = method.hasQueue() ? "remove queue: true from this method"
          : "the service sets queue: true for all its methods, so add option (courier.method) = { queue: false };"
              + " to this method";
      problems.accept(where + ": queue: true on a " + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
          + " method (expected: only unary methods have queue-backed variants, since a queue carries one"
          + " request and one reply; " + fix + ")");
      queue = false;
    }
    return new PolicyModel(
        idempotent,
        timeout,
        retry,
        hedge,
        balancer == Balancer.BALANCER_UNSPECIFIED ? null : balancer.name(),
        maxConcurrency,
        queue);
  }

  /** Each {@code allow} rule must be one the server understands; an empty entry is a typo too. */
  private static void checkAllow(List<String> rules, String where, Consumer<String> problems) {
    for (String rule : rules) {
      try {
        AccessRule.parse(rule);
      } catch (IllegalArgumentException e) {
        problems.accept(where + ": allow \"" + rule + "\" (expected one of " + AccessRule.FORMS
            + "; a call passes when any rule of the list admits it)");
      }
    }
  }

  private static RetryModel retry(Retry service, Retry method, boolean idempotent, String where, Consumer<String> problems) {
    if (service == null && method == null) {
      return null;
    }
    // The method's codes, in either form, replace the service's; mergeFrom would append them.
    Retry codesFrom = method != null && hasCodes(method) ? method : service;
    Retry merged = service == null ? method : method == null ? service : service.toBuilder().mergeFrom(method)
        .clearRetryableCodes().addAllRetryableCodes(codesFrom.getRetryableCodesList())
        .clearRetryOn().addAllRetryOnValue(codesFrom.getRetryOnValueList()).build();
    Integer maxAttempts = merged.hasMaxAttempts() ? merged.getMaxAttempts() : null;
    if (maxAttempts != null && maxAttempts < 1) {
      problems.accept(where + ": retry.max_attempts " + maxAttempts
          + " (expected: >= 1, the first attempt included; 1 means no retries)");
    }
    Duration initial = duration(merged.getInitialBackoff(), "retry.initial_backoff", where, problems);
    Duration max = duration(merged.getMaxBackoff(), "retry.max_backoff", where, problems);
    Duration effectiveInitial = initial == null ? Duration.ofMillis(50) : initial;
    Duration effectiveMax = max == null ? Duration.ofSeconds(1) : max;
    if (effectiveMax.compareTo(effectiveInitial) < 0) {
      problems.accept(where + ": retry.max_backoff " + text(effectiveMax) + " is below retry.initial_backoff "
          + text(effectiveInitial) + " (expected: max_backoff >= initial_backoff)");
    }
    Double multiplier = merged.hasMultiplier() ? merged.getMultiplier() : null;
    if (multiplier != null && !(multiplier >= 1.0)) {
      problems.accept(where + ": retry.multiplier " + multiplier + " (expected: >= 1.0)");
    }
    Double jitter = merged.hasJitter() ? merged.getJitter() : null;
    if (jitter != null && !(jitter >= 0.0 && jitter <= 1.0)) {
      problems.accept(where + ": retry.jitter " + jitter + " (expected: 0.0 to 1.0; 1.0 is full jitter)");
    }
    List<String> codes = new ArrayList<>();
    for (String code : merged.getRetryableCodesList()) {
      String name = code.trim().toUpperCase(java.util.Locale.ROOT);
      if (!STATUS_CODES.contains(name)) {
        problems.accept(where + ": retry.retryable_codes \"" + code + "\" is not a gRPC status code"
            + " (expected one of " + new java.util.TreeSet<>(STATUS_CODES) + ")");
      } else if (!codes.contains(name)) {
        codes.add(name);
      }
    }
    for (int number : merged.getRetryOnValueList()) {
      Retry.Code code = Retry.Code.forNumber(number);
      if (code == null || code == Retry.Code.OK) {
        problems.accept(where + ": retry.retry_on " + (code == null ? number : code.name()) + " is not a gRPC"
            + " failure status (expected one of " + new java.util.TreeSet<>(STATUS_CODES) + ")");
      } else if (!codes.contains(code.name())) {
        codes.add(code.name());
      }
    }
    if (!codes.isEmpty() && !idempotent) {
      String field = merged.getRetryOnCount() == 0 ? "retryable_codes"
          : merged.getRetryableCodesCount() == 0 ? "retry_on" : "retryable_codes and retry_on";
      problems.accept(where + ": retry." + field + " " + codes + " on a method that is not idempotent: with these"
          + " statuses the request may already have been processed, so a retry could run it twice."
          + " Add idempotent: true if running it twice is safe, or remove " + field + " (a non-idempotent"
          + " call is still retried when the request surely never reached a server)");
    }
    return new RetryModel(maxAttempts, initial, max, multiplier, jitter, codes);
  }

  private static boolean hasCodes(Retry retry) {
    return retry.getRetryableCodesCount() > 0 || retry.getRetryOnCount() > 0;
  }

  private static HedgeModel hedge(Hedge hedge, boolean idempotent, String where, Consumer<String> problems) {
    if (hedge == null) {
      return null;
    }
    String text = hedge.getHedgeAfter().strip();
    double percentile = 0;
    Duration after = null;
    if (text.startsWith("p") || text.startsWith("P")) {
      percentile = percentile(text, where, problems);
      if (percentile == 0) {
        return null;
      }
    } else {
      after = duration(text, "hedge.hedge_after", where, problems);
    }
    if (percentile == 0 && (after == null || after.isZero())) {
      problems.accept(where + ": hedge.hedge_after is " + (after == null ? "missing" : "\"0s\"")
          + " (expected: the delay before an extra attempt, such as \"20ms\", or a percentile of the"
          + " method's recent latency, such as \"p95\")");
      return null;
    }
    int maxHedged = hedge.hasMaxHedged() ? hedge.getMaxHedged() : 1;
    if (maxHedged < 1) {
      problems.accept(where + ": hedge.max_hedged " + maxHedged + " (expected: >= 1)");
      return null;
    }
    if (!idempotent) {
      problems.accept(where + ": hedge on a method that is not idempotent: hedged attempts run the request more"
          + " than once. Add idempotent: true if that is safe, or remove hedge");
      return null;
    }
    return new HedgeModel(after, maxHedged, percentile);
  }

  /** The percentile of {@code "p95"}, {@code "p99.9"}; 0 after reporting a problem. */
  private static double percentile(String text, String where, Consumer<String> problems) {
    double p;
    try {
      p = Double.parseDouble(text.substring(1));
    } catch (NumberFormatException e) {
      p = Double.NaN;
    }
    if (p >= 50 && p < 100) {
      return p;
    }
    problems.accept(where + ": hedge.hedge_after \"" + text + "\" is not a percentile to hedge after (expected:"
        + " \"p50\" to \"p99.9\", such as \"p95\" to hedge the calls slower than 95% of the method's recent ones,"
        + " or a fixed delay such as \"20ms\")");
    return 0;
  }

  private static Duration duration(String text, String field, String where, Consumer<String> problems) {
    if (text.isEmpty()) {
      return null;
    }
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      problems.accept(where + ": " + field + " " + e.getMessage());
      return null;
    }
  }

  private static String text(Duration d) {
    return "\"" + d.toMillis() + "ms\"";
  }
}
