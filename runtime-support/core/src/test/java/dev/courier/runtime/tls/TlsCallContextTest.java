package dev.courier.runtime.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.retry.RetryBudget;
import dev.courier.runtime.retry.RetryPolicy;
import dev.courier.runtime.server.CourierServer;
import dev.courier.runtime.server.ServiceBindings;
import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client interceptors, call credentials and view metadata over TLS, read by a server interceptor. */
class TlsCallContextTest {
  private static final Metadata.Key<String> INTERCEPTED =
      Metadata.Key.of("x-intercepted", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> TENANT = Metadata.Key.of("x-tenant", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final RpcMethod<StringValue, StringValue> ECHO = RpcMethod.of(
      MethodDescriptor.<StringValue, StringValue>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("test.Tls/Echo")
          .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
          .build(),
      MethodPolicy.builder().idempotent(true)
          .retry(RetryPolicy.builder().maxAttempts(2).initialBackoff(Duration.ofMillis(1)).build()).build());

  @TempDir
  static Path dir;
  private static TestCertificates.Issued ca;
  private static TestCertificates.Issued serverCert;

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final List<Metadata> headers = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void makeCertificates() {
    ca = TestCertificates.ca(dir, "test-ca");
    serverCert = TestCertificates.server(dir, ca, "server");
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  @Test
  void interceptorCredentialsAndMetadataArriveOverTlsOnEveryAttempt() {
    AtomicInteger calls = new AtomicInteger();
    ServerServiceDefinition service = ServerServiceDefinition.builder("test.Tls")
        .addMethod(ServiceBindings.unary(ECHO, request -> {
          if (calls.incrementAndGet() == 1) {
            throw Status.UNAVAILABLE.withDescription("first attempt fails").asRuntimeException();
          }
          return request;
        }))
        .build();
    ServerInterceptor recording = new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata requestHeaders, ServerCallHandler<ReqT, RespT> next) {
        headers.add(requestHeaders);
        return next.startCall(call, requestHeaders);
      }
    };
    CourierServer server = CourierServer.builder().address("127.0.0.1", 0).gracePeriod(Duration.ZERO)
        .addService(service).intercept(recording)
        .tls(ServerTls.fromPem(serverCert.certPem().toFile(), serverCert.keyPem().toFile())).start();
    toClose.add(server);
    ClientRuntime client = ClientBuilder.forService("test.Tls", runtime -> runtime)
        .target(server.target())
        .deadline(Duration.ofSeconds(10))
        .retryBudget(RetryBudget.unlimited())
        .tls(ClientTls.trusting(ca.certPem().toFile()))
        .interceptors(adding())
        .callCredentials(new Bearer())
        .build();
    toClose.add(client);

    assertThat(client.withHeader(TENANT, "acme").blockingUnary(ECHO, StringValue.of("hi")).getValue()).isEqualTo("hi");

    assertThat(headers).hasSize(2).allSatisfy(h -> {
      assertThat(h.get(INTERCEPTED)).isEqualTo("yes");
      assertThat(h.get(AUTHORIZATION)).isEqualTo("Bearer secret PRIVACY_AND_INTEGRITY");
      assertThat(h.get(TENANT)).isEqualTo("acme");
    });
  }

  private static ClientInterceptor adding() {
    return new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<RespT> listener, Metadata requestHeaders) {
            requestHeaders.put(INTERCEPTED, "yes");
            super.start(listener, requestHeaders);
          }
        };
      }
    };
  }

  /** Sends its token with the channel's security level, so the test sees that TLS was on. */
  private static final class Bearer extends CallCredentials {
    @Override
    public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
      Metadata added = new Metadata();
      added.put(AUTHORIZATION, "Bearer secret " + info.getSecurityLevel());
      applier.apply(added);
    }
  }
}
