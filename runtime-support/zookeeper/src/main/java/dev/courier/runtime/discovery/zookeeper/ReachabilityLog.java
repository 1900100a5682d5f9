package dev.courier.runtime.discovery.zookeeper;

import dev.courier.runtime.observe.TraceLog;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;

/**
 * Logs once when ZooKeeper stops answering and once when it answers again, however many
 * connection states Curator reports in between. Thread-safe.
 */
final class ReachabilityLog implements ConnectionStateListener {
  // The discovery's logger, as before the split: one name to configure for all of ZooKeeper discovery.
  private static final System.Logger LOG = System.getLogger(ZooKeeperDiscovery.class.getName());

  private final Object discovery;
  private final AtomicBoolean reachable = new AtomicBoolean(true);

  /** Logs about {@code discovery}, by its {@code toString()}. */
  ReachabilityLog(Object discovery) {
    this.discovery = discovery;
  }

  @Override
  public void stateChanged(CuratorFramework client, ConnectionState state) {
    if (!state.isConnected() && reachable.compareAndSet(true, false)) {
      LOG.log(Level.WARNING, TraceLog.line(discovery + " is unreachable (" + state
          + "): clients keep their last known endpoints until it answers again"));
    } else if (state.isConnected() && reachable.compareAndSet(false, true)) {
      LOG.log(Level.INFO, "{0} answers again ({1})", discovery, state);
    }
  }
}
