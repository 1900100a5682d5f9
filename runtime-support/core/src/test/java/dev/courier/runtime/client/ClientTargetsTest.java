package dev.courier.runtime.client;

import static dev.courier.runtime.client.Replicas.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.discovery.NameResolverEndpointSource;
import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.retry.RetryBudget;
import dev.courier.runtime.server.CourierServer;
import dev.courier.runtime.server.InProcess;
import dev.courier.runtime.server.ServiceBindings;
import io.grpc.CallOptions;
import io.grpc.EquivalentAddressGroup;
import io.grpc.ManagedChannel;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusOr;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The other ways to say where a client calls: a grpc resolver target ({@code dns:///}), a channel
 * the caller built, and the in-process transport.
 */
class ClientTargetsTest {
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  @Test
  void aDnsTargetResolvesThroughGrpcsResolverToEveryAddress() {
    CourierServer server = start("127.0.0.1");
    Set<String> endpoints = new CopyOnWriteArraySet<>();
    ClientRuntime client = ClientBuilder.forService("test.Echo", runtime -> runtime)
        .target("dns:///localhost:" + server.port())
        .retryBudget(RetryBudget.unlimited())
        .listener(new CourierListener() {
          @Override
          public void onAttempt(String method, String endpoint, int attempt, boolean hedged) {
            endpoints.add(endpoint);
          }
        })
        .build();
    toClose.add(client);

    for (int i = 0; i < 5; i++) {
      assertThat(client.blockingUnary(Replicas.IDEMPOTENT_ECHO, text("hi")).getValue()).isEqualTo("hi");
    }
    assertThat(endpoints).as("localhost resolved to an address, not the name").contains("127.0.0.1:" + server.port());
  }

  @Test
  void aResolverTargetIsResolvedAgainAndTheClientFollowsTheNewAddresses() throws Exception {
    SteppingResolverProvider provider = new SteppingResolverProvider();
    NameResolverRegistry.getDefaultRegistry().register(provider);
    try {
      NameResolverEndpointSource source = NameResolverEndpointSource.forTarget("courier-stepping:///svc",
          Duration.ofMillis(20));
      BlockingQueue<List<Endpoint>> sets = new ArrayBlockingQueue<>(16);
      provider.next.put(List.of(new InetSocketAddress("127.0.0.1", 1001)));
      AutoCloseable subscription = source.subscribe(sets::add);
      toClose.add(subscription);

      assertThat(sets.poll(10, TimeUnit.SECONDS)).containsExactly(Endpoint.of("127.0.0.1", 1001));
      provider.next.put(List.of(new InetSocketAddress("127.0.0.1", 1001), new InetSocketAddress("127.0.0.1", 1002)));
      assertThat(sets.poll(10, TimeUnit.SECONDS))
          .as("a refresh found a second address")
          .containsExactly(Endpoint.of("127.0.0.1", 1001), Endpoint.of("127.0.0.1", 1002));
    } finally {
      NameResolverRegistry.getDefaultRegistry().deregister(provider);
    }
  }

  @Test
  void aTargetWithAnUnknownSchemeIsRefusedNamingIt() {
    assertThatThrownBy(() -> ClientBuilder.forService("test.Echo", runtime -> runtime).target("nosuch:///svc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nosuch")
        .hasMessageContaining("dns:///host:port");
  }

  @Test
  void aClientBuiltOnTheCallersChannelLeavesItOpenWhenClosed() {
    CourierServer server = start("127.0.0.1");
    ManagedChannel channel = NettyChannelBuilder.forTarget(server.target()).usePlaintext().build();
    toClose.add(channel::shutdownNow);
    ClientRuntime client = ClientBuilder.forService("test.Echo", runtime -> runtime).channel(channel).build();

    assertThat(client.blockingUnary(Replicas.IDEMPOTENT_ECHO, text("through yours")).getValue()).isEqualTo("through yours");
    client.close();

    assertThat(channel.isShutdown()).isFalse();
    assertThat(ClientCalls.blockingUnaryCall(channel, Replicas.ECHO, CallOptions.DEFAULT, text("still open")).getValue())
        .isEqualTo("still open");
  }

  @Test
  void inProcessGivesAServerAndAClientInOneLine() {
    try (InProcess<ClientRuntime> local = InProcess.start(echoService(), ClientBuilder.forService("test.Echo", r -> r))) {
      assertThat(local.client().blockingUnary(Replicas.IDEMPOTENT_ECHO, text("local")).getValue()).isEqualTo("local");
      assertThatThrownBy(() -> local.server().target()).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("in-process");
    }
  }

  private CourierServer start(String host) {
    CourierServer server = CourierServer.builder().address(host, 0).gracePeriod(Duration.ZERO).addService(echoService()).start();
    toClose.add(server);
    return server;
  }

  private static ServerServiceDefinition echoService() {
    return ServerServiceDefinition.builder("test.Echo")
        .addMethod(ServiceBindings.unary(Replicas.IDEMPOTENT_ECHO, request -> request))
        .build();
  }

  /** A resolver scheme whose every resolution (the first and each refresh) reports the next queued address list. */
  private static final class SteppingResolverProvider extends NameResolverProvider {
    final BlockingQueue<List<InetSocketAddress>> next = new ArrayBlockingQueue<>(16);

    @Override
    protected boolean isAvailable() {
      return true;
    }

    @Override
    protected int priority() {
      return 5;
    }

    @Override
    public String getDefaultScheme() {
      return "courier-stepping";
    }

    @Override
    public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
      if (!"courier-stepping".equals(targetUri.getScheme())) {
        return null;
      }
      return new NameResolver() {
        private Listener2 listener;

        @Override
        public String getServiceAuthority() {
          return "svc";
        }

        @Override
        public void start(Listener2 listener) {
          this.listener = listener;
          refresh();
        }

        @Override
        public void refresh() {
          List<InetSocketAddress> addresses = next.poll();
          if (addresses != null) {
            listener.onResult(ResolutionResult.newBuilder()
                .setAddressesOrError(StatusOr.fromValue(addresses.stream().map(EquivalentAddressGroup::new).toList()))
                .build());
          }
        }

        @Override
        public void shutdown() {}
      };
    }
  }
}
