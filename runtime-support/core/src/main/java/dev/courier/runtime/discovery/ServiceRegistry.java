package dev.courier.runtime.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a server announces itself so that clients following the same registry find it: the
 * registration side of discovery ({@link EndpointSource} is the watching side).
 *
 * <p>{@link dev.courier.runtime.server.CourierServer.Builder#registerIn} registers every service a
 * server serves when it starts and closes the registrations when it shuts down, before draining.
 * Implementations are thread-safe.
 */
public interface ServiceRegistry {
  /**
   * One service instance announced in a registry. Closing it deregisters the instance; closing
   * again does nothing. Thread-safe.
   */
  interface Registration extends AutoCloseable {
    /** Deregisters; failures are logged, not thrown, so shutdown goes on. */
    @Override
    void close();
  }

  /**
   * Announces that {@code endpoint} serves {@code serviceName} (the full gRPC service name, such
   * as {@code bookstore.Catalog}) until the returned registration is closed or the process dies.
   *
   * @throws RegistrationException when the registry refuses or cannot be reached
   */
  Registration register(String serviceName, Endpoint endpoint);

  /**
   * Registers {@code endpoint} under each of {@code serviceNames}; when one fails, the ones
   * already made are closed and the failure is thrown. The returned registration closes all of
   * them, in reverse order.
   */
  default Registration registerAll(List<String> serviceNames, Endpoint endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    List<Registration> done = new ArrayList<>();
    try {
      for (String name : List.copyOf(serviceNames)) {
        done.add(register(name, endpoint));
      }
    } catch (RuntimeException e) {
      closeAll(done);
      throw e;
    }
    return new Registration() {
      private boolean closed;

      @Override
      public synchronized void close() {
        if (!closed) {
          closed = true;
          closeAll(done);
        }
      }
    };
  }

  private static void closeAll(List<Registration> registrations) {
    for (int i = registrations.size() - 1; i >= 0; i--) {
      registrations.get(i).close();
    }
  }
}
