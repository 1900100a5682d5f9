package dev.courier.runtime.tls;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for a {@link dev.courier.runtime.server.CourierServer}: the server's certificate chain and
 * private key (PEM files or streams, or a {@link KeyManagerFactory}), and optionally mutual TLS:
 * client certificates required and verified against trusted CA certificates.
 *
 * <p>PEM keys must be PKCS#8 ({@code BEGIN PRIVATE KEY}, or {@code BEGIN ENCRYPTED PRIVATE KEY}
 * with {@link #withKeyPassword}). Material is read when the value is created, so a missing file
 * fails there. Built on grpc's {@link TlsServerCredentials}. Default: no client certificates
 * asked for.
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

  /** grpc server credentials for this configuration. */
  public ServerCredentials credentials() {
    TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder();
    try {
      if (keyManagers != null) {
        builder.keyManager(keyManagers.getKeyManagers());
      } else if (keyPassword != null) {
        builder.keyManager(stream(certChainPem), stream(privateKeyPem), keyPassword);
      } else {
        builder.keyManager(stream(certChainPem), stream(privateKeyPem));
      }
      if (trustManagers != null) {
        builder.trustManager(trustManagers.getTrustManagers());
      } else if (trustPem != null) {
        builder.trustManager(stream(trustPem));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen: the streams are in memory
    }
    if (mutual()) {
      builder.clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
    }
    return builder.build();
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
