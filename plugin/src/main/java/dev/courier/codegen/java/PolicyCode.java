package dev.courier.codegen.java;

import com.palantir.javapoet.CodeBlock;
import dev.courier.codegen.model.HashKeyModel;
import dev.courier.codegen.model.PolicyModel.RetryModel;
import dev.courier.codegen.model.PolicyModel;
import java.time.Duration;

/** Java expressions for a declared policy and a hash-key reader. */
final class PolicyCode {
  private PolicyCode() {}

  /** {@code MethodPolicy.DEFAULT}, or a builder chain that sets what the {@code .proto} declares. */
  static CodeBlock policy(PolicyModel p) {
    if (p.isDefault()) {
      return CodeBlock.of("$T.DEFAULT", Types.METHOD_POLICY);
    }
    CodeBlock.Builder code = CodeBlock.builder().add("$T.builder()", Types.METHOD_POLICY).indent().indent();
    if (p.idempotent()) {
      code.add("\n.idempotent(true)");
    }
    if (p.timeout() != null) {
      code.add("\n.timeout($L)", duration(p.timeout()));
    }
    if (p.retry() != null) {
      code.add("\n.retry($L)", retry(p.retry()));
    }
    if (p.hedge() != null && p.hedge().hedgeAfter() == null) {
      code.add("\n.hedge($T.atPercentile($L, $L))", Types.HEDGE_POLICY, p.hedge().percentile(), p.hedge().maxHedged());
    } else if (p.hedge() != null) {
      code.add("\n.hedge(new $T($L, $L))", Types.HEDGE_POLICY, duration(p.hedge().hedgeAfter()), p.hedge().maxHedged());
    }
    if (p.balancer() != null) {
      code.add("\n.balancer($T.$L)", Types.BALANCER_KIND, p.balancer());
    }
    if (p.maxConcurrency() > 0) {
      code.add("\n.maxConcurrency($L)", p.maxConcurrency());
    }
    if (p.queue()) {
      code.add("\n.queue(true)");
    }
    return code.add("\n.build()").unindent().unindent().build();
  }

  private static CodeBlock retry(RetryModel r) {
    CodeBlock.Builder code = CodeBlock.builder().add("$T.builder()", Types.RETRY_POLICY).indent().indent();
    if (r.maxAttempts() != null) {
      code.add("\n.maxAttempts($L)", r.maxAttempts());
    }
    if (r.initialBackoff() != null) {
      code.add("\n.initialBackoff($L)", duration(r.initialBackoff()));
    }
    if (r.maxBackoff() != null) {
      code.add("\n.maxBackoff($L)", duration(r.maxBackoff()));
    }
    if (r.multiplier() != null) {
      code.add("\n.multiplier($L)", r.multiplier());
    }
    if (r.jitter() != null) {
      code.add("\n.jitter($L)", r.jitter());
    }
    if (!r.retryableCodes().isEmpty()) {
      CodeBlock codes = r.retryableCodes().stream()
          .map(c -> CodeBlock.of("$T.$L", Types.STATUS_CODE, c))
          .collect(CodeBlock.joining(", "));
      code.add("\n.retryableCodes($L)", codes);
    }
    return code.add("\n.build()").unindent().unindent().build();
  }

  static CodeBlock duration(Duration d) {
    if (d.toNanos() % 1_000_000_000L == 0) {
      return CodeBlock.of("$T.ofSeconds($L)", Types.DURATION, d.toSeconds());
    }
    if (d.toNanos() % 1_000_000L == 0) {
      return CodeBlock.of("$T.ofMillis($L)", Types.DURATION, d.toMillis());
    }
    return CodeBlock.of("$T.ofNanos($LL)", Types.DURATION, d.toNanos());
  }

  /** A lambda that reads the hash key: {@code request -> request.getItem().getSku()}. */
  static CodeBlock hashKeyReader(HashKeyModel key) {
    StringBuilder chain = new StringBuilder("request");
    for (String getter : key.getters()) {
      chain.append('.').append(getter).append("()");
    }
    return switch (key.conversion()) {
      case STRING -> CodeBlock.of("request -> $L", chain);
      case VALUE_OF, OPEN_ENUM -> CodeBlock.of("request -> $T.valueOf($L)", Types.STRING, chain);
      case CLOSED_ENUM -> CodeBlock.of("request -> $T.valueOf($L.getNumber())", Types.STRING, chain);
      case BYTES -> CodeBlock.of("request -> $L.toString($T.ISO_8859_1)", chain, Types.STANDARD_CHARSETS);
    };
  }
}
