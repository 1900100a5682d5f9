package dev.courier.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.StringValue;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.retry.StopReason;
import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Server interceptors, server-wide and per service, with the parse guard and the concurrency limit. */
class ServerInterceptorsTest {
  private static final Metadata.Key<String> USER = Metadata.Key.of("x-user", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> CALLER = Context.key("caller");
  private static final RpcMethod<StringValue, StringValue> CALL = TestServices.call(0);
  private static final RpcMethod<StringValue, StringValue> OTHER = RpcMethod.of(
      TestServices.descriptor("Call").toBuilder().setFullMethodName("test.Other/Call").build(), MethodPolicy.DEFAULT);

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final AtomicInteger executions = new AtomicInteger();
  /** What the interceptors saw, as {@code <name> <full method name>}, in the order they ran. */
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private CourierServer start(CourierServer.Builder builder) {
    CourierServer server = builder.address("127.0.0.1", 0).gracePeriod(Duration.ZERO).start();
    toClose.add(server);
    return server;
  }

  private ManagedChannel channel(CourierServer server) {
    ManagedChannel channel = TestServices.plaintextChannel(server);
    toClose.add(() -> TestServices.close(channel));
    return channel;
  }

  private ServerServiceDefinition service() {
    return TestServices.service(CALL, request -> {
      executions.incrementAndGet();
      return request;
    });
  }

  private static ServerServiceDefinition other() {
    return ServerServiceDefinition.builder("test.Other").addMethod(ServiceBindings.unary(OTHER, r -> r)).build();
  }

  /** Records {@code name} and the method, then lets the call through. */
  private ServerInterceptor recording(String name) {
    return new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        seen.add(name + " " + call.getMethodDescriptor().getFullMethodName());
        return next.startCall(call, headers);
      }
    };
  }

  private static StringValue call(ManagedChannel channel, RpcMethod<StringValue, StringValue> method, String text) {
    return ClientCalls.blockingUnaryCall(channel, method.descriptor(),
        CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), StringValue.of(text));
  }

  @Test
  void aServerInterceptorSeesEveryCallTheStandardServicesIncluded() {
    CourierServer server = start(CourierServer.builder().addService(service()).addService(other())
        .intercept(recording("all")));
    ManagedChannel channel = channel(server);

    call(channel, CALL, "one");
    call(channel, OTHER, "two");
    HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService("").build());

    assertThat(seen).containsExactly("all test.Svc/Call", "all test.Other/Call", "all grpc.health.v1.Health/Check");
  }

  @Test
  void serverInterceptorsRunFirstThenTheServicesOwnEachInTheOrderGiven() {
    CourierServer server = start(CourierServer.builder()
        .addService(service())
        .addService(other(), recording("other"))
        .intercept(recording("a"), recording("b"))
        .intercept(TestServices.SERVICE, recording("svc1"))
        .intercept(TestServices.SERVICE, recording("svc2"))
        .intercept(recording("c")));
    ManagedChannel channel = channel(server);

    call(channel, CALL, "one");
    assertThat(seen).containsExactly(
        "a test.Svc/Call", "b test.Svc/Call", "c test.Svc/Call", "svc1 test.Svc/Call", "svc2 test.Svc/Call");
    seen.clear();
    call(channel, OTHER, "two");
    assertThat(seen).containsExactly("a test.Other/Call", "b test.Other/Call", "c test.Other/Call",
        "other test.Other/Call");
  }

  @Test
  void aRefusingInterceptorsStatusReachesTheClientAndTheImplementationNeverRuns() {
    ServerInterceptor refusing = new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        if (headers.containsKey(USER)) {
          return next.startCall(call, headers);
        }
        Metadata trailers = new Metadata();
        trailers.put(USER, "nobody");
        call.close(Status.UNAUTHENTICATED.withDescription("no x-user header"), trailers);
        return new ServerCall.Listener<>() {};
      }
    };
    CourierServer server = start(CourierServer.builder().addService(service()).intercept(refusing));
    ClientRuntime client = ClientBuilder.forService(TestServices.SERVICE, runtime -> runtime)
        .target(server.target()).build();
    toClose.add(client);

    CourierException e = catchThrowableOfType(CourierException.class,
        () -> client.blockingUnary(CALL, StringValue.of("x")));

    assertThat(e.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(e.description()).isEqualTo("no x-user header");
    assertThat(e.trailers().get(USER)).isEqualTo("nobody");
    assertThat(e.attempts()).hasSize(1);
    assertThat(e.stopReason()).isEqualTo(StopReason.NOT_RETRYABLE);
    assertThat(executions).hasValue(0);
    assertThat(client.withHeader(USER, "ann").blockingUnary(CALL, StringValue.of("x")).getValue()).isEqualTo("x");
    assertThat(executions).hasValue(1);
  }

  @Test
  void theImplementationRunsInTheContextTheInterceptorsLeft() {
    ServerInterceptor authenticating = new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        return Contexts.interceptCall(Context.current().withValue(CALLER, headers.get(USER)), call, headers, next);
      }
    };
    CourierServer server = start(CourierServer.builder()
        .addService(TestServices.service(CALL, request -> StringValue.of("hello " + CALLER.get())))
        .intercept(TestServices.SERVICE, authenticating));
    ClientRuntime client = ClientBuilder.forService(TestServices.SERVICE, runtime -> runtime)
        .target(server.target()).build().withHeader(USER, "ann");
    toClose.add(client);

    assertThat(client.blockingUnary(CALL, StringValue.of("x")).getValue()).isEqualTo("hello ann");
  }

  @Test
  void theConcurrencyLimitStillShedsWithAnInterceptorInstalled() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    toClose.add(release::countDown);
    RpcMethod<StringValue, StringValue> limited = TestServices.call(1);
    CourierServer server = start(CourierServer.builder()
        .addService(TestServices.service(limited, request -> {
          executions.incrementAndGet();
          entered.countDown();
          release.await(30, TimeUnit.SECONDS);
          return request;
        }))
        .intercept(recording("all")));
    ManagedChannel channel = channel(server);
    Future<StringValue> blocked = ClientCalls.futureUnaryCall(
        channel.newCall(limited.descriptor(), CallOptions.DEFAULT), StringValue.of("block"));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
        () -> call(channel, limited, "second"));

    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(refused.getStatus().getDescription()).contains("maxConcurrency: 1");
    assertThat(seen).containsExactly("all test.Svc/Call", "all test.Svc/Call");
    assertThat(executions).hasValue(1);
    release.countDown();
    assertThat(blocked.get(10, TimeUnit.SECONDS).getValue()).isEqualTo("block");
  }

  @Test
  void theParseGuardRefusesBadBytesBeforeAnyInterceptorSeesAMessage() {
    List<Object> messages = new CopyOnWriteArrayList<>();
    ServerInterceptor reading = new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
          @Override
          public void onMessage(ReqT message) {
            messages.add(String.valueOf(message));
            super.onMessage(message);
          }
        };
      }
    };
    CourierServer server = start(CourierServer.builder().addService(service()).intercept(reading));
    ManagedChannel channel = channel(server);

    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(channel, RawBytes.method("test.Svc/Call"),
            CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), new byte[] {(byte) 0xFF, (byte) 0xFF, 0x01}));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(messages).isEmpty();
    assertThat(executions).hasValue(0);
    assertThat(call(channel, CALL, "fine").getValue()).isEqualTo("fine");
    assertThat(messages).containsExactly("value: \"fine\"\n");
  }

  @Test
  void aRefusedCallWithBadBytesGetsTheInterceptorsStatusAndTheServerGoesOn() {
    ServerInterceptor refusing = new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        if (headers.containsKey(USER)) {
          return next.startCall(call, headers);
        }
        call.close(Status.UNAUTHENTICATED.withDescription("no x-user header"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
    };
    CourierServer server = start(CourierServer.builder().addService(service()).intercept(refusing));
    ManagedChannel channel = channel(server);

    for (int i = 0; i < 20; i++) {
      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
          () -> ClientCalls.blockingUnaryCall(channel, RawBytes.method("test.Svc/Call"),
              CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), new byte[] {(byte) 0xFF, (byte) 0xFF, 0x01}));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }
    assertThat(executions).hasValue(0);
  }

  @Test
  void interceptorsForAServiceThatWasNotAddedFailAtStart() {
    CourierServer.Builder builder = CourierServer.builder().address("127.0.0.1", 0).addService(service())
        .intercept("test.Nope", recording("x"));

    assertThatThrownBy(builder::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("intercept: no added service is named test.Nope (expected: one of [test.Svc])");
  }

  @Test
  void nullOrBlankArgumentsFail() {
    CourierServer.Builder builder = CourierServer.builder();
    assertThatThrownBy(() -> builder.intercept(recording("a"), null))
        .isInstanceOf(NullPointerException.class).hasMessage("interceptors[1]");
    assertThatThrownBy(() -> builder.intercept(" ", recording("a")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("serviceName: ");
  }}
