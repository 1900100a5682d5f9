package dev.courier.codegen.model;

import java.util.Set;

/**
 * The names of gRPC's status codes other than {@code OK}, as {@code retryable_codes} takes them.
 *
 * @since 0.1.0
 */
public final class StatusCodeNames {

  /** Every name a retryable code may have. */
  public static final Set<String> ALL = Set.of(
      "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
      "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
      "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED");

  private StatusCodeNames() {}
}
