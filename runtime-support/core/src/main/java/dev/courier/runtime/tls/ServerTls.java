package dev.courier.runtime.tls;

import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettySslContextServerCredentials;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.InputStream;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for a {@link dev.courier.runtime.server.CourierServer}: the server's certificate chain and
 * private key (PEM files or streams, or a {@link KeyManagerFactory}), and optionally mutual TLS:
 * client certificates required and verified against trusted CA certificates.
 *
 * <p>PEM keys must be PKCS#8 ({@code BEGIN PRIVATE KEY}, or {@code BEGIN ENCRYPTED PRIVATE KEY}
 * with {@link #withKeyPassword}). Material is read when the value is created, so a missing file
 * fails there. Default: no client certificates asked for.
 *
 * <p><b>Provider: the JDK's, deliberately.</b> grpc-netty-shaded also carries BoringSSL (netty's
 * OpenSSL provider) for some platforms and prefers it where it loads, so the same server would
 * answer differently by platform. With the JDK provider a refused mutual-TLS client sees the same
 * TLS alert on every platform, and one that blames its certificate: over TLS 1.3, a client certificate
 * from a CA the server does not trust gets {@code certificate_unknown} (46), where BoringSSL sends
 * {@code internal_error} (80); no certificate at all gets {@code bad_certificate} (42) from a Java
 * 17 server and {@code certificate_required} (116) from a Java 25 one. (A JDK client offers only
 * certificates issued by the CAs the server names, so a JDK client whose only certificate is from
 * another CA sends none.) The cost is a slower handshake; bulk encryption uses the same AES
 * instructions either way.
 *
 * <p>Immutable and thread-safe; {@link #toString()} shows no key material and no password.
 */
public final class ServerTls {
  private final byte[] certChainPem;
  private final byte[] privateKeyPem;
  private final String keyPassword;
  private final KeyManagerFactory keyManagers;
  private final byte[] trustPem;
  private final TrustManagerFactory trustManagers;

  private ServerTls(byte[] certChainPem, byte[] privateKeyPem, String keyPassword, KeyManagerFactory keyManagers,
      byte[] trustPem, TrustManagerFactory trustManagers) {
    this.certChainPem = certChainPem;
    this.privateKeyPem = privateKeyPem;
    this.keyPassword = keyPassword;
    this.keyManagers = keyManagers;
    this.trustPem = trustPem;
    this.trustManagers = trustManagers;
  }

  /** TLS with the certificate chain and PKCS#8 private key in these PEM files. */
  public static ServerTls fromPem(File certChain, File privateKey) {
    return new ServerTls(Pem.read("certChain", certChain), Pem.read("privateKey", privateKey),
        null, null, null, null);
  }

  /** TLS with the certificate chain and PKCS#8 private key read from these streams (not closed here). */
  public static ServerTls fromPem(InputStream certChain, InputStream privateKey) {
    return new ServerTls(Pem.read("certChain", certChain), Pem.read("privateKey", privateKey),
        null, null, null, null);
  }

  /** TLS with the keys of an initialised {@link KeyManagerFactory} (a key store, an HSM, ...). */
  public static ServerTls fromKeyManagers(KeyManagerFactory keyManagers) {
    Objects.requireNonNull(keyManagers, "keyManagers");
    return new ServerTls(null, null, null, keyManagers, null, null);
  }

  /** A copy whose PEM private key is encrypted with {@code password}. */
  public ServerTls withKeyPassword(String password) {
    Objects.requireNonNull(password, "password");
    if (privateKeyPem == null) {
      throw new IllegalStateException("keyPassword: only for a PEM private key (expected: fromPem(...) first)");
    }
    return new ServerTls(certChainPem, privateKeyPem, password, null, trustPem, trustManagers);
  }

  /** A copy that requires client certificates signed by one of the CA certificates in this PEM file. */
  public ServerTls requireClientCertificates(File trustedCertsPem) {
    return new ServerTls(certChainPem, privateKeyPem, keyPassword, keyManagers,
        Pem.read("trustedCerts", trustedCertsPem), null);
  }

  /** A copy that requires client certificates signed by one of these PEM CA certificates. */
  public ServerTls requireClientCertificates(InputStream trustedCertsPem) {
    return new ServerTls(certChainPem, privateKeyPem, keyPassword, keyManagers,
        Pem.read("trustedCerts", trustedCertsPem), null);
  }

  /** A copy that requires client certificates that {@code trustManagers} (initialised) accepts. */
  public ServerTls requireClientCertificates(TrustManagerFactory trustManagers) {
    Objects.requireNonNull(trustManagers, "trustManagers");
    return new ServerTls(certChainPem, privateKeyPem, keyPassword, keyManagers, null, trustManagers);
  }

  /** Whether clients must present a trusted certificate (mutual TLS). */
  public boolean mutual() {
    return trustPem != null || trustManagers != null;
  }

  /**
   * grpc server credentials for this configuration, on the JDK's TLS provider (see the class
   * comment for why not OpenSSL).
   */
  public ServerCredentials credentials() {
    SslContextBuilder builder;
    if (keyManagers != null) {
      builder = SslContextBuilder.forServer(keyManagers);
    } else if (keyPassword != null) {
      builder = SslContextBuilder.forServer(stream(certChainPem), stream(privateKeyPem), keyPassword);
    } else {
      builder = SslContextBuilder.forServer(stream(certChainPem), stream(privateKeyPem));
    }
    GrpcSslContexts.configure(builder, SslProvider.JDK); // HTTP/2 over ALPN, the ciphers gRPC allows
    if (trustManagers != null) {
      builder.trustManager(trustManagers);
    } else if (trustPem != null) {
      builder.trustManager(stream(trustPem));
    }
    if (mutual()) {
      builder.clientAuth(ClientAuth.REQUIRE);
    }
    try {
      return NettySslContextServerCredentials.create(builder.build());
    } catch (SSLException e) {
      throw new IllegalArgumentException("tls: the server's key or certificates cannot be used: " + e.getMessage(), e);
    }
  }

  private static InputStream stream(byte[] bytes) {
    return new ByteArrayInputStream(bytes);
  }

  @Override
  public String toString() {
    return "ServerTls{certChain=" + (keyManagers != null ? "KeyManagerFactory" : Pem.describe(certChainPem))
        + ", privateKey=" + Secrets.REDACTED
        + (keyPassword != null ? ", keyPassword=" + Secrets.REDACTED : "")
        + ", clientAuth=" + (mutual() ? "REQUIRE" : "NONE") + '}';
  }
}
