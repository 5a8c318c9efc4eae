package dev.sourcevitess.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.fake.TestPki;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.ReplicationMethod;
import dev.sourcevitess.domain.model.Secret;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.TlsCertificates;
import dev.sourcevitess.domain.model.TlsMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ca_certificate, client_certificate and client_key on the MySQL connection, against a fake server
 * that speaks the protocol up to and through TLS with certificates of a private CA made at test
 * time. Login is out of its reach: a completed handshake is what counts.
 */
class MysqlTlsTest {
  private static final String PASSWORD = "Pw-tls-9Qz-never-shown";
  @TempDir static Path directory;
  static TestPki pki;
  static TestPki.Issued client;
  static FakeTlsMysqlServer localhost;
  static FakeTlsMysqlServer elsewhere;
  static FakeTlsMysqlServer mutual;

  @BeforeAll
  static void start() {
    pki = TestPki.create(directory, "Private MySQL CA");
    client = pki.issue("reader", List.of());
    localhost = new FakeTlsMysqlServer(pki.issue("localhost", List.of("dns:localhost", "ip:127.0.0.1")), null);
    elsewhere = new FakeTlsMysqlServer(pki.issue("db.example.invalid", List.of("dns:db.example.invalid")), null);
    mutual = new FakeTlsMysqlServer(pki.issue("mutual", List.of("ip:127.0.0.1")), pki.trustStore());
  }

  @AfterAll
  static void stop() throws Exception {
    localhost.close();
    elsewhere.close();
    mutual.close();
  }

  private static TlsCertificates certificates(boolean ca, boolean clientCertificate) {
    return new TlsCertificates(ca ? Optional.of(pki.trustStore()) : Optional.empty(),
        clientCertificate ? Optional.of(client.keyStore()) : Optional.empty(), new Secret(new String(client.password())));
  }

  /** What a connection attempt reports; these servers never let one log in. */
  private static SourceException connect(FakeTlsMysqlServer server, TlsMode mode, TlsCertificates certificates) {
    SourceConfig config = new SourceConfig("127.0.0.1", server.port(), 443, "shop", "reader", new Secret(PASSWORD),
        mode, ReplicationMethod.STANDARD, List.of(), false, false, false, Map.of(), 0, 10, true, true,
        Optional.empty(), 1, certificates);
    SourceException e = assertThrows(SourceException.class, () -> MysqlModule.schemaReader(config).checkConnection());
    assertFalse((e.getMessage() + e.detail()).contains(PASSWORD));
    return e;
  }

  private static FakeTlsMysqlServer.Handshake last(FakeTlsMysqlServer server) {
    List<FakeTlsMysqlServer.Handshake> all = server.handshakes();
    return all.get(all.size() - 1);
  }

  @Test
  void aServerCertificateOfTheConfiguredCaIsTrusted() {
    SourceException e = connect(localhost, TlsMode.VERIFY_IDENTITY, certificates(true, false));
    assertTrue(last(localhost).completed(), last(localhost).toString());
    assertFalse(e.getMessage().contains("certificate"), "not a TLS failure: " + e.getMessage());
  }

  @Test
  void withoutTheCaTheMessageNamesCaCertificate() {
    SourceException e = connect(localhost, TlsMode.VERIFY_IDENTITY, TlsCertificates.none());
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().startsWith("the certificate of 127.0.0.1:" + localhost.port()
        + " is not signed by a CA this source trusts: set ca_certificate"), e.getMessage());
  }

  @Test
  void aTrustedCertificateForAnotherHostFailsNamingTheHost() {
    SourceException e = connect(elsewhere, TlsMode.VERIFY_IDENTITY, certificates(true, false));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().contains("does not name host 127.0.0.1: set host to a name the certificate lists"),
        e.getMessage());
  }

  @Test
  void aServerThatRequiresAClientCertificateGetsOne() {
    connect(mutual, TlsMode.VERIFY_IDENTITY, certificates(true, true));
    assertEquals(new FakeTlsMysqlServer.Handshake(true, "CN=reader", null), last(mutual));
    // required checks no server certificate but still presents the client's
    connect(mutual, TlsMode.REQUIRED, certificates(false, true));
    assertEquals(new FakeTlsMysqlServer.Handshake(true, "CN=reader", null), last(mutual));
  }

  @Test
  void withoutAClientCertificateTheMessageNamesClientCertificate() {
    SourceException e = connect(mutual, TlsMode.VERIFY_IDENTITY, certificates(true, false));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().contains("requires a client certificate it accepts: set client_certificate and"
        + " client_key"), e.getMessage() + " / " + e.detail());
    assertFalse(last(mutual).completed());
  }
}
