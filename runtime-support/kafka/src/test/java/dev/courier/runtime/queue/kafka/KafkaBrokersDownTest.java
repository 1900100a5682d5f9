package dev.courier.runtime.queue.kafka;

import static dev.courier.runtime.queue.TestMethods.ECHO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.courier.runtime.CourierException;
import dev.courier.runtime.queue.QueueClientRuntime;
import dev.courier.runtime.queue.QueueWorkerRuntime;
import io.grpc.Status;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With no broker at the bootstrap address, a queue client or worker fails once the broker timeout
 * has passed, with {@code UNAVAILABLE} naming the brokers, what it was doing and the setting that
 * bounds the wait (not, as before, an {@code IllegalStateException} from {@code initCause} after
 * Kafka's 60 s). The timeouts guard against a hang; they measure nothing.
 */
class KafkaBrokersDownTest {
  private static String nobody() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + s.getLocalPort(); // closed again: nothing listens there
    }
  }

  @Test
  @Timeout(value = 40, unit = TimeUnit.SECONDS)
  void clientFailsWithUnavailableNamingTheBrokersAndWhatItWasDoing() throws Exception {
    String bootstrap = nobody();
    try (KafkaQueue queue = KafkaQueue.builder().bootstrapServers(bootstrap).clientId("shop")
        .brokerTimeout(Duration.ofSeconds(1)).build()) {
      CourierException e = catchThrowableOfType(CourierException.class, () -> QueueClientRuntime.create(queue));

      assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(e.description())
          .startsWith("could not create topic courier.reply.shop.")
          .contains("(the reply topic of client shop)", " on Kafka at " + bootstrap + ": no answer in time"
              + " (KafkaQueue.builder().brokerTimeout = 1000 ms); are the brokers up and reachable?");
      assertThat(e.getCause()).isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
    }
  }

  @Test
  @Timeout(value = 40, unit = TimeUnit.SECONDS)
  void workerFailsWithUnavailableNamingTheRequestTopic() throws Exception {
    String bootstrap = nobody();
    try (KafkaQueue queue = KafkaQueue.builder().bootstrapServers(bootstrap).brokerTimeout(Duration.ofSeconds(1))
        .build()) {
      CourierException e = catchThrowableOfType(CourierException.class,
          () -> QueueWorkerRuntime.builder(queue).handle(ECHO, req -> req).start());

      assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(e.description()).startsWith("could not create topic courier.test.Echo-Echo (the request topic of"
          + " test.Echo/Echo)").contains(" on Kafka at " + bootstrap + ": no answer in time");
    }
  }
}
