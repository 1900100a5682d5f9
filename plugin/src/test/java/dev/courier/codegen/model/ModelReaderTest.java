package dev.courier.codegen.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.courier.codegen.CodegenException;
import dev.courier.codegen.testing.TestProtoc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Build-time validation: every problem names file, line, service, method and field, and says what to write. */
class ModelReaderTest {
  private static final Path PROTOS = Paths.get("src/test/resources/protos/invalid");

  @TempDir Path work;

  @Test
  void hashKeyMustNameAnExistingSingularScalarField() throws Exception {
    List<String> problems = problems("bad_keys.proto");

    assertThat(problems).hasSize(4);
    assertThat(problems.get(0)).isEqualTo("bad_keys.proto:18: service bad.Keys, method Unknown: hash_key \"skux\":"
        + " no field \"skux\" in bad.Req (fields: sku, item, tags)");
    assertThat(problems.get(1)).startsWith("bad_keys.proto:21: service bad.Keys, method Repeated:")
        .contains("field tags of bad.Req is repeated");
    assertThat(problems.get(2)).startsWith("bad_keys.proto:24: service bad.Keys, method WholeMessage:")
        .contains("is the message bad.Item").contains("such as \"item.sku\"");
    assertThat(problems.get(3)).startsWith("bad_keys.proto:27: service bad.Keys, method PastScalar:")
        .contains("\"length\" cannot follow it");
  }

  @Test
  void dottedHashKeyReadsThroughSubMessages() throws Exception {
    TestProtoc.Output out = TestProtoc.run(PROTOS, work, "good_policies.proto");
    Path fixture = Files.createTempDirectory(work, "keys");
    Files.writeString(fixture.resolve("k.proto"), """
        syntax = "proto3";
        package k;
        import "courier/options.proto";
        message Item { string sku = 1; }
        message Req { Item item = 1; }
        service S { rpc M (Req) returns (Req) { option (courier.method) = { hash_key: "item.sku" }; } }
        """);
    TestProtoc.Output keys = TestProtoc.run(fixture, Files.createTempDirectory(work, "out"), "k.proto");
    MethodModel method = ModelReader.read(keys.descriptorSet(), keys.files()).services().get(0).methods().get(0);

    assertThat(method.hashKey().getters()).containsExactly("getItem", "getSku");
    assertThat(method.hashKey().conversion()).isEqualTo(HashKeyModel.Conversion.STRING);
    assertThat(out.files()).isNotEmpty();
  }

  @Test
  void unsafeOrImpossiblePoliciesAreRejectedWithTheFix() throws Exception {
    List<String> problems = problems("bad_policies.proto");

    assertThat(problems).anySatisfy(p -> assertThat(p)
        .startsWith("bad_policies.proto:12: service bad.Policies, method RetriesUnsafe: retry.retryable_codes [DEADLINE_EXCEEDED]")
        .contains("Add idempotent: true"));
    assertThat(problems).anySatisfy(p -> assertThat(p)
        .isEqualTo("bad_policies.proto:15: service bad.Policies, method ZeroAttempts: retry.max_attempts 0"
            + " (expected: >= 1, the first attempt included; 1 means no retries)"));
    assertThat(problems).anySatisfy(p -> assertThat(p)
        .startsWith("bad_policies.proto:18: service bad.Policies, method NegativeBackoff: retry.initial_backoff \"-1s\" is negative"));
    assertThat(problems).anySatisfy(p -> assertThat(p)
        .startsWith("bad_policies.proto:21: service bad.Policies, method InvertedBackoff: retry.max_backoff")
        .contains("expected: max_backoff >= initial_backoff"));
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("method BadNumbers: retry.multiplier 0.5 (expected: >= 1.0)"));
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("method BadNumbers: retry.jitter 1.5 (expected: 0.0 to 1.0"));
    assertThat(problems).anySatisfy(p -> assertThat(p)
        .contains("method BadNumbers: retry.retryable_codes \"UNAVAILABEL\" is not a gRPC status code"));
    assertThat(problems).anySatisfy(p -> assertThat(p)
        .contains("method BadTimeout: timeout \"soon\" is not a duration (expected: a number and a unit"));
    assertThat(problems).anySatisfy(p -> assertThat(p)
        .contains("method QueuedStream: queue: true on a server-streaming method"));
    assertThat(problems).anySatisfy(p -> assertThat(p)
        .contains("method HedgedUnsafe: hedge on a method that is not idempotent"));
    assertThat(problems).hasSize(10);
  }

  @Test
  void aHedgePercentileOutsideP50ToP99Point9IsRejectedWithTheFix() throws Exception {
    List<String> problems = problems("bad_hedge.proto");

    assertThat(problems).containsExactly(
        "bad_hedge.proto:12: service bad.Hedges, method Hundred: hedge.hedge_after \"p100\" is not a percentile to"
            + " hedge after (expected: \"p50\" to \"p99.9\", such as \"p95\" to hedge the calls slower than 95% of the"
            + " method's recent ones, or a fixed delay such as \"20ms\")",
        "bad_hedge.proto:15: service bad.Hedges, method NotANumber: hedge.hedge_after \"pfast\" is not a percentile to"
            + " hedge after (expected: \"p50\" to \"p99.9\", such as \"p95\" to hedge the calls slower than 95% of the"
            + " method's recent ones, or a fixed delay such as \"20ms\")",
        "bad_hedge.proto:18: service bad.Hedges, method TooLow: hedge.hedge_after \"p10\" is not a percentile to"
            + " hedge after (expected: \"p50\" to \"p99.9\", such as \"p95\" to hedge the calls slower than 95% of the"
            + " method's recent ones, or a fixed delay such as \"20ms\")");
  }

  @Test
  void methodOptionsOverrideServiceOptionsFieldByField() throws Exception {
    TestProtoc.Output out = TestProtoc.run(PROTOS, work, "good_policies.proto");
    ServiceModel service = ModelReader.read(out.descriptorSet(), out.files()).services().get(0);

    PolicyModel plain = service.methods().get(0).policy();
    assertThat(plain.idempotent()).isTrue();
    assertThat(plain.balancer()).isEqualTo("LEAST_LOADED");
    assertThat(plain.timeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(plain.retry().maxAttempts()).isEqualTo(5);
    assertThat(plain.retry().initialBackoff()).isEqualTo(Duration.ofMillis(10));

    PolicyModel overrides = service.methods().get(1).policy();
    assertThat(overrides.idempotent()).isFalse();
    assertThat(overrides.balancer()).isEqualTo("ROUND_ROBIN");
    assertThat(overrides.timeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(overrides.retry().maxAttempts()).as("inherited from the service").isEqualTo(5);
    assertThat(overrides.retry().maxBackoff()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void generatedNameTakenByAMessageNamesBothSidesAndTheFix() throws Exception {
    List<String> problems = problems("collides.proto");

    assertThat(problems).containsExactly("collides.proto:12: service clash.Inventory: Courier's type InventoryClient"
        + " collides with message clash.InventoryClient in collides.proto in package"
        + " dev.courier.clash. Fix: add option (courier.service) = { java_name: \"InventoryService\" }; to the"
        + " service (Courier then names its types InventoryService, InventoryServiceClient, ...), or, for a .proto"
        + " you cannot edit, give the plugin <javaNames><clash.Inventory>InventoryService</clash.Inventory></javaNames>;"
        + " or rename one side, or give the files different java_package options");
  }

  @Test
  void aServiceWhoseTypesAllCollideIsReportedOnceAtItsLine() throws Exception {
    Path fixture = Files.createTempDirectory(work, "clash");
    Files.writeString(fixture.resolve("c.proto"), """
        syntax = "proto3";
        package c;
        option java_multiple_files = true;
        message Orders {}
        message ShopClient {}
        message ShopServer {}
        message ShopMethods {}

        service Shop { rpc Get (Orders) returns (Orders); }
        """);

    List<String> problems = problems(fixture, "c.proto");

    assertThat(problems).singleElement().asString().startsWith("c.proto:9: service c.Shop: Courier's types ShopClient collides with message c.ShopClient in"
        + " c.proto; ShopServer collides with message c.ShopServer in c.proto; ShopMethods collides with");
  }

  @Test
  void javaNamesFromTheBuildResolveACollisionInAProtoThatCannotBeEdited() throws Exception {
    TestProtoc.Output out = TestProtoc.run(PROTOS, work, "collides.proto");

    ServiceModel service = ModelReader.read(out.descriptorSet(), out.files(), java.util.Map.of("clash.Inventory", "Stock"))
        .services().get(0);

    assertThat(service.generatedTypeNames()).containsExactly("Stock", "StockAsync", "StockClient", "StockServer", "StockMethods");
  }

  @Test
  void aJavaNameForAnUnknownServiceIsAnErrorWithTheNearestName() throws Exception {
    TestProtoc.Output out = TestProtoc.run(PROTOS, work, "collides.proto");

    CodegenException e = catchThrowableOfType(CodegenException.class,
        () -> ModelReader.read(out.descriptorSet(), out.files(), java.util.Map.of("clash.Inventry", "Stock")));

    assertThat(e.problems()).first().asString()
        .startsWith("javaNames: no service clash.Inventry in the .proto files generated from (did you mean clash.Inventory?");
  }

  @Test
  void retryOnTakesStatusCodesUnquotedAndAddsToRetryableCodes() throws Exception {
    Path fixture = jobs("""
          option (courier.service) = { idempotent: true, retry: { retry_on: [ABORTED] } };
          rpc Enum (M) returns (M) { option (courier.method) = { retry: { retry_on: [UNAVAILABLE, RESOURCE_EXHAUSTED] } }; }
          rpc Both (M) returns (M) {
            option (courier.method) = { retry: { retryable_codes: ["UNAVAILABLE"], retry_on: [UNAVAILABLE, DATA_LOSS] } };
          }
          rpc Inherited (M) returns (M);
          rpc Strings (M) returns (M) { option (courier.method) = { retry: { retryable_codes: ["INTERNAL"] } }; }
        """);
    TestProtoc.Output out = TestProtoc.run(fixture, Files.createTempDirectory(work, "out"), "r.proto");

    List<MethodModel> methods = ModelReader.read(out.descriptorSet(), out.files()).services().get(0).methods();

    assertThat(methods).extracting(m -> m.policy().retry().retryableCodes()).containsExactly(
        List.of("UNAVAILABLE", "RESOURCE_EXHAUSTED"),
        List.of("UNAVAILABLE", "DATA_LOSS"),
        List.of("ABORTED"),
        List.of("INTERNAL"));
  }

  @Test
  void retryOnOkIsRefusedAndRetryOnANonIdempotentMethodNamesTheField() throws Exception {
    Path fixture = jobs("""
          rpc Ok (M) returns (M) { option (courier.method) = { idempotent: true, retry: { retry_on: [OK] } }; }
          rpc Unsafe (M) returns (M) { option (courier.method) = { retry: { retry_on: [DEADLINE_EXCEEDED] } }; }
        """);

    assertThat(problems(fixture, "r.proto")).satisfiesExactlyInAnyOrder(
        p -> assertThat(p).startsWith("r.proto:6: service r.Jobs, method Ok: retry.retry_on OK is not a gRPC failure status"),
        p -> assertThat(p).startsWith("r.proto:7: service r.Jobs, method Unsafe: retry.retry_on [DEADLINE_EXCEEDED] on a"
            + " method that is not idempotent").contains("or remove retry_on"));
  }

  @Test
  void queueOnTheServiceAndAStreamingMethodSaysToPutQueueFalseOnTheMethod() throws Exception {
    Path fixture = Files.createTempDirectory(work, "queue");
    Files.writeString(fixture.resolve("q.proto"), """
        syntax = "proto3";
        package q;
        import "courier/options.proto";
        message M {}
        service Jobs {
          option (courier.service) = { queue: true };
          rpc Submit (M) returns (M);
          rpc Watch (M) returns (stream M);
        }
        """);

    assertThat(problems(fixture, "q.proto")).singleElement().asString()
        .startsWith("q.proto:8: service q.Jobs, method Watch: queue: true on a server-streaming method")
        .contains("add option (courier.method) = { queue: false }; to this method")
        .doesNotContain("remove queue: true");
  }

  @Test
  void javaNameResolvesACollision() throws Exception {
    TestProtoc.Output out = TestProtoc.run(PROTOS, work, "collides_fixed.proto");
    ServiceModel service = ModelReader.read(out.descriptorSet(), out.files()).services().get(0);

    assertThat(service.generatedTypeNames())
        .containsExactly("InventoryService", "InventoryServiceAsync", "InventoryServiceClient", "InventoryServiceServer", "InventoryServiceMethods");
  }

  @Test
  void rpcsThatBecomeTheSameJavaNameAreReported() throws Exception {
    assertThat(problems("same_java_name.proto")).singleElement().asString()
        .startsWith("same_java_name.proto:9: service twins.Twins: rpcs GetItem and get_item both become the Java name getItem");
  }

  @Test
  void unknownAllowRulesAreRefusedWithTheFormsTheServerReads() throws Exception {
    assertThat(problems("bad_allow.proto")).containsExactly(
        "bad_allow.proto:13: service bad.Guarded, method Misspelt: allow \"rol:admin\" (expected one of anyone,"
            + " authenticated, role:<name>, principal:<name>; a call passes when any rule of the list admits it)",
        "bad_allow.proto:24: service bad.BadDefault, method Call: allow \"everyone\" (expected one of anyone,"
            + " authenticated, role:<name>, principal:<name>; a call passes when any rule of the list admits it)");
  }

  /** A folder with r.proto: package r, message M, and service Jobs of {@code body}, which starts at line 6. */
  private Path jobs(String body) throws Exception {
    Path fixture = Files.createTempDirectory(work, "codes");
    Files.writeString(fixture.resolve("r.proto"), """
        syntax = "proto3";
        package r;
        import "courier/options.proto";
        message M {}
        service Jobs {
        """ + body + "}\n");
    return fixture;
  }

  private List<String> problems(String file) throws Exception {
    return problems(PROTOS, file);
  }

  private List<String> problems(Path protos, String file) throws Exception {
    TestProtoc.Output out = TestProtoc.run(protos, Files.createTempDirectory(work, "out"), file);
    CodegenException e = catchThrowableOfType(CodegenException.class,
        () -> ModelReader.read(out.descriptorSet(), out.files()));
    assertThat(e).as("expected problems in %s", file).isNotNull();
    return e.problems();
  }
}
