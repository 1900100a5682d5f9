/**
 * The live status page: {@link dev.courier.runtime.status.StatusPage} serves one small,
 * self-refreshing HTML page (no script, no outside resource) over the JDK's HTTP server, with the
 * services and declared policies of a server ({@link dev.courier.runtime.status.ServiceView}),
 * each method's calls and latency percentiles ({@link dev.courier.runtime.status.MethodStats}),
 * and every Courier client of the process ({@link dev.courier.runtime.observe.LiveClients}).
 * Opt-in through {@code CourierServer.Builder.statusPage}; loopback only unless {@link
 * dev.courier.runtime.status.StatusPageConfig} says otherwise.
 */
package dev.courier.runtime.status;
