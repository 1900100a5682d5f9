package dev.courier.runtime.server;

import com.google.protobuf.StringValue;
import dev.courier.runtime.RpcMethod;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * {@code SigtermServerMain <graceMillis> <callMillis>}: a {@link CourierServer} in its own JVM, on
 * a free loopback port, built with {@link CourierServer.Builder#drainOnShutdown()}, for {@link
 * SigtermDrainTest}. Its {@code test.Svc/Call} takes {@code callMillis} (a real sleep: this is
 * another process) and answers {@code child}. It prints (flushed) {@code PORT <port>} once serving,
 * {@code START <id>} when a call starts and {@code DONE <id>} when it has its answer. It serves
 * until the JVM shuts down.
 */
public final class SigtermServerMain {
  private static final RpcMethod<StringValue, StringValue> CALL = TestServices.call(0);

  private SigtermServerMain() {}

  public static void main(String[] args) throws Exception {
    Duration grace = Duration.ofMillis(Long.parseLong(args[0]));
    long callMillis = Long.parseLong(args[1]);
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    CourierServer server = CourierServer.builder().address("127.0.0.1", 0).gracePeriod(grace).drainOnShutdown()
        .addService(TestServices.service(CALL, request -> {
          print(out, "START " + request.getValue());
          // Work that takes time, in the child JVM: the test needs calls in flight when SIGTERM
          // arrives, and a latch cannot cross into this process.
          Thread.sleep(callMillis);
          print(out, "DONE " + request.getValue());
          return StringValue.of("child");
        }))
        .start();
    print(out, "PORT " + server.port());
    new CountDownLatch(1).await();
  }

  private static void print(PrintStream out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
