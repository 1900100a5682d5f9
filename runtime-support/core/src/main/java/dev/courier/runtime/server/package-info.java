/**
 * Server side: {@link dev.courier.runtime.server.ServiceBindings} adapts a user's implementation to
 * grpc server calls; {@link dev.courier.runtime.server.CourierServer} starts and stops a server.
 *
 * <p>{@code CourierServer.Builder} collects the settings and freezes them into a {@code
 * ServerConfig}; {@code ServerLauncher} binds the server with every service behind the same layers
 * ({@code RequestParseGuard}, the server's and the service's interceptors, {@code
 * ConcurrencyLimit}; the order is on {@link dev.courier.runtime.server.CourierServer}), adds health
 * and reflection behind the guard and the server's interceptors, and registers
 * it in discovery last. Everything but the builder, the server and the bindings is package-private.
 */
package dev.courier.runtime.server;
