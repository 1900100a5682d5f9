package dev.courier.runtime.client;

import dev.courier.runtime.CourierException;
import io.grpc.Status;
import java.util.List;

/**
 * The description of a call whose deadline passed: one sentence that says the deadline, how many
 * attempts were made and where the last one went, such as {@code "deadline of 200 ms exceeded
 * after 2 attempts (last on 127.0.0.1:1234)"}. grpc's own description (a dump of its transport's
 * state, like {@code "[closed=[], open=[[buffered_nanos=...]]]"}) stays in the attempts and in the
 * status's cause. Stateless.
 */
final class DeadlineText {
  private DeadlineText() {}

  /**
   * {@code status} with the one-sentence description when it is {@code DEADLINE_EXCEEDED};
   * otherwise {@code status} unchanged.
   *
   * @param deadlineNanos how long the call was given, in nanoseconds
   * @param attempts the attempts made, in order
   */
  static Status describe(Status status, long deadlineNanos, List<CourierException.Attempt> attempts) {
    if (status.getCode() != Status.Code.DEADLINE_EXCEEDED) {
      return status;
    }
    String deadline = "deadline of " + Math.round(Math.max(0, deadlineNanos) / 1e6) + " ms exceeded";
    if (attempts.isEmpty()) {
      return status.withDescription(deadline + " before the first attempt");
    }
    int n = attempts.size();
    return status.withDescription(deadline + " after " + n + (n == 1 ? " attempt" : " attempts")
        + " (last on " + attempts.get(n - 1).endpoint() + ")");
  }
}
