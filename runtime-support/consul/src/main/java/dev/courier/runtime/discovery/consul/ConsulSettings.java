package dev.courier.runtime.discovery.consul;

import java.time.Duration;

/**
 * The settings of one {@link ConsulDiscovery}, frozen by {@link ConsulDiscovery.Builder#build()}.
 * Immutable; the defaults are documented on the builder. {@link #toString()} never shows the token.
 *
 * @param url the agent's HTTP API
 * @param aclToken the ACL token, {@code null} for none
 * @param queryWait how long one blocking query may wait for a change (the builder's {@code wait})
 * @param connectTimeout how long opening a connection may take
 * @param initialWait how long a subscription waits for the first answer
 * @param minRetryDelay the first backoff after a failed query
 * @param maxRetryDelay the longest backoff after failed queries
 * @param ttl the TTL of a registration's check, passed every {@code ttl / 3}
 * @param grpcCheckInterval how often the agent runs a gRPC health check instead, {@code null} for
 *     the TTL check
 * @param deregisterCriticalAfter how long a check may stay critical before Consul removes the instance
 */
record ConsulSettings(
    String url,
    String aclToken,
    Duration queryWait,
    Duration connectTimeout,
    Duration initialWait,
    Duration minRetryDelay,
    Duration maxRetryDelay,
    Duration ttl,
    Duration grpcCheckInterval,
    Duration deregisterCriticalAfter) {

  /** Whether registrations carry a TTL check kept passing by a heartbeat (else a gRPC check). */
  boolean ttlCheck() {
    return grpcCheckInterval == null;
  }

  @Override
  public String toString() {
    return "consul{" + url + (aclToken != null ? ", token=****" : "") + "}";
  }
}
