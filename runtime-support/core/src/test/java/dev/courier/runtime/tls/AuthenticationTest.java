package dev.courier.runtime.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodOptions;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.StringValue;
import dev.courier.options.CourierOptionsProto;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.ProtoSchema;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.context.Authenticator;
import dev.courier.runtime.context.CallContext;
import dev.courier.runtime.context.PeerIdentity;
import dev.courier.runtime.context.Principal;
import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.retry.RetryPolicy;
import dev.courier.runtime.server.CourierServer;
import dev.courier.runtime.server.ServiceBindings;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication and per-method access rules on a real TLS server, with certificates made for the
 * test: rules declared in the {@code .proto} options ({@code (courier.method).allow}), a bearer-token
 * authenticator, and the mTLS identity in the call context.
 */
class AuthenticationTest {
  private static final String SERVICE = "test.Vault";
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Map<String, Principal> TOKENS = Map.of(
      "admin-token", Principal.of("alice", Set.of("admin"), "bearer"),
      "reader-token", Principal.of("bob", Set.of("reader"), "bearer"));

  /** {@code test.Vault} with {@code Rotate} allowing role:admin and {@code Status} allowing anyone, as a .proto would declare. */
  private static final FileDescriptor FILE = vaultProto();
  private static final RpcMethod<StringValue, StringValue> ROTATE = method("Rotate");
  private static final RpcMethod<StringValue, StringValue> STATUS = method("Status");
  private static final RpcMethod<StringValue, StringValue> READ = method("Read");

  @TempDir
  static Path dir;
  private static TestCertificates.Issued ca;
  private static TestCertificates.Issued serverCert;
  private static TestCertificates.Issued clientCert;

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
  private final List<String> refusals = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void makeCertificates() {
    ca = TestCertificates.ca(dir, "test-ca");
    serverCert = TestCertificates.server(dir, ca, "server");
    clientCert = TestCertificates.client(dir, ca, "billing-service");
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  @Test
  void aCallWithoutABearerTokenIsUnauthenticatedAndNeverRuns() {
    CourierServer server = start(CourierServer.builder().authenticator(Authenticator.bearer(token -> Optional.ofNullable(TOKENS.get(token)))), false);

    CourierException e = catchThrowableOfType(CourierException.class,
        () -> client(server, null, false).blockingUnary(ROTATE, StringValue.of("k")));

    assertThat(e.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(e.getMessage()).contains("test.Vault/Rotate", "role:admin");
    assertThat(executions("Rotate")).isZero();
    assertThat(refusals).containsExactly("test.Vault/Rotate UNAUTHENTICATED");
  }

  @Test
  void aCallerWithTheWrongRoleIsDeniedAndTheImplementationNeverRuns() {
    CourierServer server = start(CourierServer.builder().authenticator(Authenticator.bearer(token -> Optional.ofNullable(TOKENS.get(token)))), false);

    CourierException e = catchThrowableOfType(CourierException.class,
        () -> client(server, "reader-token", false).blockingUnary(ROTATE, StringValue.of("k")));

    assertThat(e.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(e.getMessage()).contains("bob", "role:admin").doesNotContain("reader-token");
    assertThat(executions("Rotate")).isZero();
    assertThat(refusals).containsExactly("test.Vault/Rotate PERMISSION_DENIED");
  }

  @Test
  void theRightRolePassesAndTheImplementationSeesThePrincipal() {
    AtomicReference<Principal> seen = new AtomicReference<>();
    CourierServer server = start(CourierServer.builder().authenticator(Authenticator.bearer(token -> Optional.ofNullable(TOKENS.get(token)))), false, seen);

    assertThat(client(server, "admin-token", false).blockingUnary(ROTATE, StringValue.of("k")).getValue()).isEqualTo("k");
    assertThat(seen.get()).isEqualTo(TOKENS.get("admin-token"));
    assertThat(client(server, null, false).blockingUnary(STATUS, StringValue.of("s")).getValue())
        .as("Status allows anyone").isEqualTo("s");
  }

  @Test
  void anUnknownTokenIsUnauthenticatedWithoutEchoingTheToken() {
    CourierServer server = start(CourierServer.builder().authenticator(Authenticator.bearer(token -> Optional.ofNullable(TOKENS.get(token)))), false);

    CourierException e = catchThrowableOfType(CourierException.class,
        () -> client(server, "forged-9f8e7d", false).blockingUnary(STATUS, StringValue.of("s")));

    assertThat(e.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(e.getMessage()).doesNotContain("forged-9f8e7d");
  }

  @Test
  void methodsWithoutRulesNeedAnAuthenticatedCallerOnceThereIsAnAuthenticator() {
    CourierServer server = start(CourierServer.builder().authenticator(Authenticator.bearer(token -> Optional.ofNullable(TOKENS.get(token)))), false);

    assertThat(catchThrowableOfType(CourierException.class,
        () -> client(server, null, false).blockingUnary(READ, StringValue.of("r"))).code())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(client(server, "reader-token", false).blockingUnary(READ, StringValue.of("r")).getValue()).isEqualTo("r");
  }

  @Test
  void builderRulesReplaceTheDeclaredOnes() {
    CourierServer server = start(CourierServer.builder()
        .authenticator(Authenticator.bearer(token -> Optional.ofNullable(TOKENS.get(token))))
        .allow("test.Vault/Rotate", "role:reader"), false);

    assertThat(client(server, "reader-token", false).blockingUnary(ROTATE, StringValue.of("k")).getValue()).isEqualTo("k");
    assertThat(catchThrowableOfType(CourierException.class,
        () -> client(server, "admin-token", false).blockingUnary(ROTATE, StringValue.of("k"))).code())
        .isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void theMutualTlsIdentityIsInTheCallContextAndCanAuthenticate() {
    AtomicReference<PeerIdentity> identity = new AtomicReference<>();
    AtomicReference<Principal> principal = new AtomicReference<>();
    CourierServer server = start(CourierServer.builder()
        .authenticator(Authenticator.mutualTls(peer -> peer.subject().startsWith("CN=billing-service")
            ? Optional.of(Principal.of("billing", Set.of("admin"), "mtls")) : Optional.empty())), true, principal, identity);

    assertThat(client(server, null, true).blockingUnary(ROTATE, StringValue.of("k")).getValue()).isEqualTo("k");
    assertThat(identity.get().subject()).startsWith("CN=billing-service");
    assertThat(identity.get().certificate()).isEqualTo(clientCert.certificate());
    assertThat(principal.get().name()).isEqualTo("billing");
  }

  @Test
  void rulesThatNeedACallerWithoutAnAuthenticatorStopTheServerFromStarting() {
    assertThatThrownBy(() -> start(CourierServer.builder(), false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("test.Vault/Rotate")
        .hasMessageContaining("vault.proto")
        .hasMessageContaining("authenticator");
  }

  @Test
  void anUnknownRuleInTheBuilderIsRefusedAtOnce() {
    assertThatThrownBy(() -> CourierServer.builder().allow("test.Vault/Rotate", "roles:admin"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("roles:admin");
  }

  private int executions(String method) {
    return executions.getOrDefault(method, new AtomicInteger()).get();
  }

  private CourierServer start(CourierServer.Builder builder, boolean mutual) {
    return start(builder, mutual, new AtomicReference<>(), new AtomicReference<>());
  }

  private CourierServer start(CourierServer.Builder builder, boolean mutual, AtomicReference<Principal> principal) {
    return start(builder, mutual, principal, new AtomicReference<>());
  }

  private CourierServer start(CourierServer.Builder builder, boolean mutual, AtomicReference<Principal> principal,
      AtomicReference<PeerIdentity> identity) {
    ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(SERVICE);
    for (RpcMethod<StringValue, StringValue> method : List.of(ROTATE, STATUS, READ)) {
      String name = method.descriptor().getBareMethodName();
      service.addMethod(ServiceBindings.unary(method, request -> {
        executions.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
        CallContext call = CallContext.current();
        call.principal().ifPresent(principal::set);
        call.peerIdentity().ifPresent(identity::set);
        return request;
      }));
    }
    ServerTls tls = ServerTls.fromPem(serverCert.certPem().toFile(), serverCert.keyPem().toFile());
    CourierServer server = builder.address("127.0.0.1", 0).gracePeriod(Duration.ZERO)
        .addService(service.build())
        .tls(mutual ? tls.requireClientCertificates(ca.certPem().toFile()) : tls)
        .listener(new CourierListener() {
          @Override
          public void onCallRefused(String method, Status.Code code) {
            refusals.add(method + " " + code);
          }
        })
        .start();
    toClose.add(server);
    return server;
  }

  private ClientRuntime client(CourierServer server, String token, boolean mutual) {
    ClientTls tls = ClientTls.trusting(ca.certPem().toFile());
    ClientRuntime client = ClientBuilder.forService(SERVICE, runtime -> runtime)
        .target(server.target())
        .deadline(Duration.ofSeconds(5))
        .retry(RetryPolicy.builder().maxAttempts(1).build())
        .tls(mutual ? tls.withClientCertificate(clientCert.certPem().toFile(), clientCert.keyPem().toFile()) : tls)
        .build();
    toClose.add(client);
    return token == null ? client : client.withHeader(AUTHORIZATION, "Bearer " + token);
  }

  private static RpcMethod<StringValue, StringValue> method(String name) {
    return RpcMethod.of(MethodDescriptor.<StringValue, StringValue>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
        .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
        .setSchemaDescriptor(ProtoSchema.method(() -> FILE, "Vault", name))
        .build(), MethodPolicy.DEFAULT);
  }

  private static FileDescriptor vaultProto() {
    ServiceDescriptorProto.Builder vault = ServiceDescriptorProto.newBuilder().setName("Vault");
    vault.addMethod(unary("Rotate", List.of("role:admin")));
    vault.addMethod(unary("Status", List.of("anyone")));
    vault.addMethod(unary("Read", List.of()));
    FileDescriptorProto file = FileDescriptorProto.newBuilder()
        .setName("test/vault.proto").setPackage("test").setSyntax("proto3")
        .addDependency(StringValue.getDescriptor().getFile().getName())
        .addService(vault)
        .build();
    try {
      return FileDescriptor.buildFrom(file, new FileDescriptor[] {StringValue.getDescriptor().getFile()});
    } catch (DescriptorValidationException e) {
      throw new AssertionError(e);
    }
  }

  private static MethodDescriptorProto.Builder unary(String name, List<String> allow) {
    MethodDescriptorProto.Builder method = MethodDescriptorProto.newBuilder().setName(name)
        .setInputType(".google.protobuf.StringValue").setOutputType(".google.protobuf.StringValue");
    if (!allow.isEmpty()) {
      method.setOptions(MethodOptions.newBuilder().setExtension(CourierOptionsProto.method,
          dev.courier.options.MethodOptions.newBuilder().addAllAllow(allow).build()));
    }
    return method;
  }
}
