package dev.sourcevitess.vstream;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One gRPC server-streaming call on a socket of its own, with only the HTTP/2 (RFC 9113) that one
 * call needs: the client preface, SETTINGS, one HEADERS and one DATA frame out; SETTINGS and PING
 * answered; DATA frames read as gRPC messages. It exists for the peek of a sync with nothing new:
 * setting up grpc-java's Netty channel costs a no-op sync more than half of its run (BENCHMARKS.md,
 * scenario 5), this costs a few milliseconds.
 *
 * <p>It decodes no header (HPACK is not needed to find the messages), so anything but messages
 * is {@link Unanswered}: a status without a message (any error VTGate sends comes this way; its
 * header blocks go with it), a reset, GOAWAY, a compressed or malformed message, a closed
 * connection. Only a call that ran out of time is a {@link SocketTimeoutException}.
 */
final class Http2Call implements AutoCloseable {
  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int DATA = 0x0;
  private static final int HEADERS = 0x1;
  private static final int RST_STREAM = 0x3;
  private static final int SETTINGS = 0x4;
  private static final int PING = 0x6;
  private static final int GOAWAY = 0x7;
  private static final int WINDOW_UPDATE = 0x8;
  private static final int CONTINUATION = 0x9;
  private static final int END_STREAM = 0x1;
  private static final int ACK = 0x1;
  private static final int END_HEADERS = 0x4;
  private static final int PADDED = 0x8;
  private static final int PRIORITY = 0x20;
  private static final int STREAM = 1;
  private static final int CANCEL = 0x8;
  /** The peer's default largest frame, which this side never raises: what it sends must fit. */
  private static final int MAX_FRAME = 16_384;
  private static final int DEFAULT_WINDOW = 65_535;
  /** Window this side grants, so the server never waits for a WINDOW_UPDATE in a call this short. */
  private static final int WINDOW = 1 << 30;
  /** The largest message accepted, as for the gRPC channel. */
  private static final int MAX_MESSAGE = VtgateChannels.MAX_INBOUND_MESSAGE_BYTES;

  /**
   * The call ended without a message that could be read. When it ended with a status, the
   * response's header blocks (HPACK-coded, in order) hold it ({@link GrpcTrailers}); otherwise
   * grpc-java can say why.
   */
  static final class Unanswered extends IOException {
    private final List<byte[]> headerBlocks;

    Unanswered(String message) {
      this(message, List.of());
    }

    Unanswered(String message, List<byte[]> headerBlocks) {
      super(message);
      this.headerBlocks = List.copyOf(headerBlocks);
    }

    List<byte[]> headerBlocks() {
      return headerBlocks;
    }
  }

  /** Where the call goes: host, port, {@code :path}, and TLS, if any. */
  record Target(String host, int port, String path, SSLContext tls, boolean verifyHost) {
    Target {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(path, "path");
    }

    String authority() {
      return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final long deadlineNanos;
  /** What DATA frames brought and no message took yet: {@code buffer[start..end)}. */
  private byte[] buffer = new byte[MAX_FRAME];
  private int start;
  private int end;
  private boolean ended;
  /** The call's complete header blocks, and the one being received (HEADERS, then CONTINUATIONs). */
  private final List<byte[]> headerBlocks = new ArrayList<>();
  private final ByteArrayOutputStream headerBlock = new ByteArrayOutputStream();

  private Http2Call(Socket socket, long deadlineNanos) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
    this.out = socket.getOutputStream();
    this.deadlineNanos = deadlineNanos;
  }

  /**
   * Connects and sends the request: {@code headers} after the pseudo-headers (secret ones are sent
   * as never to be indexed), then {@code message} as the one request message.
   */
  static Http2Call start(Target target, List<Map.Entry<String, String>> headers, List<String> secretHeaders,
      byte[] message, long timeoutMillis) throws IOException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    Socket socket = new Socket();
    Http2Call call = null;
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(target.host(), target.port()), (int) Math.max(1, timeoutMillis));
      Socket wire = target.tls() == null ? socket : handshake(socket, target, timeoutMillis);
      call = new Http2Call(wire, deadline);
      call.send(target, headers, secretHeaders, message, timeoutMillis);
      return call;
    } catch (IOException | RuntimeException e) {
      if (call != null) {
        call.close();
      } else {
        socket.close();
      }
      throw e;
    }
  }

  private static Socket handshake(Socket socket, Target target, long timeoutMillis) throws IOException {
    SSLSocket tls = (SSLSocket) target.tls().getSocketFactory()
        .createSocket(socket, target.host(), target.port(), true);
    SSLParameters parameters = tls.getSSLParameters();
    parameters.setApplicationProtocols(new String[] {"h2"});
    if (target.verifyHost()) {
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
    }
    tls.setSSLParameters(parameters);
    tls.setSoTimeout((int) Math.max(1, timeoutMillis));
    tls.startHandshake();
    if (!"h2".equals(tls.getApplicationProtocol())) {
      tls.close();
      throw new Unanswered("the server did not agree to HTTP/2 (ALPN)");
    }
    return tls;
  }

  private void send(Target target, List<Map.Entry<String, String>> headers, List<String> secretHeaders,
      byte[] message, long timeoutMillis) throws IOException {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.write(0x80 | 3); // :method POST, static table entry 3
    block.write(0x80 | (target.tls() == null ? 6 : 7)); // :scheme http or https
    literal(block, ":path", target.path(), false);
    literal(block, ":authority", target.authority(), false);
    literal(block, "content-type", "application/grpc", false);
    literal(block, "te", "trailers", false);
    literal(block, "grpc-timeout", Math.max(1, timeoutMillis) + "m", false);
    for (Map.Entry<String, String> header : headers) {
      literal(block, header.getKey(), header.getValue(), secretHeaders.contains(header.getKey()));
    }
    if (block.size() > MAX_FRAME || message.length + 5 > MAX_FRAME) {
      throw new Unanswered("the request does not fit one frame");
    }
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.write(PREFACE);
    byte[] settings = new byte[12];
    setting(settings, 0, 0x2, 0); // no server push
    setting(settings, 6, 0x4, WINDOW); // stream window
    frame(request, SETTINGS, 0, 0, settings);
    frame(request, WINDOW_UPDATE, 0, 0, int32(WINDOW - DEFAULT_WINDOW)); // connection window
    frame(request, HEADERS, END_HEADERS, STREAM, block.toByteArray());
    byte[] data = new byte[5 + message.length];
    System.arraycopy(int32(message.length), 0, data, 1, 4);
    System.arraycopy(message, 0, data, 5, message.length);
    frame(request, DATA, END_STREAM, STREAM, data);
    request.writeTo(out);
    out.flush();
  }

  /** HPACK literal without indexing (or never indexed), new name, no Huffman coding. */
  private static void literal(ByteArrayOutputStream block, String name, String value, boolean secret) {
    block.write(secret ? 0x10 : 0x00);
    string(block, name.getBytes(StandardCharsets.US_ASCII));
    string(block, value.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static void string(ByteArrayOutputStream block, byte[] bytes) {
    // a 7-bit prefix integer (RFC 7541, 5.1)
    int length = bytes.length;
    if (length < 127) {
      block.write(length);
    } else {
      block.write(127);
      length -= 127;
      while (length >= 128) {
        block.write((length & 0x7f) | 0x80);
        length >>>= 7;
      }
      block.write(length);
    }
    block.write(bytes, 0, bytes.length);
  }

  private static void setting(byte[] into, int at, int id, int value) {
    into[at] = (byte) (id >>> 8);
    into[at + 1] = (byte) id;
    System.arraycopy(int32(value), 0, into, at + 2, 4);
  }

  private static byte[] int32(int value) {
    return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
  }

  private static void frame(OutputStream to, int type, int flags, int stream, byte[] payload) throws IOException {
    int length = payload.length;
    to.write(new byte[] {(byte) (length >>> 16), (byte) (length >>> 8), (byte) length, (byte) type, (byte) flags});
    to.write(int32(stream));
    to.write(payload);
  }

  /**
   * The next response message, whole. Throws {@link Unanswered} when the call ends instead
   * (whatever its status: a successful VStream never ends by itself) and a
   * {@link SocketTimeoutException} when the deadline passes first.
   */
  byte[] next() throws IOException {
    while (true) {
      byte[] message = message();
      if (message != null) {
        return message;
      }
      if (ended && headerBlock.size() == 0) {
        throw new Unanswered("the call ended without a message", headerBlocks);
      }
      readFrame();
    }
  }

  /** A whole message from what DATA frames brought, or null when more is needed. */
  private byte[] message() throws Unanswered {
    if (end - start < 5) {
      return null;
    }
    if (buffer[start] != 0) {
      throw new Unanswered("a compressed message");
    }
    int length = ((buffer[start + 1] & 0xff) << 24) | ((buffer[start + 2] & 0xff) << 16)
        | ((buffer[start + 3] & 0xff) << 8) | (buffer[start + 4] & 0xff);
    if (length < 0 || length > MAX_MESSAGE) {
      throw new Unanswered("a message of " + Integer.toUnsignedString(length) + " bytes");
    }
    if (end - start < 5 + length) {
      return null;
    }
    byte[] message = Arrays.copyOfRange(buffer, start + 5, start + 5 + length);
    start += 5 + length;
    return message;
  }

  private void buffer(byte[] payload, int from, int length) {
    if (end + length > buffer.length) {
      int kept = end - start;
      byte[] room = kept + length > buffer.length ? new byte[Math.max(2 * buffer.length, kept + length)] : buffer;
      System.arraycopy(buffer, start, room, 0, kept);
      buffer = room;
      start = 0;
      end = kept;
    }
    System.arraycopy(payload, from, buffer, end, length);
    end += length;
  }

  private void readFrame() throws IOException {
    long left = (deadlineNanos - System.nanoTime()) / 1_000_000L;
    if (left <= 0) {
      throw new SocketTimeoutException("the deadline passed");
    }
    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
    int length;
    int type;
    int flags;
    int stream;
    try {
      length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
      type = in.readUnsignedByte();
      flags = in.readUnsignedByte();
      stream = in.readInt() & 0x7fffffff;
    } catch (EOFException e) {
      throw new Unanswered("the connection was closed");
    }
    if (length > MAX_FRAME) {
      throw new Unanswered("a frame of " + length + " bytes");
    }
    byte[] payload = new byte[length];
    try {
      in.readFully(payload);
    } catch (EOFException e) {
      throw new Unanswered("the connection was closed");
    }
    switch (type) {
      case DATA -> {
        if (stream == STREAM) {
          int padding = (flags & PADDED) != 0 && length > 0 ? payload[0] & 0xff : 0;
          int from = (flags & PADDED) != 0 ? 1 : 0;
          if (from + padding > length) {
            throw new Unanswered("a malformed DATA frame");
          }
          buffer(payload, from, length - from - padding);
          ended |= (flags & END_STREAM) != 0;
        }
      }
      // kept as they come, decoded only if the call ends without a message; trailers end it
      case HEADERS -> {
        if (stream == STREAM) {
          int padding = (flags & PADDED) != 0 && length > 0 ? payload[0] & 0xff : 0;
          int from = ((flags & PADDED) != 0 ? 1 : 0) + ((flags & PRIORITY) != 0 ? 5 : 0);
          if (from + padding > length) {
            throw new Unanswered("a malformed HEADERS frame");
          }
          headerBlock.write(payload, from, length - from - padding);
          endHeaders(flags);
          ended |= (flags & END_STREAM) != 0;
        }
      }
      case CONTINUATION -> {
        if (stream == STREAM) {
          headerBlock.write(payload, 0, length);
          endHeaders(flags);
        }
      }
      case SETTINGS -> {
        if ((flags & ACK) == 0) {
          answer(SETTINGS, ACK, 0, new byte[0]);
        }
      }
      case PING -> {
        if ((flags & ACK) == 0) {
          answer(PING, ACK, 0, payload);
        }
      }
      case RST_STREAM -> {
        if (stream == STREAM) {
          throw new Unanswered("the server reset the call");
        }
      }
      case GOAWAY -> throw new Unanswered("the server sent GOAWAY");
      default -> {
        // WINDOW_UPDATE, PRIORITY, unknown types: nothing to do
      }
    }
  }

  private void endHeaders(int flags) {
    if ((flags & END_HEADERS) != 0) {
      headerBlocks.add(headerBlock.toByteArray());
      headerBlock.reset();
    }
  }

  /** One frame out; close() may come from another thread while the reader answers a PING. */
  private void answer(int type, int flags, int stream, byte[] payload) throws IOException {
    synchronized (out) {
      frame(out, type, flags, stream, payload);
      out.flush();
    }
  }

  /** Cancels the call, if it still runs, and closes the connection. */
  @Override
  public void close() {
    try {
      if (!socket.isClosed()) {
        answer(RST_STREAM, 0, STREAM, int32(CANCEL));
      }
    } catch (IOException ignored) {
      // the connection is gone already: nothing to cancel
    } finally {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing is all that was left to do
      }
    }
  }
}
