package dev.courier.it.basic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.runtime.queue.QueueWorkerRuntime;
import dev.courier.runtime.queue.memory.InMemoryQueue;
import dev.courier.runtime.server.CourierServer;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The generated server and client talk over a real loopback port, in all four RPC kinds; the
 * generated queue client and worker over the embedded queue.
 */
class EchoTest {

  private CourierServer server;
  private EchoClient client;

  @BeforeEach
  void start() {
    server = EchoServer.builder(new EchoService()).address("127.0.0.1", 0).start();
    client = EchoClient.builder().target(server.target()).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void unary() throws Exception {
    assertThat(client.say(text("hi")).getText()).isEqualTo("hi");
    assertThat(client.sayAsync(text("async")).get(10, TimeUnit.SECONDS).getText()).isEqualTo("async");
  }

  @Test
  void unaryOverTheEmbeddedQueue() throws Exception {
    try (InMemoryQueue queue = InMemoryQueue.create();
        QueueWorkerRuntime worker = EchoQueueWorker.start(new EchoService(), queue);
        EchoQueueClient queued = EchoQueueClient.create(queue)) {
      assertThat(queued.say(text("queued")).get(10, TimeUnit.SECONDS).getText()).isEqualTo("queued");
      assertThat(worker.stats().executed()).isEqualTo(1);
    }
  }

  @Test
  void serverStreaming() throws Exception {
    Collector answers = new Collector();
    client.repeat(RepeatRequest.newBuilder().setText("x").setTimes(3).build(), answers);
    assertThat(answers.done.get(10, TimeUnit.SECONDS)).containsExactly("x", "x", "x");
  }

  @Test
  void clientStreaming() throws Exception {
    Collector answers = new Collector();
    StreamObserver<Message> requests = client.collect(answers);
    requests.onNext(text("a"));
    requests.onNext(text("b"));
    requests.onCompleted();
    assertThat(answers.done.get(10, TimeUnit.SECONDS)).containsExactly("a+b");
  }

  @Test
  void bidiStreaming() throws Exception {
    Collector answers = new Collector();
    StreamObserver<Message> requests = client.chat(answers);
    requests.onNext(text("one"));
    requests.onNext(text("two"));
    requests.onCompleted();
    assertThat(answers.done.get(10, TimeUnit.SECONDS)).containsExactly("re: one", "re: two");
  }

  private static Message text(String text) {
    return Message.newBuilder().setText(text).build();
  }

  /** The user's implementation of the generated interface. */
  static final class EchoService implements Echo {
    @Override
    public Message say(Message request) {
      return request;
    }

    @Override
    public void repeat(RepeatRequest request, StreamObserver<Message> responses) {
      for (int i = 0; i < request.getTimes(); i++) {
        responses.onNext(text(request.getText()));
      }
      responses.onCompleted();
    }

    @Override
    public StreamObserver<Message> collect(StreamObserver<Message> responses) {
      List<String> seen = new ArrayList<>();
      return new StreamObserver<>() {
        @Override
        public void onNext(Message value) {
          seen.add(value.getText());
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          responses.onNext(text(String.join("+", seen)));
          responses.onCompleted();
        }
      };
    }

    @Override
    public StreamObserver<Message> chat(StreamObserver<Message> responses) {
      return new StreamObserver<>() {
        @Override
        public void onNext(Message value) {
          responses.onNext(text("re: " + value.getText()));
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          responses.onCompleted();
        }
      };
    }
  }

  /** Collects streamed answers until the stream completes. */
  static final class Collector implements StreamObserver<Message> {
    final List<String> seen = new ArrayList<>();
    final CompletableFuture<List<String>> done = new CompletableFuture<>();

    @Override
    public synchronized void onNext(Message value) {
      seen.add(value.getText());
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public synchronized void onCompleted() {
      done.complete(List.copyOf(seen));
    }
  }
}
