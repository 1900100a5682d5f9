package dev.courier.codegen.protoc;

import dev.courier.codegen.model.Suggestions;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * protoc's plugin parameter ({@code --courier_opt=...} or ascopes' {@code <options>}), parsed:
 * comma-separated {@code key=value} pairs.
 *
 * <ul>
 *   <li>{@code docs=true|false}: render the reference docs and configuration skeletons (default
 *       {@code true}, as {@code generateDocs});
 *   <li>{@code docs_dir=PATH}: the folder below protoc's output folder they go to (default
 *       {@code courier-docs});
 *   <li>{@code java_name=full.Service=Name}: a base name for a service's types, as the Maven
 *       plugin's {@code javaNames}; repeat it for more services.
 * </ul>
 *
 * Immutable.
 *
 * @param docs whether the docs are rendered
 * @param docsDirectory their folder, relative, {@code /}-separated, without a trailing slash
 * @param javaNames full service name to base name
 * @since 0.1.0
 */
record PluginParameters(boolean docs, String docsDirectory, Map<String, String> javaNames) {

  private static final List<String> KEYS = List.of("docs", "docs_dir", "java_name");

  PluginParameters {
    javaNames = Map.copyOf(javaNames);
  }

  /**
   * Parses protoc's parameter string.
   *
   * @throws IllegalArgumentException naming the option and what is expected
   */
  static PluginParameters parse(String parameter) {
    boolean docs = true;
    String docsDirectory = "courier-docs";
    Map<String, String> javaNames = new TreeMap<>();
    for (String pair : parameter == null ? new String[0] : parameter.split(",")) {
      String item = pair.strip();
      if (item.isEmpty()) {
        continue;
      }
      int eq = item.indexOf('=');
      String key = eq < 0 ? item : item.substring(0, eq).strip();
      String value = eq < 0 ? "" : item.substring(eq + 1).strip();
      switch (key) {
        case "docs" -> docs = flag(key, value);
        case "docs_dir" -> docsDirectory = directory(value);
        case "java_name" -> {
          int nameEq = value.lastIndexOf('=');
          if (nameEq <= 0 || nameEq == value.length() - 1) {
            throw new IllegalArgumentException("option java_name=" + value
                + ": expected java_name=<full service name>=<Java name>, such as java_name=grpc.testing.TestService=GrpcTestService");
          }
          javaNames.put(value.substring(0, nameEq).strip(), value.substring(nameEq + 1).strip());
        }
        default -> throw new IllegalArgumentException("unknown option \"" + key + "\" ("
            + Suggestions.closest(key, KEYS).map(k -> "did you mean " + k + "? ").orElse("")
            + "expected " + String.join(", ", KEYS) + ")");
      }
    }
    return new PluginParameters(docs, docsDirectory, javaNames);
  }

  private static boolean flag(String key, String value) {
    String v = value.toLowerCase(Locale.ROOT);
    if (v.equals("true") || v.isEmpty()) {
      return true;
    }
    if (v.equals("false")) {
      return false;
    }
    throw new IllegalArgumentException("option " + key + "=" + value + ": expected true or false");
  }

  private static String directory(String value) {
    String dir = value.replace('\\', '/');
    while (dir.endsWith("/")) {
      dir = dir.substring(0, dir.length() - 1);
    }
    if (dir.startsWith("/") || List.of(dir.split("/")).contains("..")) {
      throw new IllegalArgumentException("option docs_dir=" + value
          + ": expected a folder below protoc's output folder, such as courier-docs");
    }
    return dir;
  }
}
