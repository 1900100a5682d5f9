package dev.courier.runtime.queue.memory;

import dev.courier.runtime.queue.QueueDelivery;
import dev.courier.runtime.queue.QueueMessage;
import dev.courier.runtime.queue.QueueSubscription;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A worker's subscription to in-memory queues: one daemon thread per queue takes messages while
 * fewer than {@code maxInFlight} are unfinished. Thread-safe.
 */
final class MemorySubscription implements QueueSubscription {
  private static final System.Logger LOG = System.getLogger(MemorySubscription.class.getName());

  private final Consumer<QueueDelivery> handler;
  private final Semaphore permits;
  private final Set<Delivery> inFlight = ConcurrentHashMap.newKeySet();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  MemorySubscription(Map<String, MemoryQueue> queues, int maxInFlight, Consumer<QueueDelivery> handler) {
    this.handler = handler;
    this.permits = new Semaphore(maxInFlight);
    queues.forEach((method, queue) -> {
      Thread t = new Thread(() -> run(method, queue), "courier-memory-queue-" + method);
      t.setDaemon(true);
      threads.add(t);
    });
    threads.forEach(Thread::start);
  }

  private void run(String method, MemoryQueue queue) {
    try {
      while (running) {
        permits.acquire();
        QueueMessage message = queue.take(100);
        if (message == null || !running) {
          if (message != null) {
            queue.requeue(message);
          }
          permits.release();
          continue;
        }
        Delivery delivery = new Delivery(method, queue, message);
        inFlight.add(delivery);
        try {
          handler.accept(delivery);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "worker refused a delivery of " + method + "; it is delivered again", e);
          delivery.giveBack();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close(Duration timeout) {
    stopThreads();
    long end = System.nanoTime() + timeout.toNanos();
    while (!inFlight.isEmpty() && System.nanoTime() < end) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    giveBackAll();
  }

  @Override
  public void abort() {
    stopThreads();
    giveBackAll();
  }

  private void stopThreads() {
    running = false;
    for (Thread t : threads) {
      t.interrupt();
    }
    for (Thread t : threads) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void giveBackAll() {
    for (Delivery d : inFlight) {
      d.giveBack();
    }
  }

  /** One message handed to the worker; acknowledged or given back exactly once. */
  private final class Delivery implements QueueDelivery {
    private final String method;
    private final MemoryQueue queue;
    private final QueueMessage message;
    private final AtomicBoolean settled = new AtomicBoolean();

    Delivery(String method, MemoryQueue queue, QueueMessage message) {
      this.method = method;
      this.queue = queue;
      this.message = message;
    }

    @Override
    public String method() {
      return method;
    }

    @Override
    public QueueMessage message() {
      return message;
    }

    @Override
    public void complete() {
      if (settled.compareAndSet(false, true)) {
        queue.acknowledge();
        release();
      }
    }

    void giveBack() {
      if (settled.compareAndSet(false, true)) {
        queue.requeue(message);
        release();
      }
    }

    private void release() {
      inFlight.remove(this);
      permits.release();
    }
  }
}
