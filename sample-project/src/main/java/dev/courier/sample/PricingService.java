package dev.courier.sample;

import dev.courier.runtime.context.CallContext;
import dev.courier.sample.bookstore.CatalogAsync;
import dev.courier.sample.bookstore.GetBookRequest;
import dev.courier.sample.bookstore.PriceQuote;
import dev.courier.sample.bookstore.PricingAsync;
import dev.courier.sample.bookstore.QuoteRequest;
import java.util.concurrent.CompletableFuture;

/**
 * The pricing service, written against the generated asynchronous interface: it asks the catalog
 * for the book through the catalog client's {@code async()} view and answers when that answer
 * comes, so no thread waits for the catalog. The same code would work with a local {@link
 * CatalogAsync}.
 */
final class PricingService implements PricingAsync {
  private final CatalogAsync catalog;

  PricingService(CatalogAsync catalog) {
    this.catalog = catalog;
  }

  @Override
  public CompletableFuture<PriceQuote> quote(QuoteRequest request) {
    // Read the call context on the call's thread; the future completes on another one.
    CallContext call = CallContext.current();
    String customer = call.header("x-customer").orElse("walk-in");
    call.setResponseHeader("x-priced-by", "pricing-1");
    return catalog.getBook(GetBookRequest.newBuilder().setIsbn(request.getIsbn()).build())
        .thenApply(book -> PriceQuote.newBuilder()
            .setIsbn(book.getIsbn())
            .setTitle(book.getTitle())
            .setPriceCents(1000 + Math.floorMod(book.getTitle().hashCode(), 4000))
            .setCustomer(customer)
            .build());
  }
}
