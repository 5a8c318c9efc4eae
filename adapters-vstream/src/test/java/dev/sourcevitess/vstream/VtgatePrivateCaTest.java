package dev.sourcevitess.vstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.fake.FakeSchemaReader;
import dev.sourcevitess.domain.fake.TestPki;
import dev.sourcevitess.domain.model.ReplicationMethod;
import dev.sourcevitess.domain.model.Secret;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.TlsCertificates;
import dev.sourcevitess.domain.model.TlsMode;
import dev.sourcevitess.domain.service.CheckConnection;
import dev.sourcevitess.vstream.fake.FakeTls;
import dev.sourcevitess.vstream.fake.FakeVitess;
import dev.sourcevitess.vstream.fake.FakeVtgate;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ca_certificate, client_certificate and client_key on the gRPC channel, against the fake VTGate
 * serving certificates of a private CA made at test time; failures as {@code check} reports them.
 */
class VtgatePrivateCaTest {
  @TempDir static Path directory;
  static TestPki pki;
  static TestPki.Issued client;
  static FakeVitess vitess;
  static FakeVtgate localhost;
  static FakeVtgate elsewhere;
  static FakeVtgate mutual;

  @BeforeAll
  static void start() {
    pki = TestPki.create(directory, "Private Vitess CA");
    client = pki.issue("reader", List.of());
    vitess = new FakeVitess();
    vitess.addKeyspace("commerce", "-");
    localhost = serve(FakeTls.issued(pki.issue("localhost", List.of("dns:localhost", "ip:127.0.0.1")), null));
    elsewhere = serve(FakeTls.issued(pki.issue("vtgate.example.invalid", List.of("dns:vtgate.example.invalid")),
        null));
    mutual = serve(FakeTls.issued(pki.issue("mutual", List.of("ip:127.0.0.1")), pki.trustStore()));
  }

  private static FakeVtgate serve(FakeTls tls) {
    return FakeVtgate.tcp(vitess, tls).requireCredentials(TestConfigs.USER, TestConfigs.PASSWORD);
  }

  @AfterAll
  static void stop() {
    localhost.close();
    elsewhere.close();
    mutual.close();
  }

  private static TlsCertificates trustingTheCa(boolean withClientCertificate) {
    return new TlsCertificates(Optional.of(pki.trustStore()),
        withClientCertificate ? Optional.of(client.keyStore()) : Optional.empty(),
        new Secret(withClientCertificate ? new String(client.password()) : ""));
  }

  /** What {@code check} answers under VSTREAM, through the real channel and the adapter. */
  private static CheckConnection.Result check(FakeVtgate vtgate, String host, TlsCertificates certificates) {
    SourceConfig config = new SourceConfig(host, 3306, vtgate.port(), "commerce", TestConfigs.USER,
        new Secret(TestConfigs.PASSWORD), TlsMode.VERIFY_IDENTITY, ReplicationMethod.VSTREAM, List.of(), false,
        false, false, Map.of(), 0, 10, true, true, Optional.empty(), 1, certificates);
    ManagedChannel channel = VtgateChannels.open(config);
    try {
      var streams = new VtgateChangeStreams(channel, new VtgateCredentials(config.username(), config.password()),
          config, Duration.ofSeconds(1));
      return new CheckConnection(config, new FakeSchemaReader(), streams).check();
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void aServerCertificateOfTheConfiguredCaIsTrusted() {
    assertTrue(check(localhost, "127.0.0.1", trustingTheCa(false)).succeeded());
    assertTrue(check(localhost, "localhost", trustingTheCa(false)).succeeded());
  }

  @Test
  void withoutTheCaTheMessageNamesCaCertificate() {
    CheckConnection.Result result = check(localhost, "127.0.0.1", TlsCertificates.none());
    assertFalse(result.succeeded());
    assertTrue(result.message().startsWith("The certificate of VTGate at 127.0.0.1:" + localhost.port()
        + " is not signed by a CA this source trusts: set ca_certificate"), result.message());
  }

  @Test
  void aTrustedCertificateForAnotherHostFailsNamingTheHost() {
    CheckConnection.Result result = check(elsewhere, "127.0.0.1", trustingTheCa(false));
    assertFalse(result.succeeded());
    assertTrue(result.message().contains("does not name host 127.0.0.1: set host to a name the certificate lists"),
        result.message());
  }

  @Test
  void aServerThatRequiresAClientCertificateGetsOne() {
    assertTrue(check(mutual, "127.0.0.1", trustingTheCa(true)).succeeded());
  }

  @Test
  void withoutAClientCertificateTheMessageNamesClientCertificate() {
    CheckConnection.Result result = check(mutual, "127.0.0.1", trustingTheCa(false));
    assertFalse(result.succeeded());
    assertTrue(result.message().contains("requires a client certificate it accepts: set client_certificate and"
        + " client_key"), result.message());
    assertFalse(result.message().contains(TestConfigs.PASSWORD));
  }

  @Test
  void aClientCertificateOfAnotherCaIsRefusedAsWell() {
    TestPki stranger = TestPki.create(directory.resolve("stranger"), "Some other CA");
    TestPki.Issued foreign = stranger.issue("reader", List.of());
    CheckConnection.Result result = check(mutual, "127.0.0.1", new TlsCertificates(Optional.of(pki.trustStore()),
        Optional.of(foreign.keyStore()), new Secret(new String(foreign.password()))));
    assertFalse(result.succeeded());
    assertTrue(result.message().contains("set client_certificate and client_key"), result.message());
  }
}
