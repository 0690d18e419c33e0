package io.wslistener.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.support.jsse.KeyStoreParameters;

/**
 * A key store read from PEM files, for Camel's {@code SSLContextParameters} where a {@link KeyStoreParameters} goes:
 * Java 17 reads PKCS#12 and JKS key stores but not the PEM files most servers and CAs hand out.
 * <ul>
 * <li>as a trust store: {@code resource} names a PEM file of one or more {@code CERTIFICATE}s, each trusted;</li>
 * <li>as a client certificate: {@code resource} names the certificate chain (leaf first) and {@code keyResource} its
 * unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}, RSA or EC); the key is stored under the {@code password}
 * of these parameters, which the key managers' {@code keyPassword} must repeat.</li>
 * </ul>
 * Resources are resolved like Camel's own ({@code file:}, {@code classpath:}, property placeholders).
 */
public class PemKeyStoreParameters extends KeyStoreParameters {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private String keyResource;

    public String getKeyResource() {
        return keyResource;
    }

    /** The PEM file of the private key that goes with the certificate chain of {@code resource}; unset for a trust store. */
    public void setKeyResource(String keyResource) {
        this.keyResource = keyResource;
    }

    @Override
    public KeyStore createKeyStore() throws GeneralSecurityException, IOException {
        if (getResource() == null) {
            throw new IllegalArgumentException(
                    "PemKeyStoreParameters needs a resource: the PEM file of the certificates");
        }
        String certificatesAt = parsePropertyValue(getResource());
        List<Certificate> certificates = certificates(certificatesAt);
        char[] password = getPassword() == null ? new char[0] : parsePropertyValue(getPassword()).toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        if (keyResource == null) {
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("cert-" + i, certificates.get(i));
            }
        } else {
            PrivateKey key = privateKey(parsePropertyValue(keyResource));
            store.setKeyEntry("key", key, password, certificates.toArray(Certificate[]::new));
        }
        return store;
    }

    private List<Certificate> certificates(String location) throws IOException, GeneralSecurityException {
        List<byte[]> blocks = blocks(location, "CERTIFICATE");
        if (blocks.isEmpty()) {
            throw new IOException("No PEM CERTIFICATE found in " + location);
        }
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<Certificate> certificates = new ArrayList<>();
        for (byte[] der : blocks) {
            certificates.add(factory.generateCertificate(new java.io.ByteArrayInputStream(der)));
        }
        return certificates;
    }

    private PrivateKey privateKey(String location) throws IOException, GeneralSecurityException {
        List<byte[]> blocks = blocks(location, "PRIVATE KEY");
        if (blocks.size() != 1) {
            // the message never shows the file's content: it is a secret
            throw new IOException(
                    "Expected one unencrypted PKCS#8 private key (BEGIN PRIVATE KEY) in " + location + ", found "
                            + blocks.size());
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(blocks.get(0));
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException e) {
                // try the next algorithm
            }
        }
        throw new IOException("The private key in " + location + " is neither an RSA nor an EC key");
    }

    private List<byte[]> blocks(String location, String type) throws IOException {
        String text;
        try (InputStream in = resolveResource(location)) {
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
        List<byte[]> blocks = new ArrayList<>();
        Matcher matcher = PEM.matcher(text);
        while (matcher.find()) {
            if (matcher.group(1).equals(type)) {
                blocks.add(Base64.getMimeDecoder().decode(matcher.group(2)));
            }
        }
        return blocks;
    }

    @Override
    public String toString() {
        // never the password
        return "PemKeyStoreParameters[resource=" + getResource() + ", keyResource=" + keyResource + "]";
    }
}
