package dev.courier.runtime.context;

/**
 * Thrown by an {@link Authenticator} for credentials that are present but not acceptable (an
 * expired or forged token, say); the call fails with {@code UNAUTHENTICATED} and this message.
 * The message reaches the client and the log, so it must never contain the credential itself.
 */
public final class AuthenticationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AuthenticationException(String message) {
    super(message, null, false, false);
  }
}
