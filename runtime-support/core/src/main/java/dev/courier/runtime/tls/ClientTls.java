package dev.courier.runtime.tls;

import static dev.courier.runtime.internal.Checks.notBlank;

import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for a generated client: which server certificates to trust (CA certificates in PEM, a
 * {@link TrustManagerFactory}, or the JDK's default trust store) and, for mutual TLS, the
 * client's own certificate chain and PKCS#8 private key. The server's certificate must name the
 * host the client dials (for an IP address, an IP subject alternative name) unless {@link
 * #withAuthority} says which name to check instead.
 *
 * <p>Use it with {@code XxxClient.builder().tls(ClientTls.trusting(caPem))}. Built on grpc's
 * {@link TlsChannelCredentials}; material is read when the value is created.
 *
 * <p>Immutable and thread-safe; {@link #toString()} shows no key material and no password.
 */
public final class ClientTls {
  private final byte[] trustPem;
  private final TrustManagerFactory trustManagers;
  private final byte[] certChainPem;
  private final byte[] privateKeyPem;
  private final String keyPassword;
  private final KeyManagerFactory keyManagers;
  private final String authority;

  private ClientTls(byte[] trustPem, TrustManagerFactory trustManagers, byte[] certChainPem, byte[] privateKeyPem,
      String keyPassword, KeyManagerFactory keyManagers, String authority) {
    this.trustPem = trustPem;
    this.trustManagers = trustManagers;
    this.certChainPem = certChainPem;
    this.privateKeyPem = privateKeyPem;
    this.keyPassword = keyPassword;
    this.keyManagers = keyManagers;
    this.authority = authority;
  }

  /** Trusts the JDK's default CA certificates. */
  public static ClientTls systemTrust() {
    return new ClientTls(null, null, null, null, null, null, null);
  }

  /** Trusts the CA certificates in this PEM file. */
  public static ClientTls trusting(File trustedCertsPem) {
    return new ClientTls(Pem.read("trustedCerts", trustedCertsPem), null, null, null, null, null, null);
  }

  /** Trusts the PEM CA certificates read from this stream (not closed here). */
  public static ClientTls trusting(InputStream trustedCertsPem) {
    return new ClientTls(Pem.read("trustedCerts", trustedCertsPem), null, null, null, null, null, null);
  }

  /** Trusts what {@code trustManagers} (initialised) accepts. */
  public static ClientTls trusting(TrustManagerFactory trustManagers) {
    Objects.requireNonNull(trustManagers, "trustManagers");
    return new ClientTls(null, trustManagers, null, null, null, null, null);
  }

  /** A copy that presents this certificate chain and PKCS#8 private key (PEM files): mutual TLS. */
  public ClientTls withClientCertificate(File certChain, File privateKey) {
    return new ClientTls(trustPem, trustManagers, Pem.read("certChain", certChain),
        Pem.read("privateKey", privateKey), null, null, authority);
  }

  /** A copy that presents this certificate chain and PKCS#8 private key (PEM streams, not closed here). */
  public ClientTls withClientCertificate(InputStream certChain, InputStream privateKey) {
    return new ClientTls(trustPem, trustManagers, Pem.read("certChain", certChain),
        Pem.read("privateKey", privateKey), null, null, authority);
  }

  /** A copy that presents the keys of {@code keyManagers} (initialised): mutual TLS. */
  public ClientTls withClientKeyManagers(KeyManagerFactory keyManagers) {
    Objects.requireNonNull(keyManagers, "keyManagers");
    return new ClientTls(trustPem, trustManagers, null, null, null, keyManagers, authority);
  }

  /** A copy whose PEM client private key is encrypted with {@code password}. */
  public ClientTls withKeyPassword(String password) {
    Objects.requireNonNull(password, "password");
    if (privateKeyPem == null) {
      throw new IllegalStateException(
          "keyPassword: only for a PEM client key (expected: withClientCertificate(...) first)");
    }
    return new ClientTls(trustPem, trustManagers, certChainPem, privateKeyPem, password, null, authority);
  }

  /** A copy that checks the server certificate against {@code authority} instead of the dialled host. */
  public ClientTls withAuthority(String authority) {
    notBlank("authority", authority);
    return new ClientTls(trustPem, trustManagers, certChainPem, privateKeyPem, keyPassword, keyManagers, authority);
  }

  /** grpc channel credentials for this configuration. */
  public ChannelCredentials credentials() {
    TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
    try {
      if (trustManagers != null) {
        builder.trustManager(trustManagers.getTrustManagers());
      } else if (trustPem != null) {
        builder.trustManager(stream(trustPem));
      }
      if (keyManagers != null) {
        builder.keyManager(keyManagers.getKeyManagers());
      } else if (keyPassword != null) {
        builder.keyManager(stream(certChainPem), stream(privateKeyPem), keyPassword);
      } else if (privateKeyPem != null) {
        builder.keyManager(stream(certChainPem), stream(privateKeyPem));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen: the streams are in memory
    }
    return builder.build();
  }

  /** The authority to check the server's certificate against instead of the endpoint's host, if set. */
  public Optional<String> authority() {
    return Optional.ofNullable(authority);
  }

  private static InputStream stream(byte[] bytes) {
    return new ByteArrayInputStream(bytes);
  }

  @Override
  public String toString() {
    String trust = trustManagers != null ? "TrustManagerFactory" : trustPem != null ? Pem.describe(trustPem) : "system";
    String client = keyManagers != null ? "KeyManagerFactory"
        : certChainPem != null ? Pem.describe(certChainPem) + ", privateKey=" + Secrets.REDACTED
            + (keyPassword != null ? ", keyPassword=" + Secrets.REDACTED : "")
        : "none";
    return "ClientTls{trust=" + trust + ", clientCertificate=" + client
        + (authority != null ? ", authority=" + authority : "") + '}';
  }
}
