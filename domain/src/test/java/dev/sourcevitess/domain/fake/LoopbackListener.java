package dev.sourcevitess.domain.fake;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback port that accepts connections, sends each {@code greeting} (nothing at all, or
 * another protocol's first bytes) and then never says anything more: the server a connector
 * must not wait on forever.
 */
public final class LoopbackListener implements AutoCloseable {
  private final ServerSocket socket = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();

  public LoopbackListener(byte[] greeting) throws IOException {
    Thread thread = new Thread(() -> {
      while (!socket.isClosed()) {
        try {
          Socket client = socket.accept();
          accepted.add(client);
          client.getOutputStream().write(greeting);
          client.getOutputStream().flush();
        } catch (IOException closed) {
          return;
        }
      }
    }, "loopback-listener");
    thread.setDaemon(true);
    thread.start();
  }

  /** What a gRPC server (VTGate's grpc_port) sends first: an HTTP/2 SETTINGS frame. */
  public static byte[] http2Settings() {
    return new byte[] {0, 0, 18, 4, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 100, 0, 4, 0, 16, 0, 0, 0, 6, 0, 0, 32, 0};
  }

  public int port() {
    return socket.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket client : accepted) {
      client.close();
    }
  }
}
