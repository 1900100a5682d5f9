package dev.courier.runtime.client;

import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.internal.Checks;
import dev.courier.runtime.tls.ClientTls;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Opens the gRPC channel to one endpoint. A client owns one channel per endpoint and shuts it down
 * (gracefully: calls in flight finish) when the endpoint leaves the set or the client closes.
 *
 * <p>The default, {@link #plaintext()}, is a Netty channel with plaintext HTTP/2 and {@code
 * directExecutor()}: gRPC runs call callbacks on its Netty event-loop threads instead of handing
 * each one to a thread pool. That hand-off is what makes grpc-java's future stub slow under load;
 * Courier's own callbacks never block, so it is safe for them. The consequence for users is on
 * {@link ClientBuilder#callbackExecutor}. TLS: pass {@link #netty} a configurer, e.g. {@code
 * ChannelFactory.netty(b -> b.sslContext(context))}.
 *
 * <p>Every channel made here also has gRPC's own retries switched off ({@code disableRetry()}).
 * Courier decides every retry itself, above the channel: it counts each attempt against the
 * method's limits and the retry budget, and it retries a request that surely never reached a
 * server on <em>another</em> endpoint, idempotent or not ({@link
 * dev.courier.runtime.retry.Retryability}). gRPC's layer below would only add its transparent
 * retries, which go to the same endpoint and which Courier cannot count, and it costs every call:
 * it wraps each call's stream in one that records the call's messages for a replay. Switched off,
 * the fault benchmark's client serves 7-11% more calls a second over three healthy in-JVM
 * replicas ({@code FaultComparison}'s {@code healthy} scenario, {@code docs/benchmarks.md}). A
 * {@link #netty} configurer may switch them on again ({@code enableRetry()}).
 */
@FunctionalInterface
public interface ChannelFactory {
  /** A new channel to {@code endpoint}; called once per endpoint while it stays in the set. */
  ManagedChannel create(Endpoint endpoint);

  /** Netty, plaintext, direct executor, gRPC's retries off. */
  static ChannelFactory plaintext() {
    return netty(NettyChannelBuilder::usePlaintext);
  }

  /**
   * {@code connections} channels per endpoint from {@code base}, used in turn: spreads the work of
   * one busy endpoint over several Netty event loops.
   */
  static ChannelFactory pooled(int connections, ChannelFactory base) {
    Checks.atLeastOne("connections", connections);
    Objects.requireNonNull(base, "base");
    if (connections == 1) {
      return base;
    }
    return endpoint -> {
      java.util.List<ManagedChannel> channels = new java.util.ArrayList<>(connections);
      for (int i = 0; i < connections; i++) {
        channels.add(base.create(endpoint));
      }
      return new PooledChannel(channels);
    };
  }

  /**
   * Netty channels with the credentials of {@code tls} (and its authority override, if any), a
   * direct executor and gRPC's retries off, like {@link #plaintext()} otherwise.
   */
  static ChannelFactory tls(ClientTls tls) {
    Objects.requireNonNull(tls, "tls");
    ChannelCredentials credentials = tls.credentials();
    String authority = tls.authority().orElse(null);
    return endpoint -> {
      NettyChannelBuilder builder = NettyChannelBuilder
          .forAddress(endpoint.host(), endpoint.port(), credentials)
          .directExecutor()
          .disableRetry();
      if (authority != null) {
        builder.overrideAuthority(authority);
      }
      return builder.build();
    };
  }

  /**
   * Netty with direct executor and gRPC's retries off, then {@code configure} (which may turn on
   * TLS, set keep-alive, set an executor to undo the direct one, or {@code enableRetry()}). Without
   * {@code usePlaintext()} Netty negotiates TLS.
   */
  static ChannelFactory netty(UnaryOperator<NettyChannelBuilder> configure) {
    Objects.requireNonNull(configure, "configure");
    return endpoint -> configure
        .apply(NettyChannelBuilder.forAddress(endpoint.host(), endpoint.port()).directExecutor().disableRetry())
        .build();
  }
}
