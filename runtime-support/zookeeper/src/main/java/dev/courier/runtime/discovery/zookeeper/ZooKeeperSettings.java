package dev.courier.runtime.discovery.zookeeper;

import java.time.Duration;
import org.apache.curator.RetryPolicy;

/**
 * The settings of one {@link ZooKeeperDiscovery}, frozen by {@link ZooKeeperDiscovery.Builder#build()}.
 * Immutable; the defaults are documented on the builder. {@link #toString()} never shows the password.
 *
 * @param connectString the ZooKeeper servers, {@code host:port[,host:port...]}
 * @param basePath the parent node of every service
 * @param sessionTimeout how long ZooKeeper keeps a silent session alive
 * @param connectionTimeout how long one connection attempt may take
 * @param initialWait how long a subscription waits for the first answer
 * @param removalDelay how long a source holds back a set that lost endpoints
 * @param retryPolicy how Curator retries while ZooKeeper is unreachable
 * @param user the {@code digest} user, {@code null} for none
 * @param password the {@code digest} password, {@code null} for none
 */
record ZooKeeperSettings(
    String connectString,
    String basePath,
    Duration sessionTimeout,
    Duration connectionTimeout,
    Duration initialWait,
    Duration removalDelay,
    RetryPolicy retryPolicy,
    String user,
    String password) {

  boolean authenticated() {
    return user != null;
  }

  /** The servers and base path, {@code host:port,.../base/path}, as sources name them. */
  String location() {
    return connectString + basePath;
  }

  @Override
  public String toString() {
    return "zookeeper{" + location() + ", sessionTimeout=" + sessionTimeout
        + (authenticated() ? ", credentials=digest:****" : "") + "}";
  }
}
