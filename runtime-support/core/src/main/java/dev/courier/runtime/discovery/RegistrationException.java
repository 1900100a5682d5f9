package dev.courier.runtime.discovery;

/** A registry refused a registration or could not be reached. */
public final class RegistrationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RegistrationException(String message, Throwable cause) {
    super(message, cause);
  }
}
