package dev.courier.runtime.observe;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The lines one logger writes through {@code System.Logger}, which the JDK backs with {@code
 * java.util.logging} when no other backend is installed: {@code "LEVEL message"} each, for tests.
 * Closing it stops capturing.
 */
public final class LogCapture extends Handler implements AutoCloseable {
  public final List<String> lines = new CopyOnWriteArrayList<>();
  private final Logger logger;

  public LogCapture(String loggerName) {
    logger = Logger.getLogger(loggerName);
    logger.addHandler(this);
  }

  @Override
  public void publish(LogRecord record) {
    lines.add(record.getLevel() + " " + record.getMessage());
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
