package dev.courier.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.courier.runtime.RpcMethod;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A raw grpc-java client sends what no well-behaved client would; the server answers and goes on. */
class BadInputTest {
  private static final RpcMethod<StringValue, StringValue> ECHO = TestServices.call(0);

  private final AtomicInteger executions = new AtomicInteger();
  private CourierServer server;
  private ManagedChannel channel;

  @BeforeEach
  void start() {
    server = CourierServer.builder()
        .address("127.0.0.1", 0)
        .gracePeriod(Duration.ZERO)
        .addService(TestServices.service(ECHO, request -> {
          executions.incrementAndGet();
          return request;
        }))
        .maxInboundMessageSize(1024)
        .start();
    channel = TestServices.plaintextChannel(server);
  }

  @AfterEach
  void stop() {
    TestServices.close(channel);
    server.close();
  }


  private void assertStillServing() {
    StringValue answer = ClientCalls.blockingUnaryCall(channel, ECHO.descriptor(),
        CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), StringValue.of("still here"));
    assertThat(answer.getValue()).isEqualTo("still here");
  }

  @Test
  void bytesThatAreNotTheRequestMessageFailWithInvalidArgumentBeforeTheMethodRunsAndTheServerGoesOn() {
    // 0xFF...: field 31 with wire type 7, which does not exist.
    Status status = RawBytes.send(channel, "test.Svc/Call", new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01});

    // grpc-java alone would answer UNKNOWN "Application error processing RPC".
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription())
        .startsWith("the request to test.Svc/Call is not a valid google.protobuf.StringValue message: ")
        .contains("invalid wire type");
    assertThat(executions).hasValue(0);
    assertStillServing();
    assertThat(executions).hasValue(1);
  }

  @Test
  void truncatedRequestFailsWithInvalidArgumentToo() {
    // Field 1 (string) announcing 10 bytes, followed by 2.
    Status status = RawBytes.send(channel, "test.Svc/Call", new byte[] {0x0A, 0x0A, 'a', 'b'});

    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(executions).hasValue(0);
    assertStillServing();
  }

  @Test
  void requestOverTheSizeLimitFailsWithResourceExhaustedAndTheServerGoesOn() {
    byte[] big = StringValue.of("x".repeat(2000)).toByteArray();

    Status status = RawBytes.send(channel, "test.Svc/Call", big);

    assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(status.getDescription()).contains("1024");
    assertStillServing();
  }

  @Test
  void requestUnderTheSizeLimitIsServed() {
    byte[] small = StringValue.of("x".repeat(1000)).toByteArray();

    assertThat(RawBytes.send(channel, "test.Svc/Call", small).getCode()).isEqualTo(Status.Code.OK);
  }

  @Test
  void unknownMethodAndUnknownServiceFailWithUnimplementedAndTheServerGoesOn() {
    assertThat(RawBytes.send(channel, "test.Svc/Nope", new byte[0]).getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(RawBytes.send(channel, "test.Nothing/Call", new byte[0]).getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertStillServing();
  }

  @Test
  void defaultSizeLimitIsFourMebibytes() {
    assertThat(CourierServer.Builder.DEFAULT_MAX_INBOUND_MESSAGE_SIZE).isEqualTo(4 * 1024 * 1024);
  }

  @Test
  void nonPositiveSizeLimitFails() {
    assertThatThrownBy(() -> CourierServer.builder().maxInboundMessageSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxInboundMessageSize: 0 (expected: >= 1)");
  }}
