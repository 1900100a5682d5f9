package dev.courier.codegen.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.codegen.model.PolicyModel.HedgeModel;
import dev.courier.codegen.model.PolicyModel.RetryModel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link PolicyModel#isDefault()} compares field by field: every field set on its own counts. */
class PolicyModelTest {
  @Test
  void onlyThePolicyWithNothingSetIsTheDefault() {
    assertThat(PolicyModel.DEFAULT.isDefault()).isTrue();
    assertThat(new PolicyModel(false, null, null, null, null, 0, false).isDefault()).isTrue();

    assertThat(List.of(
        new PolicyModel(true, null, null, null, null, 0, false),
        new PolicyModel(false, Duration.ofSeconds(1), null, null, null, 0, false),
        new PolicyModel(false, null, new RetryModel(3, null, null, null, null, List.of()), null, null, 0, false),
        new PolicyModel(false, null, null, new HedgeModel(Duration.ofMillis(20), 2), null, 0, false),
        new PolicyModel(false, null, null, null, "ROUND_ROBIN", 0, false),
        new PolicyModel(false, null, null, null, null, 8, false),
        new PolicyModel(false, null, null, null, null, 0, true)))
        .allSatisfy(policy -> assertThat(policy.isDefault()).as(policy.toString()).isFalse());
  }
}
