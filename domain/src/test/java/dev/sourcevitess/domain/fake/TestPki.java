package dev.sourcevitess.domain.fake;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;

/**
 * A private CA made at test time with the JDK's keytool (no library, no network), and the
 * certificates it signs: servers' for TLS servers in tests, clients' as the PEM a user pastes into
 * the config.
 */
public final class TestPki {
  private static final String STORE_PASSWORD = "test-pki";
  private static final String ENCRYPTION = "PBEWithHmacSHA256AndAES_256";

  private final Path directory;
  private final KeyStore ca;

  private TestPki(Path directory, KeyStore ca) {
    this.directory = directory;
    this.ca = ca;
  }

  /** A CA named {@code commonName}, its files under {@code directory}. */
  public static TestPki create(Path directory, String commonName) {
    try {
      Files.createDirectories(directory);
      Path store = directory.resolve("ca.p12");
      keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
          "-dname", "CN=" + commonName, "-ext", "bc:c", "-ext", "KeyUsage:c=keyCertSign,cRLSign",
          "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
          "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
      return new TestPki(directory, load(store));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a test CA", e);
    }
  }

  /** The CA's certificate, as a user pastes it into {@code ca_certificate}. */
  public String caPem() {
    try {
      return pem("CERTIFICATE", ca.getCertificate("ca").getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A key and a certificate the CA signs for {@code commonName} with subject alternative names such
   * as {@code dns:localhost} or {@code ip:127.0.0.1} (none for a client).
   */
  public Issued issue(String commonName, List<String> subjectAltNames) {
    try {
      Path store = directory.resolve(commonName + ".p12");
      Files.deleteIfExists(store);
      keytool("-genkeypair", "-alias", "entity", "-keyalg", "EC", "-groupname", "secp256r1",
          "-dname", "CN=" + commonName, "-validity", "2", "-storetype", "PKCS12",
          "-keystore", store.toString(), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
      Path request = directory.resolve(commonName + ".csr");
      Path signed = directory.resolve(commonName + ".pem");
      keytool("-certreq", "-alias", "entity", "-keystore", store.toString(), "-storepass", STORE_PASSWORD,
          "-file", request.toString());
      List<String> gencert = new ArrayList<>(List.of("-gencert", "-alias", "ca",
          "-keystore", directory.resolve("ca.p12").toString(), "-storepass", STORE_PASSWORD,
          "-infile", request.toString(), "-outfile", signed.toString(), "-rfc", "-validity", "2"));
      if (!subjectAltNames.isEmpty()) {
        gencert.addAll(List.of("-ext", "SAN=" + String.join(",", subjectAltNames)));
      }
      keytool(gencert.toArray(new String[0]));
      X509Certificate certificate;
      try (InputStream in = Files.newInputStream(signed)) {
        certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      }
      PrivateKey key = (PrivateKey) load(store).getKey("entity", STORE_PASSWORD.toCharArray());
      return new Issued(List.of(certificate, (X509Certificate) ca.getCertificate("ca")), key);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot issue a test certificate", e);
    }
  }

  /** A key store trusting the CA, for servers that check client certificates. */
  public KeyStore trustStore() {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", ca.getCertificate("ca"));
      return trust;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A certificate (chain: it, then the CA) and its key. */
  public record Issued(List<X509Certificate> chain, PrivateKey key) {
    /** The certificate alone, as a user pastes it into {@code client_certificate}. */
    public String certificatePem() {
      try {
        return pem("CERTIFICATE", chain.get(0).getEncoded());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
    public String keyPem() {
      return pem("PRIVATE KEY", key.getEncoded());
    }

    /** The key encrypted with {@code password} (PBES2, AES-256), as openssl pkcs8 -v2 writes it. */
    public String encryptedKeyPem(String password) {
      try {
        SecureRandom random = new SecureRandom();
        byte[] salt = new byte[16];
        byte[] iv = new byte[16];
        random.nextBytes(salt);
        random.nextBytes(iv);
        AlgorithmParameters parameters = AlgorithmParameters.getInstance(ENCRYPTION);
        parameters.init(new PBEParameterSpec(salt, 10_000, new IvParameterSpec(iv)));
        Cipher cipher = Cipher.getInstance(ENCRYPTION);
        cipher.init(Cipher.ENCRYPT_MODE, SecretKeyFactory.getInstance(ENCRYPTION)
            .generateSecret(new PBEKeySpec(password.toCharArray())), parameters);
        byte[] encrypted = cipher.doFinal(key.getEncoded());
        // named by the PBES2 OID, as openssl writes it (the JDK knows no OID for the cipher's own name)
        AlgorithmParameters pbes2 = AlgorithmParameters.getInstance("PBES2");
        pbes2.init(parameters.getEncoded());
        return pem("ENCRYPTED PRIVATE KEY", new EncryptedPrivateKeyInfo(pbes2, encrypted).getEncoded());
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    /** A key store holding the key and chain, opened by {@link #password()}: for a test server. */
    public KeyStore keyStore() {
      try {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("entity", key, password(), chain.toArray(new Certificate[0]));
        return store;
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    public char[] password() {
      return STORE_PASSWORD.toCharArray();
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static KeyStore load(Path path) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(path)) {
      store.load(in, STORE_PASSWORD.toCharArray());
    }
    return store;
  }

  private static void keytool(String... arguments) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException("keytool " + arguments[0] + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
