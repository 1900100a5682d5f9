package dev.courier.runtime.observe.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SemanticConventionsTest {
  @Test
  void thePropertyWinsThenTheConventionsOwnVariableThenStable() {
    assertThat(SemanticConventions.choose("old", "rpc/dup")).isEqualTo(SemanticConventions.OLD);
    assertThat(SemanticConventions.choose(" Both ", null)).isEqualTo(SemanticConventions.BOTH);
    assertThat(SemanticConventions.choose(null, "http,rpc/dup")).isEqualTo(SemanticConventions.BOTH);
    assertThat(SemanticConventions.choose(null, "rpc")).isEqualTo(SemanticConventions.STABLE);
    assertThat(SemanticConventions.choose("", null)).isEqualTo(SemanticConventions.STABLE);
  }

  @Test
  void anUnknownPropertyValueNamesThePropertyAndTheChoices() {
    assertThatThrownBy(() -> SemanticConventions.choose("newest", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("courier.otel.semconv: newest (expected: old, stable or both)");
  }

  @Test
  void oldAttributesSplitTheServiceFromTheMethodAndNumberTheStatus() {
    RpcAttributes old = new RpcAttributes(SemanticConventions.OLD, "grpc", "shop.Inventory/GetStock");
    assertThat(old.status(io.grpc.Status.Code.NOT_FOUND).asMap())
        .containsEntry(RpcAttributes.RPC_SYSTEM, "grpc")
        .containsEntry(RpcAttributes.RPC_SERVICE, "shop.Inventory")
        .containsEntry(RpcAttributes.RPC_METHOD, "GetStock")
        .containsEntry(RpcAttributes.RPC_GRPC_STATUS_CODE, 5L)
        .doesNotContainKey(RpcAttributes.RPC_SYSTEM_NAME);
  }

  @Test
  void anEndpointBecomesServerAddressAndPort() {
    assertThat(RpcAttributes.server("10.0.0.7:8080").asMap())
        .containsEntry(RpcAttributes.SERVER_ADDRESS, "10.0.0.7").containsEntry(RpcAttributes.SERVER_PORT, 8080L);
    assertThat(RpcAttributes.server("[::1]:9").asMap())
        .containsEntry(RpcAttributes.SERVER_ADDRESS, "::1").containsEntry(RpcAttributes.SERVER_PORT, 9L);
  }
}
