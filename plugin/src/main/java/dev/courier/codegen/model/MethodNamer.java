package dev.courier.codegen.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Gives each rpc its Java names: the method ({@code getStock}), the future-returning variant
 * ({@code getStockAsync}) and the descriptor constant ({@code GET_STOCK}).
 *
 * <p>A name that is a Java keyword, a method of {@link Object}, or one of the members Courier's
 * generated types already have gets a trailing underscore ({@code default_}, {@code getClass_},
 * {@code close_}). Two rpcs whose names differ only in case or underscores cannot both be kept,
 * and are reported.
 */
final class MethodNamer {
  /** Members of generated clients, servers and queue types that rpc methods must not shadow. */
  static final Set<String> COURIER_MEMBERS = Set.of(
      "close", "builder", "withDeadline", "withHashKey", "withTimeout", "create", "start", "bind",
      "withMetadata", "stats");

  /** Constants of the generated {@code XxxMethods} class. */
  static final Set<String> COURIER_CONSTANTS = Set.of("SERVICE_NAME", "SERVICE");

  private MethodNamer() {}

  static List<MethodModel> name(String serviceName, List<MethodModel> methods, String where, Consumer<String> problems) {
    Map<String, String> javaNames = new HashMap<>();
    Map<String, String> constants = new HashMap<>();
    List<String[]> assigned = new ArrayList<>();
    for (MethodModel m : methods) {
      String javaName = JavaNames.lowerCamel(m.protoName());
      if (JavaNames.isReservedMethodName(javaName) || COURIER_MEMBERS.contains(javaName)) {
        javaName += "_";
      }
      String constant = JavaNames.upperSnake(m.protoName());
      if (COURIER_CONSTANTS.contains(constant) || JavaNames.isKeyword(constant)) {
        constant += "_";
      }
      String clash = javaNames.putIfAbsent(javaName, m.protoName());
      String constantClash = constants.putIfAbsent(constant, m.protoName());
      if (clash != null || constantClash != null) {
        String other = clash != null ? clash : constantClash;
        problems.accept(where + ": rpcs " + other + " and " + m.protoName() + " both become the Java name "
            + (clash != null ? javaName : constant) + " (expected: rpc names that differ in more than case"
            + " and underscores; rename one of them)");
      }
      assigned.add(new String[] {javaName, constant});
    }
    Set<String> taken = new HashSet<>(javaNames.keySet());
    List<MethodModel> named = new ArrayList<>();
    for (int i = 0; i < methods.size(); i++) {
      MethodModel m = methods.get(i);
      String javaName = assigned.get(i)[0];
      String async = (javaName.endsWith("_") ? javaName.substring(0, javaName.length() - 1) : javaName) + "Async";
      while (taken.contains(async) || COURIER_MEMBERS.contains(async)) {
        async += "_";
      }
      taken.add(async);
      named.add(new MethodModel(m.protoName(), m.fullName(), javaName, async, assigned.get(i)[1], m.kind(),
          m.request(), m.response(), m.policy(), m.hashKey(), m.comment(), m.deprecated()));
    }
    return named;
  }
}
