package dev.courier.it.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.courier.runtime.CourierException;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A Courier client calls a server built on grpc-java's generated ImplBase over a real loopback port. */
class CourierClientToGrpcJavaServerTest {
  static Server server;
  static EchoClient client;

  @BeforeAll
  static void start() throws Exception {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new GrpcJavaEcho()).build().start();
    client = EchoClient.builder().target("127.0.0.1:" + server.getPort()).build();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    client.close();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void unaryBlockingAndAsync() throws Exception {
    assertThat(client.unary(EchoRequest.newBuilder().setText("hi").build()).getServer()).isEqualTo(GrpcJavaEcho.NAME);
    assertThat(client.unaryAsync(EchoRequest.newBuilder().setText("later").build()).get(10, TimeUnit.SECONDS).getText())
        .isEqualTo("later");
  }

  @Test
  void serverStreaming() throws Exception {
    Replies<EchoReply> replies = new Replies<>();
    client.serverStream(EchoRequest.newBuilder().setText("s").setCount(4).build(), replies);
    assertThat(replies.done.get(10, TimeUnit.SECONDS)).extracting(EchoReply::getIndex).containsExactly(0, 1, 2, 3);
  }

  @Test
  void clientStreaming() throws Exception {
    Replies<EchoReply> replies = new Replies<>();
    StreamObserver<EchoRequest> requests = client.clientStream(replies);
    for (String part : List.of("1", "2")) {
      requests.onNext(EchoRequest.newBuilder().setText(part).build());
    }
    requests.onCompleted();
    assertThat(replies.done.get(10, TimeUnit.SECONDS)).singleElement()
        .satisfies(r -> assertThat(r.getText()).isEqualTo("12"));
  }

  @Test
  void bidiStreaming() throws Exception {
    Replies<EchoReply> replies = new Replies<>();
    StreamObserver<EchoRequest> requests = client.bidi(replies);
    requests.onNext(EchoRequest.newBuilder().setText("p").build());
    requests.onNext(EchoRequest.newBuilder().setText("q").build());
    requests.onCompleted();
    assertThat(replies.done.get(10, TimeUnit.SECONDS)).extracting(EchoReply::getText).containsExactly("p", "q");
  }

  @Test
  void statusMessageAndTrailersSurfaceAsCourierException() {
    CourierException e = catchThrowableOfType(CourierException.class, () -> client.unary(
        EchoRequest.newBuilder().setText("no").setFailWith(Status.Code.FAILED_PRECONDITION.value()).build()));
    assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(e.description()).isEqualTo("failing as asked: no");
    assertThat(e.trailers().get(EchoBehaviour.REASON)).isEqualTo("asked-for-9");
    assertThat(e.attempts()).isNotEmpty();
  }
}
