package dev.courier.runtime.observe.micrometer;

import com.google.protobuf.StringValue;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/** A stream's responses, ignored, and its end: for tests that wait for a stream to close. */
final class Completion {
  private Completion() {}

  /** An observer that completes {@code done} when the stream completes, or fails it with the stream's failure. */
  static StreamObserver<StringValue> completes(CompletableFuture<Void> done) {
    return new StreamObserver<>() {
      @Override
      public void onNext(StringValue value) {}

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        done.complete(null);
      }
    };
  }
}
