package dev.sourcevitess.protocol;

import com.fasterxml.jackson.core.SerializableString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A reusable view of bytes already in their JSON form, for {@code writeRawValue}: the generator
 * copies them straight into its buffer. Only the unquoted forms are meant to be used.
 */
final class RawBytes implements SerializableString {
  private byte[] bytes;
  private int offset;
  private int length;

  RawBytes of(byte[] bytes, int offset, int length) {
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
    return this;
  }

  @Override
  public int appendUnquotedUTF8(byte[] buffer, int at) {
    if (at + length > buffer.length) {
      return -1;
    }
    System.arraycopy(bytes, offset, buffer, at, length);
    return length;
  }

  @Override
  public byte[] asUnquotedUTF8() {
    byte[] copy = new byte[length];
    System.arraycopy(bytes, offset, copy, 0, length);
    return copy;
  }

  @Override
  public int writeUnquotedUTF8(OutputStream out) throws IOException {
    out.write(bytes, offset, length);
    return length;
  }

  @Override
  public int putUnquotedUTF8(ByteBuffer buffer) {
    if (length > buffer.remaining()) {
      return -1;
    }
    buffer.put(bytes, offset, length);
    return length;
  }

  @Override
  public String getValue() {
    return new String(bytes, offset, length, StandardCharsets.UTF_8);
  }

  @Override
  public int charLength() {
    return getValue().length();
  }

  @Override
  public int appendUnquoted(char[] buffer, int at) {
    String value = getValue();
    if (at + value.length() > buffer.length) {
      return -1;
    }
    value.getChars(0, value.length(), buffer, at);
    return value.length();
  }

  @Override
  public char[] asQuotedChars() {
    throw new UnsupportedOperationException("raw bytes are written unquoted");
  }

  @Override
  public byte[] asQuotedUTF8() {
    throw new UnsupportedOperationException("raw bytes are written unquoted");
  }

  @Override
  public int appendQuotedUTF8(byte[] buffer, int at) {
    throw new UnsupportedOperationException("raw bytes are written unquoted");
  }

  @Override
  public int appendQuoted(char[] buffer, int at) {
    throw new UnsupportedOperationException("raw bytes are written unquoted");
  }

  @Override
  public int writeQuotedUTF8(OutputStream out) {
    throw new UnsupportedOperationException("raw bytes are written unquoted");
  }

  @Override
  public int putQuotedUTF8(ByteBuffer buffer) {
    throw new UnsupportedOperationException("raw bytes are written unquoted");
  }
}
