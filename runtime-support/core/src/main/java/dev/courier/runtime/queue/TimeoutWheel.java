package dev.courier.runtime.queue;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Call timeouts on a hashed timing wheel, run by one daemon thread: a timeout fires on the first
 * tick at or after its deadline (never before it, at most about one tick after it).
 *
 * <p>Why not a {@code ScheduledThreadPoolExecutor}: a queue call schedules a timeout and, almost
 * always, cancels it a few milliseconds later. The executor keeps its tasks in a heap behind one
 * lock and does both under it; on the queue benchmark that cost about 6% of the throughput with one
 * call outstanding. Here {@link #schedule} is one lock-free push (onto a stack linked through the
 * entries themselves, so no queue node per timeout) and {@link Timeout#cancel} one volatile write; the wheel thread files new timeouts into buckets and drops cancelled ones when
 * it passes their bucket, which it does at least once a revolution ({@code ticks x tick}), so a
 * cancelled timeout is held no longer than that. The thread ticks only while timeouts are held and
 * sleeps otherwise.
 *
 * <p>Tasks run on the wheel thread and must be quick. Thread-safe.
 *
 * <p>For tests, {@link #manual} makes a wheel with no thread that reads time from a given ticker:
 * the test moves the ticker and calls {@link #runDueTicks()}, so what runs when is exact.
 */
final class TimeoutWheel implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(TimeoutWheel.class.getName());

  /** A scheduled task; {@link #cancel()} keeps it from running. */
  interface Timeout {
    /** Keeps the task from running if it has not started; idempotent, from any thread. */
    void cancel();
  }

  private final long tickNanos;
  private final Entry[] buckets;
  private final int mask;
  private final LongSupplier ticker;
  private final long startNanos;
  /** Timeouts scheduled and not yet filed: a stack through {@link Entry#next}, pushed by any thread. */
  private volatile Entry incoming;
  private final Thread thread; // null for a manual wheel
  private volatile boolean sleeping;
  private volatile boolean closed;
  /**
   * The next tick to run (wheel thread only, or the caller of {@link #runDueTicks()}); tick {@code
   * k} runs at {@code startNanos + k * tickNanos}.
   */
  private long tick;
  /** Entries in the buckets (wheel thread only). */
  private int held;

  /**
   * A wheel of {@code ticks} buckets (a power of two) each {@code tick} long, on a daemon thread
   * named {@code threadName}.
   */
  TimeoutWheel(String threadName, long tick, TimeUnit unit, int ticks) {
    this(System::nanoTime, tick, unit, ticks, threadName);
  }

  /**
   * A wheel without a thread, for tests: time is {@code ticker} (nanoseconds, like {@link
   * System#nanoTime}), and timeouts run only in {@link #runDueTicks()}, on the caller's thread.
   */
  static TimeoutWheel manual(LongSupplier ticker, long tick, TimeUnit unit, int ticks) {
    return new TimeoutWheel(ticker, tick, unit, ticks, null);
  }

  private TimeoutWheel(LongSupplier ticker, long tick, TimeUnit unit, int ticks, String threadName) {
    if (tick <= 0 || ticks <= 0 || Integer.bitCount(ticks) != 1) {
      throw new IllegalArgumentException(
          String.format("tick %s %s, ticks %s (expected: tick > 0, ticks a power of two)", tick, unit, ticks));
    }
    this.ticker = ticker;
    this.startNanos = ticker.getAsLong();
    this.tickNanos = unit.toNanos(tick);
    this.buckets = new Entry[ticks];
    this.mask = ticks - 1;
    if (threadName == null) {
      this.thread = null;
      return;
    }
    this.thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /** Runs {@code task} on the wheel thread once {@code delay} has passed, unless cancelled first. */
  Timeout schedule(Runnable task, long delay, TimeUnit unit) {
    Entry entry = new Entry();
    schedule(entry, task, delay, unit);
    return entry;
  }

  /**
   * Schedules {@code entry}, new and scheduled only this once, to run {@code task}: for a timeout
   * that is an object of its own ({@link WheelScheduler}'s futures), so that it needs no second
   * one.
   */
  void schedule(Entry entry, Runnable task, long delay, TimeUnit unit) {
    // Kept as time since the wheel started, so that a delay of years cannot overflow.
    entry.dueNanos = ticker.getAsLong() - startNanos + Math.min(unit.toNanos(Math.max(0, delay)), Long.MAX_VALUE / 2);
    entry.task = task;
    Entry head;
    do {
      head = incoming;
      entry.next = head;
    } while (!INCOMING.compareAndSet(this, head, entry));
    if (sleeping && thread != null) {
      LockSupport.unpark(thread);
    }
  }

  /** How long until {@code entry}, scheduled on this wheel, is due, by the wheel's clock; negative once past. */
  long nanosUntil(Entry entry) {
    return entry.dueNanos - (ticker.getAsLong() - startNanos);
  }

  /** Stops the wheel thread; timeouts not yet run never run. Idempotent. */
  @Override
  public void close() {
    closed = true;
    if (thread == null) {
      return;
    }
    LockSupport.unpark(thread);
    if (Thread.currentThread() != thread) {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * A manual wheel's tick: files the timeouts scheduled so far and runs, on this thread, every
   * tick due by the ticker's time. Does nothing once closed.
   *
   * @throws IllegalStateException on a wheel with its own thread
   */
  void runDueTicks() {
    if (thread != null) {
      throw new IllegalStateException("runDueTicks: a wheel with a thread (expected: a manual wheel)");
    }
    if (closed) {
      return;
    }
    if (held == 0) {
      catchUp();
    }
    runDue();
  }

  /** Whether the wheel thread is parked with nothing to run, waiting for {@link #schedule}. */
  boolean idle() {
    return sleeping;
  }

  private void run() {
    while (!closed) {
      long wait = runDue();
      if (wait < 0) {
        sleepUntilScheduled();
      } else {
        LockSupport.parkNanos(this, wait);
      }
    }
  }

  /**
   * Files new timeouts and runs every tick due by now; returns the nanoseconds until the next
   * tick, or -1 when nothing is held.
   */
  private long runDue() {
    fileIncoming();
    while (held > 0 && !closed) {
      long wait = startNanos + tick * tickNanos - ticker.getAsLong();
      if (wait > 0) {
        return wait;
      }
      runBucket(buckets[(int) (tick & mask)], (int) (tick & mask));
      tick++;
      fileIncoming();
    }
    return -1;
  }

  /** Parks until {@link #schedule} adds an entry; then catches the tick up with the clock. */
  private void sleepUntilScheduled() {
    sleeping = true;
    // Checked after announcing the sleep: a schedule() that added before it sees `sleeping` and
    // unparks, one that added earlier is seen here.
    if (incoming == null && !closed) {
      LockSupport.park(this);
    }
    sleeping = false;
    catchUp();
  }

  /** No bucket holds anything, so the ticks slept through can be skipped. */
  private void catchUp() {
    tick = Math.max(tick, (ticker.getAsLong() - startNanos) / tickNanos);
  }

  private void fileIncoming() {
    Entry e = incoming == null ? null : (Entry) INCOMING.getAndSet(this, (Entry) null);
    while (e != null) {
      Entry taken = e;
      e = e.next;
      filed(taken);
    }
  }

  /** Files {@code e} into the bucket of its tick, or drops it if it was cancelled first. */
  private void filed(Entry e) {
    if (e.task == null) {
      e.next = null;
      return; // cancelled before it was filed
    }
    // The first tick at or after the deadline, and never one already run.
    long due = Math.max(tick, ceilDiv(e.dueNanos, tickNanos));
    e.rounds = (due - tick) / buckets.length;
    int index = (int) (due & mask);
    e.next = buckets[index];
    buckets[index] = e;
    held++;
  }


  /** Runs the due entries of one bucket, drops the cancelled ones, and keeps the rest a round more. */
  private void runBucket(Entry head, int index) {
    Entry kept = null;
    Entry e = head;
    while (e != null) {
      Entry next = e.next;
      Runnable task = e.task;
      if (task == null || e.rounds == 0) {
        held--;
        e.next = null;
        e.task = null;
        if (task != null) {
          try {
            task.run();
          } catch (RuntimeException | Error failure) {
            LOG.log(Level.WARNING, "a queue call timeout failed", failure);
          }
        }
      } else {
        e.rounds--;
        e.next = kept;
        kept = e;
      }
      e = next;
    }
    buckets[index] = kept;
  }

  private static long ceilDiv(long x, long y) {
    return x <= 0 ? 0 : -Math.floorDiv(-x, y);
  }

  private static final VarHandle INCOMING;

  static {
    try {
      INCOMING = MethodHandles.lookup().findVarHandle(TimeoutWheel.class, "incoming", Entry.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** A scheduled timeout; a subclass may add what its scheduler needs ({@link #schedule(Entry, Runnable, long, TimeUnit)}). */
  static class Entry implements Timeout {
    /** When it is due, in nanoseconds since the wheel started; set before it is pushed. */
    long dueNanos;
    /** The task, or {@code null} once cancelled or run. */
    volatile Runnable task;
    /** Wheel thread only: revolutions left before it is due. */
    long rounds;
    /** The next entry on the incoming stack and then, on the wheel thread, in its bucket. */
    Entry next;

    @Override
    public void cancel() {
      task = null;
    }
  }
}
