/**
 * Consul discovery through {@code org.kiwiproject:consul-client}:
 * {@link dev.courier.runtime.discovery.consul.ConsulDiscovery} registers servers with the local
 * agent (TTL heartbeat or gRPC health check) and gives clients an {@link
 * dev.courier.runtime.discovery.EndpointSource} that follows the passing instances of a service
 * with blocking queries on the health API.
 *
 * <p>Needs {@code org.kiwiproject:consul-client} on the class path (an optional dependency of
 * courier-runtime).
 */
package dev.courier.runtime.discovery.consul;
