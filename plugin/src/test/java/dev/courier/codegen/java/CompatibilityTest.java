package dev.courier.codegen.java;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.codegen.GeneratedFile;
import dev.courier.codegen.model.ModelReader;
import dev.courier.codegen.testing.TestCompiler;
import dev.courier.codegen.testing.TestProtoc;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any .proto that protoc accepts gives code that compiles with {@code -Xlint:all} and no warning
 * in Courier's files: proto2, proto3 and editions; one outer class or multiple files; nested
 * request types; several services in a file; one service name in two packages; well-known types;
 * names that collide with keywords, {@code java.lang} types, {@code Object}'s methods and
 * Courier's own names.
 */
class CompatibilityTest {
  private static final Path PROTOS = Paths.get("src/test/resources/protos/compat");

  @TempDir static Path work;
  static TestProtoc.Output protoc;
  static List<GeneratedFile> files;
  static Map<String, String> byPath;

  @BeforeAll
  static void generate() throws Exception {
    protoc = TestProtoc.run(PROTOS, work,
        "legacy/orders.proto", "modern/editions.proto", "alpha/echo.proto", "beta/echo.proto",
        "wkt/clock.proto", "names/collisions.proto", "shadow/shadow.proto");
    files = JavaSourceGenerator.generate(ModelReader.read(protoc.descriptorSet(), protoc.files()).services());
    byPath = files.stream().collect(Collectors.toMap(GeneratedFile::relativePath, GeneratedFile::content));
  }

  @Test
  void everyTrickyProtoCompilesWithoutWarningsInCourierFiles() throws Exception {
    TestCompiler.Result result = TestCompiler.compile(work, protoc.javaOut(), files);
    assertThat(result.allErrors()).isEmpty();
    assertThat(result.courierDiagnostics()).isEmpty();
    assertThat(result.success()).isTrue();
  }

  @Test
  void oneServiceNameInTwoPackagesGivesTwoSetsOfTypes() {
    assertThat(byPath).containsKeys("alpha/Echo.java", "alpha/EchoClient.java", "beta/Echo.java", "beta/EchoClient.java");
    assertThat(byPath.get("beta/EchoMethods.java")).contains("\"beta.Echo/SayMany\"");
  }

  @Test
  void severalServicesInOneFileAndNestedTypesUseTheOuterClass() {
    String orders = byPath.get("dev/courier/compat/legacy/Orders.java");
    assertThat(orders).contains("OrdersOuterClass.Order.Found find(OrdersOuterClass.Order.Lookup request)");
    assertThat(byPath).containsKey("dev/courier/compat/legacy/OrderAuditClient.java");
  }

  @Test
  void anAdaptiveHedgeIsGeneratedAsAPercentile() {
    assertThat(byPath.get("alpha/EchoMethods.java")).contains(".hedge(HedgePolicy.atPercentile(95.0, 2))");
  }

  @Test
  void hashKeysUseTheGetterThatFitsTheFieldType() {
    assertThat(byPath.get("dev/courier/compat/legacy/OrdersMethods.java"))
        .contains("request -> String.valueOf(request.getRegion().getNumber())");
    String oracle = byPath.get("dev/courier/compat/modern/OracleMethods.java");
    assertThat(oracle)
        .contains("request -> request.getToken().toString(StandardCharsets.ISO_8859_1)")
        .contains("request -> String.valueOf(request.getTierValue())")
        .contains("request -> String.valueOf(request.getCount())");
  }

  @Test
  void collidingNamesAreRenamedPredictably() {
    String tricky = byPath.get("dev/courier/compat/names/Tricky.java");
    assertThat(tricky)
        .contains(" getClass_(")
        .contains(" default_(")
        .contains(" hashCode_(")
        .contains(" toString_(")
        .contains(" close_(")
        .contains(" builder_(")
        .contains(" withDeadline_(")
        .contains(" wait_(")
        .contains(" notify_(")
        .contains(" switch_(");
    String client = byPath.get("dev/courier/compat/names/TrickyClient.java");
    assertThat(client)
        .contains("getStockAsync_(")
        .contains("getStockAsyncAsync(")
        .contains("getClassAsync(")
        .contains("withHashKey(java.lang.String hashKey)")
        .contains("@java.lang.Override")
        .contains("private final dev.courier.runtime.client.ClientRuntime runtime;")
        .doesNotContain("import java.lang");
    assertThat(byPath.get("dev/courier/compat/names/TrickyMethods.java"))
        .contains("SERVICE_ =")
        .contains("SERVICE_NAME_ =")
        .contains("public static final java.lang.String SERVICE_NAME = \"names.Tricky\"");
  }

  @Test
  void wellKnownTypesAreReferencedFromProtobufJava() {
    assertThat(byPath.get("dev/courier/compat/wkt/Clock.java"))
        .contains("import com.google.protobuf.Timestamp;")
        .contains("Timestamp now(Empty request)");
  }
}
