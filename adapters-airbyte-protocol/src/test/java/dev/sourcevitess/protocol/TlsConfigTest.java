package dev.sourcevitess.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sourcevitess.domain.fake.TestPki;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.SourceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ca_certificate, client_certificate, client_key and client_key_password, with certificates made at test time. */
class TlsConfigTest {
  private static final String KEY_PASSWORD = "key-Password 42";
  @TempDir static Path dir;
  static TestPki pki;
  static TestPki.Issued client;
  static TestPki.Issued other;

  private final ObjectMapper mapper = new ObjectMapper();
  private final CountingOutputStream stdout = new CountingOutputStream();
  private final AirbyteProtocol protocol = AirbyteProtocol.create(stdout, Clock.systemUTC());

  @BeforeAll
  static void certificates() {
    pki = TestPki.create(dir.resolve("pki"), "Test CA");
    client = pki.issue("reader", List.of());
    other = pki.issue("someone-else", List.of());
  }

  private ObjectNode config() {
    ObjectNode config = mapper.createObjectNode();
    config.put("host", "vtgate.internal").put("database", "shop").put("username", "reader").put("password", "pw");
    return config;
  }

  private SourceConfig parse(ObjectNode config) throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, mapper.writeValueAsString(config));
    return protocol.parseConfig(file);
  }

  private SourceException refused(ObjectNode config) {
    SourceException e = assertThrows(SourceException.class, () -> parse(config));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    return e;
  }

  @Test
  void aCaAndAClientCertificateBecomeKeyStores() throws Exception {
    SourceConfig parsed = parse(config().put("ca_certificate", pki.caPem())
        .put("client_certificate", client.certificatePem()).put("client_key", client.keyPem()));

    KeyStore trusted = parsed.certificates().trusted().orElseThrow();
    assertEquals(pki.trustStore().getCertificate("ca"), trusted.getCertificate(trusted.aliases().nextElement()));
    KeyStore keys = parsed.certificates().client().orElseThrow();
    assertEquals(client.key(), keys.getKey("client", parsed.certificates().storePassword().value().toCharArray()));
    assertEquals("CN=reader", ((X509Certificate) keys.getCertificate("client")).getSubjectX500Principal().getName());
    assertFalse(parsed.toString().contains("BEGIN"), parsed.toString());
    assertFalse(parsed.certificates().toString().contains(parsed.certificates().storePassword().value()));
  }

  @Test
  void withoutCertificatesTheSystemRootsAreUsed() throws Exception {
    assertTrue(parse(config()).certificates().isNone());
  }

  @Test
  void anEncryptedKeyOpensWithItsPassword() throws Exception {
    SourceConfig parsed = parse(config().put("client_certificate", client.certificatePem())
        .put("client_key", client.encryptedKeyPem(KEY_PASSWORD)).put("client_key_password", KEY_PASSWORD));
    assertEquals(client.key(), parsed.certificates().client().orElseThrow()
        .getKey("client", parsed.certificates().storePassword().value().toCharArray()));
    assertFalse(parsed.certificates().storePassword().value().contains(KEY_PASSWORD));
  }

  @Test
  void aWrongOrMissingKeyPasswordNamesClientKeyPasswordAndIsNeverShown() {
    SourceException wrong = refused(config().put("client_certificate", client.certificatePem())
        .put("client_key", client.encryptedKeyPem(KEY_PASSWORD)).put("client_key_password", "not it"));
    assertTrue(wrong.getMessage().startsWith("Invalid config: client_key_password "), wrong.getMessage());
    assertFalse(wrong.getMessage().contains("not it"));
    SourceException missing = refused(config().put("client_certificate", client.certificatePem())
        .put("client_key", client.encryptedKeyPem(KEY_PASSWORD)));
    assertTrue(missing.getMessage().startsWith("Invalid config: client_key_password "), missing.getMessage());
  }

  @Test
  void theKeyOfAnotherCertificateIsRefused() {
    SourceException e = refused(config().put("client_certificate", client.certificatePem())
        .put("client_key", other.keyPem()));
    assertEquals("Invalid config: client_key must be the private key of client_certificate; it is another key.",
        e.getMessage());
  }

  @Test
  void aCertificateAndAKeyGoTogether() {
    assertTrue(refused(config().put("client_certificate", client.certificatePem())).getMessage()
        .startsWith("Invalid config: client_key must be set too"));
    assertTrue(refused(config().put("client_key", client.keyPem())).getMessage()
        .startsWith("Invalid config: client_certificate must be set too"));
  }

  @Test
  void whatIsNotAPemCertificateNamesItsField() {
    String message = refused(config().put("ca_certificate", "MIIB...not pem")).getMessage();
    assertTrue(message.startsWith("Invalid config: ca_certificate must be one or more PEM certificates"), message);
    String broken = refused(config().put("ca_certificate",
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")).getMessage();
    assertTrue(broken.startsWith("Invalid config: ca_certificate must be"), broken);
  }

  @Test
  void aPkcs1KeySaysHowToConvertIt() {
    String pkcs1 = client.keyPem().replace("PRIVATE KEY", "RSA PRIVATE KEY");
    String message = refused(config().put("client_certificate", client.certificatePem()).put("client_key", pkcs1))
        .getMessage();
    assertTrue(message.startsWith("Invalid config: client_key must be a PKCS#8 key"), message);
    assertTrue(message.contains("openssl pkcs8 -topk8"), message);
  }

  @Test
  void aCaNeedsVerifyIdentityAndCertificatesNeedTls() {
    assertTrue(refused(config().put("tls_mode", "required").put("ca_certificate", pki.caPem())).getMessage()
        .startsWith("Invalid config: tls_mode must be verify_identity when ca_certificate is given"));
    assertTrue(refused(config().put("tls_mode", "disabled").put("client_certificate", client.certificatePem())
        .put("client_key", client.keyPem())).getMessage()
        .startsWith("Invalid config: tls_mode must be verify_identity or required when certificates are given"));
  }

  @Test
  void mutualTlsWithoutCheckingTheServerIsAllowed() throws Exception {
    SourceConfig parsed = parse(config().put("tls_mode", "required")
        .put("client_certificate", client.certificatePem()).put("client_key", client.keyPem()));
    assertTrue(parsed.certificates().client().isPresent());
    assertTrue(parsed.certificates().trusted().isEmpty());
  }

  @Test
  void theKeyAndItsPasswordAreHiddenFromEveryLaterMessage() throws Exception {
    String key = client.encryptedKeyPem(KEY_PASSWORD);
    parse(config().put("client_certificate", client.certificatePem()).put("client_key", key)
        .put("client_key_password", KEY_PASSWORD));
    protocol.log(dev.sourcevitess.domain.model.LogLevel.INFO, "echo " + KEY_PASSWORD + " and " + key);
    protocol.flush();
    assertFalse(stdout.text().contains(KEY_PASSWORD), stdout.text());
    assertFalse(stdout.text().contains("ENCRYPTED PRIVATE KEY"), stdout.text());
  }
}
