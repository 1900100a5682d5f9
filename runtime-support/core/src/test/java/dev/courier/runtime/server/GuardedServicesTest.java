package dev.courier.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every service a Courier server serves sits behind the same parse guard: the built-in health and
 * reflection services as much as the user's, and a streaming method hears the refusal's status.
 * Over a real loopback socket, with the log captured.
 */
class GuardedServicesTest {
  /** Field 31 with wire type 7, which does not exist: no message parses from it. */
  private static final byte[] GARBAGE = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01};
  private static final RpcMethod<StringValue, StringValue> UPLOAD = RpcMethod.of(
      MethodDescriptor.<StringValue, StringValue>newBuilder()
          .setType(MethodDescriptor.MethodType.CLIENT_STREAMING)
          .setFullMethodName("test.Upload/Send")
          .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
          .build(),
      MethodPolicy.DEFAULT);

  /** Ordinary calls after a case. */
  private static final int SUSTAINED = 1000;
  /**
   * Threads a case may leave: this server's call executor (platform threads on Java 17-20, at
   * most 20 here), grpc's event loops and client executor for the 8 callers.
   */
  private static final int THREADS_LEFT = 20 + 30;

  private final List<String> uploaded = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstUploaded = new CountDownLatch(1);
  private final CompletableFuture<Throwable> uploadError = new CompletableFuture<>();
  private CourierServer server;
  private ManagedChannel channel;

  @BeforeEach
  void start() {
    server = CourierServer.builder()
        .address("127.0.0.1", 0)
        .gracePeriod(Duration.ZERO)
        .callExecutor(CallExecutor.platformThreads(20))
        .addService(TestServices.service(TestServices.call(0), request -> request))
        .addService(ServerServiceDefinition.builder("test.Upload")
            .addMethod(ServiceBindings.clientStreaming(UPLOAD, this::upload))
            .build())
        .start();
    channel = TestServices.plaintextChannel(server);
  }

  /** Collects the uploaded values and answers them joined; hears an error as a method should. */
  private StreamObserver<StringValue> upload(StreamObserver<StringValue> responses) {
    return new StreamObserver<>() {
              @Override
              public void onNext(StringValue value) {
                uploaded.add(value.getValue());
                firstUploaded.countDown();
              }

              @Override
              public void onError(Throwable t) {
                uploadError.complete(t);
                responses.onError(t); // what a well-behaved method does; the call is closed already
              }

              @Override
              public void onCompleted() {
                responses.onNext(StringValue.of(String.join(",", uploaded)));
                responses.onCompleted();
              }
            };
  }

  @AfterEach
  void stop() {
    TestServices.close(channel);
    server.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "grpc.health.v1.Health/Check",
      "grpc.health.v1.Health/Watch",
      "grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
      "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
      "test.Svc/Call"})
  void garbageToAnyServiceGetsInvalidArgumentWithOneLogLineAndNoStackTrace(String fullMethodName) throws Exception {
    ResourceUsage before = ResourceUsage.resetPeakAndMeasure();
    int lines;
    try (LogCapture log = new LogCapture()) {
      Status status = RawBytes.send(channel, fullMethodName, GARBAGE);

      assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(status.getDescription()).startsWith("the request to " + fullMethodName + " is not a valid ")
          .contains("invalid wire type");
      assertStillServing();
      assertThat(log.courierLines("refused a call: INVALID_ARGUMENT the request to " + fullMethodName)).hasSize(1);
      assertThat(log.lines()).hasSize(1);
      assertThat(log.withStackTraces()).isEmpty();
      lines = log.lines().size();
    }
    assertSustainedLoadAfter("garbage to " + fullMethodName, before, lines);
  }

  @Test
  void truncatedMessageToHealthGetsInvalidArgumentToo() {
    // Field 1 (string) announcing 10 bytes, followed by 2.
    Status status = RawBytes.send(channel, "grpc.health.v1.Health/Check", new byte[] {0x0A, 0x0A, 'a', 'b'});

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertStillServing();
  }

  @Test
  void clientStreamingMethodHearsTheRefusalsStatusNotClientCancelled() throws Exception {
    ResourceUsage before = ResourceUsage.resetPeakAndMeasure();
    int lines;
    try (LogCapture log = new LogCapture()) {
      ClientCall<byte[], byte[]> call = channel.newCall(
          RawBytes.method("test.Upload/Send", MethodDescriptor.MethodType.CLIENT_STREAMING),
          CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS));
      CompletableFuture<Status> closed = new CompletableFuture<>();
      call.start(new ClientCall.Listener<>() {
        @Override
        public void onClose(Status status, io.grpc.Metadata trailers) {
          closed.complete(status);
        }
      }, new io.grpc.Metadata());
      call.sendMessage(StringValue.of("first").toByteArray());
      call.sendMessage(GARBAGE);
      call.halfClose();

      Status status = closed.get(5, TimeUnit.SECONDS);
      Throwable seen = uploadError.get(5, TimeUnit.SECONDS);

      assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(uploaded).containsExactly("first");
      assertThat(seen).isInstanceOf(StatusRuntimeException.class);
      Status heard = ((StatusRuntimeException) seen).getStatus();
      assertThat(heard.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(heard.getDescription()).isEqualTo(status.getDescription());
      assertStillServing();
      assertThat(log.courierLines("refused a call: INVALID_ARGUMENT the request to test.Upload/Send")).hasSize(1);
      assertThat(log.lines()).hasSize(1);
      assertThat(log.withStackTraces()).isEmpty(); // the method's responses.onError(t) met no "call already closed"
      lines = log.lines().size();
    }
    assertSustainedLoadAfter("a refused message on a client-streaming call", before, lines);
  }

  /**
   * {@value #SUSTAINED} ordinary calls after a case all succeed; prints the case's {@code
   * SERVER-UNDER-ATTACK} line with the threads and RSS before it and after them, and checks the
   * threads are back within the bound of the server's pool.
   */
  private void assertSustainedLoadAfter(String name, ResourceUsage before, int lines) throws Exception {
    int sustained = TestServices.assertAllSucceed(server, SUSTAINED);
    ResourceUsage after = ResourceUsage.now();
    ResourceUsage.print(name, before, after, lines + " log line, no stack trace; " + sustained
        + " calls afterwards, all OK");
    assertThat(after.threads() - before.threads()).as("threads left").isLessThanOrEqualTo(THREADS_LEFT);
  }

  @Test
  void clientStreamingMethodThatIsNotRefusedStillHearsAClientsCancel() throws Exception {
    ClientCall<byte[], byte[]> call = channel.newCall(
        RawBytes.method("test.Upload/Send", MethodDescriptor.MethodType.CLIENT_STREAMING), CallOptions.DEFAULT);
    call.start(new ClientCall.Listener<>() {}, new io.grpc.Metadata());
    call.sendMessage(StringValue.of("first").toByteArray());
    assertThat(firstUploaded.await(5, TimeUnit.SECONDS)).isTrue();
    call.cancel("bye", null);

    Throwable seen = uploadError.get(5, TimeUnit.SECONDS);
    assertThat(((StatusRuntimeException) seen).getStatus().getCode()).isEqualTo(Status.Code.CANCELLED);
  }


  private void assertStillServing() {
    assertThat(HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
    StringValue answer = ClientCalls.blockingUnaryCall(channel, TestServices.call(0).descriptor(),
        CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), StringValue.of("still here"));
    assertThat(answer.getValue()).isEqualTo("still here");
  }
}
