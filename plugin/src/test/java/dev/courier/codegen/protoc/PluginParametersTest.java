package dev.courier.codegen.protoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginParametersTest {

  @Test
  void noParameterMeansDocsInCourierDocsAndNoJavaNames() {
    PluginParameters p = PluginParameters.parse("");

    assertThat(p.docs()).isTrue();
    assertThat(p.docsDirectory()).isEqualTo("courier-docs");
    assertThat(p.javaNames()).isEmpty();
  }

  @Test
  void optionsAreCommaSeparatedAndJavaNameRepeats() {
    PluginParameters p = PluginParameters.parse("docs=false, docs_dir=ref/,java_name=a.S=Sa,java_name=b.T=Tb");

    assertThat(p.docs()).isFalse();
    assertThat(p.docsDirectory()).isEqualTo("ref");
    assertThat(p.javaNames()).isEqualTo(Map.of("a.S", "Sa", "b.T", "Tb"));
  }

  @Test
  void aMisspeltOptionNamesTheNearestOne() {
    assertThatThrownBy(() -> PluginParameters.parse("doc=false"))
        .hasMessage("unknown option \"doc\" (did you mean docs? expected docs, docs_dir, java_name)");
  }

  @Test
  void aBooleanThatIsNotOneIsRefused() {
    assertThatThrownBy(() -> PluginParameters.parse("docs=maybe")).hasMessage("option docs=maybe: expected true or false");
  }

  @Test
  void docsOutsideTheOutputFolderAreRefused() {
    assertThatThrownBy(() -> PluginParameters.parse("docs_dir=../x")).hasMessageContaining("below protoc's output folder");
  }
}
