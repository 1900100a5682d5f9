package dev.courier.it.gentest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.it.gentest.testing.StubCatalog;
import dev.courier.it.gentest.testing.StubCatalogClient;
import dev.courier.it.gentest.testing.StubCatalogServer;
import dev.courier.runtime.server.CourierServer;
import org.junit.jupiter.api.Test;

/** A service generated from src/test/proto, with messages from src/main/proto, over loopback. */
class StubCatalogTest {

  @Test
  void aTestProtoServiceIsServedAndCalled() {
    StubCatalog stub = request -> Book.newBuilder().setSku(request.getSku()).setTitle("stub").build();
    try (CourierServer server = StubCatalogServer.builder(stub).address("127.0.0.1", 0).start();
        StubCatalogClient client = StubCatalogClient.builder().target(server.target()).build()) {
      Book book = client.lookup(BookRequest.newBuilder().setSku("b-1").build());
      assertThat(book.getTitle()).isEqualTo("stub");
      assertThat(book.getSku()).isEqualTo("b-1");
    }
  }
}
