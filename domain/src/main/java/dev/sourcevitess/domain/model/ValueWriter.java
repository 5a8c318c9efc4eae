package dev.sourcevitess.domain.model;

/** Where a column writes its JSON value; the protocol adapter streams these straight out. */
public interface ValueWriter {
  void writeNull();

  void writeBoolean(boolean value);

  void writeNumber(long value);

  /** A JSON number literal in ASCII, already in JSON's form. */
  void writeNumber(byte[] ascii, int offset, int length);

  void writeString(String value);

  /** A string given as UTF-8 bytes (the writer escapes it). */
  void writeUtf8String(byte[] utf8, int offset, int length);

  /** Bytes as a base64 string. */
  void writeBase64(byte[] bytes, int offset, int length);
}
