package dev.courier.runtime.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The service-name check that the ZooKeeper and Consul backends share. */
class ServiceNameTest {
  @Test
  void fullGrpcServiceNamePasses() {
    assertThat(Discovery.requireServiceName("bookstore.v1.Catalog")).isEqualTo("bookstore.v1.Catalog");
  }

  @Test
  void methodNameBlankAndNullFail() {
    assertThatThrownBy(() -> Discovery.requireServiceName("bookstore.Catalog/GetBook"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("serviceName: 'bookstore.Catalog/GetBook' (expected: a gRPC service name)");
    assertThatThrownBy(() -> Discovery.requireServiceName(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("serviceName: ' ' (expected: a gRPC service name)");
    assertThatThrownBy(() -> Discovery.requireServiceName(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("serviceName");
  }
}
