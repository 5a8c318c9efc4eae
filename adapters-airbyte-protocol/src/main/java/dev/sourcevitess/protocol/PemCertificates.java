package dev.sourcevitess.protocol;

import dev.sourcevitess.domain.model.Secret;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.TlsCertificates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The config's PEM fields ({@code ca_certificate}, {@code client_certificate}, {@code client_key},
 * {@code client_key_password}) as in-memory key stores. Refusals name the field and what it needs;
 * they never quote a key or its password.
 */
final class PemCertificates {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
  private static final String TO_PKCS8 = "convert it with: openssl pkcs8 -topk8 -nocrypt -in key.pem"
      + " (or -v2 aes-256-cbc instead of -nocrypt to keep a password)";

  private final SecureRandom random;

  PemCertificates(SecureRandom random) {
    this.random = random;
  }

  TlsCertificates read(Optional<String> ca, Optional<String> clientCertificate, Optional<Secret> clientKey,
      Optional<Secret> clientKeyPassword) {
    if (clientCertificate.isPresent() != clientKey.isPresent()) {
      throw invalid(clientKey.isPresent() ? "client_certificate" : "client_key",
          "set too: client_certificate and client_key go together, for servers that ask for a client"
              + " certificate");
    }
    if (clientKeyPassword.isPresent() && clientKey.isEmpty()) {
      throw invalid("client_key_password", "left out, as there is no client_key it could open");
    }
    Optional<KeyStore> trusted = ca.map(pem -> trustStore(certificates("ca_certificate", pem)));
    Secret storePassword = new Secret(newPassword());
    Optional<KeyStore> client = clientCertificate.map(pem -> {
      List<X509Certificate> chain = certificates("client_certificate", pem);
      PrivateKey key = privateKey(clientKey.get().value(), clientKeyPassword, chain.get(0));
      return keyStore(chain, key, storePassword);
    });
    boolean none = trusted.isEmpty() && client.isEmpty();
    return none ? TlsCertificates.none() : new TlsCertificates(trusted, client, storePassword);
  }

  private static List<X509Certificate> certificates(String field, String pem) {
    if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
      throw invalid(field, "one or more PEM certificates, each from -----BEGIN CERTIFICATE----- to"
          + " -----END CERTIFICATE-----");
    }
    try {
      Collection<? extends Certificate> parsed = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.trim().getBytes(StandardCharsets.US_ASCII)));
      List<X509Certificate> certificates = new ArrayList<>();
      for (Certificate c : parsed) {
        certificates.add((X509Certificate) c);
      }
      if (certificates.isEmpty()) {
        throw new CertificateException("no certificate found");
      }
      return certificates;
    } catch (CertificateException e) {
      throw invalid(field, "one or more PEM certificates; this one cannot be read (" + e.getMessage() + ")");
    }
  }

  private static PrivateKey privateKey(String pem, Optional<Secret> password, X509Certificate certificate) {
    Matcher block = BLOCK.matcher(pem);
    if (!block.find()) {
      throw invalid("client_key", "a PEM private key, from -----BEGIN PRIVATE KEY----- to -----END PRIVATE KEY-----");
    }
    String type = block.group(1);
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(block.group(2).trim());
    } catch (IllegalArgumentException e) {
      throw invalid("client_key", "a PEM private key; its body is not base64");
    }
    PKCS8EncodedKeySpec spec = switch (type) {
      case "PRIVATE KEY" -> {
        if (password.isPresent()) {
          throw invalid("client_key_password", "left out: client_key is not encrypted");
        }
        yield new PKCS8EncodedKeySpec(der);
      }
      case "ENCRYPTED PRIVATE KEY" -> decrypt(der, password.orElseThrow(() -> invalid("client_key_password",
          "the password of client_key, which is encrypted")));
      case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw invalid("client_key",
          "a PKCS#8 key (-----BEGIN PRIVATE KEY-----), not " + type + "; " + TO_PKCS8);
      default -> throw invalid("client_key", "a PEM private key (-----BEGIN PRIVATE KEY-----), not " + type);
    };
    String algorithm = certificate.getPublicKey().getAlgorithm();
    PrivateKey key;
    try {
      key = KeyFactory.getInstance(algorithm).generatePrivate(spec);
    } catch (GeneralSecurityException e) {
      throw invalid("client_key", "the " + algorithm + " private key of client_certificate; it cannot be read as"
          + " one (" + e.getClass().getSimpleName() + ")");
    }
    if (!matches(key, certificate)) {
      throw invalid("client_key", "the private key of client_certificate; it is another key");
    }
    return key;
  }

  private static PKCS8EncodedKeySpec decrypt(byte[] der, Secret password) {
    try {
      EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
      // PBES2 keys (what openssl writes) name their real cipher in the parameters
      String cipherName = info.getAlgParameters() == null ? info.getAlgName() : info.getAlgParameters().toString();
      Cipher cipher = Cipher.getInstance(cipherName);
      cipher.init(Cipher.DECRYPT_MODE, SecretKeyFactory.getInstance(cipherName)
          .generateSecret(new PBEKeySpec(password.value().toCharArray())), info.getAlgParameters());
      return info.getKeySpec(cipher);
    } catch (IOException e) {
      throw invalid("client_key", "a PEM private key; its encrypted body cannot be read");
    } catch (GeneralSecurityException e) {
      throw invalid("client_key_password", "the password that opens client_key; it does not");
    }
  }

  /** Whether the key signs what the certificate's public key verifies. */
  private static boolean matches(PrivateKey key, X509Certificate certificate) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm(); // Ed25519, Ed448: the key's algorithm is its signature's
    };
    try {
      byte[] probe = "source-vitess".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static KeyStore trustStore(List<X509Certificate> certificates) {
    KeyStore store = emptyStore();
    try {
      for (int i = 0; i < certificates.size(); i++) {
        store.setCertificateEntry("ca-" + i, certificates.get(i));
      }
    } catch (GeneralSecurityException e) {
      throw invalid("ca_certificate", "certificates a trust store can hold (" + e.getMessage() + ")");
    }
    return store;
  }

  private static KeyStore keyStore(List<X509Certificate> chain, PrivateKey key, Secret password) {
    KeyStore store = emptyStore();
    try {
      store.setKeyEntry("client", key, password.value().toCharArray(), chain.toArray(new Certificate[0]));
    } catch (GeneralSecurityException e) {
      throw invalid("client_certificate", "a certificate chain a key store can hold (" + e.getMessage() + ")");
    }
    return store;
  }

  private static KeyStore emptyStore() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no PKCS12 key store", e);
    }
  }

  private String newPassword() {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static SourceException invalid(String field, String expected) {
    return SourceException.config("Invalid config: " + field + " must be " + expected + ".");
  }
}
