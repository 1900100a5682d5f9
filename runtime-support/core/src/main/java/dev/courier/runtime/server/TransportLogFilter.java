package dev.courier.runtime.server;

import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Exception;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps grpc-java's server transport log to one line per bad input from a client. grpc-java logs
 * a stack trace for each bad frame a client sends (a refused stream, a bad gRPC frame header,
 * oversized metadata, a malformed {@code grpc-timeout}), so one client can fill a log with them.
 * Installed by {@link CourierServer} on three of grpc-netty-shaded's {@code java.util.logging}
 * loggers ({@link #LOGGERS}), it rewrites each record whose exception comes from the client's
 * input into one line: the message, then each exception's class and message, no stack trace.
 * The level stays, so nothing disappears at the level it had; but grpc's {@code "Exception in
 * on...Read()"} record, which is always followed by a {@code "Stream Error"} record that repeats
 * its cause, goes down to {@code FINE}, so that a refused call logs one line, not two.
 *
 * <p>An exception comes from the client's input when every exception in its cause chain is one
 * of: Netty's {@link Http2Exception} (a protocol or stream error of the peer's), grpc's {@link
 * StatusRuntimeException} or {@link StatusException} (the deframer's verdict on the bytes), or a
 * {@link NumberFormatException} (a header value that is not a number). Any other exception in the
 * chain (a {@code NullPointerException}, an {@code Error}) may be a bug, and its record keeps its
 * stack trace. A filter the application had set on these loggers still decides after this one.
 * JVM-wide, installed once by the first server that starts with it on, never removed.
 */
final class TransportLogFilter implements Filter {
  private static final String NETTY = NettyServerBuilder.class.getPackageName();
  /** grpc-netty-shaded's loggers that log a client's bad input with a stack trace. */
  static final List<String> LOGGERS = List.of(NETTY + ".NettyServerHandler", NETTY + ".NettyServerStream",
      NETTY + ".NettyServerTransport.connections");
  /** Holds the loggers: java.util.logging holds them weakly, and a collected one would lose its filter. */
  private static final List<Logger> INSTALLED = new ArrayList<>();

  private final Filter next;

  private TransportLogFilter(Filter next) {
    this.next = next;
  }

  /** Puts the filter on {@link #LOGGERS}, before any filter they had; once per JVM. */
  static synchronized void install() {
    if (!INSTALLED.isEmpty()) {
      return;
    }
    for (String name : LOGGERS) {
      Logger logger = Logger.getLogger(name);
      logger.setFilter(new TransportLogFilter(logger.getFilter()));
      INSTALLED.add(logger);
    }
  }

  @Override
  public boolean isLoggable(LogRecord record) {
    Throwable thrown = record.getThrown();
    if (thrown != null && fromClientInput(thrown)) {
      String message = record.getMessage();
      if (message != null && message.startsWith("Exception in on") && message.endsWith("Read()")) {
        record.setLevel(Level.FINE); // the "Stream Error" line that follows says the same
      }
      record.setMessage(oneLine(message, thrown));
      record.setThrown(null);
    }
    return next == null || next.isLoggable(record);
  }

  /** Whether every exception in {@code thrown}'s cause chain is one a client's input causes. */
  static boolean fromClientInput(Throwable thrown) {
    int depth = 0;
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      boolean clientInput = t instanceof Http2Exception || t instanceof StatusRuntimeException
          || t instanceof StatusException || t instanceof NumberFormatException;
      if (!clientInput || ++depth > 10) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code message: Class: its message <- CauseClass: its message}, with the classes' simple
   * names (a nested class after its outer class, as in {@code Http2Exception$StreamException}).
   */
  static String oneLine(String message, Throwable thrown) {
    StringBuilder line = new StringBuilder(message == null ? "" : message).append(": ");
    String separator = "";
    int depth = 0;
    for (Throwable t = thrown; t != null && depth++ < 10; t = t.getCause()) {
      String name = t.getClass().getName();
      line.append(separator).append(name.substring(name.lastIndexOf('.') + 1));
      if (t.getMessage() != null) {
        line.append(": ").append(t.getMessage().replace('\n', ' '));
      }
      separator = " <- ";
    }
    return line.append(" (a client's bad input; stack trace left out by Courier)").toString();
  }
}
