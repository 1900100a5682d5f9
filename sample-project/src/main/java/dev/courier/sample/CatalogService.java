package dev.courier.sample;

import com.google.protobuf.Empty;
import dev.courier.runtime.CourierException;
import dev.courier.sample.bookstore.Book;
import dev.courier.sample.bookstore.Catalog;
import dev.courier.sample.bookstore.GetBookRequest;
import dev.courier.sample.bookstore.Reservation;
import dev.courier.sample.bookstore.ReserveRequest;
import dev.courier.sample.bookstore.Review;
import dev.courier.sample.bookstore.SearchRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One replica of the catalog: the implementation a user writes. It implements the generated
 * {@link Catalog} interface and nothing else; serving, balancing, retries and queues come from
 * the generated classes.
 */
final class CatalogService implements Catalog {
  static final List<Book> BOOKS = List.of(
      book("978-0134685991", "Effective Java", "Joshua Bloch"),
      book("978-0321349606", "Java Concurrency in Practice", "Brian Goetz"),
      book("978-1617294945", "Spring in Action", "Craig Walls"),
      book("978-0596009205", "Head First Java", "Kathy Sierra"),
      book("978-1492072508", "Kafka: The Definitive Guide", "Gwen Shapira"));

  private static final Map<String, Book> BY_ISBN =
      BOOKS.stream().collect(Collectors.toMap(Book::getIsbn, Function.identity()));

  private final String name;
  private final boolean reservationsDown;
  private final AtomicInteger refusedReservations = new AtomicInteger();
  private final Map<String, Reservation> reservations = new ConcurrentHashMap<>();
  private final List<Review> reviews = new CopyOnWriteArrayList<>();

  /**
   * @param name the replica's name, returned in {@code served_by}
   * @param reservationsDown whether this replica's reservation store is down (refuses with UNAVAILABLE)
   */
  CatalogService(String name, boolean reservationsDown) {
    this.name = name;
    this.reservationsDown = reservationsDown;
  }

  @Override
  public Book getBook(GetBookRequest request) {
    Book book = BY_ISBN.get(request.getIsbn());
    if (book == null) {
      throw CourierException.of(Status.Code.NOT_FOUND, "no book with ISBN " + request.getIsbn());
    }
    return book.toBuilder().setServedBy(name).build();
  }

  @Override
  public void search(SearchRequest request, StreamObserver<Book> responses) {
    String query = request.getQuery().toLowerCase(Locale.ROOT);
    for (Book book : BOOKS) {
      if (book.getTitle().toLowerCase(Locale.ROOT).contains(query)) {
        responses.onNext(book.toBuilder().setServedBy(name).build());
      }
    }
    responses.onCompleted();
  }

  @Override
  public Reservation reserve(ReserveRequest request) {
    if (reservationsDown) {
      refusedReservations.incrementAndGet();
      throw Status.UNAVAILABLE.withDescription(name + ": reservation store is down").asRuntimeException();
    }
    // Idempotent by reservation id: a retried request returns the first result.
    return reservations.computeIfAbsent(request.getReservationId(), id -> Reservation.newBuilder()
        .setReservationId(id)
        .setIsbn(request.getIsbn())
        .setServedBy(name)
        .build());
  }

  @Override
  public Empty submitReview(Review request) {
    if (request.getStars() < 1 || request.getStars() > 5) {
      throw CourierException.of(Status.Code.INVALID_ARGUMENT, "stars: " + request.getStars() + " (expected: 1 to 5)");
    }
    reviews.add(request);
    return Empty.getDefaultInstance();
  }

  String name() {
    return name;
  }

  int refusedReservations() {
    return refusedReservations.get();
  }

  List<Review> reviews() {
    return List.copyOf(reviews);
  }

  private static Book book(String isbn, String title, String author) {
    return Book.newBuilder().setIsbn(isbn).setTitle(title).setAuthor(author).build();
  }
}
