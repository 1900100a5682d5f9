package dev.courier.codegen.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.codegen.GeneratedFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docs half of the pipeline with the real protoc and Courier's real templates: a second
 * output folder with its own manifest, user templates in the incremental fingerprint, and
 * template errors that fail the run before anything is written.
 */
class DocsPipelineTest {

  @TempDir Path temp;

  private final List<String> logged = new ArrayList<>();

  private final SourceGenerator noSources = services -> List.<GeneratedFile>of();

  private final BuildLog log = new BuildLog() {
    @Override
    public void info(String message) {
      logged.add(message);
    }

    @Override
    public void debug(String message) {}

    @Override
    public void warn(String message) {
      logged.add("WARN " + message);
    }

    @Override
    public void error(String message) {
      logged.add("ERROR " + message);
    }
  };

  private static final String SHOP = """
      syntax = "proto3";
      package shop;
      option java_multiple_files = true;
      option java_package = "com.example.shop";
      import "courier/options.proto";
      message StockRequest { string sku = 1; }
      message Stock { int32 count = 1; }
      // Stock levels.
      service Inventory {
        // How many are left.
        rpc GetStock (StockRequest) returns (Stock) {
          option (courier.method) = { idempotent: true, hash_key: "sku" };
        }
      }
      """;

  private Path docs() {
    return temp.resolve("target/generated-resources/courier");
  }

  private Path templates() {
    return temp.resolve("src/main/courier-templates");
  }

  private Path work() {
    return temp.resolve("target/courier");
  }

  private CodegenOutcome run() throws Exception {
    Path root = temp.resolve("src/main/proto");
    CodegenRequest request = new CodegenRequest(root, List.of(), List.of(), temp.resolve("target/generated-sources/courier"),
        work(), List.of(), false, TestProtoc.source(), "test")
        .withDocs(DocsRequest.of(docs(), templates(), "Courier test"));
    return new CodegenPipeline(noSources, log).run(request);
  }

  private void write(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  @Test
  void defaultDocsGoToTheResourcesFolderWithTheirOwnManifest() throws Exception {
    write(temp.resolve("src/main/proto/shop/inventory.proto"), SHOP);

    CodegenOutcome outcome = run();

    assertThat(docs().resolve("shop/Inventory-reference.md")).content().contains("GetStock").contains("How many are left");
    assertThat(docs().resolve("shop/Inventory-reference.html")).exists();
    assertThat(docs().resolve("shop/Inventory-config.properties")).exists();
    assertThat(outcome.docFiles()).isEqualTo(3);
    assertThat(work().resolve("docs-outputs.txt")).content()
        .startsWith("# Courier output manifest v1: " + docs())
        .contains("shop/Inventory-reference.md");
    assertThat(work().resolve("outputs.txt")).content().doesNotContain("reference.md");
    assertThat(logged).anyMatch(l -> l.contains("; 3 docs in " + docs() + " (3 written, 0 unchanged, 0 deleted)"));
  }

  @Test
  void userTemplatesReplaceADefaultAndAddOutputs() throws Exception {
    write(temp.resolve("src/main/proto/shop/inventory.proto"), SHOP);
    write(templates().resolve("service/reference.md.ftl"), "# ${service.name} by ${build.generator}\n");
    write(templates().resolve("build/index.txt.ftl"), "<#list build.services as s>${s.fullName}\n</#list>");

    run();

    assertThat(docs().resolve("shop/Inventory-reference.md")).hasContent("# Inventory by Courier test");
    assertThat(docs().resolve("index.txt")).hasContent("shop.Inventory");
    assertThat(docs().resolve("shop/Inventory-reference.html")).exists();
  }

  @Test
  void unchangedTemplatesSkipAndAChangedTemplateRegenerates() throws Exception {
    write(temp.resolve("src/main/proto/shop/inventory.proto"), SHOP);
    Path template = templates().resolve("build/index.txt.ftl");
    write(template, "one");
    run();
    FileTime old = FileTime.fromMillis(1_000_000L);
    Files.setLastModifiedTime(docs().resolve("shop/Inventory-reference.md"), old);

    assertThat(run().skipped()).isTrue();
    assertThat(logged).contains("Courier: 1 proto files unchanged, generation skipped");

    write(template, "two");
    CodegenOutcome third = run();

    assertThat(third.skipped()).isFalse();
    assertThat(docs().resolve("index.txt")).hasContent("two");
    assertThat(Files.getLastModifiedTime(docs().resolve("shop/Inventory-reference.md")))
        .as("unchanged docs are not rewritten").isEqualTo(old);
  }

  @Test
  void aDeletedDocFileRegenerates() throws Exception {
    write(temp.resolve("src/main/proto/shop/inventory.proto"), SHOP);
    run();
    Files.delete(docs().resolve("shop/Inventory-reference.html"));

    assertThat(run().skipped()).isFalse();
    assertThat(docs().resolve("shop/Inventory-reference.html")).exists();
  }

  @Test
  void aRemovedUserTemplateDeletesItsOutput() throws Exception {
    write(temp.resolve("src/main/proto/shop/inventory.proto"), SHOP);
    Path template = templates().resolve("build/index.txt.ftl");
    write(template, "one");
    run();
    Files.delete(template);

    run();

    assertThat(docs().resolve("index.txt")).doesNotExist();
    assertThat(docs().resolve("shop/Inventory-reference.md")).exists();
  }

  @Test
  void aTemplateErrorNamesTemplateLineAndVariableAndWritesNothing() throws Exception {
    write(temp.resolve("src/main/proto/shop/inventory.proto"), SHOP);
    write(templates().resolve("service/endpoints.txt.ftl"), "<#list service.methods as m>\n${m.polcy}\n</#list>\n");

    assertThatThrownBy(this::run)
        .isInstanceOfSatisfying(BuildException.class, e -> {
          assertThat(e.getMessage()).startsWith("Courier: 1 problem(s) in templates (templateDirectory " + templates() + ")");
          assertThat(e.details()).singleElement().asString()
              .startsWith("template service/endpoints.txt.ftl, line 2: ${m.polcy} is missing or null");
        });
    assertThat(docs()).doesNotExist();
    assertThat(work().resolve("fingerprint.txt")).doesNotExist();
  }
}
