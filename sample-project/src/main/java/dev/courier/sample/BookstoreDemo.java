package dev.courier.sample;

import dev.courier.runtime.CourierException;
import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ResponseCapture;
import dev.courier.runtime.context.Authenticator;
import dev.courier.runtime.context.Principal;
import dev.courier.runtime.discovery.Discovery;
import dev.courier.runtime.observe.CallStats;
import dev.courier.runtime.queue.QueueTransport;
import dev.courier.runtime.queue.QueueWorkerRuntime;
import dev.courier.runtime.queue.kafka.KafkaQueue;
import dev.courier.runtime.queue.memory.InMemoryQueue;
import dev.courier.runtime.server.CourierServer;
import dev.courier.sample.bookstore.Book;
import dev.courier.sample.bookstore.CatalogClient;
import dev.courier.sample.bookstore.CatalogMethods;
import dev.courier.sample.bookstore.CatalogQueueClient;
import dev.courier.sample.bookstore.CatalogQueueWorker;
import dev.courier.sample.bookstore.CatalogServer;
import dev.courier.sample.bookstore.GetBookRequest;
import dev.courier.sample.bookstore.PriceQuote;
import dev.courier.sample.bookstore.PricingClient;
import dev.courier.sample.bookstore.PricingServer;
import dev.courier.sample.bookstore.QuoteRequest;
import dev.courier.sample.bookstore.Reservation;
import dev.courier.sample.bookstore.ReserveRequest;
import dev.courier.sample.bookstore.Review;
import dev.courier.sample.bookstore.SearchRequest;
import io.grpc.stub.StreamObserver;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The README's demo: three replicas of the catalog on free loopback ports, called through the
 * generated client (consistent hashing, streaming, retries) and the generated queue client.
 */
public final class BookstoreDemo {
  private BookstoreDemo() {}

  /** How long the status page stays up after the calls when {@code -Dcourier.demo.hold} is not set. */
  static final Duration DEFAULT_HOLD = Duration.ofSeconds(3);

  public static void main(String[] args) throws Exception {
    run(System.out, hold(System.getProperty("courier.demo.hold")));
  }

  /**
   * How long to keep the status page up: {@link #DEFAULT_HOLD} without the property; that many
   * seconds for {@code -Dcourier.demo.hold=<seconds>}; until the process is stopped (Ctrl-C) for a
   * bare {@code -Dcourier.demo.hold}, shown as {@code null}.
   */
  static Duration hold(String property) {
    if (property == null) {
      return DEFAULT_HOLD;
    }
    if (property.isBlank() || property.equals("true")) {
      return null;
    }
    try {
      return Duration.ofSeconds(Long.parseLong(property.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("courier.demo.hold: " + property + " (expected: seconds, or no value to"
          + " hold until Ctrl-C)", e);
    }
  }

  /**
   * Runs the demo, printing what happens to {@code out}; returns the number of calls that did not end as
   * expected (a deliberate failure that fails is expected).
   */
  static int run(PrintStream out) throws Exception {
    return run(out, Duration.ZERO);
  }

  /**
   * Runs the demo; then keeps the servers and the status page up for {@code hold} ({@code null}:
   * until the process is stopped).
   */
  static int run(PrintStream out, Duration hold) throws Exception {
    List<CatalogService> replicas = List.of(
        new CatalogService("replica-a", true),
        new CatalogService("replica-b", false),
        new CatalogService("replica-c", false));
    List<CourierServer> servers = new ArrayList<>();
    CallStats stats = new CallStats();
    // Static list by default; -Dcourier.discovery=zookeeper://host:2181 or consul://host:8500 follows a registry.
    String discovery = System.getProperty("courier.discovery", "");
    Discovery registry = discovery.isBlank() ? null : Discovery.fromUri(discovery);
    int failed = 0;
    try {
      for (CatalogService replica : replicas) {
        CourierServer.Builder server = CatalogServer.builder(replica).address("127.0.0.1", 0).drainOnShutdown();
        if (servers.isEmpty()) {
          server.statusPage(0); // opt-in, 127.0.0.1 only: the first replica shows every client of this process
        }
        if (registry != null) {
          server.registerIn(registry);
        }
        servers.add(server.start());
      }
      String targets = servers.stream().map(CourierServer::target).collect(Collectors.joining(","));
      out.println("Courier demo: 3 replicas of bookstore.Catalog on " + targets
          + (registry == null ? "" : ", registered in " + registry));
      out.println("Status page: " + servers.get(0).statusPage().orElseThrow()
          + " (services, policies, per-method latencies, every client's endpoints)");

      ClientBuilder<CatalogClient> client = CatalogClient.builder().listener(stats);
      if (registry == null) {
        client.target(targets);
      } else {
        client.endpointSource(registry.endpointSource(CatalogMethods.SERVICE_NAME));
      }
      try (CatalogClient catalog = client.build()) {
        failed += lookups(catalog, out);
        failed += search(catalog, out);
        failed += reservations(catalog, replicas.get(0), out);
        failed += pricing(catalog, out);
        failed += LiveConfigDemo.run(targets, out);
        failed += reviews(replicas.get(1), stats, out);
        holdStatusPage(servers.get(0), hold, out); // the client stays open, so the page shows it
      }
    } finally {
      servers.forEach(CourierServer::close);
      if (registry != null) {
        registry.close();
      }
    }
    out.println("Summary: " + stats.summary());
    // The summary counts the calls made to fail on purpose (the unknown ISBN); "failed" here counts only
    // the calls that did not end as the demo expects.
    out.println(failed == 0
        ? "Done: every call ended as expected (the failures shown above are deliberate)."
        : "Done: " + failed + " calls did not end as expected.");
    return failed;
  }

  private static void holdStatusPage(CourierServer server, Duration hold, PrintStream out) throws InterruptedException {
    if (hold != null && hold.isZero()) {
      return;
    }
    String page = server.statusPage().orElseThrow().toString();
    if (hold == null) {
      out.println("Holding: the status page stays up at " + page + " until Ctrl-C (-Dcourier.demo.hold)");
      Thread.sleep(Long.MAX_VALUE);
    }
    out.println("Holding the status page at " + page + " for " + hold.toSeconds()
        + " s (-Dcourier.demo.hold keeps it up until Ctrl-C)");
    Thread.sleep(hold.toMillis());
  }

  /** GetBook: consistent hashing on the ISBN, so each book is always served by the same replica. */
  private static int lookups(CatalogClient catalog, PrintStream out) {
    out.println("GetBook, consistent hash on isbn (3 lookups per book):");
    int failed = 0;
    for (Book book : CatalogService.BOOKS) {
      Map<String, Integer> servedBy = new TreeMap<>();
      for (int i = 0; i < 3; i++) {
        Book found = catalog.getBook(GetBookRequest.newBuilder().setIsbn(book.getIsbn()).build());
        servedBy.merge(found.getServedBy(), 1, Integer::sum);
      }
      out.printf("  %-36s -> %s%n", book.getTitle(), servedBy);
    }
    try {
      catalog.getBook(GetBookRequest.newBuilder().setIsbn("000-0000000000").build());
      failed++;
    } catch (CourierException e) {
      out.println("  unknown ISBN                         -> " + e.code() + ": " + e.description());
    }
    return failed;
  }

  /** Search: a server-streaming call. */
  private static int search(CatalogClient catalog, PrintStream out) throws InterruptedException {
    List<String> titles = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(1);
    Throwable[] error = new Throwable[1];
    catalog.search(SearchRequest.newBuilder().setQuery("java").build(), new StreamObserver<>() {
      @Override
      public void onNext(Book book) {
        synchronized (titles) {
          titles.add(book.getTitle());
        }
      }

      @Override
      public void onError(Throwable t) {
        error[0] = t;
        done.countDown();
      }

      @Override
      public void onCompleted() {
        done.countDown();
      }
    });
    if (!done.await(10, TimeUnit.SECONDS) || error[0] != null) {
      out.println("Search \"java\" failed: " + (error[0] == null ? "timed out" : error[0].getMessage()));
      return 1;
    }
    out.println("Search \"java\", server streaming: " + titles.size() + " books " + titles);
    return 0;
  }

  /** Reserve: replica-a's store is down; the idempotent call is retried on another replica. */
  private static int reservations(CatalogClient catalog, CatalogService broken, PrintStream out) {
    int failed = 0;
    Map<String, Integer> servedBy = new TreeMap<>();
    for (int i = 1; i <= 6; i++) {
      try {
        Reservation r = catalog.reserve(ReserveRequest.newBuilder()
            .setReservationId("r-" + i).setIsbn(CatalogService.BOOKS.get(0).getIsbn()).setCustomer("ada").build());
        servedBy.merge(r.getServedBy(), 1, Integer::sum);
      } catch (CourierException e) {
        failed++;
        out.println("  reservation r-" + i + " failed: " + e.getMessage());
      }
    }
    out.println("Reserve x6, " + broken.name() + " refuses with UNAVAILABLE: " + (6 - failed) + " reserved "
        + servedBy + ", " + broken.refusedReservations() + " attempts refused and retried elsewhere");
    return failed;
  }

  /**
   * Quote: an asynchronous server ({@code PricingAsync}) that calls the catalog through its
   * {@code async()} view, behind a bearer-token authenticator and the method's {@code allow:
   * ["role:clerk"]}. The client sends the token and a header, and reads a response header.
   */
  private static int pricing(CatalogClient catalog, PrintStream out) {
    Map<String, Principal> tokens = Map.of("demo-clerk-token", Principal.of("clerk-ada", Set.of("clerk"), "bearer"));
    CourierServer server = PricingServer.builderAsync(new PricingService(catalog.async()))
        .address("127.0.0.1", 0)
        .authenticator(Authenticator.bearer(token -> Optional.ofNullable(tokens.get(token))))
        .start();
    int failed = 0;
    try (PricingClient pricing = PricingClient.builder().target(server.target()).build()) {
      ResponseCapture response = new ResponseCapture();
      QuoteRequest request = QuoteRequest.newBuilder().setIsbn(CatalogService.BOOKS.get(1).getIsbn()).build();
      PriceQuote quote = pricing.withHeader("authorization", "Bearer demo-clerk-token")
          .withHeader("x-customer", "ada")
          .capturing(response)
          .quote(request);
      out.printf("Quote, async server calling the catalog's async() view: %s for %s costs %d cents (x-priced-by: %s)%n",
          quote.getTitle(), quote.getCustomer(), quote.getPriceCents(), response.header("x-priced-by").orElse("?"));
      try {
        pricing.quote(request);
        failed++;
        out.println("  a quote without a token was served");
      } catch (CourierException e) {
        out.println("  without a token -> " + e.code() + ": " + e.description());
      }
    } finally {
      server.close();
    }
    return failed;
  }

  /**
   * SubmitReview over a queue: the embedded in-memory one by default, or Kafka when the system
   * property {@code courier.kafka} names a broker ({@code -Dcourier.kafka=127.0.0.1:9092}). The
   * calling code is the same either way; only the transport differs.
   */
  private static int reviews(CatalogService store, CallStats stats, PrintStream out) throws Exception {
    String kafka = System.getProperty("courier.kafka", "");
    try (QueueTransport queue = kafka.isBlank()
            ? InMemoryQueue.create()
            : KafkaQueue.builder().bootstrapServers(kafka).topicPrefix("bookstore.").build();
         CatalogQueueClient reviews = CatalogQueueClient.create(queue, stats)) {
      out.println("Queue: " + (kafka.isBlank() ? "embedded in-memory queue" : "Kafka at " + kafka));
      QueueWorkerRuntime worker = CatalogQueueWorker.builder(store, queue).listener(stats).start();
      try {
        return submitReviews(reviews, store, out);
      } finally {
        worker.close();
      }
    }
  }

  private static int submitReviews(CatalogQueueClient reviews, CatalogService store, PrintStream out)
      throws Exception {
    {
      List<CompletableFuture<?>> calls = new ArrayList<>();
      int stars = 5;
      for (Book book : CatalogService.BOOKS.subList(0, 3)) {
        calls.add(reviews.submitReview(Review.newBuilder()
            .setIsbn(book.getIsbn()).setStars(stars--).setText("Worth reading").build()));
      }
      int failed = 0;
      for (CompletableFuture<?> call : calls) {
        try {
          call.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          failed++;
        }
      }
      try {
        reviews.submitReview(Review.newBuilder().setIsbn(CatalogService.BOOKS.get(0).getIsbn()).setStars(9).build())
            .get(10, TimeUnit.SECONDS);
        failed++;
      } catch (java.util.concurrent.ExecutionException e) {
        CourierException ce = CourierException.from(e.getCause());
        out.println("  review with 9 stars -> " + ce.code() + ": " + ce.description());
      }
      out.println("SubmitReview over the queue: " + store.reviews().size() + " reviews stored by the worker"
          + ", " + failed + " failed");
      return failed;
    }
  }
}
