package dev.courier.runtime.server;

/**
 * A JVM shutdown hook that stops a {@link CourierServer} gracefully when the JVM shuts down
 * (SIGTERM, SIGINT, {@code System.exit}), and waits for it, so the JVM exits only once the server
 * has drained; see {@link CourierServer.Builder#drainOnShutdown()}. Thread-safe.
 */
final class ShutdownHook {
  /** No hook: for a server built without {@code drainOnShutdown()}. */
  static final ShutdownHook NONE = new ShutdownHook(null);

  private final Thread thread; // null for NONE

  private ShutdownHook(Thread thread) {
    this.thread = thread;
  }

  /** Installs a hook that runs {@code gracefulStop} (and returns once it has) on the thread {@code name}. */
  static ShutdownHook install(Runnable gracefulStop, String name) {
    // Nothing is logged here: a logging backend first used during shutdown may fail to start
    // (JUL's LogManager adds a shutdown hook of its own) and end this thread before it drains.
    Thread thread = new Thread(gracefulStop, name);
    Runtime.getRuntime().addShutdownHook(thread);
    return new ShutdownHook(thread);
  }

  /**
   * Removes the hook, for a server stopped otherwise. Does nothing on the hook's own thread, when
   * the JVM is already shutting down (the hook runs anyway, and stopping a server twice is
   * harmless), or when the hook was removed before.
   */
  void remove() {
    if (thread == null || Thread.currentThread() == thread) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(thread);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: hooks can no longer be removed, and this one runs anyway.
    }
  }
}
