package dev.courier.sample;

import dev.courier.runtime.CourierException;
import dev.courier.runtime.config.ConfigEvent;
import dev.courier.runtime.config.LiveConfig;
import dev.courier.sample.bookstore.Book;
import dev.courier.sample.bookstore.CatalogClient;
import dev.courier.sample.bookstore.CatalogMethods;
import dev.courier.sample.bookstore.GetBookRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The demo's live configuration: a catalog client follows a properties or YAML file ({@code
 * -Dcourier.config=file:/path/to/courier.properties}, {@code file:/path/to/courier.yaml}, or a
 * temporary properties file), and the demo rewrites
 * it by atomic rename while the client runs: GetBook's timeout goes from 2 s to 1 ms (the next
 * call fails with DEADLINE_EXCEEDED, without a restart), a bad version is refused whole, and 2 s
 * comes back. With a {@code zookeeper://} or {@code consul://} URI the demo only shows the version
 * in force: it does not write to a registry.
 */
final class LiveConfigDemo {
  private static final String KEY = "courier." + CatalogMethods.SERVICE_NAME + "/GetBook.timeout";

  private LiveConfigDemo() {}

  /** Runs the step against the catalog at {@code targets}; returns the number of calls that failed unexpectedly. */
  static int run(String targets, PrintStream out) throws IOException, InterruptedException {
    String uri = System.getProperty("courier.config", "");
    Path file = uri.isBlank() ? Files.createTempFile("courier-demo-", ".properties")
        : uri.startsWith("file:") ? Path.of(uri.substring("file:".length()).replaceFirst("^//", "")) : null;
    if (file != null) {
      write(file, timeout(file, "2s"));
    }
    BlockingQueue<ConfigEvent> events = new LinkedBlockingQueue<>();
    int failed = 0;
    try (LiveConfig live = LiveConfig.fromUri(file != null ? "file:" + file + "?quiet=20ms" : uri, events::add);
         CatalogClient catalog = CatalogClient.builder().target(targets)
             .liveConfig(live).build()) {
      events.poll(5, TimeUnit.SECONDS);
      out.println("Live configuration from " + live.source() + ", in force: " + live.current().values());
      if (file == null) {
        return getBook(catalog, out, "  GetBook") ? 0 : 1;
      }
      failed += getBook(catalog, out, "  " + KEY + "=2s") ? 0 : 1;
      write(file, timeout(file, "1ms"));
      out.println("  rewritten to 1ms: " + describe(events.poll(10, TimeUnit.SECONDS)));
      failed += getBook(catalog, out, "  the next call, same client") ? 1 : 0;
      write(file, timeout(file, "soon"));
      out.println("  rewritten to 'soon': " + describe(events.poll(10, TimeUnit.SECONDS)));
      write(file, timeout(file, "2s"));
      out.println("  rewritten to 2s: " + describe(events.poll(10, TimeUnit.SECONDS)));
      failed += getBook(catalog, out, "  the next call") ? 0 : 1;
    } finally {
      if (uri.isBlank()) {
        Files.deleteIfExists(file);
      }
    }
    return failed;
  }

  /** One GetBook; prints who served it or why it failed; whether it succeeded. */
  private static boolean getBook(CatalogClient catalog, PrintStream out, String label) {
    Book book = CatalogService.BOOKS.get(0);
    try {
      Book found = catalog.getBook(GetBookRequest.newBuilder().setIsbn(book.getIsbn()).build());
      out.println(label + " -> served by " + found.getServedBy());
      return true;
    } catch (CourierException e) {
      out.println(label + " -> " + e.code() + ": " + e.description());
      return false;
    }
  }

  private static String describe(ConfigEvent event) {
    if (event instanceof ConfigEvent.Applied applied) {
      return "applied " + applied.changes();
    }
    if (event instanceof ConfigEvent.Refused refused) {
      return "refused " + refused.problems() + "; " + refused.inForce().values() + " stays in force";
    }
    return String.valueOf(event);
  }

  /** GetBook's timeout as the file's format writes it: YAML for .yaml and .yml, properties otherwise. */
  private static String timeout(Path file, String value) {
    return file.getFileName().toString().matches(".*\\.ya?ml") ? KEY + ": " + value + "\n" : KEY + "=" + value + "\n";
  }

  /** Replaces {@code file} by an atomic rename, so the client never reads it half-written. */
  private static void write(Path file, String text) throws IOException {
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".courier-", ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
