package dev.courier.runtime.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.Status.Code;
import org.junit.jupiter.api.Test;

class RetryabilityTest {
  private static final RetryPolicy DEFAULTS = RetryPolicy.DEFAULT;

  @Test
  void nonIdempotentCallIsRetriedOnlyWhenItSurelyNeverReachedAServer() {
    assertThat(Retryability.mayRetry(DEFAULTS, false, Code.UNAVAILABLE, true)).isTrue();
    assertThat(Retryability.mayRetry(DEFAULTS, false, Code.UNAVAILABLE, false)).isFalse();
    assertThat(Retryability.mayRetry(DEFAULTS, false, Code.RESOURCE_EXHAUSTED, false)).isFalse();
    assertThat(Retryability.mayRetry(DEFAULTS, false, Code.DEADLINE_EXCEEDED, true)).isFalse();
  }

  @Test
  void nonIdempotentCallIsNotRetriedEvenOnConfiguredCodesOnceItReachedAServer() {
    RetryPolicy policy = RetryPolicy.builder().retryableCodes(Code.UNAVAILABLE, Code.ABORTED).build();
    assertThat(Retryability.mayRetry(policy, false, Code.ABORTED, false)).isFalse();
    assertThat(Retryability.mayRetry(policy, false, Code.UNAVAILABLE, true)).isTrue();
  }

  @Test
  void idempotentCallIsRetriedOnUnavailableResourceExhaustedAndDeadlineByDefault() {
    assertThat(Retryability.mayRetry(DEFAULTS, true, Code.UNAVAILABLE, false)).isTrue();
    assertThat(Retryability.mayRetry(DEFAULTS, true, Code.RESOURCE_EXHAUSTED, false)).isTrue();
    assertThat(Retryability.mayRetry(DEFAULTS, true, Code.DEADLINE_EXCEEDED, false)).isTrue();
    assertThat(Retryability.mayRetry(DEFAULTS, true, Code.INTERNAL, false)).isFalse();
    assertThat(Retryability.mayRetry(DEFAULTS, true, Code.INVALID_ARGUMENT, false)).isFalse();
  }

  @Test
  void idempotentCallFollowsConfiguredCodesExactly() {
    RetryPolicy policy = RetryPolicy.builder().retryableCodes(Code.ABORTED).build();
    assertThat(Retryability.mayRetry(policy, true, Code.ABORTED, false)).isTrue();
    assertThat(Retryability.mayRetry(policy, true, Code.UNAVAILABLE, false)).isFalse();
  }

  @Test
  void serverFaultsAreTheCodesThatCountAgainstAnEndpoint() {
    assertThat(java.util.Arrays.stream(Code.values()).filter(Retryability::isServerFault))
        .containsExactlyInAnyOrder(Code.UNAVAILABLE, Code.DEADLINE_EXCEEDED, Code.INTERNAL, Code.UNKNOWN,
            Code.DATA_LOSS);
  }

  @Test
  void onlyAnUnavailableResetWithRefusedStreamCountsAsRefusedUnprocessed() {
    // The descriptions grpc-java's Netty transport gives a reset stream and a GOAWAY'd one.
    assertThat(Retryability.refusedUnprocessed(Status.UNAVAILABLE.withDescription(
        "RST_STREAM closed stream. HTTP/2 error code: REFUSED_STREAM"))).isTrue();
    assertThat(Retryability.refusedUnprocessed(Status.INTERNAL.withDescription(
        "RST_STREAM closed stream. HTTP/2 error code: REFUSED_STREAM"))).isFalse();
    assertThat(Retryability.refusedUnprocessed(Status.CANCELLED.withDescription(
        "RST_STREAM closed stream. HTTP/2 error code: CANCEL"))).isFalse();
    assertThat(Retryability.refusedUnprocessed(Status.UNAVAILABLE.withDescription(
        "Abrupt GOAWAY closed sent stream. HTTP/2 error code: NO_ERROR"))).isFalse();
    assertThat(Retryability.refusedUnprocessed(Status.UNAVAILABLE)).isFalse();
  }
}
