/**
 * Server side: {@link dev.courier.runtime.server.ServiceBindings} adapts a user's implementation to
 * grpc server calls; {@link dev.courier.runtime.server.CourierServer} starts and stops a server.
 */
package dev.courier.runtime.server;
