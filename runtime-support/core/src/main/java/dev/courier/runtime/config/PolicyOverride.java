package dev.courier.runtime.config;

import dev.courier.runtime.MethodPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The settings of one scope (a service, or one method) as changes to a {@link MethodPolicy}, in
 * key order, each remembering its key and value so that a failure names them. Values are parsed
 * when the override is made ({@link PolicyKeys}); what depends on the policy underneath (a
 * {@code hedge.max} without a hedge) fails when it is applied. Immutable.
 */
public final class PolicyOverride {
  /** Changes nothing. */
  public static final PolicyOverride NONE = new PolicyOverride(List.of());

  /** One setting: its key, its value, and the change it makes. */
  record Step(String key, String value, UnaryOperator<MethodPolicy.Builder> change) {}

  private final List<Step> steps;

  PolicyOverride(List<Step> steps) {
    this.steps = List.copyOf(steps);
  }

  /**
   * Applies every setting to {@code builder}, in key order.
   *
   * @throws ConfigException naming the key and value of the setting that cannot apply
   */
  public MethodPolicy.Builder applyTo(MethodPolicy.Builder builder) {
    MethodPolicy.Builder b = builder;
    for (Step step : steps) {
      try {
        b = step.change().apply(b);
      } catch (ConfigException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw new ConfigException(new ConfigProblem(step.key(), step.value(), e.getMessage()), e);
      }
    }
    return b;
  }

  /**
   * Applies every setting that can apply to {@code builder}, in key order; each one that cannot
   * goes to {@code problems} and is skipped, so that one bad key does not hide the next.
   */
  MethodPolicy.Builder applyTo(MethodPolicy.Builder builder, java.util.function.Consumer<ConfigProblem> problems) {
    MethodPolicy.Builder b = builder;
    for (Step step : steps) {
      try {
        b = new PolicyOverride(List.of(step)).applyTo(b);
      } catch (ConfigException e) {
        problems.accept(e.problem());
      }
    }
    return b;
  }

  /** As a builder override, for {@code ClientBuilder.policy}. */
  public UnaryOperator<MethodPolicy.Builder> asOperator() {
    return this::applyTo;
  }

  List<Step> steps() {
    return steps;
  }

  public boolean isEmpty() {
    return steps.isEmpty();
  }

  /** The keys this override sets. */
  public List<String> keys() {
    List<String> keys = new ArrayList<>();
    steps.forEach(s -> keys.add(s.key()));
    return keys;
  }

  @Override
  public String toString() {
    return "PolicyOverride" + keys();
  }
}
