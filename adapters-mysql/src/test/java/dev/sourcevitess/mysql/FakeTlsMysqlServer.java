package dev.sourcevitess.mysql;

import dev.sourcevitess.domain.fake.TestPki;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Speaks just enough of the MySQL protocol to reach TLS: the server greeting offering CLIENT_SSL,
 * the client's SSL request, then the TLS handshake with a certificate of a test CA. It records how
 * each handshake ended and closes the connection: login is not its business.
 */
final class FakeTlsMysqlServer implements AutoCloseable {
  private static final int CLIENT_SSL = 0x800;
  /** LONG_PASSWORD, FOUND_ROWS, LONG_FLAG, CONNECT_WITH_DB, PROTOCOL_41, TRANSACTIONS, SECURE_CONNECTION. */
  private static final int CAPABILITIES_LOW = 0x1 | 0x2 | 0x4 | 0x8 | 0x200 | 0x2000 | 0x8000 | CLIENT_SSL;
  /** MULTI_RESULTS, PLUGIN_AUTH, CONNECT_ATTRS, PLUGIN_AUTH_LENENC_CLIENT_DATA (upper 16 bits). */
  private static final int CAPABILITIES_HIGH = 0x2 | 0x8 | 0x10 | 0x20;

  /** How one handshake ended: the client certificate's subject, or why it failed. */
  record Handshake(boolean completed, String clientSubject, String failure) {}

  private final ServerSocket socket;
  private final SSLContext tls;
  private final boolean requireClientCertificate;
  private final List<Handshake> handshakes = new CopyOnWriteArrayList<>();
  private final Thread acceptor;
  private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();

  /** @param clientCas when not null, a client certificate signed by one of these is required */
  FakeTlsMysqlServer(TestPki.Issued certificate, KeyStore clientCas) {
    try {
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(certificate.keyStore(), certificate.password());
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(clientCas);
      tls = SSLContext.getInstance("TLS");
      tls.init(keys.getKeyManagers(), clientCas == null ? null : trust.getTrustManagers(), null);
      requireClientCertificate = clientCas != null;
      socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    acceptor = new Thread(this::serve, "fake-tls-mysql");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  /** How every handshake so far ended, once the server has seen each through (at most 5 s). */
  List<Handshake> handshakes() {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (handshakes.size() < accepted.get() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    return List.copyOf(handshakes);
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket client = socket.accept()) {
        accepted.incrementAndGet();
        client.setSoTimeout(10_000);
        greet(client.getOutputStream());
        DataInputStream in = new DataInputStream(client.getInputStream());
        byte[] header = new byte[4];
        in.readFully(header);
        int length = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16;
        in.readFully(new byte[length]); // the SSL request: capabilities, max packet, charset
        handshake(client);
      } catch (IOException e) {
        if (!socket.isClosed()) {
          handshakes.add(new Handshake(false, null, "before TLS: " + e));
        }
      }
    }
  }

  private void handshake(Socket plain) {
    try (SSLSocket secured = (SSLSocket) tls.getSocketFactory()
        .createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), false)) {
      secured.setUseClientMode(false);
      secured.setNeedClientAuth(requireClientCertificate);
      secured.startHandshake();
      // TLS 1.3 checks the client's certificate after the client has finished: read to see it through
      secured.setSoTimeout(2_000);
      secured.getInputStream().read();
      String subject = requireClientCertificate
          ? secured.getSession().getPeerPrincipal().getName() : null;
      handshakes.add(new Handshake(true, subject, null));
    } catch (IOException e) {
      handshakes.add(new Handshake(false, null, e.toString()));
      drain(plain);
    }
  }

  /**
   * After the alert, reads what the client still sends until it hangs up, as a server that closes
   * gracefully does: closing with unread data would reset the connection and lose the alert.
   */
  private static void drain(Socket plain) {
    try {
      plain.shutdownOutput();
      plain.setSoTimeout(2_000);
      byte[] buffer = new byte[4096];
      while (plain.getInputStream().read(buffer) >= 0) {
        // discard
      }
    } catch (IOException e) {
      // the client has gone: nothing left to drain
    }
  }

  /** The initial handshake packet (protocol 10), sequence 0. */
  private static void greet(OutputStream out) throws IOException {
    java.io.ByteArrayOutputStream p = new java.io.ByteArrayOutputStream();
    p.write(10);
    p.writeBytes("8.0.40-fake\0".getBytes(StandardCharsets.US_ASCII));
    p.writeBytes(new byte[] {1, 0, 0, 0});
    p.writeBytes("abcdefgh".getBytes(StandardCharsets.US_ASCII));
    p.write(0);
    p.write(CAPABILITIES_LOW & 0xff);
    p.write(CAPABILITIES_LOW >> 8 & 0xff);
    p.write(255); // utf8mb4_0900_ai_ci
    p.writeBytes(new byte[] {2, 0});
    p.write(CAPABILITIES_HIGH & 0xff);
    p.write(CAPABILITIES_HIGH >> 8 & 0xff);
    p.write(21);
    p.writeBytes(new byte[10]);
    p.writeBytes("ijklmnopqrst\0".getBytes(StandardCharsets.US_ASCII));
    p.writeBytes("mysql_native_password\0".getBytes(StandardCharsets.US_ASCII));
    byte[] payload = p.toByteArray();
    out.write(new byte[] {(byte) payload.length, (byte) (payload.length >> 8), (byte) (payload.length >> 16), 0});
    out.write(payload);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
