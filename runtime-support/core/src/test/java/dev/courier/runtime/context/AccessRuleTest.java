package dev.courier.runtime.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessRuleTest {
  private static final Principal ADMIN = Principal.of("alice", Set.of("admin"), "bearer");
  private static final Principal USER = Principal.of("bob", Set.of("user"), "bearer");

  @Test
  void eachFormAdmitsWhatItSays() {
    assertThat(AccessRule.parse("anyone").admits(Optional.empty())).isTrue();
    assertThat(AccessRule.parse("authenticated").admits(Optional.empty())).isFalse();
    assertThat(AccessRule.parse("authenticated").admits(Optional.of(USER))).isTrue();
    assertThat(AccessRule.parse("role:admin").admits(Optional.of(ADMIN))).isTrue();
    assertThat(AccessRule.parse("role:admin").admits(Optional.of(USER))).isFalse();
    assertThat(AccessRule.parse("principal:bob").admits(Optional.of(USER))).isTrue();
    assertThat(AccessRule.parse("principal:bob").admits(Optional.of(ADMIN))).isFalse();
  }

  @Test
  void unknownFormsAreRefusedNamingTheRuleAndTheForms() {
    for (String bad : List.of("rol:admin", "role:", "admins", "role: admin", "")) {
      assertThatThrownBy(() -> AccessRule.parse(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("\"" + bad + "\"")
          .hasMessageContaining(AccessRule.FORMS);
    }
  }

  @Test
  void methodAccessAnswersUnauthenticatedForAnonymousAndPermissionDeniedForAKnownCaller() {
    MethodAccess access = MethodAccess.parse("shop.Inventory/RecordSale", List.of("role:admin"), "shop/inventory.proto");

    assertThat(access.refusal(Optional.of(ADMIN))).isEmpty();
    assertThat(access.refusal(Optional.empty())).get().extracting(Status::getCode).isEqualTo(Status.Code.UNAUTHENTICATED);
    Status denied = access.refusal(Optional.of(USER)).orElseThrow();
    assertThat(denied.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(denied.getDescription()).contains("bob", "shop.Inventory/RecordSale", "role:admin");
    assertThat(access.needsAuthentication()).isTrue();
    assertThat(MethodAccess.parse("a.B/C", List.of("role:x", "anyone"), "test").needsAuthentication()).isFalse();
  }

  @Test
  void aBadRuleNamesTheMethodAndWhereItWasDeclared() {
    assertThatThrownBy(() -> MethodAccess.parse("shop.Inventory/RecordSale", List.of("rol:admin"), "shop/inventory.proto"))
        .hasMessageContaining("shop.Inventory/RecordSale")
        .hasMessageContaining("shop/inventory.proto")
        .hasMessageContaining("rol:admin");
  }

  @Test
  void principalsShowNoCredentials() {
    assertThat(ADMIN.toString()).isEqualTo("Principal[alice, roles=[admin], via bearer]");
  }
}
