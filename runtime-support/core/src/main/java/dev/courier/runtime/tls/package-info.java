/**
 * Transport security and secret handling: {@link dev.courier.runtime.tls.ServerTls} (TLS or
 * mutual TLS for a {@link dev.courier.runtime.server.CourierServer}), {@link
 * dev.courier.runtime.tls.ClientTls} (TLS, with an optional client certificate, for generated
 * clients), the first on a Netty TLS context with the JDK provider (see {@code ServerTls} for why),
 * the second on grpc's {@code TlsChannelCredentials}; and
 * {@link dev.courier.runtime.tls.Secrets}, which keeps passwords, tokens and keys out of {@code
 * toString()} and log lines.
 */
package dev.courier.runtime.tls;
