package dev.courier.codegen.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.codegen.GeneratedFile;
import dev.courier.codegen.model.ServiceModel;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the whole pipeline with the real protoc and the real model reader, and a test double for
 * the Java source generator.
 */
class CodegenPipelineTest {

  @TempDir Path temp;

  private final List<String> logged = new ArrayList<>();
  private final AtomicInteger generatorCalls = new AtomicInteger();

  /** Writes one marker file per service the pipeline read, naming the proto file it came from. */
  private final SourceGenerator fakeGenerator = services -> {
    generatorCalls.incrementAndGet();
    List<GeneratedFile> out = new ArrayList<>();
    for (ServiceModel service : services) {
      out.add(new GeneratedFile("services/" + service.protoName() + ".txt", "from " + service.protoFile()));
    }
    return out;
  };

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

  private Path root() {
    return temp.resolve("src/main/proto");
  }

  private Path out() {
    return temp.resolve("target/generated-sources/courier");
  }

  private CodegenRequest request(List<Path> dependencies) {
    return new CodegenRequest(root(), List.of(), List.of(), out(), temp.resolve("target/courier"),
        dependencies, true, TestProtoc.source(), "test");
  }

  private CodegenOutcome run() throws BuildException {
    return new CodegenPipeline(fakeGenerator, log).run(request(List.of()));
  }

  private void proto(String path, String text) throws Exception {
    Path file = root().resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static final String SHOP = """
      syntax = "proto3";
      package shop;
      option java_multiple_files = true;
      option java_package = "com.example.shop";
      import "google/protobuf/empty.proto";
      import "courier/options.proto";
      message Stock { int32 count = 1; }
      service Inventory {
        rpc GetStock (google.protobuf.Empty) returns (Stock) {
          option (courier.method) = { idempotent: true };
        }
      }
      """;

  @Test
  void generatesMessagesAndServicesWithWellKnownTypesAndCourierOptionsOnTheImportPath() throws Exception {
    proto("shop/inventory.proto", SHOP);

    CodegenOutcome outcome = run();

    assertThat(out().resolve("com/example/shop/Stock.java")).exists();
    assertThat(out().resolve("services/Inventory.txt")).hasContent("from shop/inventory.proto");
    assertThat(out().resolve("google")).as("imports are not generated").doesNotExist();
    assertThat(outcome.skipped()).isFalse();
    assertThat(outcome.written()).isEqualTo(outcome.generatedFiles());
  }

  @Test
  void unchangedInputsSkipProtocAndRewriteNothing() throws Exception {
    proto("shop/inventory.proto", SHOP);
    run();
    Path stock = out().resolve("com/example/shop/Stock.java");
    FileTime old = FileTime.fromMillis(1_000_000L);
    Files.setLastModifiedTime(stock, old);

    CodegenOutcome second = run();

    assertThat(second.skipped()).isTrue();
    assertThat(generatorCalls).hasValue(1);
    assertThat(Files.getLastModifiedTime(stock)).isEqualTo(old);
    assertThat(logged).contains("Courier: 1 proto files unchanged, generation skipped");
  }

  @Test
  void aChangedProtoRegeneratesAndOnlyChangedFilesAreWritten() throws Exception {
    proto("shop/inventory.proto", SHOP);
    proto("shop/other.proto", "syntax = \"proto3\"; package shop; option java_package = \"com.example.shop\"; message Other {}");
    run();
    FileTime old = FileTime.fromMillis(1_000_000L);
    Files.setLastModifiedTime(out().resolve("com/example/shop/Stock.java"), old);

    proto("shop/other.proto", "syntax = \"proto3\"; package shop; option java_package = \"com.example.shop\"; message Other { int32 x = 1; }");
    CodegenOutcome second = run();

    assertThat(second.skipped()).isFalse();
    assertThat(generatorCalls).hasValue(2);
    assertThat(Files.getLastModifiedTime(out().resolve("com/example/shop/Stock.java"))).isEqualTo(old);
  }

  @Test
  void aMissingOutputFileRegenerates() throws Exception {
    proto("shop/inventory.proto", SHOP);
    run();
    Files.delete(out().resolve("services/Inventory.txt"));

    assertThat(run().skipped()).isFalse();
    assertThat(out().resolve("services/Inventory.txt")).exists();
  }

  @Test
  void filesOfADeletedProtoDisappear() throws Exception {
    proto("shop/inventory.proto", SHOP);
    proto("billing/invoice.proto", """
        syntax = "proto3";
        package billing;
        option java_package = "com.example.billing";
        message Invoice {}
        service Billing { rpc Send (Invoice) returns (Invoice); }
        """);
    run();
    assertThat(out().resolve("com/example/billing/InvoiceOuterClass.java")).exists();

    Files.delete(root().resolve("billing/invoice.proto"));
    CodegenOutcome second = run();

    assertThat(out().resolve("com/example/billing")).doesNotExist();
    assertThat(out().resolve("services/Billing.txt")).doesNotExist();
    assertThat(out().resolve("services/Inventory.txt")).exists();
    assertThat(second.deleted()).isEqualTo(2);
  }

  @Test
  void aBrokenProtoFailsWithProtocsAbsoluteFileLineColumn() throws Exception {
    proto("shop/broken.proto", "syntax = \"proto3\";\nmessage Foo {\n  int32 x = 1\n  string y = 2;\n}\n");

    assertThatThrownBy(this::run)
        .isInstanceOfSatisfying(BuildException.class, e -> {
          assertThat(e.details()).containsExactly(root().resolve("shop/broken.proto") + ":4:3: Expected \";\".");
          assertThat(e.getMessage()).startsWith("Courier: protoc failed with 1 error(s) in 1 .proto file(s)");
        });
  }

  @Test
  void aFailedRunIsNotTakenForUpToDate() throws Exception {
    proto("shop/inventory.proto", SHOP);
    run();
    proto("shop/inventory.proto", SHOP + "\nmessage Broken {");
    assertThatThrownBy(this::run).isInstanceOf(BuildException.class);

    proto("shop/inventory.proto", SHOP);
    assertThat(run().skipped()).isFalse();
  }

  @Test
  void importsResolveFromDependencyJarsAndTheFirstCopyWins() throws Exception {
    Path first = jar("first.jar", "acme/money.proto", "syntax = \"proto3\"; package acme; message Money { int64 cents = 1; }");
    Path second = jar("second.jar", "acme/money.proto", "this is not a proto and must not be read");
    proto("shop/price.proto", """
        syntax = "proto3";
        package shop;
        import "acme/money.proto";
        message Price { acme.Money amount = 1; }
        """);

    new CodegenPipeline(fakeGenerator, log).run(request(List.of(first, second)));

    assertThat(out().resolve("shop/PriceOuterClass.java")).exists();
    assertThat(out().resolve("acme")).as("dependency protos are imports, not generated").doesNotExist();
  }

  @Test
  void aChangedDependencyProtoRegenerates() throws Exception {
    Path dep = jar("dep.jar", "acme/money.proto", "syntax = \"proto3\"; package acme; message Money {}");
    proto("shop/price.proto", "syntax = \"proto3\"; package shop; import \"acme/money.proto\"; message Price { acme.Money m = 1; }");
    CodegenPipeline pipeline = new CodegenPipeline(fakeGenerator, log);
    pipeline.run(request(List.of(dep)));

    jar("dep.jar", "acme/money.proto", "syntax = \"proto3\"; package acme; message Money { int64 cents = 1; }");

    assertThat(pipeline.run(request(List.of(dep))).skipped()).isFalse();
  }

  @Test
  void aMissingImportSaysWhichImportFromWhereAndWhatToAdd() throws Exception {
    proto("shop/api.proto", "syntax = \"proto3\";\nimport \"google/api/annotations.proto\";\nmessage A {}\n");

    assertThatThrownBy(this::run)
        .isInstanceOfSatisfying(BuildException.class, e -> assertThat(String.join("\n", e.details()))
            .contains("import \"google/api/annotations.proto\" (from " + root().resolve("shop/api.proto") + ":2)")
            .contains("com.google.api.grpc:proto-google-common-protos"));
  }

  @Test
  void anUnknownCourierOptionSaysToImportCourierOptions() throws Exception {
    proto("shop/s.proto", SHOP.replace("import \"courier/options.proto\";", ""));

    assertThatThrownBy(this::run)
        .isInstanceOfSatisfying(BuildException.class, e -> assertThat(String.join("\n", e.details()))
            .contains("add import \"courier/options.proto\";"));
  }

  @Test
  void aMisspeltCourierExtensionWithTheImportPresentSuggestsTheRightNameNotTheImport() throws Exception {
    proto("shop/s.proto", SHOP.replace("(courier.method)", "(courier.methods)"));

    assertThatThrownBy(this::run)
        .isInstanceOfSatisfying(BuildException.class, e -> assertThat(String.join("\n", e.details()))
            .contains("Courier: did you mean (courier.method)? courier/options.proto, which ")
            .doesNotContain("add import"));
  }

  @Test
  void bareStatusCodesInRetryableCodesPointToTheQuotedFormAndToRetryOn() throws Exception {
    proto("shop/s.proto", SHOP.replace("{ idempotent: true }", "{ idempotent: true, retry: { retryable_codes: [UNAVAILABLE] } }"));

    assertThatThrownBy(this::run)
        .isInstanceOfSatisfying(BuildException.class, e -> assertThat(String.join("\n", e.details()))
            .contains("write retryable_codes: [\"UNAVAILABLE\"] (quoted), or retry_on: [UNAVAILABLE]"));
  }

  @Test
  void quotedStatusCodesInRetryOnPointToTheUnquotedForm() throws Exception {
    proto("shop/s.proto", SHOP.replace("{ idempotent: true }", "{ idempotent: true, retry: { retry_on: [\"UNAVAILABLE\"] } }"));

    assertThatThrownBy(this::run)
        .isInstanceOfSatisfying(BuildException.class, e -> assertThat(String.join("\n", e.details()))
            .contains("retry.retry_on takes status codes unquoted: write retry_on: [UNAVAILABLE]"));
  }

  @Test
  void modelProblemsBecomeDetailLinesAndASummaryAndNothingIsGenerated() throws Exception {
    proto("shop/inventory.proto", """
        syntax = "proto3";
        package shop;
        import "courier/options.proto";
        message Req { string sku = 1; repeated string tags = 2; }
        service Inventory {
          rpc Find (Req) returns (Req) { option (courier.method) = { hash_key: "skux" }; }
          rpc Tag (Req) returns (Req) { option (courier.method) = { hash_key: "tags" }; }
        }
        """);

    assertThatThrownBy(this::run)
        .isInstanceOfSatisfying(BuildException.class, e -> {
          assertThat(e.details()).containsExactly(
              "shop/inventory.proto:6: service shop.Inventory, method Find: hash_key \"skux\": no field \"skux\""
                  + " in shop.Req (fields: sku, tags)",
              "shop/inventory.proto:7: service shop.Inventory, method Tag: hash_key \"tags\": field tags of"
                  + " shop.Req is repeated (expected: a singular scalar, string or enum field)");
          assertThat(e.getMessage())
              .isEqualTo("Courier: 2 problem(s) in .proto files; fix the lines above and build again");
        });
    assertThat(generatorCalls).hasValue(0);
  }

  @Test
  void aMissingSourceRootLogsOneLineAndSucceeds() throws Exception {
    CodegenOutcome outcome = run();

    assertThat(outcome.hasSources()).isFalse();
    assertThat(logged).containsExactly("Courier: no .proto files in " + root() + ", nothing to generate");
    assertThat(generatorCalls).hasValue(0);
  }

  @Test
  void outputIsByteIdenticalAcrossCleanRuns() throws Exception {
    proto("shop/inventory.proto", SHOP);
    run();
    byte[] first = Files.readAllBytes(out().resolve("com/example/shop/Stock.java"));
    deleteTree(temp.resolve("target"));

    run();

    assertThat(Files.readAllBytes(out().resolve("com/example/shop/Stock.java"))).isEqualTo(first);
  }

  private static void deleteTree(Path dir) throws Exception {
    FileTrees.deleteRecursively(dir);
  }

  private Path jar(String name, String entry, String content) throws Exception {
    Path jar = temp.resolve(name);
    try (OutputStream os = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(os)) {
      zip.putNextEntry(new ZipEntry(entry));
      zip.write(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return jar;
  }
}
