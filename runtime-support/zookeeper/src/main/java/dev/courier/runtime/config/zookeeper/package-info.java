/**
 * Live configuration in ZooKeeper: {@link dev.courier.runtime.config.zookeeper.ZooKeeperConfigSource}
 * follows one node holding properties text with Curator's {@code CuratorCache}, and {@code
 * zookeeper://host:port/path/of/node} finds it through {@link
 * dev.courier.runtime.config.Configs#fromUri}.
 */
package dev.courier.runtime.config.zookeeper;
