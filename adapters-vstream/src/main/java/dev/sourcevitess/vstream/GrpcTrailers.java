package dev.sourcevitess.vstream;

import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Exception;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The status a call without messages ended with, read from its HPACK-coded header blocks by the
 * decoder grpc-java's own transport uses (Netty's), as grpc-java reads it: {@code grpc-status},
 * and {@code grpc-message} percent-decoded. Only failed peeks come here, so Netty's set-up is paid
 * only then; the status is worded as the gRPC channel's failures are, without asking again (a
 * refusal VTGate takes 90 s to give, no tablet in the cells, is then not waited for twice).
 */
final class GrpcTrailers {
  private GrpcTrailers() {}

  /** Empty when the blocks hold no status (an HTTP error of a proxy, say) or cannot be decoded. */
  static Optional<Status> status(List<byte[]> headerBlocks) {
    DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
    Http2Headers last = null;
    try {
      for (byte[] block : headerBlocks) {
        // in order: each block may use entries the ones before it put in HPACK's table
        last = decoder.decodeHeaders(1, Unpooled.wrappedBuffer(block));
      }
    } catch (Http2Exception e) {
      return Optional.empty();
    }
    CharSequence code = last == null ? null : last.get("grpc-status");
    if (code == null) {
      return Optional.empty();
    }
    int value;
    try {
      value = Integer.parseInt(code.toString());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    CharSequence message = last.get("grpc-message");
    Status status = Status.fromCodeValue(value);
    return Optional.of(message == null ? status : status.withDescription(percentDecoded(message.toString())));
  }

  /** gRPC's percent-encoding of grpc-message: {@code %XX} are bytes of UTF-8 text. */
  static String percentDecoded(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%' && i + 2 < text.length()) {
        int high = Character.digit(text.charAt(i + 1), 16);
        int low = Character.digit(text.charAt(i + 2), 16);
        if (high >= 0 && low >= 0) {
          bytes.write(high << 4 | low);
          i += 2;
          continue;
        }
      }
      bytes.write(c);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
