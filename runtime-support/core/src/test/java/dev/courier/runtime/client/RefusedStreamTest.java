package dev.courier.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.fault.FaultReplica;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stream the server refused unprocessed ({@code REFUSED_STREAM}) is Courier's to retry, and
 * only Courier's: the call goes on to another endpoint even for a method that is not idempotent,
 * and the refusing server sees exactly the attempts Courier made, none added below it by gRPC's
 * own transparent retry (which Courier's channels switch off).
 */
class RefusedStreamTest {
  private static final RpcMethod<StringValue, StringValue> NOT_IDEMPOTENT = FaultReplica.once();

  private RefusingHttp2Server refusing;
  private FaultReplica healthy;
  private ClientRuntime client;
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  private ClientInterceptor countAttempts;

  @BeforeEach
  void start() throws InterruptedException {
    refusing = new RefusingHttp2Server();
    healthy = FaultReplica.start("healthy");
    countAttempts = new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
        attempts.computeIfAbsent(next.authority(), k -> new AtomicInteger()).incrementAndGet();
        return next.newCall(method, options);
      }
    };
    client = client(ChannelFactory.plaintext());
  }

  private ClientRuntime client(ChannelFactory channels) {
    return ClientBuilder.forService("fault.Echo", r -> r)
        .endpoints(List.of(refusing.endpoint(), Endpoint.of("127.0.0.1", healthy.port())))
        .balancer(BalancerKind.ROUND_ROBIN)
        .channelFactory(channels)
        .interceptors(countAttempts)
        .methods(NOT_IDEMPOTENT)
        .build();
  }

  @AfterEach
  void stop() {
    client.close();
    healthy.close();
    refusing.close();
  }

  @Test
  void aRefusedCallOfAMethodThatIsNotIdempotentGoesToAnotherEndpointAndIsSentToTheRefuserOnlyOnce() {
    for (int i = 0; i < 10; i++) {
      assertThat(client.blockingUnary(NOT_IDEMPOTENT, StringValue.of("call-" + i)).getValue()).isEqualTo("healthy");
    }
    int toRefuser = attempts.getOrDefault(refusing.endpoint().authority(), new AtomicInteger()).get();
    assertThat(toRefuser).as("Courier's attempts to the refusing server").isPositive();
    assertThat(refusing.streams()).as("streams the refusing server was sent").isEqualTo(toRefuser);
    assertThat(healthy.executions()).isEqualTo(10);
  }

  /**
   * Why Courier's channels switch gRPC's retries off: with them on, gRPC retries each refused
   * stream once more, transparently, on the same endpoint, below every attempt Courier counts.
   */
  @Test
  void withGrpcsRetriesOnAgainEachRefusedAttemptIsSentToTheRefuserTwice() {
    client.close();
    client = client(ChannelFactory.netty(b -> b.usePlaintext().enableRetry()));
    for (int i = 0; i < 10; i++) {
      assertThat(client.blockingUnary(NOT_IDEMPOTENT, StringValue.of("call-" + i)).getValue()).isEqualTo("healthy");
    }
    int toRefuser = attempts.getOrDefault(refusing.endpoint().authority(), new AtomicInteger()).get();
    assertThat(toRefuser).as("Courier's attempts to the refusing server").isPositive();
    assertThat(refusing.streams()).as("streams the refusing server was sent").isEqualTo(2 * toRefuser);
  }
}
