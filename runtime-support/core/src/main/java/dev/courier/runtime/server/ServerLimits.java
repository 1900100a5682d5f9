package dev.courier.runtime.server;

import static dev.courier.runtime.internal.Checks.atLeastOne;
import static dev.courier.runtime.internal.Checks.atLeastOneSecond;
import static dev.courier.runtime.internal.Checks.positive;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What one client connection may hold of a {@link CourierServer}: how many calls at once, how long
 * it may stay silent or open, how often it may ping or reset streams, how long its handshake may
 * take and how much metadata a call may carry. {@link #DEFAULT} holds under a hostile client;
 * {@code withX} copies change one setting, and so do the configuration skeleton's {@code
 * courier.server.<component>} keys, read by {@link CourierServer.Builder#configure}. Immutable.
 *
 * <p>Beyond each limit the connection, not the server, pays:
 * <ul>
 *   <li>calls beyond {@code maxConcurrentCallsPerConnection}: the server announces the limit in
 *       HTTP/2 {@code SETTINGS_MAX_CONCURRENT_STREAMS}, and a stream beyond it is reset with {@code
 *       REFUSED_STREAM} (grpc clients retry it transparently; it never reached the server);
 *   <li>{@code idleTimeout} without a call, or {@code maxConnectionAge} in all (grpc adds ±10%
 *       jitter so that clients do not reconnect together): the connection gets {@code GOAWAY};
 *       calls still open get {@code maxConnectionAgeGrace} to finish. The age limit also
 *       rebalances long-lived clients over replicas added since they connected;
 *   <li>pings more often than {@code permitKeepAliveTime} (or any ping without a call in flight,
 *       unless {@code permitKeepAliveWithoutCalls}): after two such pings, {@code GOAWAY
 *       ENHANCE_YOUR_CALM "too_many_pings"} and the connection closes;
 *   <li>more than {@code maxResetsPerWindow} streams reset by the client within {@code
 *       resetWindow} (the HTTP/2 "rapid reset" attack): {@code GOAWAY ENHANCE_YOUR_CALM};
 *   <li>a connection whose TLS or HTTP/2 handshake is not done within {@code handshakeTimeout}
 *       (a silent TCP connection, say): closed, after a {@code GOAWAY NO_ERROR};
 *   <li>metadata (headers) larger than {@code maxInboundMetadataSize} bytes: the stream gets HTTP
 *       431 before it reaches a service; more than 1.25 times that, and the connection gets {@code
 *       GOAWAY PROTOCOL_ERROR} (grpc-java's answers, tested in {@code WireBadInputTest}).
 * </ul>
 *
 * @param maxConcurrentCallsPerConnection calls one connection may have open at once; default 200
 * @param idleTimeout how long a connection may go without a call; default 5 minutes
 * @param maxConnectionAge how long a connection may live; default 30 minutes
 * @param maxConnectionAgeGrace how long calls may run on after the age limit; default 5 minutes
 * @param permitKeepAliveTime the shortest interval between client pings allowed; default 5 minutes,
 *     grpc-java's (Courier clients send no keepalive pings)
 * @param permitKeepAliveWithoutCalls whether a client may ping while it has no call open; default
 *     {@code false}
 * @param maxResetsPerWindow streams a client may reset within {@code resetWindow}; default 1,000
 *     (a Courier client cancels a hedged call's losers, so a busy one resets streams all the time)
 * @param resetWindow the window of {@code maxResetsPerWindow}, whole seconds; default 10 seconds
 * @param handshakeTimeout how long the TLS and HTTP/2 handshake may take; default 10 seconds
 *     (grpc-java's is 120 seconds)
 * @param maxInboundMetadataSize the largest metadata a call may carry, in bytes; default 8 KiB,
 *     grpc-java's
 */
public record ServerLimits(
    int maxConcurrentCallsPerConnection,
    Duration idleTimeout,
    Duration maxConnectionAge,
    Duration maxConnectionAgeGrace,
    Duration permitKeepAliveTime,
    boolean permitKeepAliveWithoutCalls,
    int maxResetsPerWindow,
    Duration resetWindow,
    Duration handshakeTimeout,
    int maxInboundMetadataSize) {

  /** The defaults listed on each component. */
  public static final ServerLimits DEFAULT = new ServerLimits(200, Duration.ofMinutes(5), Duration.ofMinutes(30),
      Duration.ofMinutes(5), Duration.ofMinutes(5), false, 1000, Duration.ofSeconds(10), Duration.ofSeconds(10),
      8 * 1024);

  /** Checks every setting; the messages name the setting and what it expects. */
  public ServerLimits {
    atLeastOne("maxConcurrentCallsPerConnection", maxConcurrentCallsPerConnection);
    positive("idleTimeout", idleTimeout);
    positive("maxConnectionAge", maxConnectionAge);
    positive("maxConnectionAgeGrace", maxConnectionAgeGrace);
    positive("permitKeepAliveTime", permitKeepAliveTime);
    atLeastOne("maxResetsPerWindow", maxResetsPerWindow);
    atLeastOneSecond("resetWindow", resetWindow);
    positive("handshakeTimeout", handshakeTimeout);
    atLeastOne("maxInboundMetadataSize", maxInboundMetadataSize);
  }

  /** A copy that lets one connection have {@code calls} calls open at once. */
  public ServerLimits withMaxConcurrentCallsPerConnection(int calls) {
    return new ServerLimits(calls, idleTimeout, maxConnectionAge, maxConnectionAgeGrace, permitKeepAliveTime,
        permitKeepAliveWithoutCalls, maxResetsPerWindow, resetWindow, handshakeTimeout, maxInboundMetadataSize);
  }

  /** A copy that closes a connection after {@code timeout} without a call. */
  public ServerLimits withIdleTimeout(Duration timeout) {
    return new ServerLimits(maxConcurrentCallsPerConnection, timeout, maxConnectionAge, maxConnectionAgeGrace,
        permitKeepAliveTime, permitKeepAliveWithoutCalls, maxResetsPerWindow, resetWindow, handshakeTimeout,
        maxInboundMetadataSize);
  }

  /** A copy with this maximum connection age and grace. */
  public ServerLimits withMaxConnectionAge(Duration age, Duration grace) {
    return new ServerLimits(maxConcurrentCallsPerConnection, idleTimeout, age, grace, permitKeepAliveTime,
        permitKeepAliveWithoutCalls, maxResetsPerWindow, resetWindow, handshakeTimeout, maxInboundMetadataSize);
  }

  /** A copy with this keepalive policy: the shortest ping interval, and whether pings without calls are allowed. */
  public ServerLimits withPermittedKeepAlive(Duration interval, boolean withoutCalls) {
    return new ServerLimits(maxConcurrentCallsPerConnection, idleTimeout, maxConnectionAge, maxConnectionAgeGrace,
        interval, withoutCalls, maxResetsPerWindow, resetWindow, handshakeTimeout, maxInboundMetadataSize);
  }

  /** A copy that allows {@code resets} client stream resets per {@code window}. */
  public ServerLimits withMaxResets(int resets, Duration window) {
    return new ServerLimits(maxConcurrentCallsPerConnection, idleTimeout, maxConnectionAge, maxConnectionAgeGrace,
        permitKeepAliveTime, permitKeepAliveWithoutCalls, resets, window, handshakeTimeout, maxInboundMetadataSize);
  }

  /** A copy that closes a connection whose handshake takes longer than {@code timeout}. */
  public ServerLimits withHandshakeTimeout(Duration timeout) {
    return new ServerLimits(maxConcurrentCallsPerConnection, idleTimeout, maxConnectionAge, maxConnectionAgeGrace,
        permitKeepAliveTime, permitKeepAliveWithoutCalls, maxResetsPerWindow, resetWindow, timeout,
        maxInboundMetadataSize);
  }

  /** A copy that accepts metadata up to {@code bytes} per call. */
  public ServerLimits withMaxInboundMetadataSize(int bytes) {
    return new ServerLimits(maxConcurrentCallsPerConnection, idleTimeout, maxConnectionAge, maxConnectionAgeGrace,
        permitKeepAliveTime, permitKeepAliveWithoutCalls, maxResetsPerWindow, resetWindow, handshakeTimeout, bytes);
  }

  /** Sets every limit on grpc's builder. */
  void applyTo(NettyServerBuilder netty) {
    netty.maxConcurrentCallsPerConnection(maxConcurrentCallsPerConnection)
        .maxConnectionIdle(idleTimeout.toNanos(), TimeUnit.NANOSECONDS)
        .maxConnectionAge(maxConnectionAge.toNanos(), TimeUnit.NANOSECONDS)
        .maxConnectionAgeGrace(maxConnectionAgeGrace.toNanos(), TimeUnit.NANOSECONDS)
        .permitKeepAliveTime(permitKeepAliveTime.toNanos(), TimeUnit.NANOSECONDS)
        .permitKeepAliveWithoutCalls(permitKeepAliveWithoutCalls)
        .maxRstFramesPerWindow(maxResetsPerWindow, Math.toIntExact(resetWindow.toSeconds()))
        .maxInboundMetadataSize(maxInboundMetadataSize)
        .handshakeTimeout(handshakeTimeout.toNanos(), TimeUnit.NANOSECONDS);
  }
}
