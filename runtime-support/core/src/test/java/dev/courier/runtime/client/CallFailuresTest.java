package dev.courier.runtime.client;

import static dev.courier.runtime.client.Replicas.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.StringValue;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.retry.RetryBudget;
import dev.courier.runtime.retry.RetryPolicy;
import dev.courier.runtime.retry.StopReason;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a failed call hands the caller, on real servers on loopback: a blocking call's exception
 * has the caller's stack; every kind of stream fails with a {@link CourierException}; a deadline
 * reads as one sentence.
 */
class CallFailuresTest {
  private static final Metadata.Key<String> REASON = Metadata.Key.of("x-reason", Metadata.ASCII_STRING_MARSHALLER);
  private static final RpcMethod<StringValue, StringValue> ECHO = RpcMethod.of(Replicas.ECHO, MethodPolicy.DEFAULT);
  private static final RpcMethod<StringValue, StringValue> RETRIED = RpcMethod.of(Replicas.ECHO,
      MethodPolicy.builder().idempotent(true)
          .retry(RetryPolicy.builder().maxAttempts(5).initialBackoff(Duration.ofMillis(1))
              .perAttemptTimeout(Duration.ofMillis(120)).build()).build());

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private ClientRuntime client(Duration deadline, Endpoint... endpoints) {
    return ClientBuilder.forService("test.Echo", runtime -> {
      toClose.add(runtime);
      return runtime;
    }).endpoints(List.of(endpoints)).deadline(deadline).retryBudget(RetryBudget.unlimited()).build();
  }

  private FailingStreamServer failingStreams() {
    Metadata trailers = new Metadata();
    trailers.put(REASON, "stock");
    FailingStreamServer server = new FailingStreamServer(Status.FAILED_PRECONDITION.withDescription("x"), trailers);
    toClose.add(server);
    return server;
  }

  @Test
  void aBlockingCallThrowsWithTheCallersStackAndTheOriginalAsCause() {
    Replicas replicas = Replicas.start(1);
    toClose.add(replicas);
    replicas.get(0).failWith = Status.FAILED_PRECONDITION.withDescription("out of stock");
    ClientRuntime client = client(Duration.ofSeconds(10), replicas.endpoints().toArray(Endpoint[]::new));

    CourierException e = catchThrowableOfType(CourierException.class, () -> client.blockingUnary(ECHO, text("x")));

    assertThat(Arrays.stream(e.getStackTrace()))
        .anyMatch(f -> f.getClassName().equals(CallFailuresTest.class.getName())
            && f.getMethodName().equals("aBlockingCallThrowsWithTheCallersStackAndTheOriginalAsCause"));
    assertThat(e.getCause()).isInstanceOf(CourierException.class).isNotSameAs(e);
    CourierException original = (CourierException) e.getCause();
    assertThat(original.getStatus().getCode()).isEqualTo(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(original.description()).isEqualTo(e.description()).isEqualTo("out of stock");
    assertThat(e.attempts()).isEqualTo(original.attempts()).hasSize(1);
    assertThat(e.stopReason()).isEqualTo(original.stopReason()).isEqualTo(StopReason.NOT_RETRYABLE);
    assertThat(e.getMessage()).isEqualTo(original.getMessage());
  }

  @Test
  void aServerStreamThatFailsDeliversACourierException() throws Exception {
    FailingStreamServer server = failingStreams();
    Recording responses = new Recording();

    client(Duration.ofSeconds(10), server.endpoint())
        .serverStreaming(RpcMethod.of(Replicas.REPEAT, MethodPolicy.DEFAULT), text("x"), responses);

    assertFailedPrecondition(responses, server.endpoint());
    assertThat(responses.values).containsExactly("first");
  }

  @Test
  void aClientStreamThatFailsDeliversACourierException() throws Exception {
    FailingStreamServer server = failingStreams();
    Recording responses = new Recording();

    StreamObserver<StringValue> requests = client(Duration.ofSeconds(10), server.endpoint())
        .clientStreaming(RpcMethod.of(HeaderServer.COLLECT, MethodPolicy.DEFAULT), responses);
    requests.onNext(text("a"));

    assertFailedPrecondition(responses, server.endpoint());
  }

  @Test
  void aBidiStreamThatFailsDeliversACourierException() throws Exception {
    FailingStreamServer server = failingStreams();
    Recording responses = new Recording();

    StreamObserver<StringValue> requests = client(Duration.ofSeconds(10), server.endpoint())
        .bidiStreaming(RpcMethod.of(FailingStreamServer.CHAT, MethodPolicy.DEFAULT), responses);
    requests.onNext(text("a"));

    assertFailedPrecondition(responses, server.endpoint());
  }

  private static void assertFailedPrecondition(Recording responses, Endpoint endpoint) throws Exception {
    Throwable t = responses.error.get(10, TimeUnit.SECONDS);
    assertThat(t).isInstanceOf(CourierException.class);
    CourierException e = (CourierException) t;
    assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(e.description()).isEqualTo("x");
    assertThat(e.trailers().get(REASON)).isEqualTo("stock");
    assertThat(e.attempts())
        .containsExactly(new CourierException.Attempt(endpoint.authority(), Status.Code.FAILED_PRECONDITION, "x"));
    assertThat(e.stopReason()).isNull();
  }

  @Test
  void aDeadlineReadsAsOneSentenceWithoutGrpcsTransportState() {
    Replicas replicas = Replicas.start(2);
    toClose.add(replicas);
    replicas.get(0).hang = true;
    replicas.get(1).hang = true;
    ClientRuntime client = client(Duration.ofMillis(200), replicas.endpoints().toArray(Endpoint[]::new));

    CourierException e = catchThrowableOfType(CourierException.class, () -> client.blockingUnary(RETRIED, text("x")));

    assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(e.stopReason()).isEqualTo(StopReason.DEADLINE);
    // The first attempt runs out of its 120 ms; the second, on the other replica, is still running
    // when the call's own timer ends the call at 200 ms (on a machine so busy that the retry has not
    // started by then, the call ends after the first).
    int n = e.attempts().size();
    assertThat(e.attempts()).isNotEmpty().hasSizeLessThanOrEqualTo(2).extracting(CourierException.Attempt::code)
        .containsOnly(Status.Code.DEADLINE_EXCEEDED);
    String last = e.attempts().get(n - 1).endpoint();
    String sentence = "deadline of 200 ms exceeded after " + n + (n == 1 ? " attempt" : " attempts") + " (last on "
        + last + ")";
    assertThat(e.description()).isEqualTo(sentence);
    String message = e.getMessage();
    assertThat(message.indexOf(sentence)).isNotNegative().isEqualTo(message.lastIndexOf(sentence));
    assertThat(message).doesNotContain("[closed=", "buffered_nanos", "remote_addr", "Name resolution delay");
  }

  @Test
  void aStreamPastItsDeadlineReadsAsOneSentenceToo() throws Exception {
    HeaderServer server = HeaderServer.start(HeaderServer.hanging());
    toClose.add(server);
    Recording responses = new Recording();

    StreamObserver<StringValue> requests = client(Duration.ofMillis(200), server.endpoint())
        .clientStreaming(RpcMethod.of(HeaderServer.COLLECT, MethodPolicy.DEFAULT), responses);
    requests.onNext(text("a")); // the server answers only once the requests are complete

    CourierException e = (CourierException) responses.error.get(10, TimeUnit.SECONDS);
    assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(e.description())
        .isEqualTo("deadline of 200 ms exceeded after 1 attempt (last on " + server.endpoint().authority() + ")");
    assertThat(e.getMessage()).doesNotContain("[closed=", "buffered_nanos");
    assertThat(e.attempts()).singleElement().extracting(CourierException.Attempt::code)
        .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
  }

  /** Records the messages and the failure of a stream. */
  private static final class Recording implements StreamObserver<StringValue> {
    final List<String> values = new java.util.concurrent.CopyOnWriteArrayList<>();
    final CompletableFuture<Throwable> error = new CompletableFuture<>();

    @Override
    public void onNext(StringValue value) {
      values.add(value.getValue());
    }

    @Override
    public void onError(Throwable t) {
      error.complete(t);
    }

    @Override
    public void onCompleted() {
      error.completeExceptionally(new AssertionError("the stream completed"));
    }
  }
}
