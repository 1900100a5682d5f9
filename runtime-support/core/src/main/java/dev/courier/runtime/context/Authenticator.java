package dev.courier.runtime.context;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns a call's credentials into a {@link Principal}, before any interceptor of the user's or the
 * implementation runs ({@code CourierServer.Builder.authenticator}). Implementations must be
 * thread-safe and should not block for long: they run on the call's transport thread.
 */
@FunctionalInterface
public interface Authenticator {
  /**
   * The caller of {@code call}, or empty when the call carries no credentials this authenticator
   * reads (the call is then anonymous, and the method's access rules decide).
   *
   * @throws AuthenticationException when credentials are present but not acceptable: the call
   *     fails with {@code UNAUTHENTICATED}
   */
  Optional<Principal> authenticate(CallContext call);

  /**
   * Reads {@code authorization: Bearer <token>} and asks {@code verifier} who the token belongs
   * to. No header: anonymous. Another scheme, an empty token, or a token the verifier does not
   * know: {@code UNAUTHENTICATED}. The token never appears in a message.
   */
  static Authenticator bearer(TokenVerifier verifier) {
    Objects.requireNonNull(verifier, "verifier");
    return call -> {
      Optional<String> header = call.header("authorization");
      if (header.isEmpty()) {
        return Optional.empty();
      }
      String value = header.get().strip();
      if (!value.regionMatches(true, 0, "Bearer ", 0, 7) || value.substring(7).isBlank()) {
        String scheme = value.contains(" ") ? value.substring(0, value.indexOf(' ')) : "(none)";
        throw new AuthenticationException("the authorization header must read \"Bearer <token>\" (scheme given: "
            + scheme.toLowerCase(Locale.ROOT) + ")");
      }
      Optional<Principal> principal = verifier.verify(value.substring(7).strip());
      if (principal.isEmpty()) {
        throw new AuthenticationException("the bearer token was not accepted");
      }
      return principal;
    };
  }

  /**
   * Recognises callers by the certificate they presented under mutual TLS: {@code mapping} names
   * the principal of a {@link PeerIdentity} (empty: not recognised, so anonymous). A call without a
   * client certificate is anonymous.
   */
  static Authenticator mutualTls(Function<PeerIdentity, Optional<Principal>> mapping) {
    Objects.requireNonNull(mapping, "mapping");
    return call -> call.peerIdentity().flatMap(mapping);
  }

  /** The first of {@code authenticators} that recognises the caller; any refusal stops the search. */
  static Authenticator firstOf(Authenticator... authenticators) {
    List<Authenticator> list = List.of(authenticators);
    return call -> {
      for (Authenticator authenticator : list) {
        Optional<Principal> principal = authenticator.authenticate(call);
        if (principal.isPresent()) {
          return principal;
        }
      }
      return Optional.empty();
    };
  }

  /** Who a bearer token belongs to. */
  @FunctionalInterface
  interface TokenVerifier {
    /** The principal of {@code token}, or empty when the token is not valid. Must not log the token. */
    Optional<Principal> verify(String token);
  }
}
