package dev.courier.runtime.context;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.lang.System.Logger.Level;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Gives every call a {@link CallContext}, authenticates it and applies its method's access rules,
 * before any interceptor of the user's and before the implementation; then sends the response
 * headers and trailers the implementation set. {@code CourierServer} installs one per service.
 *
 * <p>A refused call is closed with {@code UNAUTHENTICATED} or {@code PERMISSION_DENIED} and
 * reported to {@code refusals} (method, status); the implementation never runs, and the log gets
 * one line at {@code DEBUG}, which names the method and the principal, never a credential.
 * Thread-safe.
 */
public final class CallContextInterceptor implements ServerInterceptor {
  private static final System.Logger LOG = System.getLogger(CallContextInterceptor.class.getName());

  private final Authenticator authenticator; // null: every call is anonymous
  private final Map<String, MethodAccess> access; // full method name → rules; absent: open
  private final BiConsumer<String, Status> refusals;

  /**
   * @param authenticator who the caller is; {@code null} for none (every call anonymous)
   * @param access the access rules by full method name; methods without rules are open
   * @param refusals told of every call refused here
   */
  public CallContextInterceptor(Authenticator authenticator, Map<String, MethodAccess> access,
      BiConsumer<String, Status> refusals) {
    this.authenticator = authenticator;
    this.access = Map.copyOf(access);
    this.refusals = Objects.requireNonNull(refusals, "refusals");
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    CallContext context = CallContext.builder(method)
        .metadata(headers)
        .peerAddress(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR))
        .peerIdentity(peerIdentity(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)))
        .deadline(Context.current().getDeadline())
        .build();
    Optional<Status> refusal = authorize(method, context);
    if (refusal.isPresent()) {
      Status status = refusal.get();
      LOG.log(Level.DEBUG, () -> "refused " + method + " with " + status.getCode() + ": " + status.getDescription());
      refusals.accept(method, status);
      call.close(status, new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(Context.current().withValue(CallContext.key(), context),
        new ResponseMetadataCall<>(call, context.response()), headers, next);
  }

  private Optional<Status> authorize(String method, CallContext context) {
    Optional<Principal> principal;
    try {
      principal = authenticator == null ? Optional.empty() : authenticator.authenticate(context);
    } catch (AuthenticationException e) {
      return Optional.of(Status.UNAUTHENTICATED.withDescription(method + ": " + e.getMessage()));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "The authenticator failed on a call of " + method + "; the call is refused", e);
      return Optional.of(Status.UNAUTHENTICATED.withDescription(method + ": the server could not authenticate the call"));
    }
    principal.ifPresent(context::principal);
    MethodAccess rules = access.get(method);
    return rules == null ? Optional.empty() : rules.refusal(principal);
  }

  private static PeerIdentity peerIdentity(SSLSession session) {
    if (session == null) {
      return null;
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x509 ? PeerIdentity.of(x509) : null;
    } catch (SSLPeerUnverifiedException e) {
      return null; // TLS without a client certificate
    }
  }

  /** Adds the implementation's response headers and trailers to what the call sends. */
  private static final class ResponseMetadataCall<ReqT, RespT>
      extends ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT> {
    private final ResponseMetadata response;

    ResponseMetadataCall(ServerCall<ReqT, RespT> call, ResponseMetadata response) {
      super(call);
      this.response = response;
    }

    @Override
    public void sendHeaders(Metadata headers) {
      response.sendHeaders(headers);
      super.sendHeaders(headers);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      response.close(trailers);
      super.close(status, trailers);
    }
  }
}
