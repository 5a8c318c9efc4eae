package dev.sourcevitess.vstream;

import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.vitess.proto.Vtgate;
import io.vitess.proto.grpc.VitessGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * VTGate's {@code Vitess/VStream} for grpc-java, its responses left as bytes for
 * {@link VStreamWire}. Apart from the wire reader, so that reading a peek's answer
 * ({@link PeekAhead}) never builds the generated classes this needs.
 */
final class VStreamMethod {
  /** {@code Vitess/VStream} with the responses left as bytes. */
  static final MethodDescriptor<Vtgate.VStreamRequest, byte[]> METHOD = VitessGrpc.getVStreamMethod().toBuilder(
      VitessGrpc.getVStreamMethod().getRequestMarshaller(), new BytesMarshaller()).build();

  /** The method's HTTP/2 {@code :path}. */
  static final String PATH = "/vtgateservice.Vitess/VStream";

  private VStreamMethod() {}

  /** Reads the whole message into an array of its own; the transport knows its length. */
  private static final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        if (stream instanceof KnownLength) {
          int size = stream.available();
          byte[] bytes = new byte[size];
          int read = stream.readNBytes(bytes, 0, size);
          int next = read == size ? stream.read() : -1;
          if (read == size && next < 0) {
            return bytes;
          }
          // the stream held more (or less) than it said: take what is there
          byte[] rest = stream.readAllBytes();
          int extra = next < 0 ? 0 : 1;
          byte[] all = Arrays.copyOf(bytes, read + extra + rest.length);
          if (extra == 1) {
            all[read] = (byte) next;
          }
          System.arraycopy(rest, 0, all, read + extra, rest.length);
          return all;
        }
        return stream.readAllBytes();
      } catch (IOException e) {
        throw Status.INTERNAL.withDescription("cannot read a VStream response").withCause(e).asRuntimeException();
      }
    }
  }

}
