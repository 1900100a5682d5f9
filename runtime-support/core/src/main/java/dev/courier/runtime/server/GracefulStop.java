package dev.courier.runtime.server;

import dev.courier.runtime.discovery.ServiceRegistry;
import io.grpc.Server;
import io.grpc.protobuf.services.HealthStatusManager;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How a {@link CourierServer} stops, in this order: it leaves the registry (so clients stop picking
 * it), its health service answers {@code NOT_SERVING}, then it drains in-flight calls within the
 * grace period and cancels what is left. Thread-safe; each step runs once however often it is
 * asked.
 */
final class GracefulStop {
  private final Server server;
  private final Duration gracePeriod;
  private final ServiceRegistry.Registration registration; // null when not registered
  private final HealthStatusManager health; // null without standard services
  private final Runnable afterTermination;
  private final AtomicBoolean healthTerminated = new AtomicBoolean();
  private volatile ShutdownHook hook = ShutdownHook.NONE;

  /** {@code afterTermination} runs once the server has stopped (or given up waiting): it stops the call threads. */
  GracefulStop(Server server, Duration gracePeriod, ServiceRegistry.Registration registration,
      HealthStatusManager health, Runnable afterTermination) {
    this.server = server;
    this.afterTermination = afterTermination;
    this.gracePeriod = gracePeriod;
    this.registration = registration;
    this.health = health;
  }

  /**
   * Installs a JVM shutdown hook, on a thread named {@code name}, that runs {@link #graceful()};
   * {@link #now()} and {@code graceful()} called otherwise remove it.
   */
  void drainOnShutdown(String name) {
    hook = ShutdownHook.install(this::graceful, name);
  }

  /** Deregisters, reports {@code NOT_SERVING}, and cancels every call in flight. */
  void now() {
    hook.remove();
    deregister();
    enterTerminalHealth();
    server.shutdownNow();
    afterTermination.run();
  }

  /** Deregisters, reports {@code NOT_SERVING}, drains within the grace period, then cancels the rest. */
  void graceful() {
    hook.remove();
    deregister();
    // Health checks answer NOT_SERVING while in-flight calls drain.
    enterTerminalHealth();
    server.shutdown();
    try {
      if (!server.awaitTermination(gracePeriod.toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      afterTermination.run();
    }
  }

  /** Once only: grpc's health manager warns when told twice. */
  private void enterTerminalHealth() {
    if (health != null && healthTerminated.compareAndSet(false, true)) {
      health.enterTerminalState();
    }
  }

  private void deregister() {
    if (registration != null) {
      registration.close();
    }
  }
}
