package dev.courier.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.discovery.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ClientBuilder#serviceConfig} on every grpc service config under {@code
 * src/test/resources/serviceconfig/}: what each becomes (the balancer, the budget and each method's
 * policy, as the client resolves them) or why it is refused, compared with {@code <case>.golden.txt}
 * byte for byte. {@code -Dcourier.golden.update=true} rewrites the golden files; review the diff.
 */
class ServiceConfigGoldenTest {
  private static final Path CASES = caseDirectory();
  private static final RpcMethod<StringValue, StringValue> ECHO =
      RpcMethod.of(Replicas.method("Echo", io.grpc.MethodDescriptor.MethodType.UNARY),
          MethodPolicy.builder().idempotent(true).build());
  private static final RpcMethod<StringValue, StringValue> ONCE =
      RpcMethod.of(Replicas.method("Once", io.grpc.MethodDescriptor.MethodType.UNARY), MethodPolicy.DEFAULT);

  static Stream<String> cases() throws IOException {
    try (Stream<Path> files = Files.list(CASES)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void mapsOrRefusesWithTheReason(String name) throws IOException {
    String json = Files.readString(CASES.resolve(name));
    String actual = render(name, json);
    Path golden = CASES.resolve(name.replace(".json", ".golden.txt"));
    if (Boolean.getBoolean("courier.golden.update")) {
      Path source = Path.of("src/test/resources/serviceconfig").resolve(golden.getFileName());
      Files.writeString(source, actual);
      return;
    }
    assertThat(golden).as("golden file (run with -Dcourier.golden.update=true to write it)").exists();
    assertThat(actual).isEqualTo(Files.readString(golden));
  }

  static String render(String name, String json) {
    StringBuilder out = new StringBuilder("# ClientBuilder.serviceConfig(" + name + ") for test.Echo;"
        + " Echo is declared idempotent, Once is not; the builder's balancer was LEAST_LOADED\n");
    ClientBuilder<ClientRuntime> builder = ClientBuilder.forService("test.Echo", r -> r)
        .endpoints(List.of(Endpoint.of("127.0.0.1", 1)))
        .methods(ECHO, ONCE)
        .balancer(dev.courier.runtime.balance.BalancerKind.LEAST_LOADED);
    try {
      builder.serviceConfig(json);
      ClientConfig config = builder.config();
      new LivePolicies(config); // what build() checks the declared methods with
      out.append("balancer: ").append(config.balancer()).append('\n');
      out.append("retryBudget: ").append(config.retryBudget()).append('\n');
      for (RpcMethod<?, ?> method : List.of(ECHO, ONCE)) {
        out.append(method.fullName()).append(": ").append(config.policyOf(method)).append('\n');
      }
    } catch (IllegalArgumentException e) {
      out.append("refused: ").append(e.getMessage()).append('\n');
    }
    return out.toString();
  }

  private static Path caseDirectory() {
    try {
      return Path.of(ServiceConfigGoldenTest.class.getResource("/serviceconfig").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
