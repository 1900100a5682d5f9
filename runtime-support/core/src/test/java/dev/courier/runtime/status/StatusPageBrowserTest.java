package dev.courier.runtime.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.client.PassiveHealth;
import dev.courier.runtime.client.Replicas;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.server.CourierServer;
import io.grpc.Status;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page as a browser renders it: headless Chromium (Debian's {@code chromium}, which
 * {@code .ci/run} installs) loads it while a client drives load at three endpoints, one of which
 * fails and is ejected, and the test reads the DOM Chromium rendered ({@code --dump-dom}). Skipped,
 * saying so, only where no {@code chromium} is installed.
 *
 * <p>A screenshot of the same page: {@code chromium --headless --no-sandbox
 * --window-size=412,915 --screenshot=status.png http://127.0.0.1:<port>/}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StatusPageBrowserTest {
  @TempDir
  Path profile;

  @Test
  void chromiumRendersTheEjectedReplicaAndTheMethodFiguresDuringLoad() throws Exception {
    String chromium = chromium();
    Assumptions.assumeTrue(chromium != null, "no chromium on PATH: apt-get install -y chromium (.ci/run does)");
    try (CourierServer server = StatusFixture.server(); Replicas replicas = Replicas.start(2)) {
      replicas.get(1).failWith = Status.UNAVAILABLE.withDescription("sick replica");
      String sick = replicas.get(1).endpoint().authority();
      List<Endpoint> endpoints = new ArrayList<>(replicas.endpoints());
      endpoints.add(Endpoint.of("127.0.0.1", server.port()));
      try (ClientRuntime client = ClientBuilder.forService("test.Echo", c -> c).endpoints(endpoints)
          .balancer(BalancerKind.ROUND_ROBIN)
          .passiveHealth(new PassiveHealth(3, Duration.ofSeconds(60), Duration.ofSeconds(60)))
          .build()) {
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch ejected = new CountDownLatch(1);
        Thread load = new Thread(() -> {
          int i = 0;
          while (running.get()) {
            try {
              // Undeclared policy: the client's round robin, so the sick replica keeps getting its turns.
              client.blockingUnary(Replicas.IDEMPOTENT_ECHO, Replicas.text("load" + i++));
            } catch (RuntimeException e) {
              // A call that met the sick replica is retried elsewhere; the rare one that fails is not the point.
            }
            if (replicas.get(1).calls() >= 3) {
              ejected.countDown();
            }
          }
        }, "status-page-load");
        load.start();
        try {
          assertThat(ejected.await(30, TimeUnit.SECONDS)).as("the sick replica took its failing calls").isTrue();
          String dom = dumpDom(chromium, server.statusPage().orElseThrow());

          assertThat(dom).contains("<h1>Courier status</h1>");
          assertThat(row(dom, "tr", "data-endpoint=\"" + sick + "\"")).as("the sick replica's row")
              .contains("class=\"ejected\"").contains("<td class=\"health\">ejected</td>")
              .containsPattern("<td class=\"num ejections\">[1-9]");
          for (Replicas.Replica healthy : List.of(replicas.get(0))) {
            assertThat(row(dom, "tr", "data-endpoint=\"" + healthy.endpoint().authority() + "\""))
                .contains("<td class=\"health\">healthy</td>");
          }
          String echo = row(dom, "tr", "data-method=\"test.Echo/Echo\"");
          assertThat(echo).contains("LEAST_LOADED").contains("timeout 2s");
          Matcher calls = Pattern.compile("<td class=\"num calls\">(\\d+)</td>").matcher(echo);
          assertThat(calls.find()).isTrue();
          assertThat(Long.parseLong(calls.group(1))).as("calls the server answered").isPositive();
          assertThat(dom).doesNotContain("<script");
        } finally {
          running.set(false);
          load.join(10_000);
        }
      }
    }
  }

  /** The element {@code tag} whose start tag holds {@code attribute}, start to end tag. */
  private static String row(String dom, String tag, String attribute) {
    int at = dom.indexOf(attribute);
    assertThat(at).as("%s in the rendered page:%n%s", attribute, dom).isPositive();
    int start = dom.lastIndexOf("<" + tag, at);
    int end = dom.indexOf("</" + tag + ">", at);
    return dom.substring(start, end);
  }

  private String dumpDom(String chromium, URI page) throws IOException, InterruptedException {
    Path out = Files.createTempFile(profile, "dom", ".html");
    Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu",
        "--user-data-dir=" + profile.resolve("profile"), "--dump-dom", page.toString())
        .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    } finally {
      p.destroyForcibly();
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  /** The chromium binary on PATH, or {@code null}. */
  private static String chromium() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        File candidate = new File(dir, name);
        if (candidate.canExecute()) {
          return candidate.getPath();
        }
      }
    }
    return null;
  }
}
