package dev.courier.runtime.queue.kafka;

import dev.courier.runtime.queue.QueueWorkerRuntime;
import dev.courier.runtime.queue.TestMethods;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A queue worker in a JVM of its own, for tests that kill it for real ({@code kill -9}). Prints
 * {@code READY} once started and {@code RAN <value>} for every call it completes.
 *
 * <p>Arguments: bootstrap servers, topic prefix, consumer group.
 */
public final class KafkaWorkerProcess {
  private KafkaWorkerProcess() {}

  public static void main(String[] args) throws Exception {
    KafkaQueue queue = KafkaWorkerProcessKillTest.queue(args[0], args[1], args[2], "doomed-worker");
    QueueWorkerRuntime worker = QueueWorkerRuntime.builder(queue).concurrency(2).handle(TestMethods.ECHO, req -> {
      Thread.sleep(40);
      synchronized (System.out) {
        System.out.println("RAN " + req.getValue());
        System.out.flush();
      }
      return req;
    }).start();
    System.out.println("READY");
    System.out.flush();
    // Runs until killed; a line on stdin (or its end) stops it gracefully instead.
    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    worker.close();
    queue.close();
  }
}
