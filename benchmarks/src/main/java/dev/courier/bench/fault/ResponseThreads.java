package dev.courier.bench.fault;

import io.grpc.ClientCall;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * With {@code -Dfault.trace=true}: the client threads on which each endpoint's answers arrived (a
 * direct executor runs them on the channel's Netty event loop), so a trace shows when two
 * endpoints' connections share one event-loop thread.
 */
final class ResponseThreads {
  private static final Map<String, Set<String>> THREADS = new ConcurrentHashMap<>();

  private ResponseThreads() {}

  static <ReqT, RespT> ClientCall<ReqT, RespT> watch(String authority, ClientCall<ReqT, RespT> call) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
      @Override
      public void start(Listener<RespT> listener, Metadata headers) {
        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
          @Override
          public void onClose(Status status, Metadata trailers) {
            THREADS.computeIfAbsent(authority, k -> ConcurrentHashMap.newKeySet()).add(Thread.currentThread().getName());
            super.onClose(status, trailers);
          }
        }, headers);
      }
    };
  }

  /** Each endpoint's threads since the last call, and forgets them. */
  static String drain() {
    Map<String, Set<String>> out = new TreeMap<>();
    for (String authority : THREADS.keySet()) {
      Set<String> threads = THREADS.remove(authority);
      if (threads != null) {
        out.put(authority, new java.util.TreeSet<>(threads));
      }
    }
    return out.toString();
  }
}
