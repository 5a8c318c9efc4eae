package dev.sourcevitess.vstream;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Protocol buffers' wire format written by hand, for the one message sent before the generated
 * classes are needed ({@link VStreamRequests#currentBytes}): their first use builds every
 * descriptor of Vitess's protos, about 50 ms that a sync with nothing new would wait for. Fields
 * go out in the order written; write them in field-number order, as the generated code does.
 */
final class ProtoWriter {
  private static final int VARINT = 0;
  private static final int LENGTH_DELIMITED = 2;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** A varint field, left out at its default (0) as proto3 does. */
  ProtoWriter varint(int field, long value) {
    if (value != 0) {
      rawVarint((long) field << 3 | VARINT);
      rawVarint(value);
    }
    return this;
  }

  /** A string field, left out when empty as proto3 does. */
  ProtoWriter string(int field, String value) {
    return value.isEmpty() ? this : bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  /** A message field, written even when empty (a set message field is present). */
  ProtoWriter message(int field, ProtoWriter message) {
    return bytes(field, message.toByteArray());
  }

  private ProtoWriter bytes(int field, byte[] value) {
    rawVarint((long) field << 3 | LENGTH_DELIMITED);
    rawVarint(value.length);
    out.write(value, 0, value.length);
    return this;
  }

  private void rawVarint(long value) {
    while ((value & ~0x7fL) != 0) {
      out.write((int) (value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out.write((int) value);
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}
