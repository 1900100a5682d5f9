/**
 * Observability: {@link dev.courier.runtime.observe.CourierListener}, told about calls, attempts,
 * retries, a spent retry budget, ejected endpoints and queue events; {@link
 * dev.courier.runtime.observe.CallStats} counts them in memory; {@link
 * dev.courier.runtime.observe.micrometer.MicrometerListener} turns them into Micrometer counters and timers
 * (Micrometer is an optional dependency).
 */
package dev.courier.runtime.observe;
