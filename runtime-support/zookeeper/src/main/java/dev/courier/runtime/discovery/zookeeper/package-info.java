/**
 * ZooKeeper discovery through Apache Curator's service discovery ({@code curator-x-discovery}):
 * {@link dev.courier.runtime.discovery.zookeeper.ZooKeeperDiscovery} registers servers as
 * ephemeral nodes and gives clients an {@link dev.courier.runtime.discovery.EndpointSource} that
 * watches a service's instances.
 *
 * <p>Needs {@code org.apache.curator:curator-x-discovery} on the class path (an optional dependency
 * of courier-runtime).
 */
package dev.courier.runtime.discovery.zookeeper;
