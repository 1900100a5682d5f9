package dev.courier.runtime.status;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Set;

/**
 * Whom the status page answers, decided from the caller's address and its {@code Host} header
 * alone: a loopback caller whose {@code Host} is a loopback name (so that a page elsewhere cannot
 * read it through DNS rebinding), and the configured addresses. When addresses are configured the
 * page is meant to be reached by other names, so a loopback caller's {@code Host} is not checked.
 * See {@link StatusPageConfig}. Immutable; pure.
 */
final class StatusPageAccess {
  private final Set<String> allowedAddresses;

  StatusPageAccess(Set<String> allowedAddresses) {
    this.allowedAddresses = Set.copyOf(allowedAddresses);
  }

  /** Whether a request from {@code remote} with {@code hostHeader} ({@code null} when absent) is answered. */
  boolean allows(InetAddress remote, String hostHeader) {
    if (allowedAddresses.contains(remote.getHostAddress())) {
      return true;
    }
    if (!remote.isLoopbackAddress()) {
      return false;
    }
    return !allowedAddresses.isEmpty() || loopbackHost(hostHeader);
  }

  /** Whether a {@code Host} header names this machine: {@code localhost}, {@code 127.x.y.z} or {@code [::1]}, with any port. */
  static boolean loopbackHost(String hostHeader) {
    if (hostHeader == null) {
      return true; // HTTP/1.0 without Host: not a browser on a rebinding page
    }
    String host = hostHeader.trim().toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      host = end < 0 ? host : host.substring(1, end);
    } else if (host.indexOf(':') >= 0) {
      host = host.substring(0, host.indexOf(':'));
    }
    return host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
  }
}
