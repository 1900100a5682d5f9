package dev.courier.runtime.queue.kafka;

import dev.courier.runtime.CourierException;
import io.grpc.Status;

/** How Kafka failures reach callers: as {@code UNAVAILABLE}, saying what could not be done. */
final class KafkaErrors {
  private KafkaErrors() {}

  /** {@code cause} as an {@code UNAVAILABLE} {@link CourierException}; one already is stays as it is. */
  static CourierException unavailable(String what, Throwable cause) {
    if (cause instanceof CourierException ce) {
      return ce;
    }
    CourierException e = CourierException.of(Status.Code.UNAVAILABLE, what + ": " + cause);
    e.initCause(cause);
    return e;
  }
}
