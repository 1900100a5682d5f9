package dev.courier.it.interop;

import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A response observer that collects every reply and completes when the call ends. */
final class Replies<T> implements StreamObserver<T> {
  final List<T> received = new CopyOnWriteArrayList<>();
  final CompletableFuture<List<T>> done = new CompletableFuture<>();

  @Override
  public void onNext(T value) {
    received.add(value);
  }

  @Override
  public void onError(Throwable t) {
    done.completeExceptionally(t);
  }

  @Override
  public void onCompleted() {
    done.complete(List.copyOf(received));
  }
}
