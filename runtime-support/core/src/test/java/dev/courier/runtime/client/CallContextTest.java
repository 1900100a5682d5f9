package dev.courier.runtime.client;

import static dev.courier.runtime.client.Replicas.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.StringValue;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.retry.HedgePolicy;
import dev.courier.runtime.retry.RetryBudget;
import dev.courier.runtime.retry.RetryPolicy;
import dev.courier.runtime.retry.StopReason;
import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Call context on the client: interceptors, call credentials and per-call metadata reach the
 * server on every attempt and hedge, unary and streaming, whatever the channel factory; zero
 * deadlines. Real servers on loopback read the headers with a server interceptor.
 */
class CallContextTest {
  static final Metadata.Key<String> ORDER = Metadata.Key.of("x-order", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> TENANT = Metadata.Key.of("x-tenant", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final RpcMethod<StringValue, StringValue> IDEMPOTENT = RpcMethod.of(Replicas.ECHO,
      MethodPolicy.builder().idempotent(true)
          .retry(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(1)).build()).build());
  private static final RpcMethod<StringValue, StringValue> REPEAT = RpcMethod.of(Replicas.REPEAT, MethodPolicy.DEFAULT);

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private HeaderServer server(HeaderServer.Answer answer) {
    HeaderServer server = HeaderServer.start(answer);
    toClose.add(server);
    return server;
  }

  private ClientBuilder<ClientRuntime> builder(Endpoint... endpoints) {
    return ClientBuilder.forService("test.Echo", runtime -> {
      toClose.add(runtime);
      return runtime;
    }).endpoints(List.of(endpoints)).deadline(Duration.ofSeconds(10)).retryBudget(RetryBudget.unlimited());
  }

  /** Adds {@code x-order: value} to every call it sees. */
  static ClientInterceptor adding(String value) {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<RespT> listener, Metadata headers) {
            headers.put(ORDER, value);
            super.start(listener, headers);
          }
        };
      }
    };
  }

  /** {@code authorization: Bearer <token> <security level>}, asked for on every attempt. */
  static final class Bearer extends CallCredentials {
    final String token;
    final AtomicInteger asked = new AtomicInteger();

    Bearer(String token) {
      this.token = token;
    }

    @Override
    public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
      asked.incrementAndGet();
      Metadata headers = new Metadata();
      headers.put(AUTHORIZATION, "Bearer " + token + " " + info.getSecurityLevel());
      applier.apply(headers);
    }
  }

  @Test
  void interceptorsRunInTheOrderGivenOnEveryAttemptOfARetriedCall() {
    HeaderServer server = server(HeaderServer.failingFirst(2));
    ClientRuntime client = builder(server.endpoint()).interceptors(adding("a"), adding("b"))
        .interceptors(adding("c")).build();

    assertThat(client.blockingUnary(IDEMPOTENT, text("x")).getValue()).isEqualTo("ok 3");

    assertThat(server.headers()).hasSize(3)
        .allSatisfy(h -> assertThat(h.getAll(ORDER)).containsExactly("a", "b", "c"));
  }

  @Test
  void credentialsAndViewMetadataArriveOnEveryAttemptOfARetriedCall() {
    HeaderServer server = server(HeaderServer.failingFirst(2));
    Bearer bearer = new Bearer("t0k3n");
    ClientRuntime client = builder(server.endpoint()).callCredentials(bearer).build();
    ClientRuntime view = client.withHeader(TENANT, "acme").withDeadline(Duration.ofSeconds(5));

    assertThat(view.blockingUnary(IDEMPOTENT, text("x")).getValue()).isEqualTo("ok 3");

    assertThat(server.headers()).hasSize(3).allSatisfy(h -> {
      assertThat(h.get(AUTHORIZATION)).isEqualTo("Bearer t0k3n NONE");
      assertThat(h.getAll(TENANT)).containsExactly("acme");
    });
    assertThat(bearer.asked).hasValue(3);
  }

  @Test
  void viewMetadataIsCopiedAndAddsToTheViewItCameFrom() {
    HeaderServer server = server(HeaderServer.answering());
    ClientRuntime client = builder(server.endpoint()).build();
    Metadata given = new Metadata();
    given.put(TENANT, "acme");
    ClientRuntime view = client.withMetadata(given);
    given.put(TENANT, "changed later");
    ClientRuntime both = view.withHeader(ORDER, "second");

    client.blockingUnary(IDEMPOTENT, text("plain"));
    view.blockingUnary(IDEMPOTENT, text("view"));
    both.blockingUnary(IDEMPOTENT, text("both"));

    List<Metadata> seen = server.headers();
    assertThat(seen.get(0).containsKey(TENANT)).isFalse();
    assertThat(seen.get(1).getAll(TENANT)).containsExactly("acme");
    assertThat(seen.get(1).containsKey(ORDER)).isFalse();
    assertThat(seen.get(2).getAll(TENANT)).containsExactly("acme");
    assertThat(seen.get(2).getAll(ORDER)).containsExactly("second");
  }

  @Test
  void interceptorCredentialsAndMetadataArriveOnAHedge() throws Exception {
    HeaderServer.Answer firstCallHangs = firstCallHangs(new CountDownLatch(1));
    HeaderServer one = server(firstCallHangs);
    HeaderServer two = server(firstCallHangs);
    RpcMethod<StringValue, StringValue> hedged = RpcMethod.of(Replicas.ECHO, MethodPolicy.builder()
        .idempotent(true).hedge(new HedgePolicy(Duration.ofMillis(20), 1)).build());
    ClientRuntime client = builder(one.endpoint(), two.endpoint())
        .interceptors(adding("i")).callCredentials(new Bearer("h")).build().withHeader(TENANT, "acme");

    // The first attempt hangs wherever it lands; the hedge goes to the other server and answers.
    assertThat(client.blockingUnary(hedged, text("x")).getValue()).isEqualTo("ok 1");

    assertThat(one.headers()).hasSize(1);
    assertThat(two.headers()).hasSize(1);
    for (Metadata h : List.of(one.headers().get(0), two.headers().get(0))) {
      assertThat(h.getAll(ORDER)).containsExactly("i");
      assertThat(h.get(AUTHORIZATION)).isEqualTo("Bearer h NONE");
      assertThat(h.getAll(TENANT)).containsExactly("acme");
    }
  }

  /**
   * For servers that share it: the first call to reach any of them hangs (and counts {@code
   * reached} down), every later one answers.
   */
  private static HeaderServer.Answer firstCallHangs(CountDownLatch reached) {
    AtomicInteger calls = new AtomicInteger();
    HeaderServer.Answer ok = HeaderServer.answering();
    return (number, request, responses) -> {
      if (calls.incrementAndGet() == 1) {
        reached.countDown();
      } else {
        ok.answer(number, request, responses);
      }
    };
  }

  @Test
  void streamsCarryInterceptorsCredentialsAndViewMetadata() throws Exception {
    HeaderServer server = server(HeaderServer.answering());
    ClientRuntime client = builder(server.endpoint()).interceptors(adding("s")).callCredentials(new Bearer("st"))
        .build().withHeader(TENANT, "acme");
    CollectingObserver responses = new CollectingObserver();

    client.serverStreaming(REPEAT, text("x"), responses);

    assertThat(responses.done.get(10, TimeUnit.SECONDS)).containsExactly("x:0", "x:1", "x:2");
    Metadata h = server.headers().get(0);
    assertThat(h.getAll(ORDER)).containsExactly("s");
    assertThat(h.get(AUTHORIZATION)).isEqualTo("Bearer st NONE");
    assertThat(h.getAll(TENANT)).containsExactly("acme");
  }

  @Test
  void clientStreamsCarryViewMetadataToo() throws Exception {
    HeaderServer server = server(HeaderServer.answering());
    ClientRuntime client = builder(server.endpoint()).interceptors(adding("c")).build().withHeader(TENANT, "acme");
    CollectingObserver responses = new CollectingObserver();

    io.grpc.stub.StreamObserver<StringValue> requests =
        client.clientStreaming(RpcMethod.of(HeaderServer.COLLECT, MethodPolicy.DEFAULT), responses);
    requests.onNext(text("a"));
    requests.onNext(text("b"));
    requests.onCompleted();

    assertThat(responses.done.get(10, TimeUnit.SECONDS)).containsExactly("a+b");
    assertThat(server.headers().get(0).getAll(TENANT)).containsExactly("acme");
    assertThat(server.headers().get(0).getAll(ORDER)).containsExactly("c");
  }

  @Test
  void interceptorsApplyToPooledAndCustomChannelFactories() {
    HeaderServer server = server(HeaderServer.answering());
    ChannelFactory custom = endpoint -> NettyChannelBuilder.forAddress(endpoint.host(), endpoint.port())
        .usePlaintext().build();
    for (ChannelFactory factory : List.of(ChannelFactory.pooled(2, ChannelFactory.plaintext()), custom)) {
      ClientRuntime client = builder(server.endpoint()).channelFactory(factory).interceptors(adding("p")).build();
      client.blockingUnary(IDEMPOTENT, text("one"));
      client.blockingUnary(IDEMPOTENT, text("two"));
    }

    assertThat(server.headers()).hasSize(4).allSatisfy(h -> assertThat(h.getAll(ORDER)).containsExactly("p"));
  }

  @Test
  void nullInterceptorOrCredentialsFail() {
    ClientBuilder<ClientRuntime> builder = builder(Replicas.refusing());
    assertThatThrownBy(() -> builder.interceptors(adding("a"), null))
        .isInstanceOf(NullPointerException.class).hasMessage("interceptors[1]");
    assertThatThrownBy(() -> builder.callCredentials(null))
        .isInstanceOf(NullPointerException.class).hasMessage("credentials");
  }

  @Test
  void zeroDeadlineFailsWithDeadlineExceededWithoutAnAttempt() {
    HeaderServer server = server(HeaderServer.answering());
    ClientRuntime client = builder(server.endpoint()).build().withDeadline(Duration.ZERO);

    CourierException e = catchThrowableOfType(CourierException.class,
        () -> client.blockingUnary(IDEMPOTENT, text("x")));

    assertThat(e.code()).isEqualTo(io.grpc.Status.Code.DEADLINE_EXCEEDED);
    assertThat(e.attempts()).isEmpty();
    assertThat(e.stopReason()).isEqualTo(StopReason.DEADLINE);
    assertThat(server.headers()).isEmpty();
  }

  @Test
  void zeroDeadlineFailsAStreamWithDeadlineExceededWithoutReachingTheServer() throws Exception {
    HeaderServer server = server(HeaderServer.answering());
    ClientRuntime client = builder(server.endpoint()).build().withDeadline(Duration.ZERO);
    CollectingObserver responses = new CollectingObserver();

    client.serverStreaming(REPEAT, text("x"), responses);

    Throwable failure = responses.failure.get(10, TimeUnit.SECONDS);
    assertThat(io.grpc.Status.fromThrowable(failure).getCode()).isEqualTo(io.grpc.Status.Code.DEADLINE_EXCEEDED);
    assertThat(server.headers()).isEmpty();
  }

  @Test
  void negativeDeadlineFails() {
    ClientRuntime client = builder(Replicas.refusing()).build();
    assertThatThrownBy(() -> client.withDeadline(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("deadline: ");
  }

  @Test
  void cancelledChosenByTheServerArrivesUnchangedAndIsNotRetried() {
    HeaderServer first = server(HeaderServer.failing(io.grpc.Status.CANCELLED.withDescription("the server gave up")));
    HeaderServer second = server(HeaderServer.failing(io.grpc.Status.CANCELLED));
    ClientRuntime client = builder(first.endpoint(), second.endpoint()).build();

    CourierException e = catchThrowableOfType(CourierException.class,
        () -> client.blockingUnary(IDEMPOTENT, text("x")));

    assertThat(e.code()).isEqualTo(io.grpc.Status.Code.CANCELLED);
    assertThat(e.attempts()).hasSize(1);
    assertThat(e.stopReason()).isEqualTo(StopReason.NOT_RETRYABLE);
    assertThat(first.calls() + second.calls()).isEqualTo(1);
  }

  @Test
  void cancelledChosenByTheServerAfterItsHeadersArrivesUnchangedToo() {
    HeaderServer.Answer headersThenCancelled = (number, request, responses) -> {
      responses.onNext(text("partial")); // headers and a message go out first
      responses.onError(io.grpc.Status.CANCELLED.withDescription("changed its mind").asRuntimeException());
    };
    HeaderServer first = server(headersThenCancelled);
    HeaderServer second = server(headersThenCancelled);
    ClientRuntime client = builder(first.endpoint(), second.endpoint()).build();

    CourierException e = catchThrowableOfType(CourierException.class,
        () -> client.blockingUnary(IDEMPOTENT, text("x")));

    assertThat(e.code()).isEqualTo(io.grpc.Status.Code.CANCELLED);
    assertThat(e.description()).isEqualTo("changed its mind");
    assertThat(e.attempts()).hasSize(1);
    assertThat(e.stopReason()).isEqualTo(StopReason.NOT_RETRYABLE);
    assertThat(first.calls() + second.calls()).isEqualTo(1);
  }

  @Test
  void aCallResetByAServerThatStopsCountsAsUnavailableAndIsRetried() throws Exception {
    CountDownLatch reached = new CountDownLatch(1);
    HeaderServer.Answer firstCallHangs = firstCallHangs(reached);
    HeaderServer one = server(firstCallHangs);
    HeaderServer two = server(firstCallHangs);
    List<io.grpc.Status.Code> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
    ClientRuntime client = builder(one.endpoint(), two.endpoint()).listener(new CourierListener() {
      @Override
      public void onAttemptEnd(String method, String endpoint, io.grpc.Status.Code code, long nanos) {
        attempts.add(code);
      }
    }).build();

    // The call hangs on the server it reached first, which then stops abruptly (RST_STREAM).
    CompletableFuture<StringValue> future = client.asyncUnary(IDEMPOTENT, text("x"));
    assertThat(reached.await(10, TimeUnit.SECONDS)).isTrue();
    HeaderServer stopping = one.calls() == 1 ? one : two;
    HeaderServer other = stopping == one ? two : one;
    stopping.shutdownNow();

    assertThat(future.get(10, TimeUnit.SECONDS).getValue()).isEqualTo("ok 1");
    assertThat(other.calls()).isEqualTo(1);
    assertThat(attempts).containsExactly(io.grpc.Status.Code.UNAVAILABLE, io.grpc.Status.Code.OK);
  }

  /** Collects a stream's responses. */
  static final class CollectingObserver implements io.grpc.stub.StreamObserver<StringValue> {
    final List<String> values = new java.util.concurrent.CopyOnWriteArrayList<>();
    final CompletableFuture<List<String>> done = new CompletableFuture<>();
    final CompletableFuture<Throwable> failure = new CompletableFuture<>();

    @Override
    public void onNext(StringValue value) {
      values.add(value.getValue());
    }

    @Override
    public void onError(Throwable t) {
      failure.complete(t);
      done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      done.complete(List.copyOf(values));
    }
  }
}
