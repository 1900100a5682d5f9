package dev.courier.runtime.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The text format of a configuration file, by its name: YAML for {@code .yaml} and {@code .yml},
 * properties otherwise. Both give the same keys. YAML needs SnakeYAML, an optional dependency of
 * the runtime: {@link #of} checks it is there, so that a missing parser fails when the source is
 * made, in one line naming the artifact, not at the first read.
 */
enum ConfigFormat {
  PROPERTIES("properties"),
  YAML("YAML");

  static final String YAML_PARSER = "org.yaml.snakeyaml.Yaml";

  private final String name;

  ConfigFormat(String name) {
    this.name = name;
  }

  /**
   * The format of {@code file}; {@code loader} is where SnakeYAML is looked for.
   *
   * @throws IllegalStateException for a YAML file without SnakeYAML on the class path
   */
  static ConfigFormat of(Path file, ClassLoader loader) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!name.endsWith(".yaml") && !name.endsWith(".yml")) {
      return PROPERTIES;
    }
    try {
      Class.forName(YAML_PARSER, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException("config: " + file + " is YAML, and reading YAML needs SnakeYAML, which is not"
          + " on the class path (expected: add the dependency org.yaml:snakeyaml, its version is in courier-bom; or"
          + " write the same keys as a .properties file)");
    }
    return YAML;
  }

  /**
   * The keys and values of {@code text}.
   *
   * @throws IllegalArgumentException saying where and why the text is not of this format
   */
  Map<String, String> read(String text) {
    return this == YAML ? YamlConfigText.read(text) : Configs.properties(text);
  }

  @Override
  public String toString() {
    return name;
  }
}
