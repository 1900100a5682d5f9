package dev.courier.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.StringValue;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.retry.StopReason;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * grpc-java's Netty transport reports some connections that die under a call as {@code UNKNOWN:
 * channel closed} (a {@link ClosedChannelException}); Courier reads that as what it is, an
 * unavailable replica. The transport failure is played by a client interceptor on one endpoint's
 * channel, since a real one comes only from a kill at the wrong instant.
 */
class ClosedChannelTest {
  private static final RpcMethod<StringValue, StringValue> IDEMPOTENT = Replicas.IDEMPOTENT_ECHO;

  private final Replicas replicas = Replicas.start(2);

  @AfterEach
  void stop() {
    replicas.close();
  }

  @Test
  void channelClosedUnderACallIsUnavailableAndRetriedElsewhere() {
    String broken = replicas.get(0).endpoint().authority();
    try (ClientRuntime client = ClientBuilder.forService("test.Echo", runtime -> runtime)
        .endpoints(replicas.endpoints()).balancer(dev.courier.runtime.balance.BalancerKind.ROUND_ROBIN)
        .interceptors(closingChannelOf(broken)).build()) {
      for (int i = 0; i < 4; i++) {
        assertThat(client.blockingUnary(IDEMPOTENT, Replicas.text("x")).getValue()).isEqualTo(replicas.get(1).name);
      }
    }
    assertThat(replicas.get(0).calls()).as("calls that reached the broken replica's server").isZero();
    assertThat(replicas.get(1).calls()).isEqualTo(4);
  }

  @Test
  void channelClosedOnTheOnlyEndpointFailsAsUnavailable() {
    String broken = replicas.get(0).endpoint().authority();
    try (ClientRuntime client = ClientBuilder.forService("test.Echo", runtime -> runtime)
        .endpoints(List.of(replicas.get(0).endpoint())).interceptors(closingChannelOf(broken)).build()) {
      CourierException e = catchThrowableOfType(CourierException.class,
          () -> client.blockingUnary(IDEMPOTENT, Replicas.text("x")));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(e.getStatus().getDescription()).startsWith("the connection closed under the call (channel closed");
      assertThat(e.getStatus().getCause()).isInstanceOf(ClosedChannelException.class);
      assertThat(e.stopReason()).isEqualTo(StopReason.MAX_ATTEMPTS);
    }
  }

  @Test
  void unknownChosenByTheServerArrivesUnchangedAndIsNotRetried() {
    replicas.get(0).failWith = Status.UNKNOWN.withDescription("channel closed");
    replicas.get(1).failWith = Status.UNKNOWN.withDescription("channel closed");
    try (ClientRuntime client = ClientBuilder.forService("test.Echo", runtime -> runtime)
        .endpoints(replicas.endpoints()).build()) {
      CourierException e = catchThrowableOfType(CourierException.class,
          () -> client.blockingUnary(IDEMPOTENT, Replicas.text("x")));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
      assertThat(e.attempts()).hasSize(1);
      assertThat(e.stopReason()).isEqualTo(StopReason.NOT_RETRYABLE);
    }
  }

  /** Fails every call on the channel to {@code authority} as grpc does when the connection died. */
  private static ClientInterceptor closingChannelOf(String authority) {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
        if (!next.authority().equals(authority)) {
          return next.newCall(method, options);
        }
        return new FailedCall<>(Status.UNKNOWN.withDescription("channel closed")
            .withCause(new ClosedChannelException()));
      }
    };
  }
}
