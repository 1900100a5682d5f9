/**
 * Discovery: {@link dev.courier.runtime.discovery.Endpoint}, the
 * {@link dev.courier.runtime.discovery.EndpointSource} SPI through which a client learns its
 * endpoint set (a static list by default), and the
 * {@link dev.courier.runtime.discovery.ServiceRegistry} SPI through which a server announces itself
 * ({@link dev.courier.runtime.server.CourierServer.Builder#registerIn}).
 *
 * <p>Registries are artifacts of their own, each bringing its client library: {@code
 * courier-zookeeper} (package {@code discovery.zookeeper}, Apache Curator service discovery) and
 * {@code courier-consul} ({@code discovery.consul}, Consul's health API through kiwiproject
 * consul-client). Each registers a {@link dev.courier.runtime.discovery.DiscoveryProvider} through
 * {@code ServiceLoader}, so {@link dev.courier.runtime.discovery.Discovery#fromUri} finds it by
 * scheme; this package names none of them.
 */
package dev.courier.runtime.discovery;
