/**
 * Discovery: {@link dev.courier.runtime.discovery.Endpoint}, the
 * {@link dev.courier.runtime.discovery.EndpointSource} SPI through which a client learns its
 * endpoint set (a static list by default), and the
 * {@link dev.courier.runtime.discovery.ServiceRegistry} SPI through which a server announces itself
 * ({@link dev.courier.runtime.server.CourierServer.Builder#registerIn}).
 *
 * <p>Registries: {@code discovery.zookeeper} (Apache Curator service discovery) and {@code
 * discovery.consul} (Consul's health API through kiwiproject consul-client). Their client libraries
 * are optional dependencies of courier-runtime.
 */
package dev.courier.runtime.discovery;
