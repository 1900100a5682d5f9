package dev.courier.it.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.courier.it.interop.testing.EchoStatus;
import dev.courier.it.interop.testing.Payload;
import dev.courier.it.interop.testing.ResponseParameters;
import dev.courier.it.interop.testing.SimpleRequest;
import dev.courier.it.interop.testing.SimpleResponse;
import dev.courier.it.interop.testing.StreamingOutputCallRequest;
import dev.courier.it.interop.testing.StreamingOutputCallResponse;
import dev.courier.it.interop.testing.TestServiceClient;
import dev.courier.it.interop.testing.TestServiceGrpc;
import dev.courier.it.interop.testing.TestServiceServer;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.client.ResponseCapture;
import dev.courier.runtime.server.CourierServer;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * grpc's interop {@code custom_metadata} case, both ways: grpc-java's own stubs call a Courier
 * server whose implementation echoes the metadata on its call context; a Courier client sends and
 * reads the same metadata with its own views, against grpc-java's server (echoing in an
 * interceptor, as grpc's interop server does) and against the Courier server. As in the case: a
 * 271828-byte request payload, a 314159-byte response, {@code x-grpc-test-echo-initial:
 * test_initial_metadata_value} back in the initial metadata and {@code x-grpc-test-echo-trailing-bin:
 * 0xababab} back in the trailers; here also on a failed call.
 */
class CustomMetadataTest {
  private static final Metadata.Key<String> ECHO_INITIAL =
      Metadata.Key.of(CourierTestService.ECHO_INITIAL, Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<byte[]> ECHO_TRAILING =
      Metadata.Key.of(CourierTestService.ECHO_TRAILING, Metadata.BINARY_BYTE_MARSHALLER);
  private static final String INITIAL_VALUE = "test_initial_metadata_value";
  private static final byte[] TRAILING_VALUE = {(byte) 0xab, (byte) 0xab, (byte) 0xab};
  private static final int RESPONSE_SIZE = 314159;
  private static final int REQUEST_SIZE = 271828;

  static CourierServer courierServer;
  static Server grpcServer;
  static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    courierServer = TestServiceServer.builder(new CourierTestService()).address("127.0.0.1", 0).start();
    grpcServer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(new GrpcJavaTestService(), GrpcJavaTestService.echoingMetadata()))
        .build().start();
    channel = NettyChannelBuilder.forTarget(courierServer.target()).usePlaintext().build();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    courierServer.shutdownNow();
    grpcServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private static Metadata sent() {
    Metadata metadata = new Metadata();
    metadata.put(ECHO_INITIAL, INITIAL_VALUE);
    metadata.put(ECHO_TRAILING, TRAILING_VALUE);
    return metadata;
  }

  private static SimpleRequest unaryRequest() {
    return SimpleRequest.newBuilder().setResponseSize(RESPONSE_SIZE)
        .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[REQUEST_SIZE]))).build();
  }

  private static StreamingOutputCallRequest streamingRequest() {
    return StreamingOutputCallRequest.newBuilder()
        .addResponseParameters(ResponseParameters.newBuilder().setSize(RESPONSE_SIZE))
        .setPayload(Payload.newBuilder().setBody(ByteString.copyFrom(new byte[REQUEST_SIZE]))).build();
  }

  @Test
  void grpcJavaStubsUnaryCallAgainstTheCourierServer() {
    AtomicReference<Metadata> headers = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();

    SimpleResponse response = TestServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(sent()),
            MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .unaryCall(unaryRequest());

    assertThat(response.getPayload().getBody().size()).isEqualTo(RESPONSE_SIZE);
    assertThat(headers.get().get(ECHO_INITIAL)).isEqualTo(INITIAL_VALUE);
    assertThat(trailers.get().get(ECHO_TRAILING)).isEqualTo(TRAILING_VALUE);
  }

  @Test
  void grpcJavaStubsFullDuplexCallAgainstTheCourierServer() throws Exception {
    AtomicReference<Metadata> headers = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    Replies<StreamingOutputCallResponse> responses = new Replies<>();

    StreamObserver<StreamingOutputCallRequest> requests = TestServiceGrpc.newStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(sent()),
            MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .fullDuplexCall(responses);
    requests.onNext(streamingRequest());
    requests.onCompleted();

    assertThat(responses.done.get(10, TimeUnit.SECONDS)).singleElement()
        .satisfies(r -> assertThat(r.getPayload().getBody().size()).isEqualTo(RESPONSE_SIZE));
    assertThat(headers.get().get(ECHO_INITIAL)).isEqualTo(INITIAL_VALUE);
    assertThat(trailers.get().get(ECHO_TRAILING)).isEqualTo(TRAILING_VALUE);
  }

  @Test
  void grpcJavaStubsSeeTheEchoOnAFailedCallToo() {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> TestServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(sent()))
        .unaryCall(unaryRequest().toBuilder()
            .setResponseStatus(EchoStatus.newBuilder().setCode(2).setMessage("test status message")).build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(e.getStatus().getDescription()).isEqualTo("test status message");
    assertThat(e.getTrailers().get(ECHO_TRAILING)).isEqualTo(TRAILING_VALUE);
    assertThat(e.getTrailers().get(ECHO_INITIAL)).as("trailers-only: the headers ride with the trailers").isEqualTo(INITIAL_VALUE);
  }

  @Test
  void theCourierClientSendsAndReadsTheMetadataWithItsOwnViews() throws Exception {
    for (String target : List.of(courierServer.target(), "127.0.0.1:" + grpcServer.getPort())) {
      try (TestServiceClient client = TestServiceClient.builder().target(target).build()) {
        ResponseCapture unary = new ResponseCapture();
        SimpleResponse response = client.withMetadata(sent()).capturing(unary).unaryCall(unaryRequest());

        assertThat(response.getPayload().getBody().size()).as(target).isEqualTo(RESPONSE_SIZE);
        assertThat(unary.header(CourierTestService.ECHO_INITIAL)).as(target).contains(INITIAL_VALUE);
        assertThat(unary.trailers().get(ECHO_TRAILING)).as(target).isEqualTo(TRAILING_VALUE);

        ResponseCapture stream = new ResponseCapture();
        Replies<StreamingOutputCallResponse> responses = new Replies<>();
        StreamObserver<StreamingOutputCallRequest> requests = client
            .withHeader(CourierTestService.ECHO_INITIAL, INITIAL_VALUE)
            .withMetadata(trailing())
            .capturing(stream)
            .fullDuplexCall(responses);
        requests.onNext(streamingRequest());
        requests.onCompleted();

        assertThat(responses.done.get(10, TimeUnit.SECONDS)).as(target).hasSize(1);
        assertThat(stream.header(CourierTestService.ECHO_INITIAL)).as(target).contains(INITIAL_VALUE);
        assertThat(stream.trailers().get(ECHO_TRAILING)).as(target).isEqualTo(TRAILING_VALUE);

        CourierException e = catchThrowableOfType(CourierException.class, () -> client.withMetadata(sent())
            .unaryCall(unaryRequest().toBuilder()
                .setResponseStatus(EchoStatus.newBuilder().setCode(2).setMessage("test status message")).build()));
        assertThat(e.code()).as(target).isEqualTo(Status.Code.UNKNOWN);
        assertThat(e.trailers().get(ECHO_TRAILING)).as(target).isEqualTo(TRAILING_VALUE);
      }
    }
  }

  private static Metadata trailing() {
    Metadata metadata = new Metadata();
    metadata.put(ECHO_TRAILING, TRAILING_VALUE);
    return metadata;
  }
}
