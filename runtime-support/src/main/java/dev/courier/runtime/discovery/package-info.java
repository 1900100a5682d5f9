/**
 * Discovery: {@link dev.courier.runtime.discovery.Endpoint} and the
 * {@link dev.courier.runtime.discovery.EndpointSource} SPI through which a client learns its
 * endpoint set (a static list by default; registries plug in as further sources).
 */
package dev.courier.runtime.discovery;
