package dev.courier.runtime.server;

import static dev.courier.runtime.internal.Checks.atLeastOne;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a {@link CourierServer} runs its service methods, which may block: on threads of their
 * own, at most {@link #maxCalls()} calls at a time for the whole server. A call beyond that is
 * refused at once with {@code RESOURCE_EXHAUSTED}, on the network thread, before any interceptor
 * or method sees it; never queued, never a thread of its own. A call holds its place from its
 * start until it is answered (or cancelled), so an open streaming call holds one too, though it
 * holds a thread only while a method of it runs.
 *
 * <p>{@link #defaults()}: virtual threads on Java 21 and newer, at most {@value
 * #DEFAULT_MAX_VIRTUAL_CALLS} calls; on Java 17 to 20, at most {@value #DEFAULT_MAX_PLATFORM_CALLS}
 * platform threads (Tomcat's default). What virtual threads change is in {@code docs/server.md}.
 * Immutable; each server makes its own threads from it at start and stops them when it stops.
 */
public final class CallExecutor {
  /** Calls at once on virtual threads by default. */
  public static final int DEFAULT_MAX_VIRTUAL_CALLS = 10_000;
  /** Calls at once (and so threads) on platform threads by default. */
  public static final int DEFAULT_MAX_PLATFORM_CALLS = 200;

  private final boolean virtual;
  private final int maxCalls;

  private CallExecutor(boolean virtual, int maxCalls) {
    this.virtual = virtual;
    this.maxCalls = atLeastOne("maxCalls", maxCalls);
  }

  /** Virtual threads when this JVM has them (Java 21+), platform threads otherwise; see the class comment. */
  public static CallExecutor defaults() {
    return VirtualThreads.AVAILABLE ? new CallExecutor(true, DEFAULT_MAX_VIRTUAL_CALLS)
        : new CallExecutor(false, DEFAULT_MAX_PLATFORM_CALLS);
  }

  /**
   * At most {@code maxCalls} calls at once, each method on a virtual thread of its own.
   *
   * @throws IllegalStateException before Java 21
   */
  public static CallExecutor virtualThreads(int maxCalls) {
    if (!VirtualThreads.AVAILABLE) {
      throw new IllegalStateException("virtualThreads: this JVM is Java " + Runtime.version().feature()
          + " (expected: Java 21 or newer, or CallExecutor.platformThreads(n))");
    }
    return new CallExecutor(true, maxCalls);
  }

  /** At most {@code maxCalls} calls at once, on at most {@code maxCalls} pooled platform threads. */
  public static CallExecutor platformThreads(int maxCalls) {
    return new CallExecutor(false, maxCalls);
  }

  /** The same kind of threads, at most {@code maxCalls} calls at once. */
  public CallExecutor withMaxCalls(int maxCalls) {
    return new CallExecutor(virtual, maxCalls);
  }

  /** Whether methods run on virtual threads. */
  public boolean virtual() {
    return virtual;
  }

  /** How many calls may run at once on the whole server. */
  public int maxCalls() {
    return maxCalls;
  }

  /** A new executor of this kind for one server; its threads are named {@code courier-call-N}. */
  ExecutorService start() {
    if (virtual) {
      return VirtualThreads.perTaskExecutor("courier-call-");
    }
    AtomicInteger number = new AtomicInteger();
    ThreadFactory factory = task -> {
      Thread thread = new Thread(task, "courier-call-" + number.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
    // At most maxCalls tasks are ever runnable at once (one per admitted call), so the queue holds
    // only the moment between one call's end and the next call's start.
    ThreadPoolExecutor pool = new ThreadPoolExecutor(maxCalls, maxCalls, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), factory);
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  @Override
  public String toString() {
    return (virtual ? "virtualThreads(" : "platformThreads(") + maxCalls + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CallExecutor other && other.virtual == virtual && other.maxCalls == maxCalls;
  }

  @Override
  public int hashCode() {
    return Boolean.hashCode(virtual) * 31 + maxCalls;
  }

  /** Java 21's virtual threads, found at run time so that the library still compiles for Java 17. */
  private static final class VirtualThreads {
    static final boolean AVAILABLE = Runtime.version().feature() >= 21;

    static ExecutorService perTaskExecutor(String prefix) {
      try {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
        builder = ofVirtual.getMethod("name", String.class, long.class).invoke(builder, prefix, 0L);
        ThreadFactory factory = (ThreadFactory) Class.forName("java.lang.Thread$Builder")
            .getMethod("factory").invoke(builder);
        return (ExecutorService) Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class)
            .invoke(null, factory);
      } catch (ReflectiveOperationException e) {
        Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
        throw new IllegalStateException("virtual threads: cannot create them on Java "
            + Runtime.version().feature() + ": " + cause, cause);
      }
    }
  }
}
