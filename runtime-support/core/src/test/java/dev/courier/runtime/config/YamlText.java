package dev.courier.runtime.config;

import java.util.Map;
import java.util.TreeMap;

/** Properties text as nested YAML, as an operator would write it: {@code courier:}, the method, then each setting. */
final class YamlText {
  private YamlText() {}

  static String nested(String properties) {
    Map<String, Object> tree = new TreeMap<>();
    StringBuilder out = new StringBuilder();
    properties.lines().filter(l -> l.startsWith("#")).forEach(l -> out.append(l).append('\n'));
    Configs.properties(properties).forEach((key, value) -> {
      int slash = key.indexOf('/');
      int dot = slash < 0 ? -1 : key.indexOf('.', slash);
      if (!key.startsWith("courier.") || dot < 0) {
        tree.put(key, value); // flat
        return;
      }
      Map<String, Object> node = child(child(tree, "courier"), key.substring("courier.".length(), dot));
      String[] path = key.substring(dot + 1).split("\\.");
      for (int i = 0; i < path.length - 1; i++) {
        node = child(node, path[i]);
      }
      node.put(path[path.length - 1], value);
    });
    write(tree, "", out);
    return out.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> child(Map<String, Object> node, String key) {
    return (Map<String, Object>) node.computeIfAbsent(key, k -> new TreeMap<String, Object>());
  }

  @SuppressWarnings("unchecked")
  private static void write(Map<String, Object> node, String indent, StringBuilder out) {
    node.forEach((key, value) -> {
      if (value instanceof Map<?, ?> map) {
        out.append(indent).append(key).append(":\n");
        write((Map<String, Object>) map, indent + "  ", out);
      } else {
        out.append(indent).append(key).append(": ").append(value).append('\n');
      }
    });
  }
}
