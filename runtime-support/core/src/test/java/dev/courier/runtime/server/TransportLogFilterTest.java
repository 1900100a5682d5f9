package dev.courier.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Error;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Exception;
import org.junit.jupiter.api.Test;

/** Which exceptions {@link TransportLogFilter} takes for a client's bad input, and the line it leaves. */
class TransportLogFilterTest {
  @Test
  void protocolErrorsStatusesAndBadNumbersAreTheClients() {
    assertThat(TransportLogFilter.fromClientInput(Http2Exception.streamError(3, Http2Error.REFUSED_STREAM, "too many")))
        .isTrue();
    assertThat(TransportLogFilter.fromClientInput(Status.INTERNAL.withDescription("bad frame").asRuntimeException()))
        .isTrue();
    NumberFormatException badTimeout = new NumberFormatException("For input string: \"soo\"");
    assertThat(TransportLogFilter.fromClientInput(
        Http2Exception.streamError(5, Http2Error.INTERNAL_ERROR, badTimeout, "For input string: \"soo\""))).isTrue();
  }

  @Test
  void anyOtherExceptionInTheChainMayBeABugAndKeepsItsStackTrace() {
    assertThat(TransportLogFilter.fromClientInput(new NullPointerException())).isFalse();
    assertThat(TransportLogFilter.fromClientInput(
        Http2Exception.streamError(5, Http2Error.INTERNAL_ERROR, new IllegalStateException("bug"), "bug"))).isFalse();
    assertThat(TransportLogFilter.fromClientInput(
        Status.INTERNAL.withCause(new OutOfMemoryError()).asRuntimeException())).isFalse();
  }

  @Test
  void theLineNamesEachExceptionOfTheChainWithoutAStackTrace() {
    Throwable thrown = Http2Exception.streamError(5, Http2Error.INTERNAL_ERROR,
        new NumberFormatException("For input string: \"soo\""), "For input string: \"soo\"");

    assertThat(TransportLogFilter.oneLine("Stream Error", thrown)).isEqualTo("Stream Error:"
        + " Http2Exception$StreamException: For input string: \"soo\" <- NumberFormatException: For input string:"
        + " \"soo\" (a client's bad input; stack trace left out by Courier)");
  }
}
