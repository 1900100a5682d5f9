/**
 * Server side: {@link dev.courier.runtime.server.ServiceBindings} adapts a user's implementation to
 * grpc server calls; {@link dev.courier.runtime.server.CourierServer} starts and stops a server.
 *
 * <p>{@code CourierServer.Builder} collects the settings and freezes them into a {@code
 * ServerConfig}; {@code ServerLauncher} binds the server with every service behind the same layers
 * ({@code RequestParseGuard}, {@code BoundedCalls}, the server's and the service's interceptors,
 * {@code ConcurrencyLimit}; the order is below), adds health and reflection behind the guard, the
 * bound and the server's interceptors, sets the connection limits ({@code ServerLimits}), and
 * registers it in discovery last. Everything but the builder, the server and the bindings is package-private.
 *
 * <p><b>Protection.</b> A method with a concurrency limit ({@code max_concurrency} in the {@code
 * .proto}, or {@code CourierServer.Builder.maxConcurrency}) refuses calls beyond it at once with
 * {@code RESOURCE_EXHAUSTED}, before running them. A request larger than {@code
 * CourierServer.Builder.maxInboundMessageSize} (default 4 MiB) fails with {@code
 * RESOURCE_EXHAUSTED}; bytes that do not parse as the request message fail with {@code
 * INVALID_ARGUMENT} (the parse guard, below); an unknown method or service with {@code
 * UNIMPLEMENTED}. The {@code CallExecutor} runs methods on a bounded set of threads (virtual ones
 * on Java 21+) and refuses calls beyond its bound at once with {@code RESOURCE_EXHAUSTED}; {@code
 * ServerLimits} bounds what one connection may hold (calls, idle time, age, pings, resets, handshake
 * time, metadata), each also read from the configuration skeleton's {@code courier.server.} keys
 * ({@code ServerProperties}, through {@code CourierServer.Builder.configure}). None of these
 * affects other calls. grpc-java's transport logs a client's bad frames in one line each, without
 * the stack trace ({@code TransportLogFilter}; {@code CourierServer.Builder.condenseTransportLogs}).
 *
 * <p><b>Interceptors, guards and limits: the order.</b> An incoming call of an added service
 * passes, from the outside in:
 * <ol>
 *   <li>the request parse guard, outermost: a request whose bytes do not parse is refused with
 *       {@code INVALID_ARGUMENT} there, so no interceptor ever sees a broken ({@code null})
 *       message; interceptors that already saw the call start learn of it through {@code
 *       onCancel};
 *   <li>the call executor's bound ({@code BoundedCalls}): a call beyond it is refused with {@code
 *       RESOURCE_EXHAUSTED} on the network thread; an admitted call's events run, from here in, on
 *       the call executor, one at a time, in the call's {@code Context};
 *   <li>the call context and access rules ({@code dev.courier.runtime.context.CallContextInterceptor}):
 *       the call gets its {@code CallContext}, the {@code CourierServer.Builder.authenticator} runs,
 *       and the method's {@code allow} rules refuse with {@code UNAUTHENTICATED} or {@code
 *       PERMISSION_DENIED} before anything further in;
 *   <li>the server's interceptors ({@code CourierServer.Builder.intercept(ServerInterceptor...)}), in
 *       the order given: the first sees each call first;
 *   <li>the service's own interceptors ({@code intercept(String, ServerInterceptor...)},
 *       {@code addService(ServerServiceDefinition, ServerInterceptor...)}), in the order given;
 *   <li>the method's concurrency limit: so an interceptor that refuses a call (authentication,
 *       say) does not take a slot, and an interceptor sees the calls the limit sheds, closed with
 *       {@code RESOURCE_EXHAUSTED};
 *   <li>the implementation, in the call's gRPC {@code Context} as the interceptors left it.
 * </ol>
 * The standard services (health, reflection) sit behind the same parse guard, bound and server's
 * interceptors, as with grpc's {@code ServerBuilder.intercept}: an interceptor that must leave
 * them open lets their service names ({@code grpc.health.v1.Health}, {@code
 * grpc.reflection.v1.ServerReflection}, {@code grpc.reflection.v1alpha.ServerReflection}) through,
 * or is installed per service instead. An interceptor that closes the call in {@code
 * interceptCall} stops it there: nothing further in runs, and its status reaches the client.
 */
package dev.courier.runtime.server;
