package dev.courier.runtime.config;

import dev.courier.runtime.MethodPolicy;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one version of configuration says about one service: its targets, the settings for every
 * method, the settings of each method, and its retry budget. Made by {@link PolicyKeys#read}.
 * Immutable.
 *
 * @param serviceName the full gRPC service name
 * @param targets {@code courier.<service>.targets}, {@code null} when not given
 * @param service {@code courier.<service>.<setting>}: for every method
 * @param methods {@code courier.<service>/<Method>.<setting>}, by full method name; applied after {@code service}
 * @param budget the {@code budget.*} settings over the defaults, {@code null} when none is given
 */
public record ServiceLayer(
    String serviceName, String targets, PolicyOverride service, Map<String, PolicyOverride> methods,
    BudgetSettings budget) {
  public ServiceLayer {
    Objects.requireNonNull(serviceName, "serviceName");
    Objects.requireNonNull(service, "service");
    methods = Map.copyOf(methods);
  }

  /** Says nothing about {@code serviceName}. */
  public static ServiceLayer empty(String serviceName) {
    return new ServiceLayer(serviceName, null, PolicyOverride.NONE, Map.of(), null);
  }

  /** Whether this layer changes nothing. */
  public boolean isEmpty() {
    return targets == null && service.isEmpty() && methods.isEmpty() && budget == null;
  }

  /**
   * {@code base} with this layer's settings for {@code fullMethodName} on top: the service's, then
   * the method's.
   *
   * @throws ConfigException naming the key that cannot apply, or that the result breaks a rule of
   *     {@link PolicyRules}
   */
  public MethodPolicy applyTo(MethodPolicy base, String fullMethodName) {
    MethodPolicy.Builder b = service.applyTo(base.toBuilder());
    PolicyOverride own = methods.get(fullMethodName);
    if (own != null) {
      b = own.applyTo(b);
    }
    return b.build();
  }

  /**
   * What keeps this layer from applying to {@code fullMethodName} over {@code base}: a setting
   * that cannot apply, or a rule of {@link PolicyRules} the result breaks. Each problem names the
   * key most to blame (the method's own before the service's) and its value; empty when it applies.
   */
  public java.util.List<ConfigProblem> check(MethodPolicy base, String fullMethodName) {
    java.util.List<ConfigProblem> problems = new java.util.ArrayList<>();
    MethodPolicy.Builder b = service.applyTo(base.toBuilder(), problems::add);
    PolicyOverride own = methods.get(fullMethodName);
    if (own != null) {
      b = own.applyTo(b, problems::add);
    }
    MethodPolicy policy;
    try {
      policy = b.build();
    } catch (IllegalArgumentException e) { // MethodPolicy.build: hedging a method that is not idempotent
      problems.add(blame(fullMethodName, fullMethodName + ": hedge on a method that is not idempotent: hedged"
          + " attempts run the request more than once. Declare idempotent: true if that is safe, or remove hedge",
          "hedge.after", "hedge.max", "idempotent"));
      return problems;
    }
    java.util.List<String> already = PolicyRules.violations(fullMethodName, base); // not this layer's doing
    for (String violation : PolicyRules.violations(fullMethodName, policy)) {
      if (already.contains(violation)) {
        continue;
      }
      problems.add(violation.contains("retryableCodes")
          ? blame(fullMethodName, violation, "retry.retryableCodes", "idempotent")
          : blame(fullMethodName, violation, "hedge.after", "hedge.max", "idempotent"));
    }
    return problems;
  }

  /** A problem on the first of {@code settings} this layer sets, the method's keys before the service's. */
  private ConfigProblem blame(String fullMethodName, String reason, String... settings) {
    PolicyOverride own = methods.getOrDefault(fullMethodName, PolicyOverride.NONE);
    for (PolicyOverride scope : java.util.List.of(own, service)) {
      for (String setting : settings) {
        for (PolicyOverride.Step step : scope.steps()) {
          if (step.key().endsWith("." + setting)) {
            return new ConfigProblem(step.key(), step.value(), reason);
          }
        }
      }
    }
    return new ConfigProblem("courier." + fullMethodName, "", reason);
  }

  /** The targets, when given. */
  public Optional<String> targetsIfGiven() {
    return Optional.ofNullable(targets);
  }
}
