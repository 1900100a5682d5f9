package dev.courier.runtime.server;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Every java.util.logging record (grpc-java's and, through {@code System.Logger}, Courier's) logged
 * while it is open, {@code FINE} and above; closing it restores the levels.
 */
final class LogCapture implements AutoCloseable {
  private static final String COURIER = CourierServer.class.getName();

  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Logger root = Logger.getLogger("");
  private final Logger courier = Logger.getLogger(COURIER);
  private final Level courierLevel = courier.getLevel();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
      synchronized (records) {
        records.notifyAll();
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  LogCapture() {
    handler.setLevel(Level.ALL);
    courier.setLevel(Level.FINE); // the parse guard's refusals are logged at DEBUG
    root.addHandler(handler);
  }

  List<LogRecord> records() {
    return List.copyOf(records);
  }

  /** The records of {@code CourierServer}'s logger whose message contains {@code text}. */
  List<LogRecord> courierLines(String text) {
    return records.stream()
        .filter(r -> COURIER.equals(r.getLoggerName()) && String.valueOf(r.getMessage()).contains(text))
        .toList();
  }

  /**
   * The records a default {@code java.util.logging} set-up prints ({@code INFO} and above, the
   * console handler's level), with Courier's {@code FINE} refusal lines, which are what this
   * capture turned on.
   */
  List<LogRecord> lines() {
    return records.stream()
        .filter(r -> r.getLevel().intValue() >= Level.INFO.intValue() || COURIER.equals(r.getLoggerName()))
        .toList();
  }

  /** The records' levels, loggers and messages, counted: {@code [800 × WARNING NettyServerHandler: Stream Error: ...]}. */
  static String summary(List<LogRecord> records) {
    Map<String, Long> counted = new TreeMap<>();
    for (LogRecord r : records) {
      String logger = r.getLoggerName() == null ? "" : r.getLoggerName().substring(r.getLoggerName().lastIndexOf('.') + 1);
      String message = String.valueOf(r.getMessage()).replaceAll("\\d+", "N");
      counted.merge(r.getLevel() + " " + logger + ": " + (message.length() > 90 ? message.substring(0, 90) + "..." : message),
          1L, Long::sum);
    }
    return counted.entrySet().stream().map(e -> e.getValue() + " x " + e.getKey()).toList().toString();
  }

  /**
   * Waits until a record {@code matching} has been logged, at most {@code timeout}: for what grpc
   * logs on its own thread after the client has seen its answer (a connection's close, say).
   */
  boolean await(Predicate<LogRecord> matching, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (records) {
      while (records.stream().noneMatch(matching)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(records, left);
      }
    }
    return true;
  }

  /** The records that carry a stack trace. */
  List<LogRecord> withStackTraces() {
    return records.stream().filter(r -> r.getThrown() != null).toList();
  }

  @Override
  public void close() {
    root.removeHandler(handler);
    courier.setLevel(courierLevel);
  }
}
