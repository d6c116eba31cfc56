package io.otlpgovernor.bridge;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A test CA and certificates it signs, written as PEM files (certificate, PKCS#8 key) as the bridge reads them. */
final class TestCertificates {

    /** A certificate and its key, in memory and as PEM files. */
    record Issued(X509Certificate certificate, KeyPair keys, Path certFile, Path keyFile) {}

    private final Issued ca;
    private final Path dir;

    TestCertificates(Path dir) throws Exception {
        this.dir = dir;
        KeyPair keys = newKeys();
        X509Certificate certificate = sign(
                new X500Principal("CN=otlp-governor test CA"),
                keys,
                new X500Principal("CN=otlp-governor test CA"),
                keys,
                true,
                null);
        this.ca = write("ca", certificate, keys);
    }

    Issued ca() {
        return ca;
    }

    /** A server certificate for localhost and 127.0.0.1. */
    Issued server() throws Exception {
        KeyPair keys = newKeys();
        GeneralNames names = new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")
        });
        return write(
                "server",
                sign(
                        new X500Principal("CN=localhost"),
                        keys,
                        ca.certificate().getSubjectX500Principal(),
                        ca.keys(),
                        false,
                        names),
                keys);
    }

    /** A client certificate with {@code subject}, signed by the CA. */
    Issued client(String name, String subject) throws Exception {
        KeyPair keys = newKeys();
        return write(
                name,
                sign(
                        new X500Principal(subject),
                        keys,
                        ca.certificate().getSubjectX500Principal(),
                        ca.keys(),
                        false,
                        null),
                keys);
    }

    /** A TLS context that trusts the CA and, if {@code client} is given, presents it. */
    SSLContext sslContext(Issued client) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        KeyStore identity = KeyStore.getInstance("PKCS12");
        identity.load(null, null);
        if (client != null) {
            identity.setKeyEntry("client", client.keys().getPrivate(), new char[0], new X509Certificate[] {
                client.certificate(), ca.certificate()
            });
        }
        keyManagers.init(identity, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), new SecureRandom());
        return context;
    }

    private static KeyPair newKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(
            X500Principal subject,
            KeyPair subjectKeys,
            X500Principal issuer,
            KeyPair issuerKeys,
            boolean isCa,
            GeneralNames names)
            throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                issuer,
                BigInteger.valueOf(new SecureRandom().nextInt(Integer.MAX_VALUE)),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(1))),
                subject,
                subjectKeys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (names != null) {
            builder.addExtension(Extension.subjectAlternativeName, false, names);
        }
        return new JcaX509CertificateConverter()
                .getCertificate(
                        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    private Issued write(String name, X509Certificate certificate, KeyPair keys) throws IOException {
        Path certFile = dir.resolve(name + ".crt");
        Path keyFile = dir.resolve(name + ".key");
        Files.writeString(certFile, pem(certificate));
        Files.writeString(keyFile, pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
        return new Issued(certificate, keys, certFile, keyFile);
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
