package dev.courier.runtime.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.server.CourierServer;
import io.grpc.ServerServiceDefinition;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How a {@link CourierServer} uses a {@link ServiceRegistry}: real servers, a recording registry. */
@Timeout(30)
class ServerRegistrationTest {
  private final List<String> events = new CopyOnWriteArrayList<>();

  @Test
  void aServerRegistersEachServiceAtItsRealPortAndDeregistersBeforeDraining() {
    MutableEndpointSource seen = new MutableEndpointSource(List.of());
    ServiceRegistry registry = (name, endpoint) -> {
      events.add("register " + name + " " + endpoint);
      seen.set(List.of(endpoint));
      return () -> events.add("deregister " + name + " while serving: " + stillServes(seen));
    };
    CourierServer server = EchoFleet.server("s0", registry);
    int port = server.port();
    assertThat(events).containsExactly("register test.Echo 127.0.0.1:" + port);

    server.close();
    assertThat(events).containsExactly(
        "register test.Echo 127.0.0.1:" + port, "deregister test.Echo while serving: true");
  }

  @Test
  void theAdvertisedHostReplacesTheListenHost() {
    ServiceRegistry registry = (name, endpoint) -> {
      events.add(endpoint.host());
      return () -> { };
    };
    try (CourierServer server = CourierServer.builder().port(0).addService(other("test.Other"))
        .advertisedHost("svc.example.internal").registerIn(registry).start()) {
      assertThat(server.port()).isPositive();
      assertThat(events).containsExactly("svc.example.internal");
    }
  }

  @Test
  void aFailedRegistrationStopsTheServerAndUndoesTheOthers() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    ServiceRegistry registry = (name, endpoint) -> {
      if (name.equals("test.Second")) {
        throw new RegistrationException("registry says no to " + name, null);
      }
      events.add("register " + name);
      return () -> events.add("deregister " + name);
    };
    CourierServer.Builder builder = CourierServer.builder().address("127.0.0.1", port)
        .addService(other("test.First")).addService(other("test.Second")).registerIn(registry);

    assertThatThrownBy(builder::start).isInstanceOf(RegistrationException.class)
        .hasMessage("registry says no to test.Second");
    assertThat(events).containsExactly("register test.First", "deregister test.First");
    try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).as("the port is free again").isEqualTo(port);
    }
  }

  private static boolean stillServes(MutableEndpointSource seen) {
    try (ClientRuntime client = EchoFleet.client(seen)) {
      client.blockingUnary(EchoFleet.WHO_CALL, StringValue.of("who"));
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static ServerServiceDefinition other(String name) {
    return ServerServiceDefinition.builder(name).build();
  }
}
