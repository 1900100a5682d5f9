package dev.courier.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.StringValue;
import dev.courier.runtime.context.CallContext;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The call context on a real server, read and written by the implementation, seen by grpc-java's own client. */
class CallContextServerTest {
  private static final Metadata.Key<String> REQUEST_ID = Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> SERVED_BY = Metadata.Key.of("x-served-by", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<byte[]> COST = Metadata.Key.of("x-cost-bin", Metadata.BINARY_BYTE_MARSHALLER);

  private CourierServer server;
  private ManagedChannel channel;

  @AfterEach
  void stop() {
    if (channel != null) {
      TestServices.close(channel);
    }
    if (server != null) {
      server.shutdownNow();
    }
  }

  @Test
  void theImplementationReadsMetadataPeerAndDeadlineAndSetsHeadersAndTrailers() {
    AtomicReference<CallContext> seen = new AtomicReference<>();
    start(request -> {
      CallContext call = CallContext.current();
      seen.set(call);
      call.setResponseHeader("x-served-by", "replica-1").setTrailer("x-cost-bin", new byte[] {7});
      return StringValue.of(call.header("x-request-id").orElse("none"));
    });
    AtomicReference<Metadata> headers = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    Metadata sent = new Metadata();
    sent.put(REQUEST_ID, "r-42");

    StringValue reply = ClientCalls.blockingUnaryCall(
        ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(sent),
            MetadataUtils.newCaptureMetadataInterceptor(headers, trailers)),
        TestServices.call(0).descriptor(), CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS),
        StringValue.of("hi"));

    assertThat(reply.getValue()).isEqualTo("r-42");
    assertThat(headers.get().get(SERVED_BY)).isEqualTo("replica-1");
    assertThat(trailers.get().get(COST)).isEqualTo(new byte[] {7});
    CallContext call = seen.get();
    assertThat(call.fullMethodName()).isEqualTo("test.Svc/Call");
    assertThat(call.peerAddress()).get().isInstanceOfSatisfying(InetSocketAddress.class,
        address -> assertThat(address.getAddress().isLoopbackAddress()).isTrue());
    assertThat(call.peerIdentity()).isEmpty();
    assertThat(call.remaining()).get().matches(left -> left.compareTo(Duration.ofSeconds(5)) <= 0 && !left.isNegative());
  }

  @Test
  void trailersAndHeadersSetBeforeAFailureReachTheClientWithTheStatus() {
    start(request -> {
      CallContext.current().setResponseHeader("x-served-by", "replica-1").setTrailer("x-cost-bin", new byte[] {9});
      throw Status.FAILED_PRECONDITION.withDescription("out of stock").asRuntimeException();
    });
    AtomicReference<Metadata> headers = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();

    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
        ClientInterceptors.intercept(channel, MetadataUtils.newCaptureMetadataInterceptor(headers, trailers)),
        TestServices.call(0).descriptor(), CallOptions.DEFAULT, StringValue.of("hi")));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(e.getTrailers().get(COST)).isEqualTo(new byte[] {9});
    assertThat(e.getTrailers().get(SERVED_BY)).as("a call that fails before any message answers with trailers only")
        .isEqualTo("replica-1");
  }

  @Test
  void serverInterceptorsSeeTheContextToo() {
    AtomicReference<String> seenByInterceptor = new AtomicReference<>();
    ServerInterceptor reading = new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        seenByInterceptor.set(CallContext.current().fullMethodName());
        return next.startCall(call, headers);
      }
    };
    server = CourierServer.builder().address("127.0.0.1", 0).gracePeriod(Duration.ZERO)
        .addService(TestServices.service(TestServices.call(0), request -> request)).intercept(reading).start();
    channel = TestServices.plaintextChannel(server);

    ClientCalls.blockingUnaryCall(channel, TestServices.call(0).descriptor(), CallOptions.DEFAULT, StringValue.of("x"));

    assertThat(seenByInterceptor.get()).isEqualTo("test.Svc/Call");
  }

  private void start(ServiceBindings.UnaryHandler<StringValue, StringValue> handler) {
    server = CourierServer.builder().address("127.0.0.1", 0).gracePeriod(Duration.ZERO)
        .addService(TestServices.service(TestServices.call(0), handler)).start();
    channel = TestServices.plaintextChannel(server);
  }
}
