/**
 * Consul discovery through {@code org.kiwiproject:consul-client}, artifact {@code courier-consul},
 * which brings that client; found by the core through {@link
 * dev.courier.runtime.discovery.consul.ConsulDiscoveryProvider} ({@code consul://} URIs).
 *
 * <p>{@link dev.courier.runtime.discovery.consul.ConsulDiscovery} owns the HTTP client and the
 * heartbeat thread; its builder freezes a {@code ConsulSettings}. {@code ConsulRegistration}
 * registers one server with the local agent (TTL heartbeat or gRPC health check) and deregisters
 * it; {@code ConsulEndpointSource} gives clients an {@link
 * dev.courier.runtime.discovery.EndpointSource} that follows the passing instances of a service
 * with blocking queries on the health API.
 */
package dev.courier.runtime.discovery.consul;
