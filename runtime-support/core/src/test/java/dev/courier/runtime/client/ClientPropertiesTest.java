package dev.courier.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.retry.HedgePolicy;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The configuration skeleton's keys override declared policies, per service and per method. */
class ClientPropertiesTest {
  private static final RpcMethod<StringValue, StringValue> GET = method("Get", MethodPolicy.builder()
      .idempotent(true).timeout(Duration.ofSeconds(2)).hedge(new HedgePolicy(Duration.ofMillis(20), 1)).build());
  private static final RpcMethod<StringValue, StringValue> PUT = method("Put", MethodPolicy.DEFAULT);

  @Test
  void serviceKeysApplyToEveryMethodAndMethodKeysWin() {
    ClientBuilder<ClientRuntime> builder = builder().configure(properties(
        "courier.shop.Store.timeout", "3s",
        "courier.shop.Store.retry.maxAttempts", "5",
        "courier.shop.Store/Get.timeout", "250ms",
        "courier.shop.Store/Get.balancer", "least_loaded",
        "courier.shop.Store/Get.retry.retryableCodes", "UNAVAILABLE, ABORTED",
        "courier.shop.Store/Get.hedge.max", "2",
        "courier.other.Service.timeout", "1ms"));

    MethodPolicy get = builder.config().policyOf(GET);
    assertThat(get.timeout()).contains(Duration.ofMillis(250));
    assertThat(get.balancer()).contains(BalancerKind.LEAST_LOADED);
    assertThat(get.retry().maxAttempts()).isEqualTo(5);
    assertThat(get.retry().retryableCodes()).containsExactlyInAnyOrder(Status.Code.UNAVAILABLE, Status.Code.ABORTED);
    assertThat(get.hedge()).contains(new HedgePolicy(Duration.ofMillis(20), 2));
    MethodPolicy put = builder.config().policyOf(PUT);
    assertThat(put.timeout()).contains(Duration.ofSeconds(3));
    assertThat(put.retry().maxAttempts()).isEqualTo(5);
  }

  @Test
  void emptyValuesOfTheSkeletonChangeNothing() {
    ClientBuilder<ClientRuntime> builder = builder().configure(properties(
        "courier.shop.Store/Get.timeout", "", "courier.shop.Store/Get.hedge.after", " "));
    assertThat(builder.config().policyOf(GET)).isEqualTo(GET.policy());
  }

  @Test
  void unknownSettingNamesTheKeyAndTheKnownOnes() {
    assertThatThrownBy(() -> builder().configure(properties("courier.shop.Store/Get.timout", "1s")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("courier.shop.Store/Get.timout: unknown setting 'timout' (expected one of [balancer,");
  }

  @Test
  void badValuesNameTheKeyAndTheExpectedForm() {
    assertThatThrownBy(() -> builder().configure(properties("courier.shop.Store.timeout", "soon")))
        .hasMessage("courier.shop.Store.timeout: 'soon' (expected: a duration such as 250ms, 2s, 1m)");
    assertThatThrownBy(() -> builder().configure(properties("courier.shop.Store/Get.balancer", "FASTEST")))
        .hasMessageStartingWith("courier.shop.Store/Get.balancer: 'FASTEST' (expected one of [RANDOM, ROUND_ROBIN");
    assertThatThrownBy(() -> builder().configure(properties("courier.shop.Store/Get.targets", "a:1")))
        .hasMessage("courier.shop.Store/Get.targets: targets are set per service (expected: courier.shop.Store.targets)");
  }

  @Test
  void hedgeAfterAPercentileMakesTheHedgeAdaptive() {
    ClientBuilder<ClientRuntime> builder = builder().configure(properties(
        "courier.shop.Store/Get.hedge.after", "p95", "courier.shop.Store/Get.hedge.max", "2"));
    assertThat(builder.config().policyOf(GET).hedge()).contains(HedgePolicy.atPercentile(95, 2));
    assertThatThrownBy(() -> builder().configure(properties("courier.shop.Store/Get.hedge.after", "p100")))
        .hasMessage("courier.shop.Store/Get.hedge.after: 'p100' (expected: a percentile from p50 to p99.9,"
            + " such as p95, or a delay such as 20ms)");
    assertThatThrownBy(() -> builder().configure(properties("courier.shop.Store/Get.hedge.after", "pxx")))
        .hasMessageStartingWith("courier.shop.Store/Get.hedge.after: 'pxx' (expected: a percentile");
  }

  @Test
  void healthKeysSetTheClientsPassiveHealthAndKeepWhatTheyDoNotName() {
    ClientBuilder<ClientRuntime> builder = builder()
        .passiveHealth(new PassiveHealth(3, Duration.ofSeconds(2), Duration.ofSeconds(30)))
        .configure(properties("courier.shop.Store.health.slowStart", "5s",
            "courier.shop.Store.health.baseEjection", "500ms"));
    assertThat(builder.currentPassiveHealth())
        .isEqualTo(new PassiveHealth(3, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(5)));
  }

  @Test
  void healthKeysAreCheckedAndSetPerService() {
    assertThatThrownBy(() -> builder().configure(properties("courier.shop.Store/Get.health.slowStart", "1s")))
        .hasMessage("courier.shop.Store/Get.health.slowStart: health.slowStart is set per service"
            + " (expected: courier.shop.Store.health.slowStart)");
    assertThatThrownBy(() -> builder().configure(properties("courier.shop.Store.health.maxEjection", "100ms")))
        .hasMessageStartingWith("courier.shop.Store.health.*: maxEjection: ").hasMessageContaining(">= baseEjection");
    assertThatThrownBy(() -> builder().configure(properties("courier.shop.Store.health.failureThreshold", "x")))
        .hasMessage("courier.shop.Store.health.failureThreshold: 'x' (expected: a whole number)");
  }

  private static ClientBuilder<ClientRuntime> builder() {
    return ClientBuilder.forService("shop.Store", runtime -> runtime);
  }

  private static Properties properties(String... keysAndValues) {
    Properties p = new Properties();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      p.setProperty(keysAndValues[i], keysAndValues[i + 1]);
    }
    return p;
  }

  private static RpcMethod<StringValue, StringValue> method(String name, MethodPolicy policy) {
    return RpcMethod.of(MethodDescriptor.<StringValue, StringValue>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName("shop.Store/" + name)
        .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
        .build(), policy);
  }
}
