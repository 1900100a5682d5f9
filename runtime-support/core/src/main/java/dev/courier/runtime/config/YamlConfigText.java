package dev.courier.runtime.config;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads YAML text into the keys of the properties format: nested mappings are joined with dots, so
 * {@code courier: {test.Echo/Echo: {timeout: 2s}}}, {@code courier.test.Echo/Echo: {timeout: 2s}}
 * and {@code courier.test.Echo/Echo.timeout: 2s} are the same key. A scalar is taken as written
 * ({@code 0.50} stays {@code 0.50}, an empty value removes the key); a list of scalars is joined
 * with commas ({@code retryableCodes: [UNAVAILABLE, ABORTED]}). Anything else (a list of mappings,
 * a key given twice, more than one document) is refused with its line. Stateless; SnakeYAML is
 * loaded only here (see {@link ConfigFormat}).
 */
final class YamlConfigText {
  private YamlConfigText() {}

  /**
   * The keys and values of {@code text}.
   *
   * @throws IllegalArgumentException {@code line N, column M: what is wrong}
   */
  static Map<String, String> read(String text) {
    LoaderOptions options = new LoaderOptions();
    Node root;
    try {
      root = new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      String context = e.getContext() != null && e.getProblemMark() != null ? e.getContext() + ", " : "";
      throw new IllegalArgumentException(at(mark) + flat(context + problem), e);
    } catch (YAMLException e) {
      throw new IllegalArgumentException(flat(e.getMessage()), e);
    }
    Map<String, String> values = new TreeMap<>();
    if (root == null) {
      return values; // an empty file, or comments only
    }
    if (!(root instanceof MappingNode mapping)) {
      throw new IllegalArgumentException(at(root.getStartMark())
          + "not a mapping of keys to values (expected: courier.<service>.timeout: 2s, or nested keys)");
    }
    Map<String, Mark> seen = new TreeMap<>();
    flatten("", mapping, values, seen);
    return values;
  }

  private static void flatten(String prefix, MappingNode mapping, Map<String, String> values, Map<String, Mark> seen) {
    Set<String> here = new HashSet<>();
    for (NodeTuple tuple : mapping.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode keyNode) || keyNode.getValue().isBlank()
          || keyNode.getTag().equals(Tag.MERGE)) {
        throw new IllegalArgumentException(at(tuple.getKeyNode().getStartMark())
            + "a key must be a name (merge keys << are not read)");
      }
      String key = prefix + keyNode.getValue().strip();
      if (!here.add(keyNode.getValue().strip())) {
        throw new IllegalArgumentException(at(keyNode.getStartMark()) + key + " is given twice in one mapping");
      }
      Node value = tuple.getValueNode();
      if (value instanceof MappingNode nested) {
        flatten(key + ".", nested, values, seen);
        continue;
      }
      Mark before = seen.putIfAbsent(key, keyNode.getStartMark());
      if (before != null) {
        throw new IllegalArgumentException(at(keyNode.getStartMark()) + key + " is given twice (first on line "
            + (before.getLine() + 1) + ")");
      }
      values.put(key, value(key, value));
    }
  }

  private static String value(String key, Node value) {
    if (value instanceof ScalarNode scalar) {
      return scalar.getTag().equals(Tag.NULL) ? "" : scalar.getValue(); // ~ or nothing: no value, as key= in properties
    }
    List<String> items = new ArrayList<>();
    for (Node item : ((SequenceNode) value).getValue()) {
      if (!(item instanceof ScalarNode scalar)) {
        throw new IllegalArgumentException(at(item.getStartMark()) + key
            + ": a list may hold only values (expected: [UNAVAILABLE, ABORTED])");
      }
      items.add(scalar.getValue().strip());
    }
    return String.join(",", items);
  }

  private static String at(Mark mark) {
    return mark == null ? "" : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ";
  }

  private static String flat(String message) {
    return message == null ? "not YAML" : message.replaceAll("\\s+", " ").strip();
  }
}
