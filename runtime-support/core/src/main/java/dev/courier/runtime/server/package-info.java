/**
 * Server side: {@link dev.courier.runtime.server.ServiceBindings} adapts a user's implementation to
 * grpc server calls; {@link dev.courier.runtime.server.CourierServer} starts and stops a server.
 *
 * <p>{@code CourierServer.Builder} collects the settings and freezes them into a {@code
 * ServerConfig}; {@code ServerLauncher} binds the server with every service behind the same guards
 * ({@code RequestParseGuard}, {@code ConcurrencyLimit}), adds health and reflection, and registers
 * it in discovery last. Everything but the builder, the server and the bindings is package-private.
 */
package dev.courier.runtime.server;
