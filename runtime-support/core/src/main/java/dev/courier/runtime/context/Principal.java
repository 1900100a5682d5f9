package dev.courier.runtime.context;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is calling, as an {@link Authenticator} established it: a name, the roles that access rules
 * ({@code allow: ["role:admin"]}) test, and how it was established ({@code "bearer"}, {@code
 * "mtls"}, ...). It holds no credential: a principal may be logged. Immutable.
 */
public final class Principal {
  private final String name;
  private final Set<String> roles;
  private final String method;

  private Principal(String name, Set<String> roles, String method) {
    this.name = name;
    this.roles = Set.copyOf(roles);
    this.method = method;
  }

  /**
   * A principal called {@code name} with {@code roles}, authenticated by {@code method} (a short
   * word for logs and the status page, such as {@code "bearer"}).
   */
  public static Principal of(String name, Set<String> roles, String method) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(roles, "roles");
    Objects.requireNonNull(method, "method");
    if (name.isBlank()) {
      throw new IllegalArgumentException("Principal name is blank: give the caller's user or service name");
    }
    return new Principal(name, roles, method);
  }

  public String name() {
    return name;
  }

  public Set<String> roles() {
    return roles;
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }

  /** How the principal was authenticated: {@code "bearer"}, {@code "mtls"}, or an authenticator's own word. */
  public String authenticationMethod() {
    return method;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Principal p && p.name.equals(name) && p.roles.equals(roles) && p.method.equals(method);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, roles, method);
  }

  @Override
  public String toString() {
    return "Principal[" + name + ", roles=" + new TreeSet<>(roles) + ", via " + method + "]";
  }
}
