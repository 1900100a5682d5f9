/**
 * ZooKeeper discovery through Apache Curator's service discovery ({@code curator-x-discovery}),
 * artifact {@code courier-zookeeper}, which brings Curator; found by the core through {@link
 * dev.courier.runtime.discovery.zookeeper.ZooKeeperDiscoveryProvider} ({@code zookeeper://} URIs).
 *
 * <p>{@link dev.courier.runtime.discovery.zookeeper.ZooKeeperDiscovery} owns the session and wires
 * the rest, one job each: its builder freezes a {@code ZooKeeperSettings}; {@code CuratorClients}
 * builds the Curator client (with {@code digest} credentials and creator-only ACLs); {@code
 * ZooKeeperRegistration} is one server's ephemeral node; {@code ZooKeeperEndpointSource} gives
 * clients an {@link dev.courier.runtime.discovery.EndpointSource} that watches a service's
 * instances; {@code ReachabilityLog} logs an outage and the recovery once each; {@link
 * dev.courier.runtime.discovery.zookeeper.InstancePayload} is the JSON payload of an instance.
 */
package dev.courier.runtime.discovery.zookeeper;
