package dev.courier.codegen.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtocDiagnosticsTest {

  private static final List<Path> IMPORT_PATH = List.of(Path.of("/p/src/main/proto"), Path.of("/p/target/courier/dependency-protos"));

  @Test
  void locatedLinesAreKeptAndCountedInTheSummary() {
    BuildException e = ProtocDiagnostics.failure(
        List.of("/p/src/main/proto/a.proto:5:3: Expected \";\".", "/p/src/main/proto/b.proto:1:1: Oops."), IMPORT_PATH, 1);

    assertThat(e.details()).containsExactly("/p/src/main/proto/a.proto:5:3: Expected \";\".",
        "/p/src/main/proto/b.proto:1:1: Oops.");
    assertThat(e.getMessage()).isEqualTo(
        "Courier: protoc failed with 2 error(s) in 2 .proto file(s); fix the lines above and build again");
  }

  @Test
  void missingImportNamesTheImportTheImporterAndTheDependencyToAdd() {
    BuildException e = ProtocDiagnostics.failure(List.of(
        "google/api/annotations.proto: File not found.",
        "/p/src/main/proto/a.proto:3:1: Import \"google/api/annotations.proto\" was not found or had errors."),
        IMPORT_PATH, 1);

    assertThat(e.details()).hasSize(2);
    assertThat(e.details().get(1))
        .contains("import \"google/api/annotations.proto\" (from /p/src/main/proto/a.proto:3)")
        .contains("/p/target/courier/dependency-protos")
        .contains("com.google.api.grpc:proto-google-common-protos");
  }

  @Test
  void unknownCourierOptionSaysWhichImportToAdd() {
    BuildException e = ProtocDiagnostics.failure(List.of(
        "/p/a.proto:6:12: Option \"(courier.method)\" unknown. Ensure that your proto definition file imports the proto which defines the option."),
        IMPORT_PATH, 1);

    assertThat(e.details().get(1)).contains("import \"courier/options.proto\";").contains("/p/a.proto");
  }

  @Test
  void unknownForeignOptionSaysToImportItsDefiningFile() {
    BuildException e = ProtocDiagnostics.failure(List.of(
        "/p/a.proto:6:12: Option \"(acme.rule).x\" unknown. Ensure that your proto definition file imports the proto which defines the option."),
        IMPORT_PATH, 1);

    assertThat(e.details().get(1)).contains("declares the extension acme.rule");
  }

  @Test
  void aMisspeltOptionFieldGetsTheNearestFieldAndTheList() {
    BuildException e = ProtocDiagnostics.failure(List.of("/p/a.proto:6:54: Error while parsing option value for"
        + " \"method\": Message type \"courier.MethodOptions\" has no field named \"idempotnet\"."), IMPORT_PATH, 1);

    assertThat(e.details().get(1)).startsWith("  Courier: did you mean \"idempotent\"? courier.MethodOptions has the"
        + " fields ").contains("hash_key");
  }

  @Test
  void aBareStatusCodeInRetryableCodesSaysToQuoteIt() {
    BuildException e = ProtocDiagnostics.failure(List.of("/p/a.proto:8:56: Error while parsing option value for"
        + " \"method\": Expected string, got: UNAVAILABLE"), IMPORT_PATH, 1);

    assertThat(e.details().get(1)).contains("retryable_codes: [\"UNAVAILABLE\"]");
  }
}
