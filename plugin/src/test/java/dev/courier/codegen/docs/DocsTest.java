package dev.courier.codegen.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.courier.codegen.CodegenException;
import dev.courier.codegen.GeneratedFile;
import dev.courier.codegen.model.ModelReader;
import dev.courier.codegen.testing.TestProtoc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default templates, byte for byte against golden files (rewrite them with
 * {@code -Dcourier.golden.update=true}), and a user's template directory: overrides, additions,
 * and errors that name template, line and variable.
 */
class DocsTest {
  private static final Path PROTOS = Paths.get("src/test/resources/protos/golden");
  private static final Path GOLDEN = Paths.get("src/test/resources/golden/docs");
  private static final String GENERATOR = "Courier (test)";

  @TempDir Path work;

  @Test
  void defaultTemplatesMatchGoldenFiles() throws Exception {
    List<GeneratedFile> files = render(null);
    assertThat(files).extracting(GeneratedFile::relativePath).containsExactly(
        "shop/Inventory-config.properties", "shop/Inventory-reference.html", "shop/Inventory-reference.md");
    for (GeneratedFile file : files) {
      Path golden = GOLDEN.resolve(file.relativePath() + ".txt");
      if (Boolean.getBoolean("courier.golden.update")) {
        Files.createDirectories(golden.getParent());
        Files.writeString(golden, file.content(), StandardCharsets.UTF_8);
      }
      assertThat(file.content()).as(file.relativePath()).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
  }

  @Test
  void streamingMethodsAreDocumentedAsNotRetried() throws Exception {
    String md = contents(render(null)).get("shop/Inventory-reference.md");

    assertThat(md).contains("| [`WatchStock`](#watchstock) | server-streaming | `shop.StockRequest` | `shop.Stock` |"
        + " LEAST_LOADED | 2s | not retried |");
    assertThat(md.substring(md.indexOf("## WatchStock"), md.indexOf("## Count")))
        .contains("- **Retries:** none: a stream is not retried once it has started")
        .doesNotContain("attempts");
  }

  @Test
  void htmlReferenceEscapesProtoComments() throws Exception {
    String html = contents(render(null)).get("shop/Inventory-reference.html");
    assertThat(html).contains("&lt;b&gt;HTML&lt;/b&gt;").doesNotContain("<b>HTML</b>");
  }

  @Test
  void userTemplatesReplaceDefaultsByNameAndAddOutputs() throws Exception {
    Path templates = Files.createDirectories(work.resolve("templates"));
    Files.createDirectories(templates.resolve("service"));
    Files.createDirectories(templates.resolve("build"));
    Files.writeString(templates.resolve("service/reference.md.ftl"), "custom ${service.name}: <#list service.methods as m>${m.name} </#list>\n");
    Files.writeString(templates.resolve("build/services.txt.ftl"), "<#list build.services as s>${s.fullName}\n</#list>");

    Map<String, String> out = contents(render(templates));

    assertThat(out.get("shop/Inventory-reference.md")).isEqualTo("custom Inventory: GetStock WatchStock Count Move RecordSale \n");
    assertThat(out.get("services.txt")).isEqualTo("shop.Inventory\n");
    assertThat(out).containsKey("shop/Inventory-reference.html");
  }

  @Test
  void missingVariableNamesTemplateLineAndVariable() throws Exception {
    Path templates = Files.createDirectories(work.resolve("broken/service"));
    Files.writeString(templates.resolve("oops.txt.ftl"), "first line\n${service.nmae}\n");

    CodegenException e = catchThrowableOfType(CodegenException.class, () -> render(templates.getParent()));

    assertThat(e.getMessage()).startsWith("template service/oops.txt.ftl, line 2: ${service.nmae} is missing or null");
  }

  @Test
  void templateSyntaxErrorNamesTemplateAndLine() throws Exception {
    Path templates = Files.createDirectories(work.resolve("syntax/build"));
    Files.writeString(templates.resolve("bad.txt.ftl"), "ok\n<#list build.services as s>\n");

    CodegenException e = catchThrowableOfType(CodegenException.class, () -> render(templates.getParent()));

    assertThat(e.getMessage()).startsWith("template build/bad.txt.ftl, line ");
  }

  private List<GeneratedFile> render(Path templates) throws Exception {
    TestProtoc.Output protoc = TestProtoc.run(PROTOS, Files.createTempDirectory(work, "protoc"), "shop/inventory.proto");
    return DocsGenerator.generate(ModelReader.read(protoc.descriptorSet(), protoc.files()), templates, GENERATOR);
  }

  private static Map<String, String> contents(List<GeneratedFile> files) {
    return files.stream().collect(Collectors.toMap(GeneratedFile::relativePath, GeneratedFile::content));
  }
}
