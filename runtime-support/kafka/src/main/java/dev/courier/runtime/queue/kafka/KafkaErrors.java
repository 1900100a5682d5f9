package dev.courier.runtime.queue.kafka;

import dev.courier.runtime.CourierException;
import io.grpc.Status;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * How Kafka failures reach callers: as {@code UNAVAILABLE}, saying what could not be done, on
 * which brokers, and, for a timeout, after how long and which setting bounds it.
 */
final class KafkaErrors {
  private KafkaErrors() {}

  /**
   * {@code cause} as an {@code UNAVAILABLE} {@link CourierException}, whose message reads "{@code
   * <what> on Kafka at <bootstrapServers>: <cause>}"; one that already is stays as it is.
   *
   * @param timeoutSetting the builder setting that bounded the wait, named when {@code cause} is a
   *     timeout, such as {@code "KafkaQueue.builder().brokerTimeout = 10000 ms"}
   */
  static CourierException unavailable(String what, String bootstrapServers, String timeoutSetting, Throwable cause) {
    if (cause instanceof CourierException ce) {
      return ce;
    }
    String why = cause instanceof TimeoutException
        ? "no answer in time (" + timeoutSetting + "); are the brokers up and reachable? " + cause.getMessage()
        : cause.toString();
    // The cause goes in through the status: the exception takes it from there (initCause would throw,
    // since a StatusRuntimeException's cause is already set, to the status's).
    return CourierException.of(Status.UNAVAILABLE.withDescription(what + " on Kafka at " + bootstrapServers
        + ": " + why).withCause(cause), null);
  }
}
