package dev.courier.it.bomkafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.courier.runtime.queue.kafka.EmbeddedKafka;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One round trip through the generated queue client and worker over a real KRaft broker started
 * in this JVM; everything started here is closed here.
 */
class GreeterOverKafkaTest {

  @Test
  void greetsThroughKafka() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        GreeterOverKafka greeter = GreeterOverKafka.start(kafka.bootstrapServers(), new Greetings())) {
      GreetReply reply = greeter.greet("Ada").get(60, TimeUnit.SECONDS);

      assertEquals("Hello, Ada", reply.getGreeting());
      assertEquals(1, greeter.executed());
    }
  }
}
