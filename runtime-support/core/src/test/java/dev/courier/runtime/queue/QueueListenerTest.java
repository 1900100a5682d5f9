package dev.courier.runtime.queue;

import static dev.courier.runtime.queue.TestMethods.ECHO;
import static dev.courier.runtime.queue.TestMethods.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.runtime.observe.CallStats;
import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.observe.QueueEvent;
import dev.courier.runtime.queue.memory.InMemoryQueue;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Listeners hear what happens to queue-backed calls, on the client and on the worker. */
class QueueListenerTest {

  @Test
  void clientAndWorkerTellTheirListenersAboutEveryCall() throws Exception {
    CallStats clientStats = new CallStats();
    CallStats workerStats = new CallStats();
    List<String> heard = new CopyOnWriteArrayList<>();
    CourierListener recorder = new CourierListener() {
      @Override
      public void onQueueEvent(String method, QueueEvent event) {
        heard.add(method + " " + event);
      }
    };
    try (InMemoryQueue queue = InMemoryQueue.create();
         QueueClientRuntime client = QueueClientRuntime.create(queue, CourierListener.all(List.of(clientStats, recorder)));
         QueueWorkerRuntime worker = QueueWorkerRuntime.builder(queue).maxDeliveryAttempts(2).listener(workerStats)
             .handle(ECHO, req -> {
               if (req.getValue().endsWith("boom")) {
                 throw new IllegalStateException("handler bug");
               }
               return req;
             }).start()) {
      assertThat(client.call(ECHO, text("k:hello")).get(10, TimeUnit.SECONDS).getValue()).isEqualTo("k:hello");
      assertThatThrownBy(() -> client.call(ECHO, text("k:boom")).get(10, TimeUnit.SECONDS))
          .hasMessageContaining("dead-lettered");

      assertThat(clientStats.queue(QueueEvent.SENT)).isEqualTo(2);
      assertThat(clientStats.queue(QueueEvent.REPLIED)).isEqualTo(2);
      assertThat(workerStats.queue(QueueEvent.EXECUTED)).isEqualTo(1);
      assertThat(workerStats.queue(QueueEvent.DEAD_LETTERED)).isEqualTo(1);
      assertThat(heard).contains("test.Echo/Echo SENT", "test.Echo/Echo REPLIED");
      assertThat(worker.stats().deadLettered()).isEqualTo(1);
    }
  }
}
