package dev.courier.runtime.discovery.zookeeper;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.imps.DefaultACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;

/**
 * Builds the Curator client of a {@link ZooKeeperDiscovery} from its settings: timeouts, retry
 * policy and, with credentials, {@code digest} authentication with nodes only their creator may
 * read and write. Stateless.
 */
final class CuratorClients {
  private CuratorClients() {}

  /** A client not yet started. */
  static CuratorFramework create(ZooKeeperSettings settings) {
    CuratorFrameworkFactory.Builder curator = CuratorFrameworkFactory.builder()
        .connectString(settings.connectString())
        .sessionTimeoutMs(Math.toIntExact(settings.sessionTimeout().toMillis()))
        .connectionTimeoutMs(Math.toIntExact(settings.connectionTimeout().toMillis()))
        .retryPolicy(settings.retryPolicy());
    if (settings.authenticated()) {
      byte[] auth = (settings.user() + ":" + settings.password()).getBytes(StandardCharsets.UTF_8);
      curator.authorization("digest", auth).aclProvider(new CreatorOnlyAcl());
    }
    return curator.build();
  }

  /** Every node this discovery creates: readable and writable only with the same credentials. */
  private static final class CreatorOnlyAcl extends DefaultACLProvider {
    @Override
    public List<ACL> getDefaultAcl() {
      return ZooDefs.Ids.CREATOR_ALL_ACL;
    }

    @Override
    public List<ACL> getAclForPath(String path) {
      return ZooDefs.Ids.CREATOR_ALL_ACL;
    }
  }
}
