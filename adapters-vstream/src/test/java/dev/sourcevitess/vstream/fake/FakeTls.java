package dev.sourcevitess.vstream.fake;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import dev.sourcevitess.domain.fake.TestPki;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed server certificate made at test time with the JDK's keytool, and a trust store
 * holding it, for TLS tests: pass {@link #trustStore()} as {@code -Djavax.net.ssl.trustStore}
 * (type PKCS12, password {@link #password()}) to a client JVM.
 */
public final class FakeTls {
  private static final String ALIAS = "fake-vtgate";

  private final KeyStore keyStore;
  private final Path trustStore;
  private final char[] password;
  /** The CAs whose client certificates the server requires; null when it asks for none. */
  private final KeyStore clientCas;

  private FakeTls(KeyStore keyStore, Path trustStore, char[] password, KeyStore clientCas) {
    this.keyStore = keyStore;
    this.trustStore = trustStore;
    this.password = password;
    this.clientCas = clientCas;
  }

  /**
   * A server certificate a private CA issued; with {@code clientCas}, the server requires a client
   * certificate they signed (mutual TLS).
   */
  public static FakeTls issued(TestPki.Issued server, KeyStore clientCas) {
    return new FakeTls(server.keyStore(), null, server.password(), clientCas);
  }

  /** A certificate for {@code localhost} and {@code 127.0.0.1}. */
  public static FakeTls localhost(Path directory) {
    return generate(directory, "localhost", List.of("dns:localhost", "ip:127.0.0.1"));
  }

  /**
   * A certificate with the given subject alternative names ({@code dns:x}, {@code ip:1.2.3.4}),
   * e.g. one that does not match the host a client dials, to test host name verification.
   */
  public static FakeTls generate(Path directory, String commonName, List<String> subjectAltNames) {
    try {
      Files.createDirectories(directory);
      Path keyStore = directory.resolve("vtgate-key.p12");
      Path trustStore = directory.resolve("vtgate-trust.p12");
      Files.deleteIfExists(keyStore);
      char[] password = "fake-vtgate".toCharArray();
      String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
      Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", ALIAS,
          "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
          "-dname", "CN=" + commonName, "-ext", "SAN=" + String.join(",", subjectAltNames),
          "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
          "-storepass", new String(password), "-keypass", new String(password))
          .redirectErrorStream(true)
          .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + output);
      }
      KeyStore keys = load(keyStore, password);
      Certificate certificate = keys.getCertificate(ALIAS);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, password);
      trust.setCertificateEntry(ALIAS, certificate);
      try (OutputStream out = Files.newOutputStream(trustStore)) {
        trust.store(out, password);
      }
      return new FakeTls(keys, trustStore, password, null);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a test certificate", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The PKCS12 trust store holding the certificate. */
  public Path trustStore() {
    return trustStore;
  }

  public String password() {
    return new String(password);
  }

  SslContext serverContext() {
    try {
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(keyStore, password);
      SslContextBuilder builder = SslContextBuilder.forServer(keys);
      if (clientCas != null) {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(clientCas);
        builder.trustManager(trust).clientAuth(ClientAuth.REQUIRE);
      }
      return GrpcSslContexts.configure(builder).build();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot load the test certificate", e);
    }
  }

  private static KeyStore load(Path path, char[] password)
      throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(path)) {
      store.load(in, password);
    }
    return store;
  }
}
