package dev.courier.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** YAML gives the keys of the properties format, nested or flat; what it cannot mean is refused with its line. */
class YamlConfigTextTest {
  @Test
  void nestedAndFlatKeysAreTheKeysOfThePropertiesFormat() {
    String nested = """
        courier:
          test.Echo:
            timeout: 2s
            budget:
              share: 0.50
          test.Echo/Echo:
            retry:
              maxAttempts: 4
              retryableCodes: [UNAVAILABLE, ABORTED]
        """;
    String flat = """
        courier.test.Echo.timeout: 2s
        courier.test.Echo.budget.share: 0.50
        courier.test.Echo/Echo.retry.maxAttempts: 4
        courier.test.Echo/Echo.retry.retryableCodes:
          - UNAVAILABLE
          - ABORTED
        """;
    Map<String, String> expected = Configs.properties("""
        courier.test.Echo.timeout=2s
        courier.test.Echo.budget.share=0.50
        courier.test.Echo/Echo.retry.maxAttempts=4
        courier.test.Echo/Echo.retry.retryableCodes=UNAVAILABLE,ABORTED
        """);
    assertThat(YamlConfigText.read(nested)).isEqualTo(expected);
    assertThat(YamlConfigText.read(flat)).isEqualTo(expected);
  }

  @Test
  void anEmptyValueOrNullRemovesTheKeyAsAnEmptyPropertyDoes() {
    Map<String, String> values = YamlConfigText.read("courier.a.timeout:\ncourier.b.timeout: ~\n");
    assertThat(new ConfigVersion(values, "t", "1").values()).isEmpty();
    assertThat(YamlConfigText.read("# nothing live\n")).isEmpty();
  }

  @Test
  void aSyntaxErrorNamesItsLine() {
    assertThatThrownBy(() -> YamlConfigText.read("courier:\n  test.Echo:\n    timeout: 2s\n   retry: [\n"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("line 4, column ");
  }

  @Test
  void aListOfMappingsIsRefusedWithItsLine() {
    assertThatThrownBy(() -> YamlConfigText.read("courier.test.Echo.retry.retryableCodes:\n  - code: UNAVAILABLE\n"))
        .hasMessage("line 2, column 5: courier.test.Echo.retry.retryableCodes: a list may hold only values"
            + " (expected: [UNAVAILABLE, ABORTED])");
  }

  @Test
  void aKeyGivenTwiceIsRefusedNamingBothLines() {
    assertThatThrownBy(() -> YamlConfigText.read("courier.test.Echo.timeout: 2s\ncourier:\n  test.Echo.timeout: 3s\n"))
        .hasMessage("line 3, column 3: courier.test.Echo.timeout is given twice (first on line 1)");
    assertThatThrownBy(() -> YamlConfigText.read("courier:\n  a.timeout: 1s\ncourier:\n  b.timeout: 2s\n"))
        .hasMessage("line 3, column 1: courier is given twice in one mapping");
  }

  @Test
  void aDocumentThatIsNotAMappingIsRefused() {
    assertThatThrownBy(() -> YamlConfigText.read("- courier.test.Echo.timeout: 2s\n"))
        .hasMessageStartingWith("line 1, column 1: not a mapping of keys to values");
    assertThatThrownBy(() -> YamlConfigText.read("a: 1\n---\nb: 2\n"))
        .hasMessage("line 2, column 1: expected a single document in the stream, but found another document");
  }

  @Test
  void aYamlFileWithoutSnakeYamlFailsAtOnceNamingTheArtifact() {
    ClassLoader withoutSnakeYaml = new ClassLoader(null) {};
    assertThatThrownBy(() -> ConfigFormat.of(Path.of("/etc/app/courier.yaml"), withoutSnakeYaml))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("config: /etc/app/courier.yaml is YAML, and reading YAML needs SnakeYAML, which is not on the"
            + " class path (expected: add the dependency org.yaml:snakeyaml, its version is in courier-bom; or write"
            + " the same keys as a .properties file)");
    assertThat(ConfigFormat.of(Path.of("courier.properties"), withoutSnakeYaml)).isEqualTo(ConfigFormat.PROPERTIES);
    assertThat(ConfigFormat.of(Path.of("courier.YML"), getClass().getClassLoader())).isEqualTo(ConfigFormat.YAML);
  }
}
