package dev.courier.runtime.status;

import dev.courier.runtime.internal.Checks;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Where the status page listens and whom it answers. By default it listens on {@code 127.0.0.1}
 * and answers only this machine: requests from other addresses get {@code 403}, and so do requests
 * whose {@code Host} is not a loopback name (a page elsewhere cannot read it through DNS
 * rebinding). {@link #allowing} opens it to more addresses (then the {@code Host} check is off);
 * {@link #onHost} binds another interface. Immutable.
 *
 * @param host the address to bind; {@code 127.0.0.1} by default
 * @param port the port; 0 picks a free one
 * @param allowedAddresses remote IP addresses answered besides loopback ones
 * @param refresh how often the page reloads itself; at least 1 s, 2 s by default
 */
public record StatusPageConfig(String host, int port, Set<String> allowedAddresses, Duration refresh) {
  /** The default refresh interval: 2 s. */
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(2);

  public StatusPageConfig {
    Objects.requireNonNull(host, "host");
    Checks.notBlank("host", host);
    Checks.between("port", port, 0, 65535);
    allowedAddresses = Set.copyOf(allowedAddresses);
    Objects.requireNonNull(refresh, "refresh");
    if (refresh.compareTo(Duration.ofSeconds(1)) < 0) {
      throw Checks.invalid("refresh", refresh, ">= 1s");
    }
  }

  /** The page on {@code 127.0.0.1:port}, for this machine only, refreshing every 2 s. */
  public static StatusPageConfig onPort(int port) {
    return new StatusPageConfig("127.0.0.1", port, Set.of(), DEFAULT_REFRESH);
  }

  /** A copy bound to {@code host} ({@code 0.0.0.0} for every interface). */
  public StatusPageConfig onHost(String host) {
    return new StatusPageConfig(host, port, allowedAddresses, refresh);
  }

  /** A copy that also answers requests from {@code addresses} (IP literals). */
  public StatusPageConfig allowing(String... addresses) {
    return new StatusPageConfig(host, port, Set.copyOf(Checks.noNulls("addresses", addresses)), refresh);
  }

  /** A copy that reloads every {@code refresh}. */
  public StatusPageConfig withRefresh(Duration refresh) {
    return new StatusPageConfig(host, port, allowedAddresses, refresh);
  }
}
