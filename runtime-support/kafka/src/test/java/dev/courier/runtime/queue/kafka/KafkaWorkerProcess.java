package dev.courier.runtime.queue.kafka;

import dev.courier.runtime.queue.QueueWorkerRuntime;
import dev.courier.runtime.queue.TestMethods;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A queue worker in a JVM of its own, for tests that kill it for real ({@code kill -9}). Prints
 * {@code READY} once started and {@code RAN <value>} for each of the first {@value #COMPLETED}
 * calls it completes; every later call prints {@code HELD <value>} and stays in its handler until
 * the process dies, so the kill surely finds calls in flight. The lines are the protocol with the
 * test, not a report.
 *
 * <p>Arguments: bootstrap servers, topic prefix, consumer group.
 */
public final class KafkaWorkerProcess {
  /** Calls completed before the worker starts holding them. */
  static final int COMPLETED = 6;

  private KafkaWorkerProcess() {}

  public static void main(String[] args) throws Exception {
    KafkaQueue queue = KafkaWorkerProcessKillTest.queue(args[0], args[1], args[2], "doomed-worker");
    AtomicInteger started = new AtomicInteger();
    CountDownLatch never = new CountDownLatch(1);
    QueueWorkerRuntime worker = QueueWorkerRuntime.builder(queue).concurrency(2).handle(TestMethods.ECHO, req -> {
      if (started.incrementAndGet() > COMPLETED) {
        say("HELD " + req.getValue());
        never.await(); // until SIGKILL
      }
      say("RAN " + req.getValue());
      return req;
    }).start();
    System.out.println("READY");
    System.out.flush();
    // Runs until killed; a line on stdin (or its end) stops it gracefully instead.
    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    never.countDown();
    worker.close();
    queue.close();
  }

  private static void say(String line) {
    synchronized (System.out) {
      System.out.println(line);
      System.out.flush();
    }
  }
}
