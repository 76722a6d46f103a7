package dev.tokensink.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made at test time (nothing private is committed): a CA, certificates it signs
 * (server, clients, an expired one), and a rogue CA nobody trusts. Written as PEM ({@code
 * NAME.crt}, {@code NAME.key}) plus a PKCS12 trust store {@code ca.p12} holding the CA.
 */
public final class TestCerts {
  public static final String TRUST_STORE_PASSWORD = "test-truststore";
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final Path dir;

  private record Issued(KeyPair keys, X509Certificate cert) {}

  private TestCerts(Path dir) {
    this.dir = dir;
  }

  /**
   * Writes ca, server (localhost / 127.0.0.1), the given clients, an expired client and a rogue
   * client.
   */
  public static TestCerts create(Path dir, String... clientSubjects) {
    try {
      TestCerts t = new TestCerts(dir);
      Issued ca = t.issue("CN=tokensink test CA", null, true, Duration.ofDays(1), false);
      t.write("ca", ca);
      t.write("server", t.issue("CN=localhost", ca, false, Duration.ofDays(1), true));
      for (int i = 0; i < clientSubjects.length; i++) {
        t.write("client" + i, t.issue(clientSubjects[i], ca, false, Duration.ofDays(1), false));
      }
      t.write("expired", t.issue(clientSubjects[0], ca, false, Duration.ofDays(-1), false));
      Issued rogueCa = t.issue("CN=rogue CA", null, true, Duration.ofDays(1), false);
      t.write("rogue", t.issue(clientSubjects[0], rogueCa, false, Duration.ofDays(1), false));
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", ca.cert());
      try (OutputStream out = Files.newOutputStream(dir.resolve("ca.p12"))) {
        trust.store(out, TRUST_STORE_PASSWORD.toCharArray());
      }
      return t;
    } catch (GeneralSecurityException
        | IOException
        | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException("cannot make test certificates", e);
    }
  }

  public Path cert(String name) {
    return dir.resolve(name + ".crt");
  }

  public Path key(String name) {
    return dir.resolve(name + ".key");
  }

  public Path trustStore() {
    return dir.resolve("ca.p12");
  }

  private Issued issue(String subject, Issued issuer, boolean ca, Duration validity, boolean server)
      throws GeneralSecurityException,
          IOException,
          org.bouncycastle.operator.OperatorCreationException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair keys = g.generateKeyPair();
    Instant now = Instant.now();
    // an expired certificate: valid for a day that ended an hour ago
    Instant from =
        validity.isNegative() ? now.minus(Duration.ofDays(2)) : now.minus(Duration.ofHours(1));
    Instant to = validity.isNegative() ? now.minus(Duration.ofHours(1)) : now.plus(validity);
    // through X500Principal: BouncyCastle's own parser would store the RDNs in reverse order
    X500Name name =
        X500Name.getInstance(new javax.security.auth.x500.X500Principal(subject).getEncoded());
    X500Name issuerName =
        issuer == null
            ? name
            : X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded());
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            issuerName,
            BigInteger.valueOf(SERIAL.incrementAndGet()),
            Date.from(from),
            Date.from(to),
            name,
            keys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    b.addExtension(
        Extension.keyUsage,
        true,
        new KeyUsage(
            ca
                ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    if (server) {
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")
              }));
    }
    var signer =
        new JcaContentSignerBuilder("SHA256withRSA")
            .build(issuer == null ? keys.getPrivate() : issuer.keys().getPrivate());
    return new Issued(keys, new JcaX509CertificateConverter().getCertificate(b.build(signer)));
  }

  private void write(String name, Issued issued) throws IOException {
    try (Writer w = Files.newBufferedWriter(cert(name));
        JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(issued.cert());
    }
    try (Writer w = Files.newBufferedWriter(key(name));
        JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(new JcaPKCS8Generator(issued.keys().getPrivate(), null));
    } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
      throw new UncheckedIOException(new IOException(e));
    }
  }
}
