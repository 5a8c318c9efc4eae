package dev.sourcevitess.vstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.TlsMode;
import dev.sourcevitess.domain.port.ChangeStreamException;
import dev.sourcevitess.vstream.fake.FakeTls;
import dev.sourcevitess.vstream.fake.FakeVitess;
import dev.sourcevitess.vstream.fake.FakeVtgate;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The channel's TLS modes against the fake on loopback TCP, with certificates made at test time. */
class VtgateTlsTest {
  @TempDir static Path directory;
  static FakeVitess vitess;
  static FakeTls localhost;
  static FakeTls elsewhere;
  static FakeVtgate plain;
  static FakeVtgate tls;
  static FakeVtgate mismatched;

  @BeforeAll
  static void start() {
    vitess = new FakeVitess();
    vitess.addKeyspace("commerce", "-80", "80-");
    localhost = FakeTls.localhost(directory.resolve("localhost"));
    elsewhere = FakeTls.generate(directory.resolve("elsewhere"), "vtgate.example.invalid",
        List.of("dns:vtgate.example.invalid"));
    plain = FakeVtgate.tcp(vitess).requireCredentials(TestConfigs.USER, TestConfigs.PASSWORD);
    tls = FakeVtgate.tcp(vitess, localhost).requireCredentials(TestConfigs.USER, TestConfigs.PASSWORD);
    mismatched = FakeVtgate.tcp(vitess, elsewhere).requireCredentials(TestConfigs.USER, TestConfigs.PASSWORD);
  }

  @AfterAll
  static void stop() {
    plain.close();
    tls.close();
    mismatched.close();
  }

  private static Map<Shard, String> peek(FakeVtgate vtgate, String host, TlsMode mode) {
    SourceConfig config = TestConfigs.config(host, vtgate.port(), mode);
    ManagedChannel channel = VtgateChannels.open(config);
    try {
      return new VtgateChangeStreams(channel, new VtgateCredentials(config.username(), config.password()),
          config, Duration.ofSeconds(1)).currentPositions("commerce");
    } finally {
      channel.shutdownNow();
    }
  }

  private static Map<Shard, String> withTrustStore(FakeTls certificate, java.util.function.Supplier<Map<Shard, String>> call) {
    String store = System.getProperty("javax.net.ssl.trustStore");
    String password = System.getProperty("javax.net.ssl.trustStorePassword");
    System.setProperty("javax.net.ssl.trustStore", certificate.trustStore().toString());
    System.setProperty("javax.net.ssl.trustStorePassword", certificate.password());
    try {
      return call.get();
    } finally {
      restore("javax.net.ssl.trustStore", store);
      restore("javax.net.ssl.trustStorePassword", password);
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  private static Map<Shard, String> expected() {
    return Map.of(new Shard("-80"), vitess.keyspace("commerce").shard("-80").position(),
        new Shard("80-"), vitess.keyspace("commerce").shard("80-").position());
  }

  @Test
  void disabledIsPlaintext() {
    assertEquals(expected(), peek(plain, "127.0.0.1", TlsMode.DISABLED));
  }

  @Test
  void requiredEncryptsWithoutTrustingTheCertificate() {
    assertEquals(expected(), peek(tls, "127.0.0.1", TlsMode.REQUIRED));
    // not even the host name is checked
    assertEquals(expected(), peek(mismatched, "127.0.0.1", TlsMode.REQUIRED));
  }

  @Test
  void tlsAgainstAPlaintextVtgateIsATlsMismatch() {
    ChangeStreamException e = assertThrows(ChangeStreamException.class,
        () -> peek(plain, "127.0.0.1", TlsMode.REQUIRED));
    assertEquals(ChangeStreamException.Reason.TLS_MISMATCH, e.reason());
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("set tls_mode to disabled"), e.getMessage());
  }

  @Test
  void plaintextAgainstATlsVtgateIsATlsMismatch() {
    ChangeStreamException e = assertThrows(ChangeStreamException.class,
        () -> peek(tls, "127.0.0.1", TlsMode.DISABLED));
    assertEquals(ChangeStreamException.Reason.TLS_MISMATCH, e.reason(), e.getMessage());
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("set it to required"), e.getMessage());
  }

  @Test
  void verifyIdentityRefusesAnUntrustedCertificate() {
    ChangeStreamException e = assertThrows(ChangeStreamException.class,
        () -> peek(tls, "127.0.0.1", TlsMode.VERIFY_IDENTITY));
    assertEquals(ChangeStreamException.Reason.TLS, e.reason(), "a certificate to fix, not a retry");
    // the message says why, from the handshake's root cause
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().matches("(?s).*caused by .*(certification path|PKIX).*"), e.getMessage());
  }

  @Test
  void verifyIdentityTrustsTheConfiguredTrustStore() {
    assertEquals(expected(), withTrustStore(localhost, () -> peek(tls, "127.0.0.1", TlsMode.VERIFY_IDENTITY)));
    assertEquals(expected(), withTrustStore(localhost, () -> peek(tls, "localhost", TlsMode.VERIFY_IDENTITY)));
  }

  @Test
  void verifyIdentityChecksTheHostName() {
    ChangeStreamException e = assertThrows(ChangeStreamException.class, () -> withTrustStore(elsewhere,
        () -> peek(mismatched, "127.0.0.1", TlsMode.VERIFY_IDENTITY)));
    assertEquals(ChangeStreamException.Reason.TLS, e.reason());
    // trusted, so the refusal is the host name's
    StringBuilder causes = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      causes.append(t).append('\n');
    }
    org.junit.jupiter.api.Assertions.assertTrue(
        causes.toString().contains("No subject alternative names matching IP address 127.0.0.1"),
        causes.toString());
  }
}
