package dev.courier.runtime.client;

import static dev.courier.runtime.client.Replicas.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.context.CallContext;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.retry.RetryBudget;
import dev.courier.runtime.retry.RetryPolicy;
import dev.courier.runtime.server.CourierServer;
import dev.courier.runtime.server.ServiceBindings;
import io.grpc.Metadata;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Courier client sends metadata with its views and reads the response headers and trailers the
 * Courier server's implementation set on its call context: blocking, async, streaming, retried.
 */
class ResponseCaptureTest {
  private static final Metadata.Key<String> REQUEST_ID = Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);
  private static final RpcMethod<StringValue, StringValue> ECHO = RpcMethod.of(Replicas.ECHO,
      MethodPolicy.builder().idempotent(true)
          .retry(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(1)).build()).build());
  private static final RpcMethod<StringValue, StringValue> REPEAT = RpcMethod.of(Replicas.REPEAT, MethodPolicy.DEFAULT);

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();
  private volatile int failFirst;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  @Test
  void aBlockingCallReadsTheHeadersAndTrailersTheServerSet() {
    ClientRuntime client = client(start());
    ResponseCapture response = new ResponseCapture();

    StringValue reply = client.withHeader(REQUEST_ID, "r-1").capturing(response).blockingUnary(ECHO, text("hi"));

    assertThat(reply.getValue()).isEqualTo("hi");
    assertThat(response.header("x-echo-request-id")).contains("r-1");
    assertThat(response.trailer("x-attempt")).contains("1");
  }

  @Test
  void aRetriedCallCapturesTheAttemptThatAnswered() {
    failFirst = 1;
    ClientRuntime client = client(start());
    ResponseCapture response = new ResponseCapture();

    client.withHeader(REQUEST_ID, "r-2").capturing(response).blockingUnary(ECHO, text("hi"));

    assertThat(response.trailer("x-attempt")).contains("2");
    assertThat(response.header("x-echo-request-id")).as("the retry sent the same header").contains("r-2");
  }

  @Test
  void anAsyncCallHasItsMetadataOnceTheFutureCompletes() {
    ClientRuntime client = client(start());
    ResponseCapture response = new ResponseCapture();

    CompletableFuture<String> seen = client.withHeader(REQUEST_ID, "r-3").capturing(response)
        .asyncUnary(ECHO, text("hi")).thenApply(reply -> response.header("x-echo-request-id").orElse("missing"));

    assertThat(seen.join()).isEqualTo("r-3");
  }

  @Test
  void aStreamHasItsMetadataWhenItCompletes() throws Exception {
    ClientRuntime client = client(start());
    ResponseCapture response = new ResponseCapture();
    CompletableFuture<String> seen = new CompletableFuture<>();

    client.withHeader(REQUEST_ID, "r-4").capturing(response).serverStreaming(REPEAT, text("a"), new StreamObserver<>() {
      @Override
      public void onNext(StringValue value) {}

      @Override
      public void onError(Throwable t) {
        seen.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        seen.complete(response.header("x-echo-request-id").orElse("missing") + " " + response.trailer("x-sent").orElse("?"));
      }
    });

    assertThat(seen.get()).isEqualTo("r-4 3");
  }

  @Test
  void viewsWithoutACaptureLeaveItUntouched() {
    ClientRuntime client = client(start());
    ResponseCapture response = new ResponseCapture();
    client.capturing(response);

    client.withHeader(REQUEST_ID, "r-5").blockingUnary(ECHO, text("hi"));

    assertThat(response.headers().keys()).isEmpty();
  }

  private CourierServer start() {
    ServerServiceDefinition service = ServerServiceDefinition.builder("test.Echo")
        .addMethod(ServiceBindings.unary(ECHO, request -> {
          int number = calls.incrementAndGet();
          CallContext call = CallContext.current();
          call.setTrailer("x-attempt", Integer.toString(number));
          if (number <= failFirst) {
            throw Status.UNAVAILABLE.withDescription("attempt " + number + " fails").asRuntimeException();
          }
          call.setResponseHeader("x-echo-request-id", call.header("x-request-id").orElse("none"));
          return request;
        }))
        .addMethod(ServiceBindings.serverStreaming(REPEAT, (request, responses) -> {
          CallContext call = CallContext.current();
          call.setResponseHeader("x-echo-request-id", call.header("x-request-id").orElse("none"));
          for (int i = 0; i < 3; i++) {
            responses.onNext(text(request.getValue() + ":" + i));
          }
          call.setTrailer("x-sent", "3");
          responses.onCompleted();
        }))
        .build();
    CourierServer server = CourierServer.builder().address("127.0.0.1", 0).gracePeriod(Duration.ZERO)
        .addService(service).start();
    toClose.add(server);
    return server;
  }

  private ClientRuntime client(CourierServer server) {
    ClientRuntime client = ClientBuilder.forService("test.Echo", runtime -> runtime)
        .endpoints(List.of(Endpoint.parse(server.target())))
        .deadline(Duration.ofSeconds(5))
        .retryBudget(RetryBudget.unlimited())
        .build();
    toClose.add(client);
    return client;
  }
}
