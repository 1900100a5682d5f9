package dev.courier.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each row of the bad-input table in {@code docs/server.md}, sent over a real socket with the raw
 * HTTP/2 client: what the client gets, whether the implementation ran, and what the server logged.
 * After each, an ordinary call still succeeds.
 */
class WireBadInputTest {
  private static final String CALL = "test.Svc/Call";
  private static final byte[] HELLO = StringValue.of("hello").toByteArray();

  private final AtomicInteger executions = new AtomicInteger();
  private CourierServer server;
  private RawHttp2Client client;

  /** What one bad request got. */
  record Outcome(RawHttp2Client.Answer answer, int executions, List<LogRecord> log) {
    /** The records a default logging set-up prints: INFO and above. */
    List<LogRecord> lines() {
      return log.stream().filter(r -> r.getLevel().intValue() >= Level.INFO.intValue()).toList();
    }

    long stackTraces() {
      return log.stream().filter(r -> r.getThrown() != null).count();
    }

    @Override
    public String toString() {
      return "answer " + (answer == null ? null : "http=" + answer.httpStatus() + " grpc-status=" + answer.grpcStatus()
          + " grpc-message=" + answer.grpcMessage() + " rst=" + answer.resetCode())
          + ", executions " + executions + ", log " + log.stream()
          .map(r -> r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage()
              + (r.getThrown() == null ? "" : " [" + r.getThrown() + "]"))
          .toList();
    }
  }

  @BeforeEach
  void start() throws Exception {
    server = CourierServer.builder().address("127.0.0.1", 0).gracePeriod(Duration.ZERO)
        .addService(TestServices.service(TestServices.call(0), request -> {
          executions.incrementAndGet();
          return request;
        }))
        .start();
    client = RawHttp2Client.connect(server.port(), true);
    client.serverSettings().get(5, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private Outcome send(Consumer<Integer> request) throws Exception {
    try (LogCapture log = new LogCapture()) {
      int id = client.newStream();
      request.accept(id);
      client.flush();
      RawHttp2Client.Answer answer = client.answer(id).get(10, TimeUnit.SECONDS);
      Outcome outcome = new Outcome(answer, executions.get(), log.records());
      assertStillServing();
      return outcome;
    }
  }

  private Outcome message(Http2Headers headers, byte[] frame, boolean endStream) throws Exception {
    return send(id -> {
      client.headers(id, headers, false);
      client.data(id, frame, endStream);
    });
  }

  private void assertStillServing() throws Exception {
    int before = executions.get();
    int id = client.unary(CALL, HELLO);
    client.flush();
    assertThat(client.answer(id).get(10, TimeUnit.SECONDS).grpcStatus()).isZero();
    assertThat(executions.get()).isEqualTo(before + 1);
    executions.set(before);
  }

  private static Http2Headers call() {
    return RawHttp2Client.grpcHeaders(CALL);
  }

  @Test
  void garbageIsInvalidArgumentWithOneDebugLine() throws Exception {
    byte[] garbage = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01};
    Outcome o = message(call(), RawHttp2Client.grpcFrame(0, garbage.length, garbage), true);

    assertGrpc(o, 3, "the request to test.Svc/Call is not a valid google.protobuf.StringValue message: ");
    assertThat(o.log()).singleElement().satisfies(r -> {
      assertThat(r.getLoggerName()).isEqualTo(CourierServer.class.getName());
      assertThat(r.getLevel()).isEqualTo(Level.FINE);
      assertThat(r.getThrown()).isNull();
    });
  }

  @Test
  void truncatedMessageIsInvalidArgument() throws Exception {
    byte[] truncated = {0x0A, 0x0A, 'a', 'b'};
    Outcome o = message(call(), RawHttp2Client.grpcFrame(0, truncated.length, truncated), true);

    assertGrpc(o, 3, "the request to test.Svc/Call is not a valid google.protobuf.StringValue message: While parsing");
    assertThat(o.stackTraces()).isZero();
  }

  @Test
  void lengthPrefixLongerThanTheMessageIsInternal() throws Exception {
    Outcome o = message(call(), RawHttp2Client.grpcFrame(0, 100, HELLO), true);

    assertGrpc(o, 13, "Encountered end-of-stream mid-frame");
    assertGrpcDeframerWarning(o);
  }

  @Test
  void twoGibibyteMessageIsResourceExhaustedFromItsHeaderAlone() throws Exception {
    Outcome o = message(call(), RawHttp2Client.grpcFrame(0, 1L << 31, new byte[1024]), false);

    assertGrpc(o, 8, "gRPC message exceeds maximum size 4194304: -2147483648");
    assertGrpcDeframerWarning(o);
  }

  @Test
  void fourMebibytesPlusOneIsResourceExhausted() throws Exception {
    Outcome o = message(call(), RawHttp2Client.grpcFrame(0, 4 * 1024 * 1024 + 1, new byte[16 * 1024]), false);

    assertGrpc(o, 8, "gRPC message exceeds maximum size 4194304: 4194305");
    assertGrpcDeframerWarning(o);
  }

  @Test
  void compressedFlagWithoutAnEncodingIsInternal() throws Exception {
    Outcome o = message(call(), RawHttp2Client.grpcFrame(1, HELLO.length, HELLO), true);

    assertGrpc(o, 13, "Can't decode compressed gRPC message as compression not configured");
    assertGrpcDeframerWarning(o);
  }

  @Test
  void reservedCompressionFlagBitsAreInternal() throws Exception {
    Outcome o = message(call(), RawHttp2Client.grpcFrame(2, HELLO.length, HELLO), true);

    assertGrpc(o, 13, "gRPC frame header malformed: reserved bits not zero");
    assertGrpcDeframerWarning(o);
  }

  @Test
  void wrongContentTypeIsHttp415() throws Exception {
    Outcome o = message(call().set("content-type", "text/plain"), RawHttp2Client.grpcFrame(0, HELLO.length, HELLO), true);

    assertThat(o.answer().httpStatus()).isEqualTo("415");
    assertGrpc(o, 13, "Content-Type 'text/plain' is not supported");
    assertThat(o.log()).isEmpty();
  }

  @Test
  void missingPathIsHttp404() throws Exception {
    Http2Headers headers = new DefaultHttp2Headers(false).method("POST").scheme("http").authority("127.0.0.1")
        .add("content-type", "application/grpc").add("te", "trailers");
    Outcome o = message(headers, RawHttp2Client.grpcFrame(0, HELLO.length, HELLO), true);

    assertThat(o.answer().httpStatus()).isEqualTo("404");
    assertGrpc(o, 12, "Expected path but is missing");
    assertThat(o.log()).isEmpty();
  }

  @Test
  void missingMethodIsHttp405() throws Exception {
    Http2Headers headers = new DefaultHttp2Headers(false).scheme("http").authority("127.0.0.1").path("/" + CALL)
        .add("content-type", "application/grpc").add("te", "trailers");
    Outcome o = message(headers, RawHttp2Client.grpcFrame(0, HELLO.length, HELLO), true);

    assertThat(o.answer().httpStatus()).isEqualTo("405");
    assertGrpc(o, 13, "Method 'null' is not supported");
    assertThat(o.log()).isEmpty();
  }

  @Test
  void getInsteadOfPostIsHttp405() throws Exception {
    Outcome o = message(call().method("GET"), RawHttp2Client.grpcFrame(0, HELLO.length, HELLO), true);

    assertThat(o.answer().httpStatus()).isEqualTo("405");
    assertGrpc(o, 13, "Method 'GET' is not supported");
  }

  @Test
  void metadataOverTheLimitIsHttp431() throws Exception {
    // Over maxInboundMetadataSize (8 KiB) but under grpc's connection-level cut-off (1.25 times it)
    Outcome o = message(call().add("x-huge", "x".repeat(9 * 1024)), RawHttp2Client.grpcFrame(0, HELLO.length, HELLO),
        true);

    assertThat(o.answer().httpStatus()).isEqualTo("431");
    assertThat(o.answer().grpcStatus()).isEqualTo(-1);
    assertThat(o.log()).singleElement().satisfies(r -> {
      assertThat(r.getLevel()).isEqualTo(Level.WARNING);
      assertThat(r.getMessage()).isEqualTo("Stream Error: Http2Exception$HeaderListSizeException: Header size"
          + " exceeded max allowed size (8192) (a client's bad input; stack trace left out by Courier)");
      assertThat(r.getThrown()).isNull();
    });
  }

  @Test
  void metadataFarOverTheLimitCostsTheConnection() throws Exception {
    try (LogCapture log = new LogCapture()) {
      int id = client.newStream();
      client.headers(id, call().add("x-huge", "x".repeat(16 * 1024)), false);
      client.flush();

      RawHttp2Client.GoAway goAway = client.goAway().get(10, TimeUnit.SECONDS);
      assertThat(goAway.errorCode()).isEqualTo(1); // PROTOCOL_ERROR
      assertThat(goAway.debugData()).isEqualTo("Header size exceeded max allowed size (10240)");
      client.closed().get(10, TimeUnit.SECONDS);
      assertThat(executions).hasValue(0);
      // grpc logs the transport's failure once its side of the connection has closed
      assertThat(log.await(r -> String.valueOf(r.getMessage()).startsWith("Transport failed"), Duration.ofSeconds(10)))
          .isTrue();
      assertThat(log.lines()).singleElement().satisfies(r -> {
        assertThat(r.getLevel()).isEqualTo(Level.INFO);
        assertThat(r.getMessage()).startsWith("Transport failed: Http2Exception: Header size exceeded");
      });
      assertThat(log.withStackTraces()).isEmpty();
    }
    client = RawHttp2Client.connect(server.port(), true);
    assertStillServing();
  }

  @Test
  void malformedTimeoutIsAResetStream() throws Exception {
    Outcome o = message(call().add("grpc-timeout", "soon"), RawHttp2Client.grpcFrame(0, HELLO.length, HELLO), true);

    assertThat(o.answer().resetCode()).isEqualTo(2L); // INTERNAL_ERROR
    assertThat(o.answer().headers()).isNull();
    // grpc-java logs the NumberFormatException twice; the first record goes down to FINE
    assertThat(o.log()).extracting(LogRecord::getLevel).containsExactly(Level.FINE, Level.WARNING);
    assertThat(o.lines()).singleElement().satisfies(r -> assertThat(r.getMessage()).isEqualTo(
        "Stream Error: Http2Exception$StreamException: For input string: \"soo\" <- NumberFormatException: For"
            + " input string: \"soo\" (a client's bad input; stack trace left out by Courier)"));
    assertThat(o.stackTraces()).isZero();
  }

  @Test
  void twoMessagesOnAUnaryCallAreABareResetCancel() throws Exception {
    byte[] one = RawHttp2Client.grpcFrame(0, HELLO.length, HELLO);
    byte[] two = new byte[one.length * 2];
    System.arraycopy(one, 0, two, 0, one.length);
    System.arraycopy(one, 0, two, one.length, one.length);
    Outcome o = message(call(), two, true);

    assertThat(o.answer().resetCode()).isEqualTo(8L); // CANCEL
    assertThat(o.answer().headers()).isNull();
    assertThat(o.log()).isEmpty();
  }

  @Test
  void noMessageOnAUnaryCallIsInternal() throws Exception {
    Outcome o = send(id -> client.headers(id, call(), true));

    assertGrpc(o, 13, "Half-closed without a request");
    assertThat(o.log()).isEmpty();
  }

  @Test
  void unknownMethodIsUnimplemented() throws Exception {
    Outcome o = message(RawHttp2Client.grpcHeaders("test.Svc/Nope"), RawHttp2Client.grpcFrame(0, HELLO.length, HELLO),
        true);

    assertGrpc(o, 12, "Method not found: test.Svc/Nope");
    assertThat(o.log()).isEmpty();
  }

  /** The call got {@code status} with a message that starts so, and the implementation never ran. */
  private static void assertGrpc(Outcome o, int status, String message) {
    assertThat(o.answer().grpcStatus()).as("%s", o).isEqualTo(status);
    assertThat(o.answer().grpcMessage()).startsWith(message);
    assertThat(o.executions()).isZero();
  }

  /**
   * grpc-java's deframer logs one WARNING per bad frame, with a stack trace; Courier's transport log
   * filter leaves one line with the status and no stack trace.
   */
  private static void assertGrpcDeframerWarning(Outcome o) {
    assertThat(o.log()).singleElement().satisfies(r -> {
      assertThat(r.getLevel()).isEqualTo(Level.WARNING);
      assertThat(r.getLoggerName()).endsWith("NettyServerStream");
      assertThat(r.getMessage()).startsWith("Exception processing message: StatusRuntimeException: "
          + o.answer().grpcStatusName() + ": ").endsWith("(a client's bad input; stack trace left out by Courier)");
      assertThat(r.getThrown()).isNull();
    });
  }
}
