package dev.courier.runtime.discovery;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/**
 * Chooses the host a server announces in a registry when it listens on every interface and no
 * host was configured. Stateless.
 */
public final class AdvertisedHost {
  private AdvertisedHost() {}

  /**
   * The host to announce for a server bound to {@code bindHost}: {@code bindHost} itself when it is
   * a specific address; otherwise the first IPv4 address of an interface that is up and not a
   * loopback; {@code 127.0.0.1} when there is none (a machine without network).
   */
  public static String forBindHost(String bindHost) {
    if (bindHost != null && !bindHost.isBlank() && !bindHost.equals("0.0.0.0") && !bindHost.equals("::")) {
      return bindHost;
    }
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback() || nic.isVirtual()) {
          continue;
        }
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
            return address.getHostAddress();
          }
        }
      }
    } catch (SocketException e) {
      // No interface list: fall back to loopback.
    }
    return "127.0.0.1";
  }
}
