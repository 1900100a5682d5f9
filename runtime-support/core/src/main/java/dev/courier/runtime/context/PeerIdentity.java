package dev.courier.runtime.context;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Who the peer proved to be over TLS: the subject and subject alternative names of the certificate
 * it presented (under mutual TLS, the client's certificate). Immutable.
 */
public final class PeerIdentity {
  // The SAN types of RFC 5280, section 4.2.1.6, in the numbering X509Certificate uses.
  private static final int SAN_DNS = 2;
  private static final int SAN_URI = 6;
  private static final int SAN_IP = 7;

  private final String subject;
  private final List<String> dnsNames;
  private final List<String> uris;
  private final List<String> ipAddresses;
  private final X509Certificate certificate;

  private PeerIdentity(String subject, List<String> dnsNames, List<String> uris, List<String> ipAddresses,
      X509Certificate certificate) {
    this.subject = subject;
    this.dnsNames = List.copyOf(dnsNames);
    this.uris = List.copyOf(uris);
    this.ipAddresses = List.copyOf(ipAddresses);
    this.certificate = certificate;
  }

  /** The identity a certificate states; its unparseable alternative names are left out. */
  public static PeerIdentity of(X509Certificate certificate) {
    Objects.requireNonNull(certificate, "certificate");
    List<String> dns = new ArrayList<>();
    List<String> uris = new ArrayList<>();
    List<String> ips = new ArrayList<>();
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      names = null;
    }
    if (names != null) {
      for (List<?> name : names) {
        if (name.size() < 2 || !(name.get(0) instanceof Integer type) || !(name.get(1) instanceof String value)) {
          continue;
        }
        switch (type) {
          case SAN_DNS -> dns.add(value);
          case SAN_URI -> uris.add(value);
          case SAN_IP -> ips.add(value);
          default -> { }
        }
      }
    }
    return new PeerIdentity(certificate.getSubjectX500Principal().getName(), dns, uris, ips, certificate);
  }

  /** The certificate's subject, as an RFC 2253 distinguished name such as {@code CN=client,O=Shop}. */
  public String subject() {
    return subject;
  }

  /** The DNS names among the subject alternative names, in certificate order. */
  public List<String> dnsNames() {
    return dnsNames;
  }

  /** The URIs among the subject alternative names (SPIFFE ids, for example). */
  public List<String> uris() {
    return uris;
  }

  /** The IP addresses among the subject alternative names. */
  public List<String> ipAddresses() {
    return ipAddresses;
  }

  /** The certificate itself, for checks this class does not offer. */
  public X509Certificate certificate() {
    return certificate;
  }

  @Override
  public String toString() {
    return "PeerIdentity[subject=" + subject + ", dns=" + dnsNames + ", uris=" + uris + ", ips=" + ipAddresses + "]";
  }
}
