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
 */
@FunctionalInterface
public interface ChannelFactory {
  /** A new channel to {@code endpoint}; called once per endpoint while it stays in the set. */
  ManagedChannel create(Endpoint endpoint);

  /** Netty, plaintext, direct executor. */
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
   * Netty channels with the credentials of {@code tls} (and its authority override, if any) and a
   * direct executor, like {@link #plaintext()} otherwise.
   */
  static ChannelFactory tls(ClientTls tls) {
    Objects.requireNonNull(tls, "tls");
    ChannelCredentials credentials = tls.credentials();
    String authority = tls.authority().orElse(null);
    return endpoint -> {
      NettyChannelBuilder builder = NettyChannelBuilder
          .forAddress(endpoint.host(), endpoint.port(), credentials)
          .directExecutor();
      if (authority != null) {
        builder.overrideAuthority(authority);
      }
      return builder.build();
    };
  }

  /**
   * Netty with direct executor, then {@code configure} (which may turn on TLS, set keep-alive, or
   * set an executor to undo the direct one). Without {@code usePlaintext()} Netty negotiates TLS.
   */
  static ChannelFactory netty(UnaryOperator<NettyChannelBuilder> configure) {
    Objects.requireNonNull(configure, "configure");
    return endpoint -> configure
        .apply(NettyChannelBuilder.forAddress(endpoint.host(), endpoint.port()).directExecutor())
        .build();
  }
}
