package dev.courier.runtime.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Context;
import io.grpc.Metadata;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CallContextTest {
  @Test
  void currentOutsideACallSaysWhereItWorks() {
    assertThatThrownBy(CallContext::current)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("inside a service method");
    assertThat(CallContext.find()).isEmpty();
  }

  @Test
  void codeRunInAContextSeesItAndItsDeadline() throws Exception {
    CallContext context = CallContext.builder("shop.Inventory/GetStock")
        .header("x-request-id", "r-1")
        .remaining(Duration.ofSeconds(5))
        .build();

    String seen = context.call(() -> CallContext.current().header("x-request-id").orElseThrow()
        + " " + (Context.current().getDeadline() != null));

    assertThat(seen).isEqualTo("r-1 true");
    assertThat(context.remaining()).get().matches(d -> d.compareTo(Duration.ofSeconds(5)) <= 0 && d.toMillis() > 4000);
    assertThat(CallContext.find()).isEmpty();
    assertThat(context.serviceName()).isEqualTo("shop.Inventory");
    assertThat(context.methodName()).isEqualTo("GetStock");
  }

  @Test
  void toStringShowsHeaderNamesButNeverTheirValues() {
    CallContext context = CallContext.builder("shop.Inventory/GetStock")
        .header("authorization", "Bearer s3cr3t-token")
        .build();

    assertThat(context.toString()).contains("authorization").doesNotContain("s3cr3t");
  }

  @Test
  void binaryAndTextHeadersAreToldApart() {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("x-trace-bin", Metadata.BINARY_BYTE_MARSHALLER), new byte[] {1, 2});
    CallContext context = CallContext.builder("a.B/C").metadata(headers).build();

    assertThat(context.binaryHeader("x-trace-bin")).get().isEqualTo(new byte[] {1, 2});
    assertThatThrownBy(() -> context.header("x-trace-bin")).hasMessageContaining("byte[]");
    assertThatThrownBy(() -> context.binaryHeader("x-trace")).hasMessageContaining("-bin");
  }

  @Test
  void headersCannotBeSetOnceSentAndQueueCallsCarryNone() {
    CallContext context = CallContext.builder("a.B/C").build();
    context.setResponseHeader("x-a", "1");
    Metadata sent = new Metadata();
    context.response().sendHeaders(sent);

    assertThat(sent.get(Metadata.Key.of("x-a", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("1");
    assertThatThrownBy(() -> context.setResponseHeader("x-b", "2")).hasMessageContaining("already sent");
    assertThatThrownBy(() -> CallContext.builder("a.B/C").queue().build().setTrailer("x", "y"))
        .hasMessageContaining("queue call carries no response metadata");
  }
}
