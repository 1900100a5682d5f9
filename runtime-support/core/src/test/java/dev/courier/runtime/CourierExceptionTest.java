package dev.courier.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.runtime.retry.StopReason;
import io.grpc.Metadata;
import io.grpc.Status;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CourierExceptionTest {
  @Test
  void fromKeepsTheCauseOfAPlainException() {
    IOException io = new IOException("boom");
    CourierException e = CourierException.from(io);
    assertThat(e.code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(e.getCause()).isSameAs(io);
  }

  @Test
  void fromKeepsStatusDescriptionTrailersAndCauseOfAStatusException() {
    Metadata trailers = new Metadata();
    Metadata.Key<String> key = Metadata.Key.of("x-reason", Metadata.ASCII_STRING_MARSHALLER);
    trailers.put(key, "quota");
    IOException io = new IOException("refused");
    CourierException e = CourierException.from(
        Status.UNAVAILABLE.withDescription("down").withCause(io).asRuntimeException(trailers));
    assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.description()).isEqualTo("down");
    assertThat(e.trailers().get(key)).isEqualTo("quota");
    assertThat(e.getCause()).isSameAs(io);
  }

  @Test
  void messageSaysAttemptsEndpointsStatusesAndWhatStoppedTheCall() {
    CourierException e = new CourierException(Status.UNAVAILABLE.withDescription("refused"), null,
        List.of(new CourierException.Attempt("10.0.0.1:80", Status.Code.UNAVAILABLE, "refused"),
            new CourierException.Attempt("10.0.0.2:80", Status.Code.UNAVAILABLE, null)),
        StopReason.BUDGET);
    assertThat(e.getMessage()).isEqualTo(
        "UNAVAILABLE: refused after 2 attempts [10.0.0.1:80=UNAVAILABLE (refused), 10.0.0.2:80=UNAVAILABLE];"
            + " stopped by budget");
    assertThat(e.stopReason()).isEqualTo(StopReason.BUDGET);
  }

  @Test
  void aCopyWithTheCallersStackKeepsEverythingAndHasTheOriginalAsCause() {
    Metadata trailers = new Metadata();
    Metadata.Key<String> key = Metadata.Key.of("x-why", Metadata.ASCII_STRING_MARSHALLER);
    trailers.put(key, "quota");
    CourierException original = new CourierException(Status.UNAVAILABLE.withDescription("refused"), trailers,
        List.of(new CourierException.Attempt("10.0.0.1:80", Status.Code.UNAVAILABLE, "refused")),
        StopReason.MAX_ATTEMPTS, "a note");

    CourierException copy = original.withCallerStack();

    assertThat(copy.getCause()).isSameAs(original);
    assertThat(copy.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(copy.trailers().get(key)).isEqualTo("quota");
    assertThat(copy.attempts()).isEqualTo(original.attempts());
    assertThat(copy.stopReason()).isEqualTo(StopReason.MAX_ATTEMPTS);
    assertThat(copy.getMessage()).isEqualTo(original.getMessage()).endsWith("; a note");
    assertThat(copy.getStackTrace()[0].getMethodName()).isEqualTo("withCallerStack");
    assertThat(copy.getStackTrace()[1].getMethodName())
        .isEqualTo("aCopyWithTheCallersStackKeepsEverythingAndHasTheOriginalAsCause");
  }

  @Test
  void messageLeavesOutTheDescriptionsOfAttemptsThatRanOutOfTime() {
    CourierException e = new CourierException(Status.DEADLINE_EXCEEDED.withDescription("deadline of 200 ms exceeded"),
        null, List.of(new CourierException.Attempt("10.0.0.1:80", Status.Code.DEADLINE_EXCEEDED,
            "deadline exceeded after 0.19s. [closed=[], open=[[buffered_nanos=1]]]")), StopReason.DEADLINE);

    assertThat(e.getMessage()).isEqualTo("DEADLINE_EXCEEDED: deadline of 200 ms exceeded after 1 attempt"
        + " [10.0.0.1:80=DEADLINE_EXCEEDED]; stopped by deadline");
    assertThat(e.attempts().get(0).description()).contains("buffered_nanos");
  }
}
