package dev.courier.it.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.courier.runtime.CourierException;
import dev.courier.runtime.server.InProcess;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The generated async flavour and the in-process one-liner: an {@code EchoAsync} implementation
 * served with {@code EchoServer.inProcessAsync}, called through the client's {@code async()} view,
 * and the same calling code against a local {@code EchoAsync}.
 */
class AsyncAndInProcessTest {
  /** Echo answering its unary calls with a future completed on another thread. */
  static final class AsyncEcho implements EchoAsync {
    final CompletableFuture<EchoReply> never = new CompletableFuture<>();
    private final CourierEcho streams = new CourierEcho();

    @Override
    public CompletableFuture<EchoReply> unary(EchoRequest request) {
      if (request.getText().equals("never")) {
        return never;
      }
      if (request.getFailWith() != 0) {
        return CompletableFuture.failedFuture(EchoBehaviour.failure(request));
      }
      return CompletableFuture.supplyAsync(() -> EchoBehaviour.reply("async", request.getText(), 0));
    }

    @Override
    public void serverStream(EchoRequest request, StreamObserver<EchoReply> responses) {
      streams.serverStream(request, responses);
    }

    @Override
    public StreamObserver<EchoRequest> clientStream(StreamObserver<EchoReply> responses) {
      return streams.clientStream(responses);
    }

    @Override
    public StreamObserver<EchoRequest> bidi(StreamObserver<EchoReply> responses) {
      return streams.bidi(responses);
    }
  }

  /** Calling code written against the async interface. */
  private static String shout(EchoAsync echo, String text) throws Exception {
    return echo.unary(EchoRequest.newBuilder().setText(text).build()).thenApply(r -> r.getText().toUpperCase())
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void theSameAsyncCodeRunsAgainstALocalAndARemoteService() throws Exception {
    AsyncEcho local = new AsyncEcho();
    try (InProcess<EchoClient> remote = EchoServer.inProcessAsync(local)) {
      assertThat(shout(local, "hi")).isEqualTo("HI");
      assertThat(shout(remote.client().async(), "hi")).isEqualTo("HI");
    }
  }

  @Test
  void aFailedFutureReachesTheClientWithItsStatusAndTrailers() {
    try (InProcess<EchoClient> remote = EchoServer.inProcessAsync(new AsyncEcho())) {
      ExecutionException e = catchThrowableOfType(ExecutionException.class, () -> remote.client().async()
          .unary(EchoRequest.newBuilder().setText("no").setFailWith(Status.Code.FAILED_PRECONDITION.value()).build())
          .get(10, TimeUnit.SECONDS));

      CourierException failure = CourierException.from(e.getCause());
      assertThat(failure.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(failure.trailers().get(EchoBehaviour.REASON)).isEqualTo("asked-for-9");
    }
  }

  @Test
  void aCallerThatGivesUpCancelsTheServersFuture() throws Exception {
    AsyncEcho service = new AsyncEcho();
    try (InProcess<EchoClient> remote = EchoServer.inProcessAsync(service)) {
      CourierException e = catchThrowableOfType(CourierException.class, () -> remote.client()
          .withDeadline(Duration.ofMillis(200)).unary(EchoRequest.newBuilder().setText("never").build()));

      assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
      assertThat(catchThrowableOfType(java.util.concurrent.CancellationException.class,
          () -> service.never.get(10, TimeUnit.SECONDS))).as("the server's future was cancelled").isNotNull();
    }
  }

  @Test
  void aBlockingImplementationInProcessInOneLine() {
    try (InProcess<EchoClient> remote = EchoServer.inProcess(new CourierEcho())) {
      assertThat(remote.client().unary(EchoRequest.newBuilder().setText("local").build()).getServer())
          .isEqualTo(CourierEcho.NAME);
    }
  }
}
