package dev.courier.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.runtime.server.CourierServer;
import dev.courier.sample.bookstore.CatalogServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The status page links each service to the reference page the Courier plugin generated for it,
 * which this project ships as a resource (see its pom), and serves that very page.
 */
class StatusPageReferenceTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theStatusPageLinksAndServesTheGeneratedReferencePage() throws Exception {
    try (CourierServer server = CatalogServer.builder(new CatalogService("replica-a", false))
        .address("127.0.0.1", 0).statusPage(0).start()) {
      URI page = server.statusPage().orElseThrow();

      assertThat(get(page).body()).contains("<a class=\"reference\" href=\"docs/bookstore.Catalog\">reference</a>");
      HttpResponse<String> reference = get(page.resolve("docs/bookstore.Catalog"));
      assertThat(reference.statusCode()).isEqualTo(200);
      assertThat(reference.body()).isEqualTo(Files.readString(
          Path.of("target/generated-resources/courier/bookstore/Catalog-reference.html")));
    }
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }
}
