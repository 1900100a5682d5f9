package dev.courier.runtime.context;

import io.grpc.Status;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may call one method: its {@code allow} rules and where they were declared. Decides a call
 * from its principal alone, so it is a pure object. Immutable.
 *
 * @param fullMethodName {@code package.Service/Method}
 * @param rules the allow list; a call passes when any rule admits it
 * @param source where the rules come from, for messages: a {@code .proto} file, or the server builder
 */
public record MethodAccess(String fullMethodName, List<AccessRule> rules, String source) {
  public MethodAccess {
    Objects.requireNonNull(fullMethodName, "fullMethodName");
    rules = List.copyOf(rules);
    Objects.requireNonNull(source, "source");
    if (rules.isEmpty()) {
      throw new IllegalArgumentException("allow list of " + fullMethodName + " is empty: give at least one of "
          + AccessRule.FORMS);
    }
  }

  /** Parses {@code rules}, naming the method and the source in the error when one is unknown. */
  public static MethodAccess parse(String fullMethodName, List<String> rules, String source) {
    try {
      return new MethodAccess(fullMethodName, rules.stream().map(AccessRule::parse).toList(), source);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(fullMethodName + " (" + source + "): " + e.getMessage(), e);
    }
  }

  /** Whether no rule admits an anonymous caller, so that the server needs an {@link Authenticator}. */
  public boolean needsAuthentication() {
    return rules.stream().allMatch(AccessRule::needsPrincipal);
  }

  /**
   * The status that refuses a call from {@code caller}, or empty when the call may go on: {@code
   * UNAUTHENTICATED} when no rule admits an anonymous call, {@code PERMISSION_DENIED} when the
   * caller is known but no rule admits it. The description names the method and the rules, never a
   * credential.
   */
  public Optional<Status> refusal(Optional<Principal> caller) {
    for (AccessRule rule : rules) {
      if (rule.admits(caller)) {
        return Optional.empty();
      }
    }
    if (caller.isEmpty()) {
      return Optional.of(Status.UNAUTHENTICATED.withDescription(fullMethodName + " needs an authenticated caller"
          + " (allow: " + rules + "); the call carried no credentials the server accepts"));
    }
    Principal p = caller.get();
    return Optional.of(Status.PERMISSION_DENIED.withDescription(p.name() + " (roles " + p.roles().stream().sorted().toList()
        + ") may not call " + fullMethodName + " (allow: " + rules + ")"));
  }
}
