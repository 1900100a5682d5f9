package dev.courier.runtime.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made at test time (none are committed): a CA, and leaf certificates it signs, as
 * PEM files (certificate, PKCS#8 key) in a folder. EC P-256, valid from an hour ago for a day.
 */
final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** A certificate and its key, with their PEM files. */
  record Issued(X509Certificate certificate, PrivateKey key, Path certPem, Path keyPem) {}

  private TestCertificates() {}

  static Issued ca(Path dir, String name) {
    KeyPair pair = keyPair();
    X509v3CertificateBuilder builder = builder(name, name, pair);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return write(dir, name, sign(builder, pair.getPrivate()), pair.getPrivate());
  }

  /** A server certificate for 127.0.0.1 (IP subject alternative name). */
  static Issued server(Path dir, Issued ca, String name) {
    return leaf(dir, ca, name, KeyPurposeId.id_kp_serverAuth, true);
  }

  static Issued client(Path dir, Issued ca, String name) {
    return leaf(dir, ca, name, KeyPurposeId.id_kp_clientAuth, false);
  }

  private static Issued leaf(Path dir, Issued ca, String name, KeyPurposeId purpose, boolean loopbackSan) {
    KeyPair pair = keyPair();
    X509v3CertificateBuilder builder = builder(ca.certificate().getSubjectX500Principal().getName(), name, pair);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      if (loopbackSan) {
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")
        }));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return write(dir, name, sign(builder, ca.key()), pair.getPrivate());
  }

  private static X509v3CertificateBuilder builder(String issuer, String subject, KeyPair pair) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        new X500Name(issuer.startsWith("CN=") ? issuer : "CN=" + issuer),
        BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)),
        new X500Name("CN=" + subject), pair.getPublic());
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(256);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Issued write(Path dir, String name, X509Certificate certificate, PrivateKey key) {
    try {
      Path certPem = dir.resolve(name + ".crt.pem");
      Path keyPem = dir.resolve(name + ".key.pem");
      Files.writeString(certPem, pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
      Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
      return new Issued(certificate, key, certPem, keyPem);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
