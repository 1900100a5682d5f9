package dev.courier.runtime.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.StringValue;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.retry.RetryPolicy;
import dev.courier.runtime.server.CourierServer;
import dev.courier.runtime.server.ServiceBindings;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest {
  private static final RpcMethod<StringValue, StringValue> ECHO = RpcMethod.of(
      MethodDescriptor.<StringValue, StringValue>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("test.Tls/Echo")
          .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
          .build(),
      MethodPolicy.builder().idempotent(true).build());

  @TempDir
  static Path dir;
  private static TestCertificates.Issued ca;
  private static TestCertificates.Issued serverCert;
  private static TestCertificates.Issued clientCert;
  private static TestCertificates.Issued otherCa;
  private static TestCertificates.Issued strangerCert;

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeAll
  static void makeCertificates() {
    ca = TestCertificates.ca(dir, "test-ca");
    serverCert = TestCertificates.server(dir, ca, "server");
    clientCert = TestCertificates.client(dir, ca, "client");
    otherCa = TestCertificates.ca(dir, "other-ca");
    strangerCert = TestCertificates.client(dir, otherCa, "stranger");
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private static ServerTls serverTls() {
    return ServerTls.fromPem(serverCert.certPem().toFile(), serverCert.keyPem().toFile());
  }

  private CourierServer start(ServerTls tls) {
    ServerServiceDefinition service = ServerServiceDefinition.builder("test.Tls")
        .addMethod(ServiceBindings.unary(ECHO, request -> request))
        .build();
    CourierServer server = CourierServer.builder().address("127.0.0.1", 0).gracePeriod(Duration.ZERO)
        .addService(service).tls(tls).start();
    toClose.add(server);
    return server;
  }

  private ClientRuntime client(CourierServer server, ClientTls tls) {
    ClientBuilder<ClientRuntime> builder = ClientBuilder.forService("test.Tls", runtime -> runtime)
        .target(server.target())
        .deadline(Duration.ofSeconds(5))
        .retry(RetryPolicy.builder().maxAttempts(1).build());
    if (tls != null) {
      builder.tls(tls);
    }
    ClientRuntime client = builder.build();
    toClose.add(client);
    return client;
  }

  private static ClientTls trustingCa() {
    return ClientTls.trusting(ca.certPem().toFile());
  }

  @Test
  void tlsCallSucceedsWhenTheClientTrustsTheServersCa() {
    CourierServer server = start(serverTls());

    assertThat(client(server, trustingCa()).blockingUnary(ECHO, StringValue.of("hi")).getValue()).isEqualTo("hi");
  }

  @Test
  void clientThatDoesNotTrustTheServersCaIsRefused() {
    CourierServer server = start(serverTls());

    CourierException e = catchThrowableOfType(CourierException.class, () -> client(server,
        ClientTls.trusting(otherCa.certPem().toFile())).blockingUnary(ECHO, StringValue.of("hi")));

    assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void plaintextClientAgainstATlsServerFailsWithUnavailable() {
    CourierServer server = start(serverTls());

    CourierException e = catchThrowableOfType(CourierException.class,
        () -> client(server, null).blockingUnary(ECHO, StringValue.of("hi")));

    assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void mutualTlsAcceptsAClientCertificateSignedByTheTrustedCa() {
    CourierServer server = start(serverTls().requireClientCertificates(ca.certPem().toFile()));
    ClientTls tls = trustingCa().withClientCertificate(clientCert.certPem().toFile(), clientCert.keyPem().toFile());

    assertThat(client(server, tls).blockingUnary(ECHO, StringValue.of("hi")).getValue()).isEqualTo("hi");
  }

  @Test
  void mutualTlsRefusesAClientWithoutACertificate() {
    CourierServer server = start(serverTls().requireClientCertificates(ca.certPem().toFile()));

    CourierException e = catchThrowableOfType(CourierException.class,
        () -> client(server, trustingCa()).blockingUnary(ECHO, StringValue.of("hi")));

    assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void mutualTlsRefusesAClientCertificateFromAnotherCa() {
    CourierServer server = start(serverTls().requireClientCertificates(ca.certPem().toFile()));
    ClientTls tls = trustingCa()
        .withClientCertificate(strangerCert.certPem().toFile(), strangerCert.keyPem().toFile());

    CourierException e = catchThrowableOfType(CourierException.class,
        () -> client(server, tls).blockingUnary(ECHO, StringValue.of("hi")));

    assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void toStringShowsNoKeyMaterialOrPassword() throws Exception {
    String key = Files.readString(serverCert.keyPem());
    String keyBody = key.lines().skip(1).findFirst().orElseThrow();
    ServerTls server = serverTls().withKeyPassword("hunter2").requireClientCertificates(ca.certPem().toFile());
    ClientTls client = trustingCa().withClientCertificate(clientCert.certPem().toFile(), clientCert.keyPem().toFile())
        .withKeyPassword("hunter2");

    assertThat(server.toString()).contains("privateKey=[redacted]", "keyPassword=[redacted]", "clientAuth=REQUIRE")
        .doesNotContain("hunter2", keyBody);
    assertThat(client.toString()).contains("privateKey=[redacted]", "keyPassword=[redacted]")
        .doesNotContain("hunter2");
  }

  @Test
  void serverStartLogLineShowsNoKeyMaterial() throws Exception {
    String keyBody = Files.readString(serverCert.keyPem()).lines().skip(1).findFirst().orElseThrow();
    Logger logger = Logger.getLogger(CourierServer.class.getName());
    List<String> lines = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        lines.add(record.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Level before = logger.getLevel();
    logger.setLevel(Level.ALL);
    logger.addHandler(capture);
    try {
      start(serverTls());
    } finally {
      logger.removeHandler(capture);
      logger.setLevel(before);
    }

    assertThat(lines).anySatisfy(line -> assertThat(line).contains("tls: ServerTls{", "privateKey=[redacted]"));
    assertThat(lines).noneSatisfy(line -> assertThat(line).contains(keyBody));
  }
}
