/**
 * The client runtime that generated clients delegate to.
 *
 * <p>{@link dev.courier.runtime.client.ClientBuilder} (what {@code XxxClient.builder()} returns)
 * collects the configuration; {@code build()} freezes it into an immutable {@code ClientConfig}
 * and hands it to a {@link dev.courier.runtime.client.ClientRuntime}, which runs every call of the
 * client. The builder never travels past {@code build()}.
 *
 * <p>Inside, package-private: {@code CallPipeline} (what the calls of one client share: the
 * endpoint set, balancers, the scheduler, each method's resolved policy and {@link
 * dev.courier.runtime.retry.RetryDecider}); {@code UnaryCall} (the concurrency of one unary call:
 * attempts, hedges, cancellation, timers; every rule is asked of the decider); {@code
 * AttemptListener} (one attempt's gRPC listener and deadline timer); {@code StreamCalls};
 * {@code InterceptedChannel} (the client's interceptors around every channel, whatever its factory);
 * {@code EndpointSet} and {@code EndpointNode} (endpoints with their channel, load and passive
 * health). Public settings: {@link dev.courier.runtime.client.ChannelFactory} (how channels are
 * opened, TLS) and {@link dev.courier.runtime.client.PassiveHealth}.
 *
 * <p>Thread-safety: the builder is not thread-safe; everything it builds is.
 */
package dev.courier.runtime.client;
