package dev.courier.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.retry.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientBuilderTest {
  private static final RpcMethod<com.google.protobuf.StringValue, com.google.protobuf.StringValue> ECHO =
      RpcMethod.of(Replicas.ECHO, MethodPolicy.builder().timeout(Duration.ofSeconds(3)).build());

  @Test
  void buildWithoutEndpointsOrSourceFails() {
    assertThatThrownBy(() -> ClientBuilder.forService("test.Echo", runtime -> runtime).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no endpoints for test.Echo");
  }

  @Test
  void methodOverrideWinsOverServiceOverrideWhichWinsOverTheDeclaredPolicy() {
    ClientBuilder<ClientRuntime> builder = ClientBuilder.forService("test.Echo", runtime -> runtime)
        .target("127.0.0.1:1")
        .deadline(Duration.ofSeconds(5))
        .retry(RetryPolicy.NONE)
        .policy("Echo", p -> p.timeout(Duration.ofSeconds(7)));
    MethodPolicy effective = builder.config().policyOf(ECHO);
    assertThat(effective.timeout()).contains(Duration.ofSeconds(7));
    assertThat(effective.retry()).isEqualTo(RetryPolicy.NONE);
  }

  @Test
  void laterBuilderChangesDoNotReachABuiltClient() {
    ClientBuilder<ClientRuntime> builder = ClientBuilder.forService("test.Echo", runtime -> runtime)
        .target("127.0.0.1:1");
    ClientConfig frozen = builder.config();
    builder.deadline(Duration.ofSeconds(1));
    assertThat(frozen.policyOf(ECHO).timeout()).contains(Duration.ofSeconds(3));
  }

  @Test
  void aDeadlineThatIsNotPositiveFailsAtOnceNamingTheSetting() {
    ClientBuilder<ClientRuntime> builder = ClientBuilder.forService("test.Echo", runtime -> runtime);
    assertThatThrownBy(() -> builder.deadline(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("deadline: PT0S (expected: > 0)");
    assertThatThrownBy(() -> builder.deadline(Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("deadline: PT-0.005S (expected: > 0)");
  }

  @Test
  void aBlankTargetFailsAtOnceSayingWhatToWrite() {
    assertThatThrownBy(() -> ClientBuilder.forService("test.Echo", runtime -> runtime).target(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("targets: ' ' (expected: host:port[,host:port...] or dns:///host:port)");
  }

  @Test
  void aNullSettingFailsWithItsName() {
    ClientBuilder<ClientRuntime> builder = ClientBuilder.forService("test.Echo", runtime -> runtime);
    assertThatThrownBy(() -> builder.scheduler(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("scheduler");
    assertThatThrownBy(() -> builder.target(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("targets");
  }

  @Test
  void buildFreezesEveryDefault() {
    ClientConfig config = ClientBuilder.forService("test.Echo", runtime -> runtime).target("127.0.0.1:1").config();
    assertThat(config.serviceName()).isEqualTo("test.Echo");
    assertThat(config.balancer()).as("none set: chosen per method").isNull();
    assertThat(config.passiveHealth()).isEqualTo(PassiveHealth.DEFAULT);
    assertThat(config.retryBudget().isUnlimited()).isFalse();
    assertThat(config.callbackExecutor()).isNull();
    assertThat(config.scheduler()).isNotNull();
    assertThat(config.methodOverrides()).isEmpty();
  }

  @Test
  void theDefaultBalancerIsLeastLoadedAndConsistentHashForAMethodWithAHashKey() {
    ClientConfig config = ClientBuilder.forService("test.Echo", runtime -> runtime).target("127.0.0.1:1").config();
    RpcMethod<StringValue, StringValue> keyed = RpcMethod.of(ECHO.descriptor(), MethodPolicy.DEFAULT,
        StringValue::getValue);
    assertThat(config.balancerOf(ECHO, ECHO.policy())).isEqualTo(BalancerKind.LEAST_LOADED);
    assertThat(config.balancerOf(keyed, keyed.policy())).isEqualTo(BalancerKind.CONSISTENT_HASH);
  }

  @Test
  void aBalancerSetOnTheBuilderOrDeclaredByTheMethodWins() {
    ClientConfig config = ClientBuilder.forService("test.Echo", runtime -> runtime).target("127.0.0.1:1")
        .balancer(BalancerKind.ROUND_ROBIN).config();
    MethodPolicy declared = MethodPolicy.builder().balancer(BalancerKind.RANDOM).build();
    assertThat(config.balancerOf(ECHO, ECHO.policy())).isEqualTo(BalancerKind.ROUND_ROBIN);
    assertThat(config.balancerOf(ECHO, declared)).isEqualTo(BalancerKind.RANDOM);
  }

  @Test
  void theDeclaredPolicyAppliesWhenNothingOverridesIt() {
    ClientConfig config = ClientBuilder.forService("test.Echo", runtime -> runtime).target("127.0.0.1:1").config();
    assertThat(config.policyOf(ECHO)).isEqualTo(ECHO.policy());
  }

  @Test
  void eachBuildGetsItsOwnDefaultBudget() {
    ClientBuilder<ClientRuntime> builder = ClientBuilder.forService("test.Echo", runtime -> runtime)
        .target("127.0.0.1:1");
    assertThat(builder.config().retryBudget()).isNotSameAs(builder.config().retryBudget());
  }
}
