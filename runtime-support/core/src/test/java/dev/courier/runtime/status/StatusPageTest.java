package dev.courier.runtime.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.client.Replicas;
import dev.courier.runtime.config.LiveConfig;
import dev.courier.runtime.config.MutableConfigSource;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.queue.QueueClientRuntime;
import dev.courier.runtime.queue.memory.InMemoryQueue;
import dev.courier.runtime.server.CourierServer;
import dev.courier.runtime.server.ServiceBindings;
import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.ServerServiceDefinition;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The status page over real HTTP from a real Courier server, with real clients in the process. */
// "try": resources opened for their effect (a scope made current, a subscription or worker kept
// open for the block) are never named in the block, and some closes may be interrupted.
@SuppressWarnings("try")
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StatusPageTest {
  private static final String SECRET = "Bearer s3cr3t-t0ken";
  private final HttpClient http = HttpClient.newHttpClient();
  private final CourierServer server = StatusFixture.server();

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void thePageListsDeclaredPoliciesMethodFiguresAndLiveClientsWithoutTheirSecrets() throws Exception {
    Metadata secretHeaders = new Metadata();
    secretHeaders.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), SECRET);
    try (ClientRuntime client = ClientBuilder.forService("test.Echo", c -> c)
            .endpoints(List.of(Endpoint.of("127.0.0.1", server.port())))
            .callCredentials(new CallCredentials() {
              @Override
              public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                applier.apply(secretHeaders);
              }
            }).build();
        InMemoryQueue queue = InMemoryQueue.create();
        QueueClientRuntime queueClient = QueueClientRuntime.create(queue)) {
      ClientRuntime withSecret = client.withMetadata(secretHeaders);
      for (int i = 0; i < 3; i++) {
        withSecret.blockingUnary(Replicas.IDEMPOTENT_ECHO, Replicas.text("x" + i)); // no hedge: 3 calls reach the server
      }

      HttpResponse<String> page = get(server.statusPage().orElseThrow(), "127.0.0.1");

      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
          csp -> assertThat(csp).startsWith("default-src 'none'"));
      assertThat(page.body())
          .contains("<meta http-equiv=\"refresh\" content=\"2\">")
          .contains("name=\"viewport\"")
          .contains("idempotent, timeout 2s, 3 attempts, backoff")
          .contains("hedge after 30ms (max 1), LEAST_LOADED, max 64 concurrent")
          .containsPattern("data-method=\"test.Echo/Echo\">.*?<td class=\"num calls\">3</td>")
          .contains("data-endpoint=\"127.0.0.1:" + server.port() + "\"")
          .containsPattern("retry budget: <span class=\"budget\">\\d of 100 retries spent in the last 10 s")
          .contains("data-kind=\"queue client\" data-name=\"courier_memory\"")
          .doesNotContain("<script")
          .doesNotContain("s3cr3t");
    }
  }

  @Test
  void thePageShowsEachLiveConfigurationsVersionInForceAndWhyTheLastOneWasRefused() throws Exception {
    MutableConfigSource source = new MutableConfigSource("test:page", Map.of("courier.test.Echo.timeout", "2s"));
    try (LiveConfig live = LiveConfig.follow(source);
        ClientRuntime client = ClientBuilder.forService("test.Echo", c -> c)
            .endpoints(List.of(Endpoint.of("127.0.0.1", server.port()))).methods(Replicas.IDEMPOTENT_ECHO)
            .liveConfig(live).build()) {
      source.push(Map.of("courier.test.Echo.timeout", "3s"));
      source.push(Map.of("courier.test.Echo.timeout", "never"));

      String page = get(server.statusPage().orElseThrow(), "127.0.0.1").body();

      assertThat(page).contains("<article class=\"config\" data-origin=\"test:page\"><h3>test:page</h3>"
          + "<p class=\"meta\">in force: <span class=\"revision\">1</span> · 1 key · followed by 1</p>"
          + "<p class=\"trouble\">refused 2: courier.test.Echo.timeout: &#39;never&#39; (expected: a duration such as");
    }
    assertThat(get(server.statusPage().orElseThrow(), "127.0.0.1").body()).doesNotContain("test:page");
  }

  @Test
  void aHostThatIsNotLoopbackIsRefused() throws Exception {
    HttpResponse<String> page = get(server.statusPage().orElseThrow(), "evil.example");
    assertThat(page.statusCode()).isEqualTo(403);
    assertThat(page.body()).doesNotContain("test.Echo");
  }

  @Test
  void onlyGetOfTheRootIsAnswered() throws Exception {
    URI page = server.statusPage().orElseThrow();
    assertThat(http.send(HttpRequest.newBuilder(page).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
    assertThat(http.send(HttpRequest.newBuilder(page.resolve("/x")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
  }

  @Test
  void headAnswersTheHeadersOfThePageWithoutItsBody() throws Exception {
    HttpResponse<String> head = http.send(HttpRequest.newBuilder(server.statusPage().orElseThrow())
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(head.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(head.headers().firstValue("Content-Security-Policy")).isPresent();
  }

  @Test
  void configuredAddressesOpenThePageToOtherNames() throws Exception {
    try (CourierServer open = CourierServer.builder().address("127.0.0.1", 0)
        .addService(ServerServiceDefinition.builder("test.Echo")
            .addMethod(ServiceBindings.unary(StatusFixture.ECHO, req -> req)).build())
        .statusPage(StatusPageConfig.onPort(0).allowing("10.0.0.7"))
        .start()) {
      HttpResponse<String> page = get(open.statusPage().orElseThrow(), "status.internal:8081");

      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("data-method=\"test.Echo/Echo\"");
    }
  }

  @Test
  void aServicesGeneratedReferencePageOnTheClasspathIsLinkedAndServed() throws Exception {
    URI page = server.statusPage().orElseThrow();

    assertThat(get(page, "127.0.0.1").body())
        .contains("<tr class=\"service\" data-service=\"test.Echo\"><th colspan=\"8\">test.Echo"
            + " · <a class=\"reference\" href=\"docs/test.Echo\">reference</a></th></tr>");
    HttpResponse<String> reference = http.send(HttpRequest.newBuilder(page.resolve("docs/test.Echo")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(reference.statusCode()).isEqualTo(200);
    assertThat(reference.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(reference.body()).contains("<h1>test.Echo</h1>");
  }

  @Test
  void onlyTheReferencePagesOfServedServicesAreServed() throws Exception {
    URI page = server.statusPage().orElseThrow();
    // test/Hidden-reference.html is on the test classpath, but the server does not serve test.Hidden.
    for (String path : List.of("docs/test.Hidden", "docs/test.Missing", "docs/", "docs/test.Echo/../Hidden")) {
      assertThat(http.send(HttpRequest.newBuilder(page.resolve(path)).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode()).as(path).isEqualTo(404);
    }
  }

  @Test
  void closingTheServerStopsThePage() throws Exception {
    URI page = server.statusPage().orElseThrow();
    server.close();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> get(page, "127.0.0.1"))
        .isInstanceOf(java.io.IOException.class);
  }

  private HttpResponse<String> get(URI page, String host) throws Exception {
    // HttpClient refuses to set Host itself; a raw request says what a browser on another name would send.
    if (!host.equals("127.0.0.1")) {
      try (java.net.Socket socket = new java.net.Socket(page.getHost(), page.getPort())) {
        socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int code = Integer.parseInt(answer.substring(9, 12));
        String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        return new RawResponse(code, body, page);
      }
    }
    return http.send(HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A response read off a raw socket. */
  private record RawResponse(int statusCode, String body, URI uri) implements HttpResponse<String> {
    @Override
    public HttpRequest request() {
      return HttpRequest.newBuilder(uri).build();
    }

    @Override
    public java.util.Optional<HttpResponse<String>> previousResponse() {
      return java.util.Optional.empty();
    }

    @Override
    public java.net.http.HttpHeaders headers() {
      return java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true);
    }

    @Override
    public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
      return java.util.Optional.empty();
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }
}
