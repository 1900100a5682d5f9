package dev.courier.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's demo runs end to end on loopback and every call ends as expected. */
class BookstoreDemoTest {

  @Test
  void demoCallsSucceedAndEachBookStaysOnOneReplica() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int failed;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      failed = BookstoreDemo.run(out);
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);

    assertThat(failed).as(printed).isZero();
    assertThat(printed).contains("Done: every call ended as expected (the failures shown above are deliberate).");
    assertThat(printed).containsPattern("Status page: http://127\\.0\\.0\\.1:\\d+/");
    // Consistent hashing: the 3 lookups of each book went to a single replica.
    Matcher lookups = Pattern.compile("-> \\{(replica-[abc])=3\\}").matcher(printed);
    int books = 0;
    while (lookups.find()) {
      books++;
    }
    assertThat(books).as(printed).isEqualTo(CatalogService.BOOKS.size());
    assertThat(printed).contains("unknown ISBN").contains("NOT_FOUND");
    assertThat(printed).contains("Search \"java\", server streaming: 3 books");
    // Reservations that hit the broken replica were retried elsewhere, never served by it.
    // LEAST_LOADED, the default, may send all six to the faster healthy replica, and then no
    // attempt reaches the refusing one, so the summary may count no retry.
    assertThat(printed).containsPattern(
        "Reserve x6, replica-a refuses with UNAVAILABLE: 6 reserved \\{(replica-b=\\d, replica-c=\\d|replica-[bc]=6)\\}");
    assertThat(printed).containsPattern(
        "Quote, async server calling the catalog's async\\(\\) view: Java Concurrency in Practice for ada costs \\d+ cents \\(x-priced-by: pricing-1\\)");
    assertThat(printed).contains("without a token -> UNAUTHENTICATED");
    assertThat(printed).as("a timeout change takes effect without a restart")
        .contains("rewritten to 1ms: applied [courier.bookstore.Catalog/GetBook.timeout=1ms (was 2s)]")
        .contains("the next call, same client -> DEADLINE_EXCEEDED")
        .contains("rewritten to 'soon': refused")
        .contains("rewritten to 2s: applied");
    assertThat(printed).contains("INVALID_ARGUMENT").contains("3 reviews stored by the worker, 0 failed");
    assertThat(printed).containsPattern("Summary: \\d+ calls \\(1 failed\\), \\d+ attempts, \\d+ retries");
  }
}
