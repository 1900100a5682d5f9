package dev.courier.bench;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves {@code bench-static:///127.0.0.1:1234,127.0.0.1:5678} to those addresses, so a plain
 * grpc-java channel can spread calls over several servers with its own {@code round_robin}
 * policy.
 */
public final class StaticResolverProvider extends NameResolverProvider {
  public static final String SCHEME = "bench-static";

  public static String target(List<InetSocketAddress> addresses) {
    StringBuilder sb = new StringBuilder(SCHEME).append(":///");
    for (int i = 0; i < addresses.size(); i++) {
      InetSocketAddress a = addresses.get(i);
      sb.append(i == 0 ? "" : ",").append(a.getHostString()).append(':').append(a.getPort());
    }
    return sb.toString();
  }

  @Override
  protected boolean isAvailable() {
    return true;
  }

  @Override
  protected int priority() {
    return 5;
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }

  @Override
  public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
    if (!SCHEME.equals(targetUri.getScheme())) {
      return null;
    }
    List<EquivalentAddressGroup> groups = new ArrayList<>();
    for (String part : targetUri.getPath().substring(1).split(",")) {
      int colon = part.lastIndexOf(':');
      groups.add(new EquivalentAddressGroup(
          new InetSocketAddress(part.substring(0, colon), Integer.parseInt(part.substring(colon + 1)))));
    }
    return new NameResolver() {
      @Override
      public String getServiceAuthority() {
        return "bench";
      }

      @Override
      public void start(Listener2 listener) {
        listener.onResult(ResolutionResult.newBuilder().setAddressesOrError(io.grpc.StatusOr.fromValue(groups)).build());
      }

      @Override
      public void shutdown() {}
    };
  }
}
