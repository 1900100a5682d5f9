package dev.courier.runtime.context;

import java.util.Objects;
import java.util.Optional;

/**
 * One rule of a method's {@code allow} list: who may call it. A call is allowed when any rule of
 * the list admits its caller. The forms, as written in the {@code .proto} ({@code (courier.method)
 * = { allow: ["role:admin"] }}) or given to {@code CourierServer.Builder.allow}:
 * <ul>
 *   <li>{@code anyone}: every call, anonymous ones too;
 *   <li>{@code authenticated}: any caller the server's {@link Authenticator} recognised;
 *   <li>{@code role:<name>}: a caller with that role;
 *   <li>{@code principal:<name>}: the caller of that name.
 * </ul>
 * Immutable.
 */
public final class AccessRule {
  /** The forms {@link #parse} accepts, for error messages. */
  public static final String FORMS = "anyone, authenticated, role:<name>, principal:<name>";

  private enum Kind { ANYONE, AUTHENTICATED, ROLE, PRINCIPAL }

  private final Kind kind;
  private final String name; // the role or principal name; null for the others

  private AccessRule(Kind kind, String name) {
    this.kind = kind;
    this.name = name;
  }

  /**
   * The rule {@code text} stands for.
   *
   * @throws IllegalArgumentException naming the text and the forms when it is none of them
   */
  public static AccessRule parse(String text) {
    Objects.requireNonNull(text, "text");
    String rule = text.strip();
    if (rule.equals("anyone")) {
      return new AccessRule(Kind.ANYONE, null);
    }
    if (rule.equals("authenticated")) {
      return new AccessRule(Kind.AUTHENTICATED, null);
    }
    int colon = rule.indexOf(':');
    if (colon > 0 && colon < rule.length() - 1) {
      String prefix = rule.substring(0, colon);
      String value = rule.substring(colon + 1);
      if (value.isBlank() || !value.equals(value.strip())) {
        throw unknown(text);
      }
      if (prefix.equals("role")) {
        return new AccessRule(Kind.ROLE, value);
      }
      if (prefix.equals("principal")) {
        return new AccessRule(Kind.PRINCIPAL, value);
      }
    }
    throw unknown(text);
  }

  private static IllegalArgumentException unknown(String text) {
    return new IllegalArgumentException("Unknown access rule \"" + text + "\": expected one of " + FORMS);
  }

  /** Whether the rule admits {@code caller} (empty: an anonymous call). */
  public boolean admits(Optional<Principal> caller) {
    return switch (kind) {
      case ANYONE -> true;
      case AUTHENTICATED -> caller.isPresent();
      case ROLE -> caller.map(p -> p.hasRole(name)).orElse(false);
      case PRINCIPAL -> caller.map(p -> p.name().equals(name)).orElse(false);
    };
  }

  /** Whether an anonymous caller can never pass this rule. */
  boolean needsPrincipal() {
    return kind != Kind.ANYONE;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AccessRule r && r.kind == kind && Objects.equals(r.name, name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, name);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case ANYONE -> "anyone";
      case AUTHENTICATED -> "authenticated";
      case ROLE -> "role:" + name;
      case PRINCIPAL -> "principal:" + name;
    };
  }
}
