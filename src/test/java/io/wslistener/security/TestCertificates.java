package io.wslistener.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificates for TLS tests, made in-process in milliseconds: a CA, certificates it signs (for a server on 127.0.0.1,
 * for another host name, for a client) and self-signed ones nobody trusts.
 * <p>
 * The JDK can parse and check X.509 certificates but has no public API to issue one (keytool's classes are internal),
 * and running keytool a dozen times costs over a second per run; so the few DER structures a certificate needs are
 * written here by hand (RFC 5280), with EC P-256 keys and SHA256withECDSA signatures.
 */
final class TestCertificates {

    static final char[] PASSWORD = "changeit".toCharArray();

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");

    /** A key pair with its certificate chain (leaf first). */
    record Issued(String name, KeyPair keys, List<X509Certificate> chain) {

        X509Certificate certificate() {
            return chain.get(0);
        }

        PrivateKey privateKey() {
            return keys.getPrivate();
        }

        /** A PKCS#12 key store with the key and chain under alias "key", password {@link #PASSWORD}. */
        Path writePkcs12(Path dir) {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("key", keys.getPrivate(), PASSWORD, chain.toArray(X509Certificate[]::new));
                return write(dir.resolve(name + ".p12"), store);
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The chain as PEM certificates. */
        Path writeCertificatePem(Path dir) {
            StringBuilder pem = new StringBuilder();
            for (X509Certificate certificate : chain) {
                pem.append(pem("CERTIFICATE", encoded(certificate)));
            }
            return writeString(dir.resolve(name + ".crt.pem"), pem.toString());
        }

        /** The private key as unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY"). */
        Path writeKeyPem(Path dir) {
            return writeString(dir.resolve(name + ".key.pem"), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        }

        /** A PKCS#12 trust store holding this certificate alone (a CA, usually), password {@link #PASSWORD}. */
        Path writeTrustStore(Path dir) {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setCertificateEntry("ca", certificate());
                return write(dir.resolve(name + "-trust.p12"), store);
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private TestCertificates() {
    }

    static Issued authority(String name) {
        KeyPair keys = newKeys();
        X509Certificate cert = certificate("CN=" + name, keys, "CN=" + name, keys.getPrivate(), true, List.of(),
                List.of());
        return new Issued(name, keys, List.of(cert));
    }

    /** A certificate for 127.0.0.1 (IP) and localhost (DNS), signed by the CA. */
    static Issued server(String name, Issued ca) {
        return signed(name, ca, List.of("127.0.0.1"), List.of("localhost"));
    }

    /** A certificate signed by the CA for the given DNS names only (no IP address). */
    static Issued serverFor(String name, Issued ca, String... dnsNames) {
        return signed(name, ca, List.of(), List.of(dnsNames));
    }

    /** A client certificate signed by the CA. */
    static Issued client(String name, Issued ca) {
        return signed(name, ca, List.of(), List.of());
    }

    /** A self-signed certificate for 127.0.0.1 that no trust store here contains. */
    static Issued selfSigned(String name) {
        KeyPair keys = newKeys();
        X509Certificate cert = certificate("CN=" + name, keys, "CN=" + name, keys.getPrivate(), false,
                List.of("127.0.0.1"), List.of("localhost"));
        return new Issued(name, keys, List.of(cert));
    }

    private static Issued signed(String name, Issued ca, List<String> ips, List<String> dnsNames) {
        KeyPair keys = newKeys();
        X509Certificate cert = certificate("CN=" + name, keys, ca.certificate().getSubjectX500Principal().getName(),
                ca.privateKey(), false, ips, dnsNames);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(cert);
        chain.addAll(ca.chain());
        return new Issued(name, keys, chain);
    }

    private static KeyPair newKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- DER

    private static final byte[] ECDSA_WITH_SHA256 = oid(1, 2, 840, 10045, 4, 3, 2);
    private static final byte[] COMMON_NAME = oid(2, 5, 4, 3);
    private static final byte[] BASIC_CONSTRAINTS = oid(2, 5, 29, 19);
    private static final byte[] SUBJECT_ALT_NAME = oid(2, 5, 29, 17);

    private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, PrivateKey issuerKey,
                                               boolean authority, List<String> ips, List<String> dnsNames) {
        try {
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            List<byte[]> extensions = new ArrayList<>();
            if (authority) {
                extensions.add(seq(BASIC_CONSTRAINTS, tlv(0x01, new byte[]{ (byte) 0xFF }),
                        tlv(0x04, seq(tlv(0x01, new byte[]{ (byte) 0xFF })))));
            }
            if (!ips.isEmpty() || !dnsNames.isEmpty()) {
                List<byte[]> names = new ArrayList<>();
                for (String ip : ips) {
                    names.add(tlv(0x87, InetAddress.getByName(ip).getAddress()));
                }
                for (String dns : dnsNames) {
                    names.add(tlv(0x82, dns.getBytes(StandardCharsets.US_ASCII)));
                }
                extensions.add(seq(SUBJECT_ALT_NAME, tlv(0x04, seq(names.toArray(byte[][]::new)))));
            }
            byte[] algorithm = seq(ECDSA_WITH_SHA256);
            List<byte[]> tbsParts = new ArrayList<>(List.of(
                    tlv(0xA0, tlv(0x02, new byte[]{ 2 })),
                    tlv(0x02, BigInteger.valueOf(SERIAL.incrementAndGet()).toByteArray()),
                    algorithm,
                    name(issuer),
                    seq(utcTime(now.minusHours(1)), utcTime(now.plusDays(2))),
                    name(subject),
                    subjectKeys.getPublic().getEncoded()));
            if (!extensions.isEmpty()) {
                tbsParts.add(tlv(0xA3, seq(extensions.toArray(byte[][]::new))));
            }
            byte[] tbs = seq(tbsParts.toArray(byte[][]::new));
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(issuerKey);
            signer.update(tbs);
            byte[] signature = signer.sign();
            byte[] bitString = new byte[signature.length + 1]; // leading 0: no unused bits
            System.arraycopy(signature, 0, bitString, 1, signature.length);
            byte[] der = seq(tbs, algorithm, tlv(0x03, bitString));
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(der));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Name with a single common name; {@code dn} is "CN=value" as returned by getName(). */
    private static byte[] name(String dn) {
        String cn = dn.substring(dn.indexOf('=') + 1);
        return seq(tlv(0x31, seq(COMMON_NAME, tlv(0x0C, cn.getBytes(StandardCharsets.UTF_8)))));
    }

    private static byte[] utcTime(ZonedDateTime time) {
        return tlv(0x17, UTC_TIME.format(time).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] oid(int... arcs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(40 * arcs[0] + arcs[1]);
        for (int i = 2; i < arcs.length; i++) {
            int arc = arcs[i];
            int shift = 28;
            while (shift > 0 && (arc >>> shift) == 0) {
                shift -= 7;
            }
            for (; shift > 0; shift -= 7) {
                out.write(0x80 | ((arc >>> shift) & 0x7F));
            }
            out.write(arc & 0x7F);
        }
        return tlv(0x06, out.toByteArray());
    }

    private static byte[] seq(byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        return tlv(0x30, content.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = value.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(0x82);
            out.write(length >>> 8);
            out.write(length & 0xFF);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    // --- files

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[]{ '\n' }).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path write(Path file, KeyStore store) throws GeneralSecurityException, IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD);
        }
        return file;
    }

    private static Path writeString(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
